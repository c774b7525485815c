"""An article's page (``/ui/articles/{id}``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Request
from starlette.responses import Response

from ...service import storypage
from ..render import page
from . import page_router, store

router = page_router()
Id = Annotated[int, Path(ge=1, le=2 ** 63 - 1)]


@router.get("/articles/{article_id}")
def article(request: Request, article_id: Id) -> Response:
    """One article: its cleaned text, highlighted, and its provenance."""
    return page(request, "article.html",
                {"article": storypage.article_page(store(request), article_id)})
