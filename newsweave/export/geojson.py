"""GeoJSON (RFC 7946): one FeatureCollection, a Point feature per row that has
coordinates (``lat`` and ``lon`` columns), its other columns as properties.

Written as the rows come: the collection's head, the features one per line, its
tail, so the file is valid GeoJSON however many rows there are (none included).
Rows with no coordinates (an entity that is not a place, a claim that names no
place) cannot be features: they are left out and counted in :class:`Written`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, BinaryIO

from ..service.export import Column
from .common import Written, json_text

HEAD = b'{"type":"FeatureCollection","features":[\n'
TAIL = b"\n]}\n"


def feature(row: dict[str, Any]) -> dict[str, Any] | None:
    """A row as a Point feature with its id; None when it has no coordinates."""
    lat, lon = row.get("lat"), row.get("lon")
    if lat is None or lon is None:
        return None
    properties = {k: v for k, v in row.items() if k not in ("lat", "lon")}
    out: dict[str, Any] = {"type": "Feature"}
    if row.get("id") is not None:
        out["id"] = row["id"]
    out["geometry"] = {"type": "Point", "coordinates": [lon, lat]}
    out["properties"] = properties
    return out


def write(rows: Iterable[dict[str, Any]], columns: tuple[Column, ...],
          out: BinaryIO) -> Written:
    """The collection; rows without coordinates counted in ``left_out``."""
    if not {"lat", "lon"} <= {c.name for c in columns}:
        raise ValueError("GeoJSON needs lat and lon columns")
    written = Written()
    out.write(HEAD)
    for row in rows:
        item = feature(row)
        if item is None:
            written.left_out += 1
            continue
        out.write((b",\n" if written.rows else b"") + json_text(item).encode("utf-8"))
        written.rows += 1
    out.write(TAIL)
    return written
