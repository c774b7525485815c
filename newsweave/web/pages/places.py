"""The map (``/ui/places``) and place pages (``/ui/places/{id}``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Request
from starlette.responses import Response

from ... import service
from ..render import page
from . import page_router, store

router = page_router()
Id = Annotated[int, Path(ge=1, le=2 ** 63 - 1)]


@router.get("/places")
def places(request: Request) -> Response:
    """Every resolved place."""
    return page(request, "places.html", {"places": service.list_places(store(request), 1000)})


@router.get("/places/{entity_id}")
def place(request: Request, entity_id: Id) -> Response:
    """One place and its stories."""
    return page(request, "entity.html",
                {"entity": service.get_entity(store(request), entity_id)})
