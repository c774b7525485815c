"""The page routes, one module per page group, each with an :func:`page_router`.

Every page handler reads through the app's read-only store (``store(request)``) and
the service layer, and answers HTML; a missing record, a bad parameter or an
unavailable database is an HTML error page with its status, never a traceback."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.responses import Response

from ...errors import NewsweaveError, NotFound, StoreError
from ...store.base import StoreAPI
from ..render import page

log = logging.getLogger(__name__)


def store(request: Request) -> StoreAPI:
    """The app's read-only store."""
    return request.app.state.newsweave.reader()


def error_page(request: Request, status: int, title: str, detail: str) -> Response:
    """An HTML error page."""
    return page(request, "error.html", {"title": title, "detail": detail}, status=status)


def _validation_detail(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err.get("loc", ())[1:]) or "request"
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


class PageRoute(APIRoute):
    """A route whose errors are pages: 404 for a missing record, 400 for bad
    parameters, 503 when the database cannot be read, 500 (logged) otherwise."""

    def get_route_handler(self) -> Callable[[Request], Awaitable[Response]]:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            try:
                return await handler(request)
            except NotFound as exc:
                return error_page(request, 404, "Not found", str(exc))
            except RequestValidationError as exc:
                return error_page(request, 400, "Bad request", _validation_detail(exc))
            except StoreError as exc:
                return error_page(request, 503, "Database unavailable", str(exc))
            except NewsweaveError as exc:
                return error_page(request, 400, "Cannot do that", str(exc))
            except Exception:  # noqa: BLE001 - logged, and the user gets a page
                log.exception("page %s failed", request.url.path)
                return error_page(request, 500, "Something went wrong",
                                  "The page could not be made; the server log says why.")

        return guarded


def page_router() -> APIRouter:
    """A router for pages: HTML errors, and nothing of it in the OpenAPI document."""
    return APIRouter(route_class=PageRoute, include_in_schema=False)


Context = dict[str, Any]
