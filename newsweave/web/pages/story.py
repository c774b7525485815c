"""A story's page (``/ui/stories/{id}``) and all its articles in one language, a page
at a time (``/ui/stories/{id}/articles?lang=..``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query, Request
from starlette.responses import Response

from ...service import storypage
from ..render import page
from . import page_router, store

router = page_router()
Id = Annotated[int, Path(ge=1, le=2 ** 63 - 1)]
PER_PAGE = 100


@router.get("/stories/{story_id}")
def story(request: Request, story_id: Id) -> Response:
    """One story: its summary, articles by language, timeline, places, entities,
    quotes, claims and related stories."""
    reader = request.app.state.newsweave.config.web_reader_lang
    return page(request, "story.html",
                {"story": storypage.story_page(store(request), story_id, reader)})


@router.get("/stories/{story_id}/articles")
def story_articles(request: Request, story_id: Id,
                   lang: Annotated[str, Query(min_length=1, max_length=16)],
                   cursor: Annotated[str | None, Query(max_length=4096)] = None) -> Response:
    """Every article of the story in one language, a hundred at a time."""
    got = storypage.story_language_page(store(request), story_id, lang, PER_PAGE, cursor)
    return page(request, "story_articles.html", {"group": got})
