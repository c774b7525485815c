"""Entity pages (``/ui/entities``, ``/ui/entities/{id}``): the list by type or name,
and one entity's aliases by language, mentions over time, co-occurring entities,
stories, and quotes by it and about it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Query, Request
from starlette.responses import Response

from ...service import entity_page as svc
from .. import charts, maps
from ..render import page
from . import page_router, store

router = page_router()
Id = Annotated[int, Path(ge=1, le=2 ** 63 - 1)]
PER_PAGE = 100


@router.get("/entities")
def entities(request: Request,
             type: Annotated[str | None, Query(max_length=8)] = None,  # noqa: A002
             q: Annotated[str | None, Query(max_length=200)] = None,
             cursor: Annotated[str | None, Query(max_length=4096)] = None) -> Response:
    """Entities, most articles first: of one type, or whose name starts with ``q``."""
    type_ = type or None
    name = (q or "").strip() or None
    got = svc.entity_list(store(request), PER_PAGE, cursor, type_=type_, name=name)
    return page(request, "entities.html", {
        "entities": got["items"], "next_cursor": got["next_cursor"], "type": type_,
        "q": name or "", "types": svc.TYPES})


@router.get("/entities/{entity_id}")
def entity(request: Request, entity_id: Id) -> Response:
    """One entity: aliases, mentions over time, co-occurring entities, stories, quotes."""
    data = svc.entity_page(store(request), entity_id)
    return page(request, "entity.html", entity_context(request, data, as_place=False))


def entity_context(request: Request, data: dict[str, Any], as_place: bool) -> dict[str, Any]:
    """What entity.html needs: the entity, its chart's bars and its map."""
    tile_url = request.app.state.newsweave.config.web_tile_url
    return {"entity": data, "as_place": as_place, "bars": timeline_bars(data["timeline"]),
            "entity_map": maps.entity_map(data, tile_url),
            "entity_places": maps.entity_places(data)}


def timeline_bars(timeline: dict[str, Any]) -> list[charts.Bar]:
    """The bars of an entity's mentions over time (``entity.timeline``), in a chart 600
    wide; a few bars stay narrow (40 at most) rather than fill it."""
    buckets = timeline["buckets"]
    return charts.bars([(b["label"], b["n"]) for b in buckets],
                       width=min(600, 40 * len(buckets)), height=120,
                       gap=1 if len(buckets) < 60 else 0.2)
