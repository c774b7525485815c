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

from . import __version__, render, service
from .errors import BadCursor, BadFilter, ConfigError, NewsweaveError, StoreError
from .service import export as service_export
from .service import facts as service_facts
from .settings import SETTINGS, Settings
from .store.base import StoreAPI as Store
from .store.open import open_store
from .store.postgres import is_postgres_url
from .store.settings import forget_settings, stored_details

DEFAULT_DB = "newsweave.db"
_DB_HELP = ("The database: a SQLite file, or a postgresql:// URL (before or after the "
            "command).")


def _flag_db(ctx: click.Context, value: str | None) -> str | None:
    """``--db`` after the command (``value``), else before it; None when neither was
    given. Two different values are refused rather than one silently winning."""
    before = ctx.find_root().params.get("db")
    if value is not None and before is not None and value != before:
        raise click.UsageError(f"--db given twice with different values: {before!r} before "
                               f"the command, {value!r} after it")
    return value or before


def _explicit_db(ctx: click.Context, value: str | None) -> str | None:
    """The database the user named: ``--db`` (before or after the command), else
    ``$NEWSWEAVE_DB``; None when none was named."""
    return _flag_db(ctx, value) or os.environ.get("NEWSWEAVE_DB") or None


def _resolve_db(ctx: click.Context, _param: click.Parameter, value: str | None) -> str:
    return _explicit_db(ctx, value) or DEFAULT_DB


def _db_option(func: Callable) -> Callable:
    return click.option("--db", "db", type=str, default=None,
                        callback=_resolve_db, expose_value=True,
                        show_default="./newsweave.db or $NEWSWEAVE_DB",
                        help=_DB_HELP)(func)


def _json_option(func: Callable) -> Callable:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON.")(func)


def _limit_option(func: Callable) -> Callable:
    return click.option("--limit", type=click.IntRange(min=0), default=None,
                        help="Show at most N items.")(func)


PAGE_SIZE = 100  # items per page when --cursor comes without --page-size


def _page_options(func: Callable) -> Callable:
    """``--page-size`` and ``--cursor``: a listing a page at a time (keyset cursors)."""
    func = click.option("--cursor", default=None, metavar="TOKEN",
                        help="Start after this cursor: the next_cursor of the page before "
                             f"(a page of --page-size, default {PAGE_SIZE}).")(func)
    return click.option("--page-size", type=click.IntRange(min=1), default=None,
                        metavar="N", help="Show one page of N items; with --json print "
                        "{items, next_cursor}.")(func)


def _paging(limit: int | None, page_size: int | None,
            cursor: str | None) -> tuple[int | None, bool]:
    """How many items to ask for, and whether the output is a page (``--page-size`` or
    ``--cursor`` given) rather than the whole listing (capped by ``--limit``)."""
    if page_size is None and cursor is None:
        return limit, False
    if limit is not None:
        raise click.UsageError("--limit caps a whole listing; with pages, use --page-size")
    return page_size or PAGE_SIZE, True


def _emit_listing(page: dict[str, Any], paged: bool) -> None:
    """A listing as JSON: the items alone, or with pages ``{items, next_cursor}``."""
    _emit(page if paged else page["items"])


def _next_page_hint(page: dict[str, Any], paged: bool) -> None:
    """After a page of text output, how to ask for the next one (on stderr)."""
    if paged and page["next_cursor"]:
        click.echo(f"next page: --cursor {page['next_cursor']}", err=True)


def _set_option(func: Callable) -> Callable:
    return click.option("--set", "overrides", multiple=True, metavar="NAME=VALUE",
                        help="Override a setting (see `newsweave settings`).")(func)


def _flags(overrides: tuple[str, ...]) -> dict[str, str]:
    """``--set NAME=VALUE`` options as ``{name: value}``."""
    values: dict[str, str] = {}
    for item in overrides:
        name, sep, value = item.partition("=")
        if not sep:
            raise ConfigError(f"--set expects NAME=VALUE, got {item!r}")
        values[name.strip()] = value.strip()
    return values


def _settings(overrides: tuple[str, ...]) -> Settings:
    """Settings for a command that uses no database (``annotate``)."""
    return Settings(_flags(overrides))


def _db_settings(store: Store, flags: dict[str, str]) -> Settings:
    """Settings in force on ``store``: defaults < file < env < stored < ``--set``."""
    from .library import settings_for

    return settings_for(store, flags)


def _remember(store: Store, settings: Settings, flags: dict[str, str], command: str) -> None:
    """Store the ``--set`` values (typed) with the database, for later commands."""
    from .library import remember

    remember(store, settings, flags, command)


def _emit(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@contextmanager
def _open_store(db: str, readonly: bool = True, create: bool = False) -> Iterator[Store]:
    """The store at ``db``; only ``ingest`` (``create``) may make a new database."""
    if not create and not is_postgres_url(db) and not Path(db).exists():
        raise StoreError(f"no database at {db}: run `newsweave ingest` first")
    store = open_store(db, readonly=readonly)
    try:
        yield store
    finally:
        store.close()


class _Group(click.Group):
    """Turns library errors and Ctrl-C into clean messages and exit codes."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BadCursor as exc:  # a misused option: exit code 2, as click's own
            raise click.BadParameter(str(exc), param_hint="'--cursor'") from None
        except BadFilter as exc:
            raise click.UsageError(str(exc)) from None
        except NewsweaveError as exc:
            raise click.ClickException(str(exc)) from None
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="newsweave")
@click.option("-v", "--verbose", is_flag=True, help="Log details to stderr.")
@click.option("--db", "db", type=str, default=None, help=_DB_HELP)
def main(verbose: bool, db: str | None) -> None:
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


def _check_sources(sources: tuple[str, ...]) -> None:
    """Refuse the whole ingest, before anything is created, when a path names nothing."""
    from .ingest.preflight import missing_sources

    missing = missing_sources(sources)
    if missing:
        raise click.ClickException(
            f"not found: {', '.join(missing)} (no file, folder or glob match); nothing was "
            "ingested and no database was created or changed")


def _progress_bar(sources: tuple[str, ...], settings: Settings, show: bool) -> Any:
    """A progress bar with a total (and so an ETA) when the inputs can be counted."""
    show = show and sys.stderr.isatty()  # no bar redrawn into a log file
    total = None
    if show:
        from .ingest.preflight import count_documents

        total = count_documents(sources, int(settings.max_depth))
    return _bar(total, "ingest", show)


def _bar(total: int | None, desc: str, show: bool) -> Any:
    """A tqdm bar on stderr, drawn only on a terminal."""
    from tqdm import tqdm

    return tqdm(total=total, unit=" docs", desc=desc, file=sys.stderr, leave=False,
                disable=not (show and sys.stderr.isatty()), dynamic_ncols=True)


def _advance(bar: Any) -> Callable[[int], None]:
    """``bar.update``, raising the total when a count made beforehand fell short (a
    feed entry or JSON line that yields more than one skip)."""
    def update(n: int) -> None:
        if bar.total is not None and bar.n + n > bar.total:
            bar.total = bar.n + n
        bar.update(n)
    return update


def run_ingest(db: str, sources: tuple[str, ...], flags: dict[str, str], as_json: bool,
               progress: bool, echo: bool = True, dates: Any = None) -> Any:
    """Ingest into ``db`` and print the summary; shared by ``ingest`` and ``demo``.

    ``flags`` are the ``--set`` values: checked before the database is opened, applied
    over the values stored with it, and stored for later commands."""
    from .library import ingest_into
    from .pipeline import Pipeline

    Settings(flags)  # a bad --set fails here, before the database is created
    _check_sources(sources)
    with _open_store(db, readonly=False, create=True) as store:
        settings = _db_settings(store, flags)
        pipeline = Pipeline(store, settings)
        bar = _progress_bar(sources, settings, progress and not as_json)
        try:
            report = ingest_into(pipeline, sources, flags, stdin=sys.stdin,
                                 progress=_advance(bar), dates=dates)
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
    """Ingest files, folders, globs, URLs, or '-' (JSON Lines on stdin).

    A path that names nothing stops the command before anything is created."""
    from .ingest.dates import DatePolicy

    dates = DatePolicy(published, date_from_path, date_from_text)
    run_ingest(db, sources, _flags(overrides), as_json, progress, dates=dates)


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
@_page_options
@click.option("--story", type=int, default=None, help="Only articles of this story.")
@click.option("--lang", default=None, help="Only articles in this language (ISO 639-1).")
def articles(db: str, as_json: bool, limit: int | None, page_size: int | None,
             cursor: str | None, story: int | None, lang: str | None) -> None:
    """List articles in stream order."""
    size, paged = _paging(limit, page_size, cursor)
    with _open_store(db) as store:
        page = service.articles_page(store, size, cursor, story=story, lang=lang)
    if as_json:
        _emit_listing(page, paged)
        return
    for r in page["items"]:
        dup = f"  (duplicate of {r['duplicate_of']})" if r["duplicate_of"] else ""
        date = (r["published"] or "date unknown")[:10]
        click.echo(f"{r['id']:>6}  {r['lang']:<3} {date:<12} story {r['story'] or '-':<6} "
                   f"{_cut(r['title'], 70)}{dup}")
    _next_page_hint(page, paged)


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
@_page_options
@click.option("--min-size", type=click.IntRange(min=1), default=1, help="Smallest story shown.")
def stories(db: str, as_json: bool, limit: int | None, page_size: int | None,
            cursor: str | None, min_size: int) -> None:
    """List stories, largest first, with their articles and languages."""
    size, paged = _paging(limit, page_size, cursor)
    with _open_store(db) as store:
        page = service.stories_page(store, size, cursor, min_size=min_size)
    if as_json:
        _emit_listing(page, paged)
        return
    for s in page["items"]:
        _print_story(s)
        click.echo("")
    _next_page_hint(page, paged)


@main.command()
@click.argument("query")
@_db_option
@_json_option
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
    from .enrich.embed import make_embedder
    from .service import search as service_search

    filters = service_search.Filters(date_from=date_from, date_to=date_to, lang=lang,
                                     source=source, story=story_id, entity=entity_id,
                                     place=place, speaker=speaker_id, claim_status=claim_status)
    with _open_store(db) as store:
        settings = _db_settings(store, {})
        embedder = None if no_vectors else make_embedder(
            settings.embedder, settings.embed_max_tokens, settings.embed_batch_size)
        try:
            result = service_search.search(
                store, query, filters=filters, limit=limit, cursor=cursor, stories=by_story,
                embedder=embedder, max_query_chars=settings.search_max_query_chars)
        except service_search.SearchError as exc:
            raise click.UsageError(str(exc)) from None
    if as_json:
        _emit(result if whole else result["items"])
        return
    click.echo("\n".join(render.search_view(result, by_story)))
    if result["next_cursor"]:
        click.echo(f"next page: --cursor {result['next_cursor']}", err=True)


@main.command()
@click.argument("story_id", type=int)
@_db_option
@_json_option
@click.option("--articles", "max_articles", type=click.IntRange(min=0), default=20,
              show_default=True, help="Articles listed before the rest is summed up; 0: all.")
def story(story_id: int, db: str, as_json: bool, max_articles: int) -> None:
    """Show one story: languages, sources, people, organisations, places, related
    stories and its articles."""
    with _open_store(db) as store:
        s = service.get_story(store, story_id)
    if as_json:
        _emit(s)
    else:
        click.echo("\n".join(render.story_view(s, max_articles)))


@main.command()
@_db_option
@_json_option
@_limit_option
@click.option("--story", "story_id", type=int, default=None, help="Only this story's quotes.")
@click.option("--entity", "entity_id", type=int, default=None,
              help="Only the quotes this entity (a speaker) said.")
def quotes(db: str, as_json: bool, limit: int | None, story_id: int | None,
           entity_id: int | None) -> None:
    """List quotes with their speakers, in stream order, across stories."""
    with _open_store(db) as store:
        rows = service_facts.list_quotes(store, story_id, entity_id, limit)
    if as_json:
        _emit(rows)
        return
    for q in rows:
        who = q["speaker_entity"]["name"] if q["speaker_entity"] else (q["speaker"] or "?")
        mark = "" if q["direct"] else " (indirect)"
        click.echo(f"[story {q['story']}, article {q['article']}] {who}{mark}: "
                   f"{_cut(q['text'], 160)}")
    if not rows:
        click.echo("no quotes")


@main.command()
@_db_option
@_json_option
@_limit_option
@click.option("--story", "story_id", type=int, default=None, help="Only this story's claims.")
@click.option("--entity", "entity_id", type=int, default=None,
              help="Only claims whose sentences name this entity.")
@click.option("--status", type=click.Choice(service_facts.CLAIM_STATUSES), default=None,
              help="Only claims of this status.")
def claims(db: str, as_json: bool, limit: int | None, story_id: int | None,
           entity_id: int | None, status: str | None) -> None:
    """List claims (numbers stated about something counted), each corroborated by
    independent sources, contradicted by another value, or single-source."""
    with _open_store(db) as store:
        rows = service_facts.list_claims(store, story_id, entity_id, status, limit)
    if as_json:
        _emit(rows)
        return
    for c in rows:
        click.echo(f"[story {c['story']}] {c['status']}: {c['text']} ({c['counted']}), "
                   f"articles {', '.join(str(a) for a in c['sources'])}")
    if not rows:
        click.echo("no claims")


@main.command()
@_db_option
@_json_option
@_limit_option
@_page_options
def skipped(db: str, as_json: bool, limit: int | None, page_size: int | None,
            cursor: str | None) -> None:
    """List inputs that were not ingested, with the reason."""
    size, paged = _paging(limit, page_size, cursor)
    with _open_store(db) as store:
        page = service.skipped_page(store, size, cursor)
    if as_json:
        _emit_listing(page, paged)
        return
    for r in page["items"]:
        click.echo(f"{r['source']}: {r['reason']}")
    if not page["items"]:
        click.echo("nothing skipped")
    _next_page_hint(page, paged)


@main.command()
@_db_option
@_json_option
@_set_option
def recluster(db: str, as_json: bool, overrides: tuple[str, ...]) -> None:
    """Rebuild all stories (after changing story settings)."""
    from .pipeline import Pipeline
    from .pipeline import recluster as do_recluster

    flags = _flags(overrides)
    Settings(flags)  # a bad --set fails before the database is opened for writing
    with _open_store(db, readonly=False) as store:
        settings = _db_settings(store, flags)
        with _bar(store.count("vectors"), "recluster", not as_json) as bar:
            report = do_recluster(Pipeline(store, settings), progress=bar.update)
        _remember(store, settings, flags, "recluster")
    if as_json:
        _emit(report.to_dict())
    else:
        click.echo(f"reclustered {report.articles} articles into {report.stories} stories "
                   f"in {report.seconds:.1f} s")


@main.command()
@_db_option
@click.option("--what", required=True, type=click.Choice(service_export.KINDS),
              help="What to export.")
@click.option("--format", "fmt", required=True, type=click.Choice(service_export.FORMATS),
              help="File format (geojson: entities, places, claims).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True),
              default="-", show_default="standard output", help="The file to write.")
@click.option("--story", type=int, default=None, help="Only what belongs to this story.")
@click.option("--lang", default=None, help="Only what appears in articles in this language.")
@click.option("--since", default=None, metavar="DATE",
              help="Only what appears in articles published on or after DATE "
                   "(YYYY[-MM[-DD]]).")
@click.option("--until", default=None, metavar="DATE",
              help="Only what appears in articles published on or before DATE.")
@click.option("--entity", type=int, default=None, help="Only what names this entity.")
@click.option("--type", "type_", default=None, help="Entities of this type: PER, ORG, LOC, MISC.")
@click.option("--country", default=None, help="Entities and places in this country (ISO).")
@click.option("--status", default=None, help="Claims of this status.")
@click.option("--speaker", default=None, help="Quotes of this speaker: an entity id or a name.")
def export(db: str, what: str, fmt: str, output: str, type_: str | None,
           **filters: Any) -> None:
    """Export articles, stories, entities, places, claims or quotes as JSON Lines, CSV,
    GeoJSON or Parquet, streamed (see docs/export.md)."""
    from .export import export as write_export

    chosen = service_export.ExportFilters(type=type_, **filters)
    try:
        service_export.check(what, fmt, chosen)
    except service_export.ExportError as exc:  # a misused option: exit code 2
        raise click.UsageError(str(exc)) from None
    if output == "-" and fmt == "parquet" and sys.stdout.isatty():
        raise click.UsageError("Parquet is binary: give -o FILE or redirect the output")
    with _open_store(db) as store:
        try:
            written = write_export(store, what, fmt,
                                   sys.stdout.buffer if output == "-" else output, chosen)
        except BrokenPipeError:  # the reader stopped early (`| head`): not an error
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return
    where = "standard output" if output == "-" else output
    left = (f"; {written.left_out} without coordinates left out" if written.left_out
            else "")
    click.echo(f"exported {written.rows} {what} to {where} as {fmt}{left}", err=True)


@main.command()
@click.option("--db", "db", type=str, default=None, help=_DB_HELP)
@_json_option
@click.option("--unset", "unset", multiple=True, metavar="NAME",
              help="Forget a value stored with the database (back to env or default).")
@click.pass_context
def settings(ctx: click.Context, db: str | None, as_json: bool, unset: tuple[str, ...]) -> None:
    """Every setting: the value in force, where it comes from (default, file, env,
    stored, flag), its default and meaning. With a database (--db, $NEWSWEAVE_DB or
    ./newsweave.db when present), the values stored with it count."""
    db = _settings_db(ctx, db)
    if unset:
        _unset(db, unset)
    rows = _settings_rows(db)
    if as_json:
        _emit(rows)
        return
    if db:
        click.echo(f"settings in force for {db}:")
    for r in rows:
        shown = f"{r['value']!r} ({r['origin']})" if r["origin"] != "default" else \
            f"{r['value']!r}"
        click.echo(f"{r['name']} = {shown}  [{r['type']}, default {r['default']!r}]: "
                   f"{r['help']}")


def _settings_db(ctx: click.Context, db: str | None) -> str | None:
    """The database whose stored values count: a ``--db`` must exist (a typo is an
    error); ``$NEWSWEAVE_DB`` or ``./newsweave.db`` not made yet just means none."""
    flagged = _flag_db(ctx, db)
    if flagged:
        return flagged
    candidate = os.environ.get("NEWSWEAVE_DB") or DEFAULT_DB
    return candidate if Path(candidate).exists() else None


def _unset(db: str | None, names: tuple[str, ...]) -> None:
    if db is None:
        raise click.UsageError("--unset needs a database (--db PATH)")
    unknown = [n for n in names if n not in {s.name for s in SETTINGS}]
    if unknown:
        raise ConfigError(f"unknown setting {unknown[0]!r}; see `newsweave settings`")
    with _open_store(db, readonly=False) as store:
        removed = forget_settings(store, list(names))
    for name in names:
        note = "forgotten" if name in removed else "was not stored"
        click.echo(f"{name}: {note}", err=True)


def _settings_rows(db: str | None) -> list[dict[str, Any]]:
    """Each setting with the value in force and its origin (stored ones: which command
    set them, and when)."""
    details: dict[str, dict[str, Any]] = {}
    if db is not None:
        with _open_store(db) as store:
            details = stored_details(store)
    current = Settings(stored={k: v["value"] for k, v in details.items()})
    rows = []
    for s in SETTINGS:
        row = {"name": s.name, "type": s.type.__name__, "default": s.default, "help": s.help,
               "value": getattr(current, s.name), "origin": current.origin(s.name)}
        if s.name in details:
            row["stored"] = details[s.name]
        rows.append(row)
    return rows


@main.command()
@click.option("--db", "db", type=str, default=None, help=_DB_HELP)
@_json_option
@click.pass_context
def stages(ctx: click.Context, db: str | None, as_json: bool) -> None:
    """The pipeline's stages in the order they run: what each needs and provides,
    and whether the settings in force (with --db, the database's too) turn it on."""
    from .pipeline import STAGES

    db = _settings_db(ctx, db)
    stored: dict[str, Any] = {}
    if db is not None:
        with _open_store(db) as store:
            stored = {k: v["value"] for k, v in stored_details(store).items()}
    current = Settings(stored=stored)
    rows = [{"name": s.name, "enabled": s.enabled(current), "needs": list(s.needs),
             "provides": list(s.provides), "module": s.module, "does": s.summary}
            for s in STAGES]
    if as_json:
        _emit(rows)
        return
    for n, r in enumerate(rows, start=1):
        state = "" if r["enabled"] else " (off)"
        click.echo(f"{n}. {r['name']}{state}: {r['does']}")
        click.echo(f"     needs {', '.join(r['needs'])}; provides {', '.join(r['provides'])}")


@main.command()
@click.option("--db", "db", type=str, default=None,
              help="Keep the demo database here (default: a temporary file).")
@_json_option
@click.pass_context
def demo(ctx: click.Context, db: str | None, as_json: bool) -> None:
    """Ingest the bundled demo corpus and print the story digest."""
    tmp = None
    db = _flag_db(ctx, db)  # before or after the command; never $NEWSWEAVE_DB
    if db is None:
        tmp = tempfile.mkdtemp(prefix="newsweave-demo-")
        db = str(Path(tmp) / "demo.db")
    try:
        with as_file(files("newsweave").joinpath("data/demo/corpus")) as corpus:
            if not as_json:
                click.echo(f"ingesting the demo corpus ({corpus}) into {db}")
            run_ingest(db, (str(corpus),), {}, as_json, progress=not as_json,
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
@_page_options
@click.option("--type", "type_", type=click.Choice(["PER", "ORG", "LOC", "MISC"]),
              default=None, help="Only entities of this type (MISC: platforms, events).")
def entities(db: str, as_json: bool, limit: int | None, page_size: int | None,
             cursor: str | None, type_: str | None) -> None:
    """List people, organisations, places, platforms and events, most articles first."""
    size, paged = _paging(limit, page_size, cursor)
    with _open_store(db) as store:
        page = service.entities_page(store, size, cursor, type_=type_)
    if as_json:
        _emit_listing(page, paged)
        return
    for e in page["items"]:
        other = [a for a in e["aliases"] if a != e["name"]][:6]
        also = f"  (also: {', '.join(other)})" if other else ""
        click.echo(f"#{e['id']:<5} {e['type']:<3} {_cut(e['name'], 40):<40} "
                   f"{len(e['articles'])} articles, {e['mentions']} mentions{also}")
    if not page["items"]:
        click.echo("no entities")
    _next_page_hint(page, paged)


@main.command()
@click.argument("entity_id", type=int)
@_db_option
@_json_option
def entity(entity_id: int, db: str, as_json: bool) -> None:
    """Show one entity: its names, stories, mentions in their sentences, and company."""
    with _open_store(db) as store:
        e = service.get_entity(store, entity_id)
    if as_json:
        _emit(e)
        return
    click.echo("\n".join(render.entity_view(e, _highlighter())))


def _highlighter() -> render.Highlight:
    """Bold on a terminal (unless $NO_COLOR is set), ``[brackets]`` elsewhere."""
    if sys.stdout.isatty() and not os.environ.get("NO_COLOR"):
        return lambda text: click.style(text, bold=True)
    return render.brackets


@main.command()
@_db_option
@_json_option
@_limit_option
@_page_options
def places(db: str, as_json: bool, limit: int | None, page_size: int | None,
           cursor: str | None) -> None:
    """List places mentioned, with coordinates and country, most articles first."""
    size, paged = _paging(limit, page_size, cursor)
    with _open_store(db) as store:
        page = service.places_page(store, size, cursor)
    if as_json:
        _emit_listing(page, paged)
        return
    for p in page["items"]:
        click.echo(f"#{p['id']:<5} {_cut(p['name'], 30):<30} {p['feature']:<8} "
                   f"{p['country'] or '--'}  {p['lat']:8.4f} {p['lon']:9.4f}  "
                   f"{len(p['articles'])} articles")
    if not page["items"]:
        click.echo("no places")
    _next_page_hint(page, paged)


@main.command()
@_db_option
@_set_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0: every interface).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on.")
@click.option("--read-only", is_flag=True, help="Serve reads only: refuse every write.")
@click.option("--token-env", metavar="NAME", default=None,
              help="Read the write token from this environment variable (default: the "
                   "api_token setting, i.e. $NEWSWEAVE_API_TOKEN). No token: no writes.")
def serve(db: str, overrides: tuple[str, ...], host: str, port: int, read_only: bool,
          token_env: str | None) -> None:
    """Serve the REST API (OpenAPI at /openapi.json, docs at /docs) with uvicorn."""
    import uvicorn

    from .api import ServeConfig, create_app

    flags = _flags(overrides)
    if "api_token" in flags:
        raise click.UsageError("give the token in the environment (NEWSWEAVE_API_TOKEN or "
                               "--token-env NAME), not on the command line")
    settings = Settings(flags)
    if token_env is not None and not os.environ.get(token_env):
        raise click.UsageError(f"--token-env {token_env}: that environment variable is not "
                               "set or empty")
    config = ServeConfig.from_settings(db, settings, token_env=token_env, read_only=read_only,
                                       flags=flags)
    if not config.writes_enabled and not is_postgres_url(db) and not Path(db).exists():
        raise StoreError(f"no database at {db}: run `newsweave ingest` first (or serve with "
                         "a write token, which creates it)")
    writes = "writes with the token" if config.writes_enabled else "read-only"
    click.echo(f"serving {db} on http://{host}:{port} ({writes}); docs at /docs", err=True)
    uvicorn.run(create_app(config), host=host, port=port, log_level="warning")


@main.command()
@click.argument("path")
@_set_option
def annotate(path: str, overrides: tuple[str, ...]) -> None:
    """Print the mentions, dates, quotes and quantities in text without storing it: PATH
    is a JSON Lines file of {id, text, lang?, published?} records, a plain-text file, or -
    for JSON Lines on stdin."""
    from .enrich.entities.records import read_full_records
    from .library import Annotate

    annotate_one = Annotate(_settings(overrides))
    for rec in read_full_records(path, sys.stdin):
        out = annotate_one.record(rec.id, rec.text, rec.lang, rec.published,
                                  warn=lambda message: click.echo(message, err=True))
        click.echo(json.dumps(out, ensure_ascii=False))


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
