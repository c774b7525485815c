"""The ``newsweave`` command: thin commands over the library.

Each command parses its arguments, calls :mod:`newsweave.pipeline` or
:mod:`newsweave.service`, and prints text or (with ``--json``) the service's
dicts. Library errors become one-line messages, never tracebacks.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

import click

from . import __version__, service
from .errors import ConfigError, NewsweaveError
from .settings import SETTINGS, Settings
from .store.sqlite import Store

DEFAULT_DB = "newsweave.db"


def _db_option(func: Callable) -> Callable:
    return click.option("--db", "db", type=click.Path(dir_okay=False),
                        default=lambda: os.environ.get("NEWSWEAVE_DB", DEFAULT_DB),
                        show_default="./newsweave.db or $NEWSWEAVE_DB",
                        help="The SQLite database file.")(func)


def _json_option(func: Callable) -> Callable:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON.")(func)


def _limit_option(func: Callable) -> Callable:
    return click.option("--limit", type=click.IntRange(min=0), default=None,
                        help="Show at most N items.")(func)


def _set_option(func: Callable) -> Callable:
    return click.option("--set", "overrides", multiple=True, metavar="NAME=VALUE",
                        help="Override a setting (see `newsweave settings`).")(func)


def _settings(overrides: tuple[str, ...]) -> Settings:
    values: dict[str, str] = {}
    for item in overrides:
        name, sep, value = item.partition("=")
        if not sep:
            raise ConfigError(f"--set expects NAME=VALUE, got {item!r}")
        values[name.strip()] = value.strip()
    return Settings(values)


def _emit(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@contextmanager
def _open_store(db: str, readonly: bool = True) -> Iterator[Store]:
    store = Store(db, readonly=readonly)
    try:
        yield store
    finally:
        store.close()


class _Group(click.Group):
    """Turns library errors and Ctrl-C into clean messages and exit codes."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except NewsweaveError as exc:
            raise click.ClickException(str(exc)) from None
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="newsweave")
@click.option("-v", "--verbose", is_flag=True, help="Log details to stderr.")
def main(verbose: bool) -> None:
    """newsweave: news in any language into cross-lingual, source-linked stories."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    if not verbose:  # trafilatura logs an ERROR line for every broken page we skip anyway
        logging.getLogger("trafilatura").setLevel(logging.CRITICAL)


# -- ingest ------------------------------------------------------------------
def _summary_line(report: Any) -> str:
    parts = [f"{report.new} new article{'s' if report.new != 1 else ''}",
             f"{report.exact_duplicates + report.near_duplicates} duplicates "
             f"({report.exact_duplicates} exact, {report.near_duplicates} near)",
             f"{report.unchanged} already ingested",
             f"{len(report.skipped)} skipped",
             f"{report.new_stories} new stories"]
    line = "; ".join(parts) + f" in {report.seconds:.1f} s"
    if report.new == 0 and report.unchanged and not report.skipped:
        line += " (nothing new: everything was already ingested)"
    return line


def run_ingest(db: str, sources: tuple[str, ...], settings: Settings, as_json: bool,
               progress: bool, echo: bool = True, dates: Any = None) -> Any:
    """Ingest into ``db`` and print the summary; shared by ``ingest`` and ``demo``."""
    from tqdm import tqdm

    from .pipeline import Pipeline

    with _open_store(db, readonly=False) as store:
        pipeline = Pipeline(store, settings)
        bar = tqdm(unit=" docs", desc="ingest", disable=not progress or as_json,
                   file=sys.stderr, leave=False)
        try:
            report = pipeline.ingest(sources, stdin=sys.stdin, progress=bar.update, dates=dates)
        finally:
            bar.close()
    if as_json and echo:
        _emit(report.to_dict())
    elif echo:
        for item in report.skipped:
            click.echo(f"skipped {item.source}: {item.reason}", err=True)
        click.echo(_summary_line(report))
    if report.interrupted:
        click.echo("interrupted: finished batches are saved; run the same command again "
                   "to resume", err=True)
        sys.exit(130)
    return report


@main.command()
@click.argument("sources", nargs=-1, required=True)
@_db_option
@_json_option
@_set_option
@click.option("--progress/--no-progress", default=True, help="Show a progress bar.")
@click.option("--published", "published", metavar="DATE", default=None,
              callback=lambda ctx, param, value: _cli_date(value),
              help="Give this date (YYYY-MM-DD or ISO 8601) to every input of this call, "
                   "whatever the input states.")
@click.option("--date-from-path", is_flag=True,
              help="Date inputs that state none from a date in their path "
                   "(2011-02-11, 2011/02/11, 20110211; the deepest wins).")
@click.option("--date-from-text/--no-date-from-text", default=True,
              help="Date inputs that state none from a byline or dateline in their text.")
def ingest(sources: tuple[str, ...], db: str, as_json: bool, overrides: tuple[str, ...],
           progress: bool, published: Any, date_from_path: bool, date_from_text: bool) -> None:
    """Ingest files, folders, globs, URLs, or '-' (JSON Lines on stdin)."""
    from .ingest.dates import DatePolicy

    dates = DatePolicy(published, date_from_path, date_from_text)
    run_ingest(db, sources, _settings(overrides), as_json, progress, dates=dates)


def _cli_date(value: str | None) -> Any:
    """``--published`` as an aware datetime; a bad value is a usage error."""
    from .ingest.dates import parse_cli_date

    if value is None:
        return None
    try:
        return parse_cli_date(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--published") from None


# -- listings ----------------------------------------------------------------
@main.command()
@_db_option
@_json_option
@_limit_option
@click.option("--story", type=int, default=None, help="Only articles of this story.")
@click.option("--lang", default=None, help="Only articles in this language (ISO 639-1).")
def articles(db: str, as_json: bool, limit: int | None, story: int | None,
             lang: str | None) -> None:
    """List articles in stream order."""
    with _open_store(db) as store:
        rows = service.list_articles(store, limit=limit, story=story, lang=lang)
    if as_json:
        _emit(rows)
        return
    for r in rows:
        dup = f"  (duplicate of {r['duplicate_of']})" if r["duplicate_of"] else ""
        date = (r["published"] or "date unknown")[:10]
        click.echo(f"{r['id']:>6}  {r['lang']:<3} {date:<12} story {r['story'] or '-':<6} "
                   f"{_cut(r['title'], 70)}{dup}")


@main.command()
@click.argument("article_id", type=int)
@_db_option
@_json_option
def article(article_id: int, db: str, as_json: bool) -> None:
    """Show one article with its text and provenance."""
    with _open_store(db) as store:
        a = service.get_article(store, article_id)
    if as_json:
        _emit(a)
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


def _print_story(s: dict[str, Any], indent: str = "  ") -> None:
    span = ""
    if s["first_seen"]:
        span = f", {s['first_seen'][:10]} to {s['last_seen'][:10]}"
    related = f"; related: {', '.join(map(str, s['related']))}" if s["related"] else ""
    click.echo(f"story {s['id']}: {_cut(s['title'], 100)}")
    click.echo(f"{indent}{s['size']} article{'s' if s['size'] != 1 else ''} in "
               f"{', '.join(s['languages'])}{span}{related}")
    for a in s["articles"]:
        dup = " (duplicate)" if a.get("duplicate_of") else ""
        click.echo(f"{indent}- [{a['lang']}] {_cut(a['title'], 72)}{dup}")


@main.command()
@_db_option
@_json_option
@_limit_option
@click.option("--min-size", type=click.IntRange(min=1), default=1, help="Smallest story shown.")
def stories(db: str, as_json: bool, limit: int | None, min_size: int) -> None:
    """List stories, largest first, with their articles and languages."""
    with _open_store(db) as store:
        rows = service.list_stories(store, limit=limit, min_size=min_size)
    if as_json:
        _emit(rows)
        return
    for s in rows:
        _print_story(s)
        click.echo("")


@main.command()
@click.argument("story_id", type=int)
@_db_option
@_json_option
def story(story_id: int, db: str, as_json: bool) -> None:
    """Show one story."""
    with _open_store(db) as store:
        s = service.get_story(store, story_id)
    if as_json:
        _emit(s)
    else:
        _print_story(s)


@main.command()
@_db_option
@_json_option
@_limit_option
def skipped(db: str, as_json: bool, limit: int | None) -> None:
    """List inputs that were not ingested, with the reason."""
    with _open_store(db) as store:
        rows = service.list_skipped(store, limit=limit)
    if as_json:
        _emit(rows)
        return
    for r in rows:
        click.echo(f"{r['source']}: {r['reason']}")
    if not rows:
        click.echo("nothing skipped")


@main.command()
@_db_option
@_json_option
@_set_option
def recluster(db: str, as_json: bool, overrides: tuple[str, ...]) -> None:
    """Rebuild all stories (after changing story settings)."""
    from .pipeline import Pipeline
    from .pipeline import recluster as do_recluster

    with _open_store(db, readonly=False) as store:
        report = do_recluster(Pipeline(store, _settings(overrides)))
    if as_json:
        _emit(report.to_dict())
    else:
        click.echo(f"reclustered {report.articles} articles into {report.stories} stories "
                   f"in {report.seconds:.1f} s")


@main.command()
@_json_option
def settings(as_json: bool) -> None:
    """List every setting with its default and meaning."""
    rows = [{"name": s.name, "type": s.type.__name__, "default": s.default, "help": s.help}
            for s in SETTINGS]
    if as_json:
        _emit(rows)
        return
    for r in rows:
        click.echo(f"{r['name']} ({r['type']}, default {r['default']!r}): {r['help']}")


@main.command()
@click.option("--db", "db", type=click.Path(dir_okay=False), default=None,
              help="Keep the demo database here (default: a temporary file).")
@_json_option
def demo(db: str | None, as_json: bool) -> None:
    """Ingest the bundled demo corpus and print the story digest."""
    tmp = None
    if db is None:
        tmp = tempfile.mkdtemp(prefix="newsweave-demo-")
        db = str(Path(tmp) / "demo.db")
    try:
        with as_file(files("newsweave").joinpath("data/demo/corpus")) as corpus:
            if not as_json:
                click.echo(f"ingesting the demo corpus ({corpus}) into {db}")
            run_ingest(db, (str(corpus),), Settings(), as_json, progress=not as_json,
                       echo=not as_json)
        with _open_store(db) as store:
            rows = service.list_stories(store)
            counts = service.summary(store)
            people = service.list_entities(store, limit=12)
            where = service.list_places(store, limit=8)
        if as_json:
            _emit(rows)
            return
        click.echo(f"\n{counts['stories']} stories from {counts['articles']} articles in "
                   f"{len(counts['languages'])} languages ({', '.join(counts['languages'])})\n")
        for s in rows:
            _print_story(s)
            click.echo("")
        _print_who_and_where(people, where)
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


@main.command()
@_db_option
@_json_option
@_limit_option
@click.option("--type", "type_", type=click.Choice(["PER", "ORG", "LOC", "MISC"]),
              default=None, help="Only entities of this type (MISC: platforms, events).")
def entities(db: str, as_json: bool, limit: int | None, type_: str | None) -> None:
    """List people, organisations, places, platforms and events, most articles first."""
    with _open_store(db) as store:
        rows = service.list_entities(store, limit=limit, type_=type_)
    if as_json:
        _emit(rows)
        return
    for e in rows:
        other = [a for a in e["aliases"] if a != e["name"]][:6]
        also = f"  (also: {', '.join(other)})" if other else ""
        click.echo(f"#{e['id']:<5} {e['type']:<3} {_cut(e['name'], 40):<40} "
                   f"{len(e['articles'])} articles, {e['mentions']} mentions{also}")
    if not rows:
        click.echo("no entities")


@main.command()
@click.argument("entity_id", type=int)
@_db_option
@_json_option
def entity(entity_id: int, db: str, as_json: bool) -> None:
    """Show one entity: its names, mentions with their sentences, and company."""
    with _open_store(db) as store:
        e = service.get_entity(store, entity_id)
    if as_json:
        _emit(e)
        return
    click.echo(f"#{e['id']} {e['name']} ({e['type']}): {len(e['articles'])} articles, "
               f"{e['mentions']} mentions")
    click.echo(f"  names: {', '.join(e['aliases'])}")
    if e["place"]:
        p = e["place"]
        click.echo(f"  place: {p['feature']} in {p['country']}, {p['lat']:.4f}, {p['lon']:.4f}")
    for m in e["mentions_list"][:20]:
        click.echo(f"  [{m['article']}] {_cut(m['sentence'] or m['text'], 100)}")
    if e["co_occurring"]:
        click.echo("  with: " + ", ".join(c["name"] for c in e["co_occurring"][:10]))


@main.command()
@_db_option
@_json_option
@_limit_option
def places(db: str, as_json: bool, limit: int | None) -> None:
    """List places mentioned, with coordinates and country, most articles first."""
    with _open_store(db) as store:
        rows = service.list_places(store, limit=limit)
    if as_json:
        _emit(rows)
        return
    for p in rows:
        click.echo(f"#{p['id']:<5} {_cut(p['name'], 30):<30} {p['feature']:<8} "
                   f"{p['country'] or '--'}  {p['lat']:8.4f} {p['lon']:9.4f}  "
                   f"{len(p['articles'])} articles")
    if not rows:
        click.echo("no places")


@main.command()
@click.argument("path")
@_set_option
def annotate(path: str, overrides: tuple[str, ...]) -> None:
    """Print the mentions in text without storing it: PATH is a JSON Lines file of
    {id, text, lang?} records, a plain-text file, or - for JSON Lines on stdin."""
    from .enrich.entities.records import read_records, record_json

    settings = _settings(overrides)
    from .enrich.entities import Annotator

    cache = Path(settings.cache_dir) if settings.cache_dir else None
    annotator = Annotator.load(settings, cache)
    for rid, text, lang in read_records(path, sys.stdin):
        click.echo(json.dumps(record_json(rid, annotator.analyse(text, lang)),
                              ensure_ascii=False))


def _print_who_and_where(people: list[dict[str, Any]], where: list[dict[str, Any]]) -> None:
    """The demo's last lines: the most cited entities and the places on the map."""
    if people:
        click.echo("Who (most articles first; `newsweave entities` lists all):")
        for e in people:
            other = [a for a in e["aliases"] if a != e["name"]][:4]
            also = f"  also: {', '.join(other)}" if other else ""
            click.echo(f"  {e['type']:<3} {_cut(e['name'], 36):<36} {len(e['articles'])} articles"
                       f"{also}")
    if where:
        click.echo("Where (`newsweave places`):")
        for p in where:
            click.echo(f"  {_cut(p['name'], 30):<30} {p['country'] or '--'} "
                       f"{p['lat']:8.3f} {p['lon']:9.3f}  {len(p['articles'])} articles")


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


if __name__ == "__main__":  # pragma: no cover
    main()
