"""The search page (``/ui/search``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request
from starlette.responses import Response

from ...service import search as service_search
from ..render import page
from . import page_router, store

router = page_router()


@router.get("/search")
def search(request: Request, q: Annotated[str, Query(max_length=1000)] = "") -> Response:
    """Hybrid search over the articles."""
    result = None
    if q.strip():
        tools = request.app.state.newsweave.search_tools()
        result = service_search.search(store(request), q, limit=20, embedder=tools.embedder,
                                       identifier=tools.identifier)
    return page(request, "search.html", {"q": q, "result": result})
