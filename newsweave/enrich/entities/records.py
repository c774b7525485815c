"""Input and output records of ``newsweave annotate``: text in, mentions out, nothing stored.

Input: JSON Lines ``{id, text, lang?, published?}`` (a file, or ``-`` for stdin), or
one plain text file. A bad line is reported on stderr with its line number and skipped; the
rest go on. Output, one JSON line per record::

    {id, lang, mentions: [{start, end, text, type, entity: {id, name},
                           place: {name, lat, lon, country} | null}]}

Offsets index into the text as given.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, NamedTuple

from ...errors import NewsweaveError
from .annotator import Analysis


class Record(NamedTuple):
    """One input record: its id, text, language and publication date (as given)."""

    id: str
    text: str
    lang: str | None
    published: str | None


def read_records(path: str, stdin: IO[str]) -> Iterator[tuple[str, str, str | None]]:
    """``(id, text, lang)`` for every usable record; bad ones reported on stderr."""
    for record in read_full_records(path, stdin):
        yield record.id, record.text, record.lang


def read_full_records(path: str, stdin: IO[str]) -> Iterator[Record]:
    """Every usable :class:`Record`; bad ones reported on stderr."""
    if path == "-":
        yield from _jsonl(stdin, "<stdin>")
        return
    p = Path(path)
    if not p.is_file():
        raise NewsweaveError(f"{path}: no such file")
    try:
        with p.open(encoding="utf-8") as fh:
            if p.suffix.lower() in (".jsonl", ".json", ".ndjson"):
                yield from _jsonl(fh, path)
            else:
                yield Record(p.name, fh.read(), None, None)
    except UnicodeDecodeError as exc:
        raise NewsweaveError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def _jsonl(lines: IO[str], name: str) -> Iterator[Record]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            _warn(f"{name}:{number}: skipped, not JSON ({exc.msg})")
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            _warn(f"{name}:{number}: skipped, no \"text\" string field")
            continue
        lang = record.get("lang") if isinstance(record.get("lang"), str) else None
        published = record.get("published")
        if published is not None and not isinstance(published, str):
            _warn(f"{name}:{number}: \"published\" is not a string; its date is unknown")
            published = None
        yield Record(str(record.get("id", number)), record["text"], lang, published)


def _warn(message: str) -> None:
    print(message, file=sys.stderr)


def record_json(rid: str, analysis: Analysis) -> dict[str, Any]:
    """The output record for one input."""
    return {"id": rid, "lang": analysis.lang, "mentions": [
        {"start": m.start, "end": m.end, "text": m.text, "type": m.type,
         "entity": {"id": m.key, "name": m.name},
         "place": ({"name": m.place.name, "lat": m.place.lat, "lon": m.place.lon,
                    "country": m.place.country, "feature": m.place.feature}
                   if m.place else None)}
        for m in analysis.mentions]}
