"""The map (``/ui/places``) and place pages (``/ui/places/{id}``).

The map plots the places named most (:data:`~newsweave.service.places.MAP_LIMIT`),
clustered; a country filter and a box (``bbox``, where a cluster's link zooms) narrow
it. Below it every place is listed a page at a time with its article and story counts.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query, Request
from starlette.responses import RedirectResponse, Response

from ...service import places as svc
from .. import maps
from ..render import page
from . import page_router, store
from .entity import entity_context

router = page_router()
Id = Annotated[int, Path(ge=1, le=2 ** 63 - 1)]
PER_PAGE = 50


@router.get("/places")
def places(request: Request,
           country: Annotated[str | None, Query(max_length=8)] = None,
           bbox: Annotated[str | None, Query(max_length=120)] = None,
           cursor: Annotated[str | None, Query(max_length=4096)] = None) -> Response:
    """The map of the places named most, and the list of every place."""
    code, box = svc.parse_country(country), svc.parse_bbox(bbox)
    db = store(request)
    # A box (a cluster's link) is shown with a margin: the places in the margin too.
    view = maps.view_of_bbox(*box) if box else None
    shown = view.bbox() if view is not None else None
    plotted = svc.map_places(db, code, shown)
    listed = svc.places_page(db, PER_PAGE, cursor, code, shown)
    drawn = maps.map_view(plotted, request.app.state.newsweave.config.web_tile_url, view=view)
    return page(request, "places.html", {
        "places": plotted, "map_drawn": drawn, "listed": listed["items"],
        "next_cursor": listed["next_cursor"], "countries": svc.place_countries(db),
        "country": code, "bbox": bbox if box else None, "map_limit": svc.MAP_LIMIT,
        "first_page": cursor is None})


@router.get("/places/{entity_id}")
def place(request: Request, entity_id: Id) -> Response:
    """One place: on the map, its stories, articles, aliases (an entity that is not a
    place is sent to its entity page)."""
    try:
        data = svc.place_page(store(request), entity_id)
    except svc.NotAPlace:
        return RedirectResponse(f"/ui/entities/{entity_id}", status_code=307)
    return page(request, "entity.html", entity_context(request, data, as_place=True))
