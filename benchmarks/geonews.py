"""GeoNews: the project's own geoparsing set (es, fr, it, de news written for it).

The articles and their annotations are written by hand in
``benchmarks/data/geonews/src/<lang>.txt`` (format below); ``build`` turns them into
``benchmarks/data/geonews/<lang>.jsonl``, computing every character offset from the
surface strings, so no offset is ever counted by hand. ``check`` validates the JSONL
files; ``fill`` sets the coordinates of cities, divisions and countries to the
gazetteer's point for the entry of that name *in the annotated country* nearest the
annotator's own approximate point (so a right answer scores 0 km, as on LGL, whose
points are GeoNames'). See ``benchmarks/data/geonews/README.md`` for the rules.

Source format (one block per article)::

    === es-01 | dev | 2011-02-11 | Title of the article
    EL CAIRO, 11 feb. (EFE). - Text of the article ...
    --- places
    EL CAIRO = Cairo | EG | 30.06 31.25 | city
    Egipto = Egypt | EG | 26.8 30.8 | country
    Aude#2 = Aude | FR | 43.2 2.4 | water
    Mediterráneo = Mediterranean Sea | - | 35.0 18.0 | water
    --- not
    Real Madrid

Every occurrence of a ``places`` surface (case-sensitive, whole words) is annotated,
longest surfaces first, except inside an earlier annotation or inside a ``not``
string (an organisation or person named after a place). A country ``-`` is null;
``surface#2,3`` glosses only those occurrences (two places written alike).

Run from the repository root::

    python -m benchmarks.geonews build          # src/*.txt -> *.jsonl (all languages)
    python -m benchmarks.geonews check [--words] # validate; --words lists uncovered
                                                 # capitalised words for review
    python -m benchmarks.geonews fill es         # rewrite src/es.txt with gazetteer points
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

DIR = Path(__file__).resolve().parent / "data" / "geonews"
LANGS = ("es", "fr", "it", "de")
SPLITS = ("dev", "holdout")
KINDS = ("city", "admin", "country", "region", "water", "landmark")
FIELDS = ("id", "lang", "split", "title", "text", "published", "toponyms")
TOPONYM_FIELDS = ("start", "end", "text", "name", "country", "lat", "lon", "kind")
BOX_MARGIN = 0.6  # degrees added around a country's outline box: coasts, islands
MIN_WORDS, MAX_WORDS = 120, 300
_WORD = re.compile(r"[^\W\d_][\w-]*", re.UNICODE)


class SourceError(ValueError):
    """A source file that cannot be read as GeoNews blocks; the message says where."""


@dataclass(slots=True)
class Gloss:
    """One ``places`` line: a surface string and the place it names."""

    surface: str
    name: str
    country: str | None
    lat: float
    lon: float
    kind: str
    line: int


@dataclass(slots=True)
class Block:
    """One article of a source file before offsets are computed."""

    id: str
    split: str
    published: str
    title: str
    text: str
    places: list[Gloss] = field(default_factory=list)
    nots: list[str] = field(default_factory=list)


# -- reading the sources ---------------------------------------------------------------
def parse_gloss(line: str, lineno: int) -> Gloss:
    """``surface = name | CC | lat lon | kind`` as a :class:`Gloss`."""
    try:
        surface, rest = (s.strip() for s in line.split(" = ", 1))
        name, cc, coords, kind = (s.strip() for s in rest.split("|"))
        lat, lon = (float(x) for x in coords.split())
    except ValueError as exc:
        raise SourceError(f"line {lineno}: not 'surface = name | CC | lat lon | kind': "
                          f"{line!r}") from exc
    return Gloss(surface, name, None if cc == "-" else cc, lat, lon, kind, lineno)


def parse_source(path: Path) -> list[Block]:
    """The article blocks of one source file."""
    blocks: list[Block] = []
    section = "text"
    body: list[str] = []
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.rstrip()
        if line.startswith("=== "):
            _close(blocks, body)
            parts = [p.strip() for p in line[4:].split("|", 3)]
            if len(parts) != 4:
                raise SourceError(f"{path.name}:{lineno}: header needs id | split | date | "
                                  "title")
            blocks.append(Block(parts[0], parts[1], parts[2], parts[3], ""))
            section, body = "text", []
        elif not blocks or (line.startswith("#") and section != "text"):
            continue
        elif line in ("--- places", "--- not"):
            section = line[4:]
        elif section == "text":
            body.append(line)
        elif line and section == "places":
            blocks[-1].places.append(parse_gloss(line, lineno))
        elif line:
            blocks[-1].nots.append(line.strip())
    _close(blocks, body)
    return blocks


def _close(blocks: list[Block], body: list[str]) -> None:
    """Set the text of the last block (paragraphs joined by one blank line)."""
    if blocks and not blocks[-1].text:
        blocks[-1].text = "\n".join(body).strip()


# -- offsets ------------------------------------------------------------------------------
def occurrences(text: str, surface: str) -> Iterator[tuple[int, int]]:
    """Whole-word, case-sensitive occurrences of ``surface`` in ``text``."""
    pattern = re.compile(rf"(?<!\w){re.escape(surface)}(?!\w)")
    for m in pattern.finditer(text):
        yield m.start(), m.end()


def split_nth(surface: str) -> tuple[str, set[int]]:
    """``Aude#2,3`` -> ("Aude", {2, 3}): only those occurrences (1-based, counting
    every whole-word occurrence in the text) carry this gloss; no suffix, all."""
    base, _, nth = surface.partition("#")
    return base, {int(n) for n in nth.split(",")} if nth else set()


def toponyms(block: Block) -> list[dict[str, Any]]:
    """Every occurrence of every gloss, longest surfaces first, none overlapping an
    earlier one or a ``not`` string; in text order."""
    taken = [span for s in block.nots for span in occurrences(block.text, s)]
    out: list[dict[str, Any]] = []
    for g in sorted(block.places, key=lambda g: (-len(g.surface), g.line)):
        surface, nth = split_nth(g.surface)
        found = 0
        for i, (start, end) in enumerate(occurrences(block.text, surface), 1):
            if (nth and i not in nth) or any(start < b and a < end for a, b in taken):
                continue
            taken.append((start, end))
            found += 1
            out.append({"start": start, "end": end, "text": surface, "name": g.name,
                        "country": g.country, "lat": round(g.lat, 4),
                        "lon": round(g.lon, 4), "kind": g.kind})
        if not found:
            raise SourceError(f"{block.id}: '{g.surface}' (line {g.line}) not in the text")
    return sorted(out, key=lambda t: t["start"])


def record(block: Block, lang: str) -> dict[str, Any]:
    """The JSONL record of one block."""
    return {"id": block.id, "lang": lang, "split": block.split, "title": block.title,
            "text": block.text, "published": block.published, "toponyms": toponyms(block)}


def records(lang: str) -> tuple[list[dict[str, Any]], list[str]]:
    """The JSONL records of ``src/<lang>.txt`` and the errors of the blocks that failed."""
    out, errors = [], []
    for block in parse_source(DIR / "src" / f"{lang}.txt"):
        try:
            out.append(record(block, lang))
        except SourceError as exc:
            errors.append(str(exc))
    return out, errors


def build(langs: Iterable[str] = LANGS) -> dict[str, int]:
    """Write ``<lang>.jsonl`` from ``src/<lang>.txt``; articles written per language.
    Nothing is written for a language with an error; all errors are raised together."""
    counts, errors = {}, []
    for lang in langs:
        recs, failed = records(lang)
        errors += failed
        if failed:
            continue
        with open(DIR / f"{lang}.jsonl", "w", encoding="utf-8") as fh:
            for rec in recs:
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        counts[lang] = len(recs)
    if errors:
        raise SourceError("\n".join(errors))
    return counts


# -- loading and validating ------------------------------------------------------------------
def load(langs: Iterable[str] = LANGS, split: str = "all") -> list[dict[str, Any]]:
    """The records of these languages, of one split (``dev``, ``holdout``) or all."""
    out = []
    for lang in langs:
        path = DIR / f"{lang}.jsonl"
        for line in path.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            if split == "all" or rec["split"] == split:
                out.append(rec)
    return out


Box = tuple[float, float, float, float]


@cache
def country_boxes() -> dict[str, list[Box]]:
    """(min lon, min lat, max lon, max lat) boxes of each country: its outline's
    (countryinfo's, as installed with newsweave) widened by :data:`BOX_MARGIN`
    degrees, plus the rough boxes of ``boxes.json`` (outlines countryinfo lacks,
    exclaves and overseas parts)."""
    from newsweave.enrich.places.build import countryinfo_records, find_sources
    from newsweave.enrich.places.centres import polygons

    boxes: dict[str, list[Box]] = {}
    for iso, rec in countryinfo_records(find_sources()).items():
        rings = [ring for poly in polygons(rec.get("geoJSON")) for ring in poly]
        if rings:
            lon = [float(x) for ring in rings for x in ring[:, 0]]
            lat = [float(y) for ring in rings for y in ring[:, 1]]
            boxes[iso] = [(min(lon) - BOX_MARGIN, min(lat) - BOX_MARGIN,
                           max(lon) + BOX_MARGIN, max(lat) + BOX_MARGIN)]
    extra = json.loads((DIR / "boxes.json").read_text(encoding="utf-8"))
    for iso, more in extra.items():
        if not iso.startswith("_"):
            boxes.setdefault(iso, []).extend(tuple(b) for b in more)
    return boxes


def problems(rec: dict[str, Any]) -> list[str]:
    """What is wrong with one record: fields, split, length, offsets, kinds, countries."""
    rid = rec.get("id", "?")
    out = [f"{rid}: missing field {f}" for f in FIELDS if f not in rec]
    if out:
        return out
    if rec["split"] not in SPLITS:
        out.append(f"{rid}: split {rec['split']!r}")
    words = len(rec["text"].split())
    if not MIN_WORDS <= words <= MAX_WORDS:
        out.append(f"{rid}: {words} words, not {MIN_WORDS}-{MAX_WORDS}")
    last = 0
    for top in rec["toponyms"]:
        out += [f"{rid}: {p}" for p in toponym_problems(rec["text"], top)]
        if top.get("start", 0) < last:
            out.append(f"{rid}: toponyms overlap or are out of order at {top.get('start')}")
        last = top.get("end", last)
    return out


def toponym_problems(text: str, top: dict[str, Any]) -> list[str]:
    """Offsets, kind and country box of one toponym."""
    missing = [f for f in TOPONYM_FIELDS if f not in top]
    if missing:
        return [f"toponym without {', '.join(missing)}: {top}"]
    where = f"{top['text']!r} at {top['start']}"
    out = []
    if text[top["start"]:top["end"]] != top["text"]:
        out.append(f"{where}: the text there is {text[top['start']:top['end']]!r}")
    if top["kind"] not in KINDS:
        out.append(f"{where}: kind {top['kind']!r}")
    if not (-90 <= top["lat"] <= 90 and -180 <= top["lon"] <= 180):
        out.append(f"{where}: coordinates out of range")
    cc = top["country"]
    if cc is not None:
        boxes = country_boxes().get(cc)
        if boxes is None:
            out.append(f"{where}: unknown country {cc!r}")
        elif not any(b[0] <= top["lon"] <= b[2] and b[1] <= top["lat"] <= b[3]
                     for b in boxes):
            out.append(f"{where}: {top['lat']}, {top['lon']} is outside {cc}")
    elif top["kind"] in ("city", "admin", "country"):
        out.append(f"{where}: a {top['kind']} needs a country")
    return out


def uncovered_words(rec: dict[str, Any]) -> list[str]:
    """Capitalised words outside every toponym span (to review: a missed toponym?)."""
    text, tops = rec["text"], rec["toponyms"]
    words = []
    for m in _WORD.finditer(text):
        if not m.group()[0].isupper():
            continue
        if any(t["start"] <= m.start() < t["end"] for t in tops):
            continue
        words.append(m.group())
    return words


# -- coordinates from the gazetteer -----------------------------------------------------------
FILL_KM = {"city": 60.0, "admin": 250.0, "country": 2500.0}
_GLOSS_LINE = re.compile(r"^(?P<head>.+? = .+? \| (?P<cc>[A-Z]{2}) \| )(?P<lat>-?[\d.]+) "
                         r"(?P<lon>-?[\d.]+)(?P<tail> \| (?P<kind>\w+))$")


def fill(lang: str) -> list[str]:
    """Rewrite ``src/<lang>.txt`` with gazetteer points; returns what it did not fill."""
    from newsweave.enrich.places import Gazetteer
    from newsweave.enrich.places.resolver import distance_km

    gazetteer = Gazetteer.open()
    path = DIR / "src" / f"{lang}.txt"
    lines, report = [], []
    for raw in path.read_text(encoding="utf-8").splitlines():
        m = _GLOSS_LINE.match(raw)
        if not m or m["kind"] not in FILL_KM:
            lines.append(raw)
            continue
        point = (float(m["lat"]), float(m["lon"]))
        surface, name = raw.split(" = ", 1)[0], raw.split(" = ", 1)[1].split(" | ")[0]
        found = [p for q in _queries(name, surface) for p in gazetteer.lookup(q, limit=200)
                 if p.country == m["cc"] and _kind_of(p.feature) == m["kind"]]
        best = min(found, key=lambda p: distance_km(p, point), default=None)
        if best is None or distance_km(best, point) > FILL_KM[m["kind"]]:
            report.append(f"kept {raw}")
            lines.append(raw)
            continue
        lines.append(f"{m['head']}{best.lat:.4f} {best.lon:.4f}{m['tail']}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return report


def _queries(name: str, surface: str) -> list[str]:
    """Names to look up: the English name, the surface (without ``#n``), the surface
    from its first capital ("province d'Idleb" -> "Idleb"), the name without a
    trailing generic word ("Miyagi Prefecture" -> "Miyagi")."""
    surface = split_nth(surface)[0]
    caps = [i for i, c in enumerate(surface) if c.isupper()]
    core = surface[caps[0]:] if caps else surface
    short = re.sub(r" (Prefecture|Governorate|Province|Region|Department)$", "", name)
    return list(dict.fromkeys((name, surface, core, short)))


def _kind_of(feature: str) -> str:
    """Our kind for a gazetteer feature."""
    return {"admin1": "admin", "admin2": "admin", "continent": "region"}.get(feature, feature)


# -- command line ---------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    """build, check or fill (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("build", "check", "fill"))
    parser.add_argument("langs", nargs="*", default=list(LANGS))
    parser.add_argument("--words", action="store_true",
                        help="check: also list capitalised words outside toponyms")
    args = parser.parse_args(argv)
    if args.command == "build":
        try:
            print(build(args.langs))
        except SourceError as exc:
            print(exc)
            return 1
        return 0
    if args.command == "fill":
        for lang in args.langs:
            print("\n".join(fill(lang)))
        return 0
    bad = 0
    for rec in load(args.langs):
        for problem in problems(rec):
            print(problem)
            bad += 1
        if args.words:
            print(f"{rec['id']}: {' '.join(sorted(set(uncovered_words(rec))))}")
    print(f"{bad} problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
