"""RFC 9457 problem details: every 4xx and 5xx answer is ``application/problem+json``.

``{type, title, status, detail}`` (and ``errors`` for a request that failed
validation): ``type`` is a URI naming the kind of problem, ``title`` its short
summary, ``detail`` what was wrong with this request, in words a user can act on.
No traceback ever reaches a client; an unexpected error is logged and answered with
a plain 500 problem.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import BadCursor, BadFilter, ConfigError, NewsweaveError, NotFound, StoreError

log = logging.getLogger(__name__)

MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "https://newsweave.invalid/problems/"  # names, not pages: see docs/api.md


class Problem(BaseModel):
    """An RFC 9457 problem details object."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str
    errors: list[dict[str, Any]] | None = None


class ApiProblem(Exception):
    """Raised by a route: answered as a problem with this status, kind and detail."""

    def __init__(self, status: int, kind: str, detail: str,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status, self.kind, self.detail, self.headers = status, kind, detail, headers


def problem(status: int, kind: str, detail: str, headers: dict[str, str] | None = None,
            **extra: Any) -> JSONResponse:
    """A problem+json response."""
    body = {"type": TYPE_BASE + kind, "title": HTTPStatus(status).phrase, "status": status,
            "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI ``responses`` entries of a route's problems."""
    return {status: {"description": HTTPStatus(status).phrase,
                     "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}}
            for status in statuses}


def _validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    """Each failed check: where (``query.limit``), and what was wrong; the input value is
    not echoed back (a 10,000-character parameter stays out of the answer)."""
    return [{"loc": ".".join(str(p) for p in err.get("loc", ())), "msg": err.get("msg", ""),
             "type": err.get("type", "")} for err in exc.errors()]


def install(app: FastAPI) -> None:
    """Answer every error raised while serving as a problem."""

    @app.exception_handler(ApiProblem)
    async def _api(_: Request, exc: ApiProblem) -> JSONResponse:
        return problem(exc.status, exc.kind, exc.detail, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = _validation_errors(exc)
        detail = "; ".join(f"{e['loc']}: {e['msg']}" for e in errors[:5]) or "invalid request"
        return problem(422, "invalid-request", detail, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        kind = "not-found" if exc.status_code == 404 else "http-error"
        detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
        return problem(exc.status_code, kind, detail, getattr(exc, "headers", None))

    @app.exception_handler(NotFound)
    async def _not_found(_: Request, exc: NotFound) -> JSONResponse:
        return problem(404, "not-found", str(exc))

    @app.exception_handler(BadCursor)
    async def _cursor(_: Request, exc: BadCursor) -> JSONResponse:
        return problem(400, "invalid-cursor", str(exc))

    @app.exception_handler(ValueError)
    @app.exception_handler(BadFilter)  # a NewsweaveError too: the first handler would be 500
    async def _bad_value(_: Request, exc: ValueError) -> JSONResponse:
        return problem(400, "invalid-parameter", str(exc))

    @app.exception_handler(StoreError)
    async def _store(_: Request, exc: StoreError) -> JSONResponse:
        return problem(503, "store-unavailable", str(exc))

    @app.exception_handler(NewsweaveError)
    async def _newsweave(_: Request, exc: NewsweaveError) -> JSONResponse:
        status = 400 if isinstance(exc, ConfigError) else 500
        return problem(status, "invalid-request" if status == 400 else "internal-error",
                       str(exc))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.error("unexpected error serving %s %s", request.method, request.url.path,
                  exc_info=exc)
        return problem(500, "internal-error", "unexpected error; it was logged on the server")
