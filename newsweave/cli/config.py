"""Commands about the configuration: ``settings`` (every setting, its value and where it
comes from) and ``stages`` (the pipeline's stages)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from ..errors import ConfigError
from ..settings import SETTINGS, Settings
from ..store.settings import forget_settings, stored_details
from .base import (
    DB_HELP,
    DEFAULT_DB,
    emit,
    flag_db,
    json_option,
    main,
    open_db,
)


@main.command()
@click.option("--db", "db", type=str, default=None, help=DB_HELP)
@json_option
@click.option("--unset", "unset", multiple=True, metavar="NAME",
              help="Forget a value stored with the database (back to env or default).")
@click.pass_context
def settings(ctx: click.Context, db: str | None, as_json: bool, unset: tuple[str, ...]) -> None:
    """Every setting: the value in force, where it comes from (default, file, env,
    stored, flag), its default and meaning. With a database (--db, $NEWSWEAVE_DB or
    ./newsweave.db when present), the values stored with it count."""
    db = settings_db(ctx, db)
    if unset:
        _unset(db, unset)
    rows = _settings_rows(db)
    if as_json:
        emit(rows)
        return
    if db:
        click.echo(f"settings in force for {db}:")
    for r in rows:
        shown = f"{r['value']!r} ({r['origin']})" if r["origin"] != "default" else \
            f"{r['value']!r}"
        click.echo(f"{r['name']} = {shown}  [{r['type']}, default {r['default']!r}]: "
                   f"{r['help']}")


def settings_db(ctx: click.Context, db: str | None) -> str | None:
    """The database whose stored values count: a ``--db`` must exist (a typo is an
    error); ``$NEWSWEAVE_DB`` or ``./newsweave.db`` not made yet just means none."""
    flagged = flag_db(ctx, db)
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
    with open_db(db, readonly=False) as store:
        removed = forget_settings(store, list(names))
    for name in names:
        note = "forgotten" if name in removed else "was not stored"
        click.echo(f"{name}: {note}", err=True)


def _settings_rows(db: str | None) -> list[dict[str, Any]]:
    """Each setting with the value in force and its origin (stored ones: which command
    set them, and when)."""
    details: dict[str, dict[str, Any]] = {}
    if db is not None:
        with open_db(db) as store:
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
@click.option("--db", "db", type=str, default=None, help=DB_HELP)
@json_option
@click.pass_context
def stages(ctx: click.Context, db: str | None, as_json: bool) -> None:
    """The pipeline's stages in the order they run: what each needs and provides,
    and whether the settings in force (with --db, the database's too) turn it on."""
    from ..pipeline import STAGES

    db = settings_db(ctx, db)
    stored: dict[str, Any] = {}
    if db is not None:
        with open_db(db) as store:
            stored = {k: v["value"] for k, v in stored_details(store).items()}
    current = Settings(stored=stored)
    rows = [{"name": s.name, "enabled": s.enabled(current), "needs": list(s.needs),
             "provides": list(s.provides), "module": s.module, "does": s.summary}
            for s in STAGES]
    if as_json:
        emit(rows)
        return
    for n, r in enumerate(rows, start=1):
        state = "" if r["enabled"] else " (off)"
        click.echo(f"{n}. {r['name']}{state}: {r['does']}")
        click.echo(f"     needs {', '.join(r['needs'])}; provides {', '.join(r['provides'])}")
