"""Record formats: JSON (one object or a list), JSON Lines and CSV/TSV.

Every format carries the same fields: ``id``, ``url``, ``title``, ``text``,
``published`` (ISO 8601), ``source``, ``lang`` and optionally ``author``. Only
``text`` is required. Provenance stays with newsweave: ``RawDocument.source`` is the
file (or ``<stdin>``) the record came from, while the record's own ``source`` field
(the outlet) goes to ``site``, and its ``id`` to ``external_id``.

A bad record never stops the file: it becomes a :class:`Skipped` named
``<file>#line N`` (JSON Lines), ``#record N`` (a JSON list) or ``#row N`` (CSV), and
the next record is read. Problems with the file as a whole (it is not JSON at all,
the CSV has no ``text`` column) raise :class:`SkipError`.

A ``published`` value that is not an ISO 8601 date with at least day precision is
dropped (``published=None``, logged at debug level): the record is still worth
keeping, and a guessed date would be worse than none. Dates without a timezone are
taken as UTC; all dates are returned as aware UTC datetimes.
"""

from __future__ import annotations

import csv
import io
import json
import logging
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Any

from ..errors import Reason, SkipError
from ..models import RawDocument, Skipped
from .decode import decode_bytes
from .html import parse_iso_date

log = logging.getLogger(__name__)

Item = RawDocument | Skipped


def _as_str(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return value.strip() or None
    return None


def record_to_document(record: Mapping[str, Any], source: str, where: str,
                       fmt: str) -> RawDocument:
    """Map one record's fields to a :class:`RawDocument`.

    ``where`` names the record in skip reasons (``data.jsonl#line 7``). Raises
    ``SkipError(NO_TEXT)`` when ``text`` is missing or blank and ``SkipError(BAD_RECORD)``
    when it is not a string.
    """
    text = record.get("text")
    if text is not None and not isinstance(text, str):
        raise SkipError(Reason.BAD_RECORD, where=where,
                        detail=f"'text' must be a string, not {type(text).__name__}")
    if not text or not text.strip():
        raise SkipError(Reason.NO_TEXT)
    return RawDocument(source=source, text=text, **record_fields(record, where), fmt=fmt,
                       needs_cleaning=True)


def record_fields(record: Mapping[str, Any], where: str) -> dict[str, Any]:
    """A record's fields besides ``text``, named as :class:`RawDocument` names them
    (``id`` is ``external_id``, ``source`` is ``site``); None where a field is absent
    or unusable. Also what a record that gives only a ``url`` lays over the documents
    fetched from it (:class:`~newsweave.ingest.sources.FetchURL`)."""
    published_raw = _as_str(record.get("published"))
    published = parse_iso_date(published_raw)
    if published_raw and published is None:
        log.debug("%s: ignoring unparseable published=%r", where, published_raw)
    return {"external_id": _as_str(record.get("id")), "title": _as_str(record.get("title")),
            "url": _as_str(record.get("url")), "published": published,
            "published_source": "input" if published else None,
            "author": _as_str(record.get("author")),
            "site": _as_str(record.get("source")) or _as_str(record.get("site")),
            "lang": _as_str(record.get("lang"))}


def _record_item(record: Any, source: str, where: str, fmt: str) -> Item:
    """A document for a good record, a :class:`Skipped` naming ``where`` for a bad one."""
    if not isinstance(record, Mapping):
        reason = SkipError(Reason.BAD_RECORD, where=where,
                           detail=f"expected a JSON object, got {type(record).__name__}")
        return Skipped(where, reason.message)
    try:
        return record_to_document(record, source, where, fmt)
    except SkipError as exc:
        return Skipped(where, exc.message)


def read_json(text: str, source: str) -> Iterator[Item]:
    """One JSON document: an object (one record) or a list of objects.

    A ``.json`` file that is really JSON Lines (one object, then "extra data" on the
    next line) is read as JSON Lines.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data" and text.lstrip().startswith("{"):
            yield from read_jsonl(text.split("\n"), source)
            return
        raise SkipError(Reason.BAD_JSON, line=exc.lineno, detail=exc.msg) from None
    if isinstance(data, Mapping):
        yield _record_item(data, source, source, "json")
    elif isinstance(data, list):
        if not data:
            raise SkipError(Reason.EMPTY)
        for number, record in enumerate(data, 1):
            yield _record_item(record, source, f"{source}#record {number}", "json")
    else:
        raise SkipError(Reason.BAD_RECORD, where=source,
                        detail=f"expected an object or a list of objects, got "
                               f"{type(data).__name__}")


def read_jsonl(lines: Iterable[str | Skipped], source: str) -> Iterator[Item]:
    """JSON Lines: one object per line; blank lines are ignored.

    A line that cannot be used (bad JSON, nested too deeply, or a :class:`Skipped`
    handed in by the line reader) is skipped with its line number; the next line
    is read.
    """
    seen = False
    for number, line in enumerate(lines, 1):
        if isinstance(line, Skipped):
            seen = True
            yield Skipped(f"{source}#line {number}", line.reason)
            continue
        if not line.strip():
            continue
        seen = True
        yield _line_item(line, number, source)
    if not seen:
        raise SkipError(Reason.EMPTY)


def _line_item(line: str, number: int, source: str) -> Item:
    where = f"{source}#line {number}"
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return Skipped(where, SkipError(Reason.BAD_JSON, line=number, detail=exc.msg).message)
    except RecursionError:
        return Skipped(where, SkipError(Reason.TOO_NESTED).message)
    return _record_item(record, source, where, "jsonl")


def read_jsonl_stream(stream: IO[str] | IO[bytes], source: str,
                      max_bytes: int) -> Iterator[Item]:
    """JSON Lines from a stream (standard input), read one line at a time.

    Bytes are read, not text, so a line that is not UTF-8 is decoded like a file
    (:func:`~newsweave.ingest.decode.decode_bytes`) instead of failing the stream. A
    line longer than ``max_bytes`` is skipped as it streams past, never held whole:
    memory stays bounded by the cap whatever the input.
    """
    yield from read_jsonl(_decoded_lines(stream, max_bytes), source)


def _decoded_lines(stream: IO[str] | IO[bytes], max_bytes: int) -> Iterator[str | Skipped]:
    for raw in capped_lines(getattr(stream, "buffer", stream), max_bytes):
        if raw is None:
            yield Skipped("", SkipError(Reason.TOO_LARGE_RECORD, limit=max_bytes).message)
            continue
        if isinstance(raw, str):
            raw = raw.encode("utf-8", errors="surrogatepass")
        try:
            yield decode_bytes(raw).text if raw.strip() else ""
        except SkipError as exc:
            yield Skipped("", exc.message)


_CHUNK = 1 << 16


def capped_lines(stream: IO[bytes] | IO[str], limit: int) -> Iterator[bytes | str | None]:
    """The lines of ``stream``; ``None`` for a line longer than ``limit``, whose rest is
    read and dropped in chunks (a 150 MB line costs ``limit`` bytes of memory)."""
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        if len(line) <= limit or line[-1:] in ("\n", b"\n"):
            yield line
            continue
        while True:  # the rest of the oversized line
            rest = stream.readline(_CHUNK)
            if not rest or rest[-1:] in ("\n", b"\n"):
                break
        yield None


def read_csv(text: str, source: str, field_limit: int, delimiter: str = ",") -> Iterator[Item]:
    """CSV (or TSV) with a header row naming the record fields; ``text`` is required.

    ``field_limit`` raises the csv module's per-field cap (131,072 characters by
    default, too small for long articles). The cap is process-wide in the csv module;
    it is only ever raised, never lowered.
    """
    if csv.field_size_limit() < field_limit:
        csv.field_size_limit(field_limit)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise SkipError(Reason.BAD_CSV, detail=f"header: {exc}") from None
    columns = [name.strip().lstrip("\ufeff").lower() for name in header or []]
    if "text" not in columns:
        shown = ", ".join(c for c in columns if c)[:200] or "none"
        raise SkipError(Reason.BAD_CSV, detail=f"no 'text' column (columns: {shown})")
    number = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise SkipError(Reason.BAD_CSV, detail=f"line {reader.line_num}: {exc}") from None
        if not any(cell.strip() for cell in row):
            continue
        number += 1
        record = {name: value for name, value in zip(columns, row, strict=False) if name}
        yield _record_item(record, source, f"{source}#row {number}", "csv")
    if number == 0:
        raise SkipError(Reason.EMPTY)
