"""Where the centre of a first-level division is, from the places in it.

GeoNames' admin1 coordinates are not in any package we install; what we have is
every populated place with its admin1 code, and each country's outline (countryinfo's
GeoJSON, coarse). The plain mean of a division's places lies where people live, not
in the middle of the division: Anbar's towns line the Euphrates while most of the
governorate is desert to the south-west, and Texas' or Alaska's places crowd to one
side. So the centre is estimated as the centroid of the division's *Voronoi cells*:
the country's outline is laid over a grid, every grid cell inside it goes to the
division of its nearest place, and each division's centre is the spherical centroid
of its cells. Where the country has no outline or the division got fewer than
:data:`MIN_CELLS` cells (small divisions such as city-states), the spherical mean of
its places is used instead.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

MAX_CELLS = 30_000  # grid cells per country (the step adapts to the country's size)
MIN_STEP, MAX_STEP = 0.05, 0.5  # degrees
MIN_CELLS = 4

Ring = np.ndarray  # (n, 2) array of lon, lat
Polygon = list[Ring]  # outer ring first, then holes
LatLon = tuple[float, float]


def polygons(geojson: Mapping | None) -> list[Polygon]:
    """The polygons of a GeoJSON FeatureCollection (Polygon and MultiPolygon)."""
    out: list[Polygon] = []
    for feature in (geojson or {}).get("features", []):
        geom = feature.get("geometry") or {}
        if geom.get("type") == "Polygon":
            parts = [geom["coordinates"]]
        elif geom.get("type") == "MultiPolygon":
            parts = geom["coordinates"]
        else:
            continue
        for poly in parts:
            rings = [np.asarray(ring, dtype=float)[:, :2] for ring in poly if len(ring) >= 3]
            if rings:
                out.append(rings)
    return out


def spherical_mean(lats: Sequence[float] | np.ndarray, lons: Sequence[float] | np.ndarray,
                   weights: np.ndarray | None = None) -> LatLon:
    """Centroid of points on the sphere (right across the antimeridian too)."""
    lat, lon = np.radians(np.asarray(lats, float)), np.radians(np.asarray(lons, float))
    w = np.ones_like(lat) if weights is None else weights
    x = float(np.sum(w * np.cos(lat) * np.cos(lon)))
    y = float(np.sum(w * np.cos(lat) * np.sin(lon)))
    z = float(np.sum(w * np.sin(lat)))
    return math.degrees(math.atan2(z, math.hypot(x, y))), math.degrees(math.atan2(y, x))


def inside(poly: Polygon, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Even-odd point-in-polygon test for many points (holes included)."""
    inside = np.zeros(lon.shape, dtype=bool)
    for ring in poly:
        xi, yi = ring[:, 0], ring[:, 1]
        xj, yj = np.roll(xi, 1), np.roll(yi, 1)
        for a, b, c, d in zip(xi, yi, xj, yj, strict=True):
            if b == d:
                continue
            crosses = (b > lat) != (d > lat)
            x_at = (c - a) * (lat - b) / (d - b) + a
            inside ^= crosses & (lon < x_at)
    return inside


def grid_cells(shape: list[Polygon]) -> tuple[np.ndarray, np.ndarray]:
    """Centres (lat, lon arrays) of the grid cells inside a country's outline."""
    boxes = [(r[:, 0].min(), r[:, 0].max(), r[:, 1].min(), r[:, 1].max())
             for r in (p[0] for p in shape)]
    area = sum((x1 - x0) * (y1 - y0) for x0, x1, y0, y1 in boxes)
    step = min(MAX_STEP, max(MIN_STEP, math.sqrt(area / MAX_CELLS) if area else MIN_STEP))
    lats, lons = [], []
    for poly, (x0, x1, y0, y1) in zip(shape, boxes, strict=True):
        gx = np.arange(x0 + step / 2, x1, step)
        gy = np.arange(y0 + step / 2, y1, step)
        if not len(gx) or not len(gy):
            continue
        lon, lat = (a.ravel() for a in np.meshgrid(gx, gy))
        keep = inside(poly, lon, lat)
        lats.append(lat[keep])
        lons.append(lon[keep])
    if not lats:
        return np.empty(0), np.empty(0)
    return np.concatenate(lats), np.concatenate(lons)


def _nearest(points: np.ndarray, queries: np.ndarray) -> np.ndarray:
    """Index of the nearest point for every query (planar coordinates)."""
    try:
        from scipy.spatial import cKDTree
    except ImportError:  # scipy comes with reverse_geocoder; numpy fallback anyway
        out = np.empty(len(queries), dtype=np.int64)
        for i in range(0, len(queries), 256):
            chunk = queries[i:i + 256]
            d = ((chunk[:, None, :] - points[None, :, :]) ** 2).sum(-1)
            out[i:i + 256] = d.argmin(1)
        return out
    return cKDTree(points).query(queries)[1]


def voronoi_centres(shape: list[Polygon], lats: np.ndarray, lons: np.ndarray,
                    codes: Sequence[str]) -> dict[str, LatLon]:
    """Centres of the divisions with at least MIN_CELLS grid cells (see module doc)."""
    cell_lat, cell_lon = grid_cells(shape)
    if not len(cell_lat) or not len(lats):
        return {}
    scale = math.cos(math.radians(float(np.mean(lats))))
    nearest = _nearest(np.column_stack([lons * scale, lats]),
                       np.column_stack([cell_lon * scale, cell_lat]))
    owner = np.asarray(codes, dtype=object)[nearest]
    out: dict[str, LatLon] = {}
    for code in set(owner.tolist()):
        mask = owner == code
        if int(mask.sum()) >= MIN_CELLS:
            out[code] = spherical_mean(cell_lat[mask], cell_lon[mask])
    return out


def admin1_centres(places: Iterable[tuple[str, str, float, float]],
                   shapes: Mapping[str, list[Polygon]]) -> dict[tuple[str, str], LatLon]:
    """Centre of every (country, admin1 code) from ``(country, code, lat, lon)`` places."""
    by_country: dict[str, list[tuple[str, float, float]]] = defaultdict(list)
    for country, code, lat, lon in places:
        by_country[country].append((code, lat, lon))
    out: dict[tuple[str, str], LatLon] = {}
    for country, rows in by_country.items():
        codes = np.array([r[0] for r in rows], dtype=object)
        lats = np.array([r[1] for r in rows])
        lons = np.array([r[2] for r in rows])
        shape = shapes.get(country)
        cells = voronoi_centres(shape, lats, lons, codes) if shape else {}
        for code in set(codes.tolist()):
            if code in cells:
                out[country, code] = cells[code]
            else:
                mask = codes == code
                out[country, code] = spherical_mean(lats[mask], lons[mask])
    return out
