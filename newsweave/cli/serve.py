"""``newsweave serve``: the REST API with uvicorn."""

from __future__ import annotations

import os
from pathlib import Path

import click

from ..errors import StoreError
from ..settings import Settings
from ..store.postgres import is_postgres_url
from .base import (
    db_option,
    flags_of,
    main,
    set_option,
)


@main.command()
@db_option
@set_option
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

    from ..api import ServeConfig, create_app

    flags = flags_of(overrides)
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
