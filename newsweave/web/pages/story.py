"""A story's page (``/ui/stories/{id}``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Request
from starlette.responses import Response

from ... import service
from ..render import page
from . import page_router, store

router = page_router()
Id = Annotated[int, Path(ge=1, le=2 ** 63 - 1)]


@router.get("/stories/{story_id}")
def story(request: Request, story_id: Id) -> Response:
    """One story: its articles by language, timeline, places, entities, quotes, claims."""
    got = service.get_story(store(request), story_id)
    by_lang: dict[str, list] = {}
    for a in got["articles"]:
        by_lang.setdefault(a["lang"], []).append(a)
    return page(request, "story.html", {"story": got, "by_lang": by_lang})
