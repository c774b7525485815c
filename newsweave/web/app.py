"""Mounting the web UI on the REST API's app: the pages under ``/ui/``, their static
files under ``/ui/static/``, the security headers on both, and ``/`` sending a
browser to the story feed."""

from __future__ import annotations

from importlib.resources import files
from typing import Any

from fastapi import FastAPI
from starlette.responses import RedirectResponse
from starlette.staticfiles import StaticFiles

from .pages import article, entity, feed, ingest, places, search, story
from .security import SecurityHeaders, content_security_policy

PREFIX = "/ui"
PAGE_MODULES = (feed, story, article, entity, places, search, ingest)


def mount(app: FastAPI, config: Any) -> None:
    """Add the web UI to ``app`` (whose ``state.newsweave`` is the API's state)."""
    static = str(files("newsweave").joinpath("web/static"))
    app.mount(f"{PREFIX}/static", StaticFiles(directory=static), name="ui-static")
    for module in PAGE_MODULES:
        app.include_router(module.router, prefix=PREFIX)

    async def home() -> RedirectResponse:
        return RedirectResponse(f"{PREFIX}/", status_code=307)

    app.add_api_route("/", home, include_in_schema=False)
    app.add_middleware(SecurityHeaders, prefix=PREFIX,
                       csp=content_security_policy(config.web_tile_url))
