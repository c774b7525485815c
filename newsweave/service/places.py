"""What the web UI's map and place pages show: the places named in the news with
their article and story counts, by country or inside a box, and one place's page.

Bounded however large the store: the map plots the :data:`MAP_LIMIT` places with
most articles (the rest are in the paginated list), and a place's story count in the
list comes from the articles of its latest
:data:`~newsweave.service.entity_page.LIST_SAMPLE` mentions (``stories_at_least``
says when that may undercount).
"""

from __future__ import annotations

from typing import Any

from ..errors import NotFound
from ..store.base import StoreAPI
from .entity_page import LIST_SAMPLE, BadParameter, entity_page

MAP_LIMIT = 300  # places plotted on the map page
Bbox = tuple[float, float, float, float]


class NotAPlace(NotFound):
    """The entity exists but is not a resolved place (its page is the entity page)."""


def _place_row(r: dict[str, Any]) -> dict[str, Any]:
    return {"id": r["id"], "name": r["ename"], "place_name": r["pname"], "place_id": r["pid"],
            "feature": r["feature"], "country": r["country"], "admin1": r["admin1"],
            "lat": r["lat"], "lon": r["lon"], "articles": r["articles"],
            "mentions": r["mentions"]}


def parse_bbox(text: str | None) -> Bbox | None:
    """``west,south,east,north`` in degrees, checked (a box across the antimeridian
    is not one the map can show); None for none."""
    if not text:
        return None
    try:
        west, south, east, north = (float(v) for v in text.split(","))
    except ValueError:
        raise BadParameter(f"bbox must be four numbers west,south,east,north, "
                           f"not {text!r}") from None
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise BadParameter(f"bbox {text!r} is not west,south,east,north in degrees")
    return west, south, east, north


def parse_country(text: str | None) -> str | None:
    """An ISO 3166-1 alpha-2 code, upper-cased; None for none."""
    if not text:
        return None
    code = text.strip().upper()
    if len(code) != 2 or not code.isalpha():
        raise BadParameter(f"country must be a two-letter ISO code, not {text!r}")
    return code


def map_places(store: StoreAPI, country: str | None = None, bbox: Bbox | None = None,
               limit: int = MAP_LIMIT) -> list[dict[str, Any]]:
    """The places to plot, most articles first: ``{id, name, place_name, place_id,
    feature, country, admin1, lat, lon, articles, mentions}`` (``id`` is the entity's)."""
    page = store.queries.place_entities(limit, None, country=country, bbox=bbox)
    return [_place_row(r) for r in page.rows]


def places_page(store: StoreAPI, limit: int, cursor: str | None = None,
                country: str | None = None, bbox: Bbox | None = None) -> dict[str, Any]:
    """One page of the place list: the fields of :func:`map_places` plus ``stories``
    (and ``stories_at_least``: counted over its latest articles only)."""
    page = store.queries.place_entities(limit, cursor, country=country, bbox=bbox)
    items = [_place_row(r) for r in page.rows]
    counts = {r["entity_id"]: r["stories"]
              for r in store.queries.entity_story_counts([i["id"] for i in items], LIST_SAMPLE)}
    for item in items:
        item["stories"] = counts.get(item["id"], 0)
        item["stories_at_least"] = item["mentions"] > LIST_SAMPLE
    return {"items": items, "next_cursor": page.next_cursor}


def place_countries(store: StoreAPI) -> list[dict[str, Any]]:
    """``[{country, places, articles}]``: the countries with places, most articles first."""
    return store.queries.place_countries()


def place_page(store: StoreAPI, entity_id: int) -> dict[str, Any]:
    """A place's page: its entity page (:func:`~newsweave.service.entity_page.entity_page`)
    whose ``place`` is set; NotFound when the entity is not a resolved place."""
    out = entity_page(store, entity_id)
    if out["place"] is None:
        raise NotAPlace(f"entity {entity_id} ({out['name']}) is not a place on the map")
    return out
