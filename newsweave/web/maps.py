"""The map, drawn on the server as SVG: country outlines that ship with the package
(no tile server, no network), the places of a page as clustered markers, countries
and regions as shaded areas, framed on what it shows.

Coordinates are Web Mercator, in map units where the world is :data:`WORLD` wide
(x from 0 at 180°W, y from 0 at 85.05°N): the same projection as web map tiles, so
the optional tile layer (setting ``web_tile_url``) lines up under the outlines. The
outlines are read and projected once per process (:func:`outlines`); a map then
chooses a view (:func:`frame`), the outlines that cross it, and groups markers that
would overlap at that scale (:func:`cluster`). The template writes the numbers into
an ``<svg viewBox>``: framing is the viewBox, so the outline paths are the same
strings on every page.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from typing import Any
from urllib.parse import urlencode

WORLD = 1000.0                 # the world's width (and height) in map units
MAX_LAT = 85.0511287798        # Web Mercator's edge: the world is square
ASPECT = 0.6                   # a map's height over its width
MIN_SPAN = 14.0 / 360 * WORLD  # a single point still shows its neighbours (~14° wide)
NEAR = 8.0                     # degrees: a place's map also frames the places this near
ZOOM_SPAN = 1.0 / 360 * WORLD  # a cluster's zoomed view is at least ~1° wide
SAME_SPOT = 0.05               # degrees: a cluster this small links to its lead place
PAD = 0.2                      # margin around what a map shows, of its span, each side
WORLD_VIEW = (-170.0, 78.0, 190.0, -58.0)  # west, north, east, south: the world less the poles
NAMED = 12                     # a map of this many markers or fewer writes their names
CLUSTER = 0.03                 # markers closer than this share of the view's width merge
FEATURE_RANK = {"country": 0, "continent": 1, "region": 2, "water": 2, "admin1": 3, "admin2": 4,
                "city": 5}
AREA_KM = {"admin1": 120.0, "admin2": 40.0, "region": 250.0, "water": 250.0, "continent": 1500.0}
EARTH_KM = 40075.0
OUTLINES = "data/maps/countries-110m.geojson"
MAX_TILES = 48


# -- projection -------------------------------------------------------------------
def project(lon: float, lat: float) -> tuple[float, float]:
    """Web Mercator map units of a longitude and latitude (latitude clamped to the
    projection's edge)."""
    lat = max(-MAX_LAT, min(MAX_LAT, lat))
    x = (lon + 180.0) / 360.0 * WORLD
    y = (1.0 - math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / math.pi) / 2 * WORLD
    return x, y


def unproject(x: float, y: float) -> tuple[float, float]:
    """The longitude and latitude of a point in map units."""
    lon = x / WORLD * 360.0 - 180.0
    lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / WORLD))))
    return lon, lat


# -- outlines ---------------------------------------------------------------------
Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in map units


@dataclass(frozen=True)
class Outline:
    """A country's outline: its SVG path in map units, the box of all its parts, and
    the box of its largest part (what a map frames: France without French Guiana)."""

    code: str | None
    name: str
    d: str
    box: Box
    main_box: Box


def _unwrap(ring: Sequence[Sequence[float]]) -> list[tuple[float, float]]:
    """A ring's points with longitudes made continuous: a ring that crosses the
    antimeridian (a jump of over 180°) runs on past 180° instead of across the map."""
    out: list[tuple[float, float]] = []
    shift = 0.0
    for lon, lat in ring:
        if out and abs(lon + shift - out[-1][0]) > 180:
            shift += 360.0 if lon + shift < out[-1][0] else -360.0
        out.append((lon + shift, lat))
    return out


def _path(rings: Iterable[Sequence[Sequence[float]]]) -> tuple[str, list[Box], list[float]]:
    """An SVG path of rings (rounded to 0.1 unit, relative moves keep it short), with
    each ring's box and area. A ring that crosses the antimeridian is drawn twice, a
    world apart, so that both sides of the map show their part."""
    parts, boxes, areas = [], [], []
    for ring in rings:
        lonlats = _unwrap(ring)
        copies = [lonlats]
        if max(lon for lon, _ in lonlats) > 180:
            copies.append([(lon - 360.0, lat) for lon, lat in lonlats])
        elif min(lon for lon, _ in lonlats) < -180:
            copies.append([(lon + 360.0, lat) for lon, lat in lonlats])
        for copy in copies:
            pts = [project(lon, lat) for lon, lat in copy]
            parts.append(_ring_path(pts))
            boxes.append((min(x for x, _ in pts), min(y for _, y in pts),
                          max(x for x, _ in pts), max(y for _, y in pts)))
            areas.append(abs(sum(pts[i - 1][0] * pts[i][1] - pts[i][0] * pts[i - 1][1]
                                 for i in range(len(pts)))) / 2)
    return "".join(parts), boxes, areas


def _ring_path(pts: Sequence[tuple[float, float]]) -> str:
    xs, ys = [round(x * 10) for x, _ in pts], [round(y * 10) for _, y in pts]
    steps = [_pair(xs[i] - xs[i - 1], ys[i] - ys[i - 1]) for i in range(1, len(xs))
             if (xs[i], ys[i]) != (xs[i - 1], ys[i - 1])]
    return f"M{_pair(xs[0], ys[0])}l" + " ".join(steps).replace(" -", "-") + "z"


def _pair(x: int, y: int) -> str:
    """``x y`` of tenths of a unit, as short as SVG allows (``1.5-2``)."""
    dy = f"{y / 10:g}"
    return f"{x / 10:g}{dy if dy.startswith('-') else ' ' + dy}"


def _union(boxes: Iterable[Box]) -> Box:
    b = list(boxes)
    return (min(x[0] for x in b), min(x[1] for x in b), max(x[2] for x in b),
            max(x[3] for x in b))


def outline_of(feature: Mapping[str, Any]) -> Outline:
    """An :class:`Outline` of a GeoJSON country feature (Polygon or MultiPolygon)."""
    geometry = feature["geometry"]
    polygons = (geometry["coordinates"] if geometry["type"] == "MultiPolygon"
                else [geometry["coordinates"]])
    d, boxes, areas = _path(ring for polygon in polygons for ring in polygon)
    props = feature.get("properties") or {}
    main = boxes[max(range(len(areas)), key=areas.__getitem__)]
    return Outline(code=props.get("iso_a2"), name=str(props.get("name", "")), d=d,
                   box=_union(boxes), main_box=main)


@lru_cache(maxsize=1)
def outlines() -> tuple[Outline, ...]:
    """The shipped country outlines, read and projected once per process."""
    text = files("newsweave").joinpath(OUTLINES).read_text(encoding="utf-8")
    return tuple(outline_of(f) for f in json.loads(text)["features"])


@lru_cache(maxsize=1)
def outlines_by_code() -> dict[str, Outline]:
    """The outlines by ISO 3166-1 alpha-2 code."""
    return {o.code: o for o in outlines() if o.code}


# -- framing ----------------------------------------------------------------------
@dataclass(frozen=True)
class View:
    """The part of the world a map shows, in map units."""

    x: float
    y: float
    width: float
    height: float

    @property
    def box(self) -> str:
        """The ``viewBox`` attribute."""
        return f"{self.x:.2f} {self.y:.2f} {self.width:.2f} {self.height:.2f}"

    def crosses(self, box: Box) -> bool:
        """Whether ``box`` overlaps the view."""
        return not (box[2] < self.x or box[0] > self.x + self.width
                    or box[3] < self.y or box[1] > self.y + self.height)

    def bbox(self) -> tuple[float, float, float, float]:
        """The view as ``west, south, east, north`` degrees."""
        west, north = unproject(self.x, self.y)
        east, south = unproject(self.x + self.width, self.y + self.height)
        return west, south, east, north


def _world_box() -> Box:
    west, north, east, south = WORLD_VIEW
    x0, y0 = project(west, north)
    x1, y1 = project(east, south)
    return x0, y0, x1, y1


def frame(boxes: Sequence[Box], min_span: float = MIN_SPAN) -> View:
    """The view that shows every box (points are boxes of no size) with a margin, at
    least ``min_span`` wide, at the map's aspect, inside the world; the world
    (less the poles) when there is nothing to show."""
    if not boxes:
        x0, y0, x1, y1 = _world_box()
        return _fit(x0, y0, x1 - x0, y1 - y0)
    x0, y0, x1, y1 = _union(boxes)
    w, h = x1 - x0, y1 - y0
    w, h = max(w * (1 + 2 * PAD), min_span), max(h * (1 + 2 * PAD), min_span * ASPECT)
    return _fit((x0 + x1 - w) / 2, (y0 + y1 - h) / 2, w, h)


def _fit(x: float, y: float, w: float, h: float) -> View:
    """Widen the smaller side to the map's aspect (about the centre), then keep the
    view inside the world."""
    cx, cy = x + w / 2, y + h / 2
    if h < w * ASPECT:
        h = w * ASPECT
    else:
        w = h / ASPECT
    if w > WORLD:
        w, h = WORLD, WORLD * ASPECT
    h = min(h, WORLD)
    x = min(max(cx - w / 2, 0.0), WORLD - w)
    y = min(max(cy - h / 2, 0.0), WORLD - h)
    return View(x, y, w, h)


# -- markers and clusters ---------------------------------------------------------
@dataclass
class Marker:
    """One marker: a place, or a cluster of places too close to tell apart here."""

    x: float
    y: float
    places: list[Mapping[str, Any]] = field(default_factory=list)
    count: int = 0            # the places' articles (or 0 when none says)

    @property
    def lead(self) -> Mapping[str, Any]:
        """The place the marker is named after (the one with most articles)."""
        return self.places[0]


def place_count(place: Mapping[str, Any]) -> int:
    """A place's weight on the map: its ``count``, else its ``articles`` (a number,
    or a list of article ids), else its ``mentions``, else 0."""
    for key in ("count", "articles", "mentions"):
        value = place.get(key)
        if isinstance(value, bool) or value is None:
            continue
        if isinstance(value, int):
            return value
        if isinstance(value, (list, tuple)):
            return len(value)
    return 0


FEATURE_NAMES = {"country": "country", "admin1": "province or state", "admin2": "district",
                 "city": "city or town", "region": "region", "continent": "continent",
                 "water": "sea, lake or strait"}


def feature_name(feature: Any) -> str:
    """What a gazetteer feature code is called on a page (``admin1``: province or state)."""
    return FEATURE_NAMES.get(str(feature), str(feature or ""))


def has_point(place: Mapping[str, Any]) -> bool:
    """Whether a place has usable coordinates."""
    lat, lon = place.get("lat"), place.get("lon")
    return (isinstance(lat, (int, float)) and isinstance(lon, (int, float))
            and -90 <= lat <= 90 and -180 <= lon <= 180)


def cluster(places: Sequence[Mapping[str, Any]], view: View,
            share: float = CLUSTER) -> list[Marker]:
    """Markers for ``places``: each place joins the first marker whose lead lies
    within ``share`` of the view's width, else starts its own; places are taken
    the page's own place (``current``) first, then by weight, the larger kind of
    place, name and id (so the result is deterministic). Places off the view are
    left out; markers come in the order of their leads."""
    reach = share * view.width
    ordered = sorted((p for p in places if has_point(p)),
                     key=lambda p: (not p.get("current"), -place_count(p),
                                    FEATURE_RANK.get(str(p.get("feature")), 9),
                                    str(p.get("name", "")), str(p.get("id"))))
    markers: list[Marker] = []
    for place in ordered:
        x, y = project(place["lon"], place["lat"])
        if not view.crosses((x, y, x, y)):
            continue
        home = next((m for m in markers if math.hypot(m.x - x, m.y - y) <= reach), None)
        if home is None:
            home = Marker(x, y)
            markers.append(home)
        home.places.append(place)
        home.count += place_count(place)
    return markers


# -- the map a template draws ---------------------------------------------------------
@dataclass(frozen=True)
class Shape:
    """An outline as drawn: its path; when it is one of the page's places, shaded
    and a link to the place's page (``href``, ``label``)."""

    code: str | None
    name: str
    d: str
    href: str = ""
    label: str = ""
    current: bool = False     # the place the page is about

    @property
    def shaded(self) -> bool:
        """Whether the outline is one of the page's places."""
        return bool(self.href)


@dataclass(frozen=True)
class Area:
    """A region with no outline here (a province, a district): a shaded disc."""

    x: float
    y: float
    r: float
    name: str


@dataclass(frozen=True)
class DrawnMarker:
    """A marker as drawn: where, how big, its label (for ``<title>`` and screen
    readers), the link it opens and the number it shows (places in a cluster)."""

    x: float
    y: float
    r: float
    label: str
    href: str
    places: int
    count: int
    name: str = ""            # the name written beside it, when the map has room
    current: bool = False     # it holds the place the page is about


@dataclass(frozen=True)
class Tile:
    """One image of the tile layer, placed in map units."""

    href: str
    x: float
    y: float
    size: float


@dataclass(frozen=True)
class MapView:
    """Everything a template needs to draw one map."""

    view: View
    shapes: list[Shape]
    areas: list[Area]
    markers: list[DrawnMarker]
    tiles: list[Tile]
    plotted: int              # places with coordinates
    label: str                # the map's accessible name

    @property
    def stroke(self) -> float:
        """A line width of about one pixel at this scale (for a ~1000 px wide map)."""
        return round(self.view.width / 1000, 4)

    @property
    def font(self) -> float:
        """The size of the names written on the map, in map units."""
        return round(self.view.width * 0.02, 4)


def _place_box(place: Mapping[str, Any]) -> Box:
    """What framing should show of a place: a country's outline (its largest part),
    else its point."""
    outline = (outlines_by_code().get(str(place.get("country")))
               if place.get("feature") == "country" else None)
    if outline is not None:
        return outline.main_box
    x, y = project(place["lon"], place["lat"])
    return x, y, x, y


def _area(place: Mapping[str, Any]) -> Area | None:
    """A shaded disc for a division or region, sized by its kind."""
    km = AREA_KM.get(str(place.get("feature")))
    if km is None:
        return None
    x, y = project(place["lon"], place["lat"])
    r = km / EARTH_KM * WORLD / max(0.2, math.cos(math.radians(place["lat"])))
    return Area(x, y, r, str(place.get("name", "")))


def _country(code: Any) -> str:
    from .render import country_name

    return country_name(code) if code else ""


def marker_label(marker: Marker) -> str:
    """What a marker is called: ``Baghdad, Iraq: 12 articles``, or for a cluster
    ``3 places around Baghdad: Baghdad, Baqubah, Samarra``."""
    lead = marker.lead
    counted = f": {marker.count} article{'s' if marker.count != 1 else ''}" if marker.count else ""
    if len(marker.places) == 1:
        where = _country(lead.get("country"))
        name = str(lead.get("name", ""))
        return f"{name}{', ' + where if where and where != name else ''}{counted}"
    names = ", ".join(str(p.get("name", "")) for p in marker.places[:6])
    more = f" and {len(marker.places) - 6} more" if len(marker.places) > 6 else ""
    return f"{len(marker.places)} places around {lead.get('name', '')}{counted} ({names}{more})"


def marker_href(marker: Marker, link: str) -> str:
    """A single place's page; for a cluster, the map zoomed on its places (its lead
    place's page when they all sit on one spot)."""
    lons = [float(p["lon"]) for p in marker.places]
    lats = [float(p["lat"]) for p in marker.places]
    if max(max(lons) - min(lons), max(lats) - min(lats)) < SAME_SPOT:
        return f"/ui/places/{marker.lead.get('id')}"
    # rounded outwards, so that the box still holds every place of the cluster
    west, south = math.floor(min(lons) * 1000) / 1000, math.floor(min(lats) * 1000) / 1000
    east, north = math.ceil(max(lons) * 1000) / 1000, math.ceil(max(lats) * 1000) / 1000
    bbox = f"{west:.3f},{south:.3f},{east:.3f},{north:.3f}"
    return f"{link}?{urlencode({'bbox': bbox})}"


def _drawn(markers: Sequence[Marker], view: View, link: str) -> list[DrawnMarker]:
    top = max((m.count for m in markers), default=0) or 1
    base = view.width * 0.009
    named = len(markers) <= NAMED
    out = []
    for m in markers:
        grow = 1.2 * math.sqrt(m.count / top) if m.count else 0.0
        bonus = 0.5 if len(m.places) > 1 else 0.0
        name = str(m.lead.get("name", "")) + (" …" if len(m.places) > 1 else "")
        out.append(DrawnMarker(x=round(m.x, 3), y=round(m.y, 3),
                               r=round(base * (1 + grow + bonus), 3),
                               label=marker_label(m), href=marker_href(m, link),
                               places=len(m.places), count=m.count,
                               name=name if named else "",
                               current=any(p.get("current") for p in m.places)))
    return out


def usable_tile_url(url: str) -> bool:
    """Whether ``url`` is a tile template the map can use."""
    return (url.startswith(("http://", "https://"))
            and all(part in url for part in ("{z}", "{x}", "{y}")))


def _tile_count(view: View, size: float) -> int:
    return (math.ceil(view.width / size) + 1) * (math.ceil(view.height / size) + 1)


def tiles(view: View, url: str, pixels: float = 1000.0) -> list[Tile]:
    """The web map tiles under ``view`` at the zoom that gives about ``pixels`` across
    it (``{z}``, ``{x}``, ``{y}`` and ``{s}`` filled in; none for an empty ``url``, nor
    for one that is not an http(s) template with ``{z}``, ``{x}`` and ``{y}``, which
    the page's security policy would refuse or which names no tile)."""
    if not usable_tile_url(url):
        return []
    zoom = max(0, min(18, round(math.log2(pixels * WORLD / (256 * view.width)))))
    n = 2 ** zoom
    size = WORLD / n
    while zoom > 0 and _tile_count(view, size) > MAX_TILES:
        zoom, n = zoom - 1, n // 2
        size = WORLD / n
    out = []
    for ty in range(max(0, int(view.y // size)), min(n, int((view.y + view.height) // size) + 1)):
        for tx in range(int(view.x // size), int((view.x + view.width) // size) + 1):
            href = (url.replace("{z}", str(zoom)).replace("{x}", str(tx % n))
                    .replace("{y}", str(ty)).replace("{s}", "abc"[(tx + ty) % 3])
                    .replace("{r}", ""))
            out.append(Tile(href, tx * size, ty * size, size))
    return out


def _country_key(place: Mapping[str, Any]) -> str:
    return str(place.get("country") or "") if place.get("feature") == "country" else ""


def _country_places(plotted: Sequence[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    """The country places that have an outline, by code (the heaviest one of a code):
    their outline is their marker."""
    out: dict[str, Mapping[str, Any]] = {}
    by_code = outlines_by_code()
    for place in sorted(plotted, key=lambda p: (not p.get("current"), -place_count(p))):
        code = _country_key(place)
        if code in by_code and code not in out:
            out[code] = place
    return out


def _shape(outline: Outline, place: Mapping[str, Any] | None) -> Shape:
    if place is None:
        return Shape(outline.code, outline.name, outline.d)
    count = place_count(place)
    counted = f": {count} article{'s' if count != 1 else ''}" if count else ""
    return Shape(outline.code, outline.name, outline.d, href=f"/ui/places/{place.get('id')}",
                 label=f"{place.get('name', outline.name)} (country){counted}",
                 current=bool(place.get("current")))


def map_view(places: Iterable[Mapping[str, Any]], tile_url: str = "",
             link: str = "/ui/places", view: View | None = None) -> MapView:
    """The map of ``places`` (dicts with ``id, name, lat, lon, country, feature`` and
    maybe a count): framed on them unless ``view`` is given, countries they name
    shaded, divisions and regions as discs, nearby markers clustered, the outlines
    that cross the view, and the tiles of ``tile_url`` when set."""
    plotted = [p for p in places if has_point(p)]
    view = view or frame([_place_box(p) for p in plotted])
    countries = _country_places(plotted)
    shapes = [_shape(o, countries.get(o.code or "")) for o in outlines() if view.crosses(o.box)]
    points = [p for p in plotted if _country_key(p) not in countries
              or countries[_country_key(p)] is not p]
    areas = [a for a in (_area(p) for p in points) if a is not None]
    markers = _drawn(cluster(points, view), view, link)
    label = (f"Map of {len(plotted)} place{'s' if len(plotted) != 1 else ''}"
             if plotted else "World map (no place to show)")
    return MapView(view=view, shapes=shapes, areas=areas, markers=markers,
                   tiles=tiles(view, tile_url), plotted=len(plotted), label=label)


def view_of_bbox(west: float, south: float, east: float, north: float) -> View:
    """The view framing a ``west, south, east, north`` box (a cluster's link), close
    enough that the cluster's places come apart."""
    x0, y0 = project(west, north)
    x1, y1 = project(east, south)
    return frame([(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))], ZOOM_SPAN)


def entity_places(entity: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The places of an entity's page: the entity itself when it is a place (marked
    ``current``), then the places named with it (``count``: articles naming both)."""
    out = []
    place = entity.get("place")
    if place is not None:
        out.append({"id": entity["id"], "name": entity["name"], "current": True,
                    "count": entity.get("articles", 0), **_where(place)})
    out += [{"id": c["id"], "name": c["name"], "count": c["articles"], **_where(c["place"])}
            for c in entity.get("co_occurring", []) if c.get("place")]
    return out


def entity_map(entity: Mapping[str, Any], tile_url: str = "") -> MapView | None:
    """The map of an entity's page (:func:`entity_places`): framed on the place when
    the entity is one, else on the places named with it; None when there is nothing
    to plot."""
    places = entity_places(entity)
    if not any(has_point(p) for p in places):
        return None
    own = places[0] if places[0].get("current") else None
    if own is not None and has_point(own):
        return map_view(places, tile_url, view=frame(_boxes_around(own, places[1:])))
    return map_view(places, tile_url)


def _boxes_around(own: Mapping[str, Any], others: Sequence[Mapping[str, Any]]) -> list[Box]:
    """What a place's map frames: the place, and the other places within
    :data:`NEAR` degrees of a city or division (a country frames itself)."""
    boxes = [_place_box(own)]
    if own.get("feature") == "country":
        return boxes
    for p in others:
        if (has_point(p) and p.get("feature") != "country"
                and abs(p["lat"] - own["lat"]) <= NEAR and abs(p["lon"] - own["lon"]) <= NEAR):
            boxes.append(_place_box(p))
    return boxes


def _where(place: Mapping[str, Any]) -> dict[str, Any]:
    return {k: place.get(k) for k in ("lat", "lon", "country", "feature")}
