"""What every command shares: the group (library errors become one-line messages, never
tracebacks), the options (``--db``, ``--json``, ``--limit``, pages, ``--set``), opening
the store, and printing."""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from .. import __version__, render
from ..errors import BadCursor, BadFilter, ConfigError, NewsweaveError, StoreError
from ..settings import Settings
from ..store.base import StoreAPI as Store
from ..store.open import open_store
from ..store.postgres import is_postgres_url

DEFAULT_DB = "newsweave.db"


DB_HELP = ("The database: a SQLite file, or a postgresql:// URL (before or after the "
            "command).")


def flag_db(ctx: click.Context, value: str | None) -> str | None:
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
    return flag_db(ctx, value) or os.environ.get("NEWSWEAVE_DB") or None


def _resolve_db(ctx: click.Context, _param: click.Parameter, value: str | None) -> str:
    return _explicit_db(ctx, value) or DEFAULT_DB


def db_option(func: Callable) -> Callable:
    """``--db`` after the command (else before it, else ``$NEWSWEAVE_DB``, else
    ./newsweave.db)."""
    return click.option("--db", "db", type=str, default=None,
                        callback=_resolve_db, expose_value=True,
                        show_default="./newsweave.db or $NEWSWEAVE_DB",
                        help=DB_HELP)(func)


def json_option(func: Callable) -> Callable:
    """``--json``: print the service's dicts as JSON instead of text."""
    return click.option("--json", "as_json", is_flag=True, help="Print JSON.")(func)


def limit_option(func: Callable) -> Callable:
    """``--limit N``: cap a whole listing."""
    return click.option("--limit", type=click.IntRange(min=0), default=None,
                        help="Show at most N items.")(func)


PAGE_SIZE = 100  # items per page when --cursor comes without --page-size


def page_options(func: Callable) -> Callable:
    """``--page-size`` and ``--cursor``: a listing a page at a time (keyset cursors)."""
    func = click.option("--cursor", default=None, metavar="TOKEN",
                        help="Start after this cursor: the next_cursor of the page before "
                             f"(a page of --page-size, default {PAGE_SIZE}).")(func)
    return click.option("--page-size", type=click.IntRange(min=1), default=None,
                        metavar="N", help="Show one page of N items; with --json print "
                        "{items, next_cursor}.")(func)


def paging(limit: int | None, page_size: int | None,
            cursor: str | None) -> tuple[int | None, bool]:
    """How many items to ask for, and whether the output is a page (``--page-size`` or
    ``--cursor`` given) rather than the whole listing (capped by ``--limit``)."""
    if page_size is None and cursor is None:
        return limit, False
    if limit is not None:
        raise click.UsageError("--limit caps a whole listing; with pages, use --page-size")
    return page_size or PAGE_SIZE, True


def emit_listing(page: dict[str, Any], paged: bool) -> None:
    """A listing as JSON: the items alone, or with pages ``{items, next_cursor}``."""
    emit(page if paged else page["items"])


def next_page_hint(page: dict[str, Any], paged: bool) -> None:
    """After a page of text output, how to ask for the next one (on stderr)."""
    if paged and page["next_cursor"]:
        click.echo(f"next page: --cursor {page['next_cursor']}", err=True)


def set_option(func: Callable) -> Callable:
    """``--set NAME=VALUE`` (repeatable): override a setting for this command."""
    return click.option("--set", "overrides", multiple=True, metavar="NAME=VALUE",
                        help="Override a setting (see `newsweave settings`).")(func)


def flags_of(overrides: tuple[str, ...]) -> dict[str, str]:
    """``--set NAME=VALUE`` options as ``{name: value}``."""
    values: dict[str, str] = {}
    for item in overrides:
        name, sep, value = item.partition("=")
        if not sep:
            raise ConfigError(f"--set expects NAME=VALUE, got {item!r}")
        values[name.strip()] = value.strip()
    return values


def plain_settings(overrides: tuple[str, ...]) -> Settings:
    """Settings for a command that uses no database (``annotate``)."""
    return Settings(flags_of(overrides))


def db_settings(store: Store, flags: dict[str, str]) -> Settings:
    """Settings in force on ``store``: defaults < file < env < stored < ``--set``."""
    from ..library import settings_for

    return settings_for(store, flags)


def remember(store: Store, settings: Settings, flags: dict[str, str], command: str) -> None:
    """Store the ``--set`` values (typed) with the database, for later commands."""
    from ..library import remember

    remember(store, settings, flags, command)


def emit(data: Any) -> None:
    """Print ``data`` as indented JSON, non-ASCII kept."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@contextmanager
def open_db(db: str, readonly: bool = True, create: bool = False) -> Iterator[Store]:
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
@click.option("--db", "db", type=str, default=None, help=DB_HELP)
def main(verbose: bool, db: str | None) -> None:
    """newsweave: news in any language into cross-lingual, source-linked stories."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    if not verbose:  # trafilatura logs an ERROR line for every broken page we skip anyway
        logging.getLogger("trafilatura").setLevel(logging.CRITICAL)


def highlighter() -> render.Highlight:
    """Bold on a terminal (unless $NO_COLOR is set), ``[brackets]`` elsewhere."""
    if sys.stdout.isatty() and not os.environ.get("NO_COLOR"):
        return lambda text: click.style(text, bold=True)
    return render.brackets


def cut(text: str, width: int) -> str:
    """``text`` on one line, cut to ``width`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
