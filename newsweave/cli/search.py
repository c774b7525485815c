"""``newsweave search``: articles or stories for a query in any language."""

from __future__ import annotations

import click

from .. import render
from ..service import facts as service_facts
from .base import (
    db_option,
    db_settings,
    emit,
    json_option,
    main,
    open_db,
)


@main.command()
@click.argument("query")
@db_option
@json_option
@click.option("--limit", type=click.IntRange(min=0, max=1000), default=10, show_default=True,
              help="Show at most N results.")
@click.option("--cursor", default=None, metavar="TOKEN",
              help="Start after this cursor: the next_cursor of the page before (with --json "
                   "and --page, printed with the results).")
@click.option("--page", "whole", is_flag=True,
              help="With --json print {items, next_cursor, total, facets}, not the items alone.")
@click.option("--stories", "by_story", is_flag=True, help="Rank stories, not articles.")
@click.option("--from", "date_from", default=None, metavar="DATE",
              help="Only articles published on or after this date (ISO).")
@click.option("--to", "date_to", default=None, metavar="DATE",
              help="Only articles published on or before this date (ISO).")
@click.option("--lang", default=None, help="Only these languages (comma-separated codes).")
@click.option("--source", default=None, help="Only this site or source.")
@click.option("--story", "story_id", type=int, default=None, help="Only this story's articles.")
@click.option("--entity", "entity_id", type=int, default=None,
              help="Only articles that name this entity.")
@click.option("--place", default=None,
              help="Only articles naming this place (gn:…, a1:…) or any place in a country "
                   "(IQ or cc:IQ).")
@click.option("--speaker", "speaker_id", type=int, default=None,
              help="Only articles quoting this entity.")
@click.option("--claim-status", type=click.Choice(service_facts.CLAIM_STATUSES), default=None,
              help="Only articles that are sources of claims of this status.")
@click.option("--no-vectors", is_flag=True,
              help="Full-text search only (no embedder is loaded).")
def search(query: str, db: str, as_json: bool, limit: int, cursor: str | None, whole: bool,
           by_story: bool, date_from: str | None, date_to: str | None, lang: str | None,
           source: str | None, story_id: int | None, entity_id: int | None, place: str | None,
           speaker_id: int | None, claim_status: str | None, no_vectors: bool) -> None:
    """Search articles (or stories) in any language: full text and vectors, fused.

    Words in double quotes are a phrase every result must contain."""
    from ..enrich.embed import make_embedder
    from ..service import search as service_search

    filters = service_search.Filters(date_from=date_from, date_to=date_to, lang=lang,
                                     source=source, story=story_id, entity=entity_id,
                                     place=place, speaker=speaker_id, claim_status=claim_status)
    with open_db(db) as store:
        settings = db_settings(store, {})
        embedder = None if no_vectors else make_embedder(
            settings.embedder, settings.embed_max_tokens, settings.embed_batch_size)
        try:
            result = service_search.search(
                store, query, filters=filters, limit=limit, cursor=cursor, stories=by_story,
                embedder=embedder, max_query_chars=settings.search_max_query_chars)
        except service_search.SearchError as exc:
            raise click.UsageError(str(exc)) from None
    if as_json:
        emit(result if whole else result["items"])
        return
    click.echo("\n".join(render.search_view(result, by_story)))
    if result["next_cursor"]:
        click.echo(f"next page: --cursor {result['next_cursor']}", err=True)
