"""The story feed (``/ui/``): the stories, a page at a time."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request
from starlette.responses import Response

from ... import service
from ..render import page
from . import page_router, store

router = page_router()
PER_PAGE = 50


@router.get("/")
def feed(request: Request,
         cursor: Annotated[str | None, Query(max_length=4096)] = None) -> Response:
    """Stories, largest first."""
    got = service.stories_page(store(request), PER_PAGE, cursor)
    return page(request, "feed.html", {"stories": got["items"],
                                       "next_cursor": got["next_cursor"],
                                       "stats": service.summary(store(request))})
