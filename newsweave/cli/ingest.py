"""Commands that write: ``ingest``, ``recluster`` and ``demo``; and ``annotate``, which
runs the same analysis and stores nothing."""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from collections.abc import Callable
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

import click

from .. import service
from ..render import plural
from ..settings import Settings
from .base import (
    cut,
    db_option,
    db_settings,
    emit,
    flag_db,
    flags_of,
    json_option,
    main,
    open_db,
    plain_settings,
    remember,
    set_option,
)
from .listings import print_story


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
    from ..ingest.preflight import missing_sources

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
        from ..ingest.preflight import count_documents

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
    from ..library import ingest_into
    from ..pipeline import Pipeline

    Settings(flags)  # a bad --set fails here, before the database is created
    _check_sources(sources)
    with open_db(db, readonly=False, create=True) as store:
        settings = db_settings(store, flags)
        pipeline = Pipeline(store, settings)
        bar = _progress_bar(sources, settings, progress and not as_json)
        try:
            report = ingest_into(pipeline, sources, flags, stdin=sys.stdin,
                                 progress=_advance(bar), dates=dates)
        finally:
            bar.close()
    if as_json and echo:
        emit(report.to_dict())
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
@db_option
@json_option
@set_option
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
    from ..ingest.dates import DatePolicy

    dates = DatePolicy(published, date_from_path, date_from_text)
    run_ingest(db, sources, flags_of(overrides), as_json, progress, dates=dates)


def _cli_date(value: str | None) -> Any:
    """``--published`` as an aware datetime; a bad value is a usage error."""
    from ..ingest.dates import parse_cli_date

    if value is None:
        return None
    try:
        return parse_cli_date(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--published") from None


@main.command()
@db_option
@json_option
@set_option
def recluster(db: str, as_json: bool, overrides: tuple[str, ...]) -> None:
    """Rebuild all stories (after changing story settings)."""
    from ..pipeline import Pipeline
    from ..pipeline import recluster as do_recluster

    flags = flags_of(overrides)
    Settings(flags)  # a bad --set fails before the database is opened for writing
    with open_db(db, readonly=False) as store:
        settings = db_settings(store, flags)
        with _bar(store.count("vectors"), "recluster", not as_json) as bar:
            report = do_recluster(Pipeline(store, settings), progress=bar.update)
        remember(store, settings, flags, "recluster")
    if as_json:
        emit(report.to_dict())
    else:
        click.echo(f"reclustered {report.articles} articles into {report.stories} stories "
                   f"in {report.seconds:.1f} s")


@main.command()
@click.option("--db", "db", type=str, default=None,
              help="Keep the demo database here (default: a temporary file).")
@json_option
@click.pass_context
def demo(ctx: click.Context, db: str | None, as_json: bool) -> None:
    """Ingest the bundled demo corpus and print the story digest."""
    tmp = None
    db = flag_db(ctx, db)  # before or after the command; never $NEWSWEAVE_DB
    if db is None:
        tmp = tempfile.mkdtemp(prefix="newsweave-demo-")
        db = str(Path(tmp) / "demo.db")
    try:
        with as_file(files("newsweave").joinpath("data/demo/corpus")) as corpus:
            if not as_json:
                click.echo(f"ingesting the demo corpus ({corpus}) into {db}")
            run_ingest(db, (str(corpus),), {}, as_json, progress=not as_json,
                       echo=not as_json)
        with open_db(db) as store:
            rows = service.list_stories(store)
            counts = service.summary(store)
            people = service.list_entities(store, limit=12)
            where = service.list_places(store, limit=8)
        if as_json:
            emit(rows)
            return
        click.echo(f"\n{counts['stories']} stories from {counts['articles']} articles in "
                   f"{len(counts['languages'])} languages ({', '.join(counts['languages'])})\n")
        for s in rows:
            print_story(s)
            click.echo("")
        _print_who_and_where(people, where)
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def _print_who_and_where(people: list[dict[str, Any]], where: list[dict[str, Any]]) -> None:
    """The demo's last lines: the most cited entities and the places on the map."""
    if people:
        click.echo("Who (most articles first; `newsweave entities` lists all):")
        for e in people:
            other = [a for a in e["aliases"] if a != e["name"]][:4]
            also = f"  also: {', '.join(other)}" if other else ""
            count = plural(len(e["articles"]), "article")
            click.echo(f"  {e['type']:<3} {cut(e['name'], 36):<36} {count}{also}")
    if where:
        click.echo("Where (`newsweave places`):")
        for p in where:
            count = plural(len(p["articles"]), "article")
            click.echo(f"  {cut(p['name'], 30):<30} {p['country'] or '--'} "
                       f"{p['lat']:8.3f} {p['lon']:9.3f}  {count}")


@main.command()
@click.argument("path")
@set_option
def annotate(path: str, overrides: tuple[str, ...]) -> None:
    """Print the mentions, dates, quotes and quantities in text without storing it: PATH
    is a JSON Lines file of {id, text, lang?, published?} records, a plain-text file, or -
    for JSON Lines on stdin."""
    from ..enrich.entities.records import read_full_records
    from ..library import Annotate

    annotate_one = Annotate(plain_settings(overrides))
    for rec in read_full_records(path, sys.stdin):
        out = annotate_one.record(rec.id, rec.text, rec.lang, rec.published,
                                  warn=lambda message: click.echo(message, err=True))
        click.echo(json.dumps(out, ensure_ascii=False))
