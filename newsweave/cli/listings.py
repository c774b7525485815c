"""Commands that list and show what is stored: articles, stories, entities, places,
quotes, claims and skipped inputs, as text or (``--json``) the service's dicts."""

from __future__ import annotations

from typing import Any

import click

from .. import render, service
from ..service import facts as service_facts
from .base import (
    cut,
    db_option,
    emit,
    emit_listing,
    highlighter,
    json_option,
    limit_option,
    main,
    next_page_hint,
    open_db,
    page_options,
    paging,
)


@main.command()
@db_option
@json_option
@limit_option
@page_options
@click.option("--story", type=int, default=None, help="Only articles of this story.")
@click.option("--lang", default=None, help="Only articles in this language (ISO 639-1).")
def articles(db: str, as_json: bool, limit: int | None, page_size: int | None,
             cursor: str | None, story: int | None, lang: str | None) -> None:
    """List articles in stream order."""
    size, paged = paging(limit, page_size, cursor)
    with open_db(db) as store:
        page = service.articles_page(store, size, cursor, story=story, lang=lang)
    if as_json:
        emit_listing(page, paged)
        return
    for r in page["items"]:
        dup = f"  (duplicate of {r['duplicate_of']})" if r["duplicate_of"] else ""
        date = (r["published"] or "date unknown")[:10]
        click.echo(f"{r['id']:>6}  {r['lang']:<3} {date:<12} story {r['story'] or '-':<6} "
                   f"{cut(r['title'], 70)}{dup}")
    next_page_hint(page, paged)


@main.command()
@click.argument("article_id", type=int)
@db_option
@json_option
def article(article_id: int, db: str, as_json: bool) -> None:
    """Show one article with its text and provenance."""
    with open_db(db) as store:
        a = service.get_article(store, article_id)
    if as_json:
        emit(a)
        return
    click.echo(f"[{a['id']}] {a['title']}")
    click.echo(f"language {a['lang']} ({a['lang_confidence'] or 0:.2f}, {a['lang_model']}); "
               f"published {_published(a)}; story {a['story']}")
    click.echo(f"source {a['source']}" + (f"#{a['external_id']}" if a["external_id"] else ""))
    if a["duplicate_of"]:
        click.echo(f"{a['duplicate_kind']} duplicate of article {a['duplicate_of']} "
                   f"(similarity {a['duplicate_score']:.2f})")
    click.echo("")
    click.echo(a["text"])


def _published(a: dict[str, Any]) -> str:
    """'2011-02-11T00:00:00+00:00 (from path)', or 'unknown'."""
    if not a["published"]:
        return "unknown"
    return a["published"] + (f" (from {a['published_source']})" if a["published_source"] else "")


def print_story(s: dict[str, Any], indent: str = "  ") -> None:
    """A story as text: title, size, languages, span, related stories and its articles
    (``stories`` and ``demo``)."""
    span = ""
    if s["first_seen"]:
        span = f", {s['first_seen'][:10]} to {s['last_seen'][:10]}"
    related = f"; related: {', '.join(map(str, s['related']))}" if s["related"] else ""
    click.echo(f"story {s['id']}: {cut(s['title'], 100)}")
    click.echo(f"{indent}{s['size']} article{'s' if s['size'] != 1 else ''} in "
               f"{', '.join(s['languages'])}{span}{related}")
    for a in s["articles"]:
        dup = " (duplicate)" if a.get("duplicate_of") else ""
        click.echo(f"{indent}- [{a['lang']}] {cut(a['title'], 72)}{dup}")


@main.command()
@db_option
@json_option
@limit_option
@page_options
@click.option("--min-size", type=click.IntRange(min=1), default=1, help="Smallest story shown.")
def stories(db: str, as_json: bool, limit: int | None, page_size: int | None,
            cursor: str | None, min_size: int) -> None:
    """List stories, largest first, with their articles and languages."""
    size, paged = paging(limit, page_size, cursor)
    with open_db(db) as store:
        page = service.stories_page(store, size, cursor, min_size=min_size)
    if as_json:
        emit_listing(page, paged)
        return
    for s in page["items"]:
        print_story(s)
        click.echo("")
    next_page_hint(page, paged)


@main.command()
@click.argument("story_id", type=int)
@db_option
@json_option
@click.option("--articles", "max_articles", type=click.IntRange(min=0), default=20,
              show_default=True, help="Articles listed before the rest is summed up; 0: all.")
def story(story_id: int, db: str, as_json: bool, max_articles: int) -> None:
    """Show one story: languages, sources, people, organisations, places, related
    stories and its articles."""
    with open_db(db) as store:
        s = service.get_story(store, story_id)
    if as_json:
        emit(s)
    else:
        click.echo("\n".join(render.story_view(s, max_articles)))


@main.command()
@db_option
@json_option
@limit_option
@click.option("--story", "story_id", type=int, default=None, help="Only this story's quotes.")
@click.option("--entity", "entity_id", type=int, default=None,
              help="Only the quotes this entity (a speaker) said.")
def quotes(db: str, as_json: bool, limit: int | None, story_id: int | None,
           entity_id: int | None) -> None:
    """List quotes with their speakers, in stream order, across stories."""
    with open_db(db) as store:
        rows = service_facts.list_quotes(store, story_id, entity_id, limit)
    if as_json:
        emit(rows)
        return
    for q in rows:
        who = q["speaker_entity"]["name"] if q["speaker_entity"] else (q["speaker"] or "?")
        mark = "" if q["direct"] else " (indirect)"
        click.echo(f"[story {q['story']}, article {q['article']}] {who}{mark}: "
                   f"{cut(q['text'], 160)}")
    if not rows:
        click.echo("no quotes")


@main.command()
@db_option
@json_option
@limit_option
@click.option("--story", "story_id", type=int, default=None, help="Only this story's claims.")
@click.option("--entity", "entity_id", type=int, default=None,
              help="Only claims whose sentences name this entity.")
@click.option("--status", type=click.Choice(service_facts.CLAIM_STATUSES), default=None,
              help="Only claims of this status.")
def claims(db: str, as_json: bool, limit: int | None, story_id: int | None,
           entity_id: int | None, status: str | None) -> None:
    """List claims (numbers stated about something counted), each corroborated by
    independent sources, contradicted by another value, or single-source."""
    with open_db(db) as store:
        rows = service_facts.list_claims(store, story_id, entity_id, status, limit)
    if as_json:
        emit(rows)
        return
    for c in rows:
        click.echo(f"[story {c['story']}] {c['status']}: {c['text']} ({c['counted']}), "
                   f"articles {', '.join(str(a) for a in c['sources'])}")
    if not rows:
        click.echo("no claims")


@main.command()
@db_option
@json_option
@limit_option
@page_options
def skipped(db: str, as_json: bool, limit: int | None, page_size: int | None,
            cursor: str | None) -> None:
    """List inputs that were not ingested, with the reason."""
    size, paged = paging(limit, page_size, cursor)
    with open_db(db) as store:
        page = service.skipped_page(store, size, cursor)
    if as_json:
        emit_listing(page, paged)
        return
    for r in page["items"]:
        click.echo(f"{r['source']}: {r['reason']}")
    if not page["items"]:
        click.echo("nothing skipped")
    next_page_hint(page, paged)


@main.command()
@db_option
@json_option
@limit_option
@page_options
@click.option("--type", "type_", type=click.Choice(["PER", "ORG", "LOC", "MISC"]),
              default=None, help="Only entities of this type (MISC: platforms, events).")
def entities(db: str, as_json: bool, limit: int | None, page_size: int | None,
             cursor: str | None, type_: str | None) -> None:
    """List people, organisations, places, platforms and events, most articles first."""
    size, paged = paging(limit, page_size, cursor)
    with open_db(db) as store:
        page = service.entities_page(store, size, cursor, type_=type_)
    if as_json:
        emit_listing(page, paged)
        return
    for e in page["items"]:
        other = [a for a in e["aliases"] if a != e["name"]][:6]
        also = f"  (also: {', '.join(other)})" if other else ""
        click.echo(f"#{e['id']:<5} {e['type']:<3} {cut(e['name'], 40):<40} "
                   f"{len(e['articles'])} articles, {e['mentions']} mentions{also}")
    if not page["items"]:
        click.echo("no entities")
    next_page_hint(page, paged)


@main.command()
@click.argument("entity_id", type=int)
@db_option
@json_option
def entity(entity_id: int, db: str, as_json: bool) -> None:
    """Show one entity: its names, stories, mentions in their sentences, and company."""
    with open_db(db) as store:
        e = service.get_entity(store, entity_id)
    if as_json:
        emit(e)
        return
    click.echo("\n".join(render.entity_view(e, highlighter())))


@main.command()
@db_option
@json_option
@limit_option
@page_options
def places(db: str, as_json: bool, limit: int | None, page_size: int | None,
           cursor: str | None) -> None:
    """List places mentioned, with coordinates and country, most articles first."""
    size, paged = paging(limit, page_size, cursor)
    with open_db(db) as store:
        page = service.places_page(store, size, cursor)
    if as_json:
        emit_listing(page, paged)
        return
    for p in page["items"]:
        click.echo(f"#{p['id']:<5} {cut(p['name'], 30):<30} {p['feature']:<8} "
                   f"{p['country'] or '--'}  {p['lat']:8.4f} {p['lon']:9.4f}  "
                   f"{render.plural(len(p['articles']), 'article')}")
    if not page["items"]:
        click.echo("no places")
    next_page_hint(page, paged)
