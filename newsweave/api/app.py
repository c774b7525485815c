"""The app factory: :func:`create_app` builds the FastAPI app from a :class:`ServeConfig`.

- **reads**: one read-only store, opened on first use, whose every request thread
  reads through a connection of its own (SQLite: ``mode=ro`` connections; PostgreSQL:
  one connection per thread): a pool as large as FastAPI's thread pool;
- **writes**: ``POST /ingest`` needs ``Authorization: Bearer <token>``; the token is
  compared in constant time (:func:`hmac.compare_digest`); with no token configured,
  or in read-only mode, the API takes no writes at all. Accepted documents go to the
  one writer thread (:mod:`.writer`);
- **errors**: RFC 9457 problems (:mod:`.problems`), declared in the OpenAPI document;
- **docs**: ``/openapi.json``, and Swagger UI at ``/docs`` and ReDoc at ``/redoc``
  whose scripts and styles are served by the app itself (the ``fastapi-offline``
  package ships them), so they work offline.
"""

from __future__ import annotations

import asyncio
import hmac
import os
import threading
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from .. import __version__
from ..errors import StoreError
from ..ingest import Fetcher
from ..settings import Settings
from ..store.base import StoreAPI
from ..store.open import open_store
from ..store.postgres import is_postgres_url
from ..web import mount as mount_web
from . import problems, schemas
from .problems import ApiProblem, Problem, responses
from .routes import router
from .searching import SearchTools
from .writer import Writer, WriterBusy

DEFAULT_TOKEN_ENV = "NEWSWEAVE_API_TOKEN"


@dataclass(frozen=True)
class ServeConfig:
    """What ``newsweave serve`` serves, and how: the database, the write token (empty:
    no writes), read-only mode, the CORS origins, the most documents per ingest, and
    the ``--set`` values the writer's ingests use (not stored with the database)."""

    db: str
    token: str = field(default="", repr=False)
    read_only: bool = False
    cors_origins: tuple[str, ...] = ()
    max_records: int = 1000
    web_reader_lang: str = "en"
    web_tile_url: str = ""
    flags: Mapping[str, Any] = field(default_factory=dict)

    @property
    def writes_enabled(self) -> bool:
        return bool(self.token) and not self.read_only

    @classmethod
    def from_settings(cls, db: str, settings: Settings, token_env: str | None = None,
                      read_only: bool = False, flags: Mapping[str, Any] | None = None
                      ) -> ServeConfig:
        """The config from the settings table (``api_*``); ``token_env`` names an
        environment variable to read the token from instead of ``api_token``; ``flags``
        (``--set``) also apply to the writer's ingests."""
        token = os.environ.get(token_env, "") if token_env else settings.api_token
        origins = tuple(o.strip() for o in settings.api_cors_origins.split(",") if o.strip())
        return cls(db=db, token=token, read_only=read_only or settings.api_read_only,
                   cors_origins=origins, max_records=settings.api_max_records,
                   web_reader_lang=settings.web_reader_lang,
                   web_tile_url=settings.web_tile_url, flags=dict(flags or {}))


class ApiState:
    """What the app holds: its config, its read-only store and its writer."""

    def __init__(self, config: ServeConfig, fetcher: Fetcher | None = None) -> None:
        self.config = config
        self.backend = "postgresql" if is_postgres_url(config.db) else "sqlite"
        self._reader: StoreAPI | None = None
        self._opening = threading.Lock()
        self._search: SearchTools | None = None
        self._loading = threading.Lock()
        self.writer = (Writer(config.db, config.flags, fetcher) if config.writes_enabled
                       else None)

    def reader(self) -> StoreAPI:
        """The read-only store, opened on first use (a database that is not there yet
        answers 503 until it is)."""
        reader = self._reader
        if reader is not None:
            return reader
        with self._opening:
            if self._reader is None:
                self._reader = open_store(self.config.db, readonly=True)
            return self._reader

    def search_tools(self) -> SearchTools:
        """The embedder and language identifier of the search endpoints, loaded on the
        first search."""
        tools = self._search
        if tools is not None:
            return tools
        with self._loading:
            if self._search is None:
                self._search = SearchTools.load(self.reader())
            return self._search

    def prepare(self) -> None:
        """Create the database now when it is missing and the API may write to it, so
        that reads work at once (an existing one is left alone: another process may be
        writing to it, and the writer takes the lock at the first ingest)."""
        if self.writer is None:
            return
        try:
            self.reader()
        except StoreError:
            open_store(self.config.db).close()

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        with self._opening:
            if self._reader is not None:
                try:
                    self._reader.close()
                except Exception:  # noqa: BLE001 - a connection of another thread; exiting
                    pass
                self._reader = None


_bearer = HTTPBearer(auto_error=False, description="The token set with api_token or "
                     "--token-env; without one the API takes no writes.")


def require_writer(request: Request, credentials: Annotated[
        HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> Writer:
    """The writer, for a request that carries the right token; else a problem."""
    state: ApiState = request.app.state.newsweave
    if state.config.read_only:
        raise ApiProblem(403, "read-only", "this server is read-only: it takes no writes")
    if state.writer is None:
        raise ApiProblem(403, "writes-disabled", "this server has no write token "
                         "configured (api_token or --token-env), so it takes no writes")
    given = credentials.credentials if credentials is not None else ""
    if not hmac.compare_digest(given.encode("utf-8"), state.config.token.encode("utf-8")):
        raise ApiProblem(401, "unauthorized",
                         "POST /ingest needs the header 'Authorization: Bearer <token>' "
                         "with the server's token", headers={"WWW-Authenticate": "Bearer"})
    return state.writer


async def ingest(request: Request, body: schemas.IngestRequest,
                 writer: Annotated[Writer, Depends(require_writer)]) -> dict[str, Any]:
    """Ingest documents (JSON records with a ``text``, or an http(s) ``url`` alone,
    which the server fetches), through the server's one writer; answers with the ingest
    report, skipped documents and their reasons included."""
    limit = request.app.state.newsweave.config.max_records
    if len(body.documents) > limit:
        raise ApiProblem(413, "too-many-documents", f"{len(body.documents)} documents; "
                         f"one request may carry at most {limit} (api_max_records)")
    documents = [d.model_dump(exclude_none=True) for d in body.documents]
    try:
        future = writer.submit(documents)
    except WriterBusy as exc:
        raise ApiProblem(503, "busy", str(exc), headers={"Retry-After": "5"}) from None
    try:
        return await asyncio.wrap_future(future)
    except StoreError as exc:
        raise ApiProblem(503, "store-unavailable", str(exc)) from None


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document, with the Problem schema the error responses refer to."""
    if app.openapi_schema is None:
        from fastapi.openapi.utils import get_openapi

        doc = get_openapi(title=app.title, version=app.version, description=app.description,
                          routes=app.routes)
        doc.setdefault("components", {}).setdefault("schemas", {})["Problem"] = \
            Problem.model_json_schema()
        app.openapi_schema = doc
    return app.openapi_schema


def create_app(config: ServeConfig, *, fetcher: Fetcher | None = None) -> FastAPI:
    """The REST API over ``config.db`` (docs/api.md). ``fetcher`` is the network seam
    of the documents given by URL (tests); by default the safe fetcher of the
    settings."""
    from fastapi_offline import FastAPIOffline

    state = ApiState(config, fetcher)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await asyncio.to_thread(state.prepare)
        try:
            yield
        finally:
            await asyncio.to_thread(state.close)

    app = FastAPIOffline(
        title="newsweave", version=__version__, lifespan=lifespan,
        static_url="/docs/static", docs_url="/docs", redoc_url="/redoc",
        description="Stories, articles, entities, places, quotes and claims of a "
                    "newsweave database. Errors are RFC 9457 problem details.")
    app.state.newsweave = state
    problems.install(app)
    app.include_router(router)
    app.add_api_route("/ingest", ingest, methods=["POST"], tags=["write"],
                      response_model=schemas.IngestReport,
                      responses=responses(400, 401, 403, 413, 422, 500, 503))
    if config.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(config.cors_origins),
                           allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type"])
    mount_web(app, config)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app
