"""``newsweave export``: what is stored, as JSON Lines, CSV, GeoJSON or Parquet."""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from ..service import export as service_export
from .base import (
    db_option,
    main,
    open_db,
)


@main.command()
@db_option
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
    from ..export import export as write_export

    chosen = service_export.ExportFilters(type=type_, **filters)
    try:
        service_export.check(what, fmt, chosen)
    except service_export.ExportError as exc:  # a misused option: exit code 2
        raise click.UsageError(str(exc)) from None
    if output == "-" and fmt == "parquet" and sys.stdout.isatty():
        raise click.UsageError("Parquet is binary: give -o FILE or redirect the output")
    with open_db(db) as store:
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
