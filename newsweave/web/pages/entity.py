"""Entity pages (``/ui/entities``, ``/ui/entities/{id}``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query, Request
from starlette.responses import Response

from ... import service
from ..render import page
from . import page_router, store

router = page_router()
Id = Annotated[int, Path(ge=1, le=2 ** 63 - 1)]
PER_PAGE = 100


@router.get("/entities")
def entities(request: Request,
             cursor: Annotated[str | None, Query(max_length=4096)] = None) -> Response:
    """Entities, most articles first."""
    got = service.entities_page(store(request), PER_PAGE, cursor)
    return page(request, "entities.html", {"entities": got["items"],
                                           "next_cursor": got["next_cursor"]})


@router.get("/entities/{entity_id}")
def entity(request: Request, entity_id: Id) -> Response:
    """One entity: aliases, mentions, co-occurring entities, stories."""
    return page(request, "entity.html",
                {"entity": service.get_entity(store(request), entity_id)})
