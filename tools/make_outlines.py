"""Write ``newsweave/data/maps/countries-110m.geojson``: the country outlines the web
UI's map draws, so the map needs no tile server and no network.

Source: Natural Earth's 1:110m Admin 0 countries (public domain), as redistributed
in TopoJSON by the npm package ``world-atlas`` (ISC licence). Get it with
``npm pack world-atlas@2.0.2`` and pass the tarball (or its unpacked
``countries-110m.json``)::

    python tools/make_outlines.py world-atlas-2.0.2.tgz

The TopoJSON arcs are decoded into one GeoJSON feature per country, keyed by its
ISO 3166-1 alpha-2 code (from the numeric id Natural Earth gives, through
pycountry; Kosovo is ``XK`` as in GeoNames; the two territories without a code keep
none). Coordinates are rounded to 0.01° (about 1 km, finer than the 1:110m data)
and points that rounding merges are dropped, which keeps the file near 150 KB.
"""

from __future__ import annotations

import argparse
import json
import sys
import tarfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pycountry

OUT = Path(__file__).resolve().parents[1] / "newsweave" / "data" / "maps" / "countries-110m.geojson"
MEMBER = "package/countries-110m.json"
DIGITS = 2
# Natural Earth names without an ISO numeric id in world-atlas: Kosovo has the code
# GeoNames (and so our gazetteer) uses; N. Cyprus and Somaliland have none.
NO_NUMERIC = {"Kosovo": "XK"}

Ring = list[list[float]]


def read_topology(path: Path) -> dict[str, Any]:
    """The TopoJSON document in ``path``: the world-atlas tarball or the JSON itself."""
    if path.name.endswith((".tgz", ".tar.gz")):
        with tarfile.open(path) as tar:
            member = tar.extractfile(MEMBER)
            if member is None:
                raise SystemExit(f"{path} has no {MEMBER}")
            return json.load(member)
    return json.loads(path.read_text(encoding="utf-8"))


def decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """Every arc as absolute (lon, lat) points: undo the delta encoding and the
    quantisation of TopoJSON's ``transform``."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(indexes: Sequence[int], arcs: list[list[tuple[float, float]]]) -> Ring:
    """One closed ring from arc indexes (``~i`` is arc ``i`` reversed), rounded, with
    the points that rounding makes repeat dropped."""
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    out: Ring = []
    for lon, lat in points:
        point = [round(lon, DIGITS), round(lat, DIGITS)]
        if not out or point != out[-1]:
            out.append(point)
    if out and out[0] != out[-1]:
        out.append(out[0])
    return out


def polygons(geometry: dict[str, Any], arcs: list[list[tuple[float, float]]]) -> list[list[Ring]]:
    """The geometry's polygons (each a list of rings), rings of under four points left out."""
    parts = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    out = []
    for part in parts:
        rings = [r for r in (ring(indexes, arcs) for indexes in part) if len(r) >= 4]
        if rings:
            out.append(rings)
    return out


def iso_a2(geometry: dict[str, Any]) -> str | None:
    """The alpha-2 code of a country, from its ISO numeric id."""
    name = geometry.get("properties", {}).get("name", "")
    if name in NO_NUMERIC:
        return NO_NUMERIC[name]
    numeric = geometry.get("id")
    found = pycountry.countries.get(numeric=numeric) if numeric else None
    return found.alpha_2 if found is not None else None


def feature_collection(topology: dict[str, Any]) -> dict[str, Any]:
    """The outlines as a GeoJSON FeatureCollection, one feature per country, by code."""
    arcs = decode_arcs(topology)
    features = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        polys = polygons(geometry, arcs)
        if not polys:
            continue
        features.append({"type": "Feature",
                          "properties": {"iso_a2": iso_a2(geometry),
                                         "name": geometry["properties"]["name"]},
                          "geometry": {"type": "MultiPolygon", "coordinates": polys}})
    features.sort(key=lambda f: (f["properties"]["iso_a2"] or "~", f["properties"]["name"]))
    return {"type": "FeatureCollection",
            "source": "Natural Earth 1:110m Admin 0 countries (public domain), via the npm "
                      "package world-atlas 2.0.2 (ISC); made by tools/make_outlines.py",
            "features": features}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="world-atlas tarball or countries-110m.json")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    collection = feature_collection(read_topology(args.source))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    args.out.write_text(text + "\n", encoding="utf-8")
    print(f"{args.out}: {len(collection['features'])} countries, {len(text):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
