"""CSV (RFC 4180): a header of the column names, then one line per row.

Flat by construction: a list or a nested object is written as JSON text in its cell
(``["it","de"]``, ``[12,40]``), which any CSV reader passes through and any JSON
parser reads back unambiguously (a separator such as ``;`` could occur inside a name).
A null is an empty cell; ``true``/``false`` for booleans.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any, BinaryIO

from ..service.export import Column
from .common import Written, json_text


def cell(value: Any, type_: str) -> Any:
    """A value as a CSV cell."""
    if value is None:
        return ""
    if type_.startswith("list") or type_ == "json":
        return json_text(value)
    if type_ == "bool":
        return "true" if value else "false"
    return value


def write(rows: Iterable[dict[str, Any]], columns: tuple[Column, ...],
          out: BinaryIO) -> Written:
    """The header, then the rows; only the header for no rows."""
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    try:
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow([c.name for c in columns])
        written = Written()
        for row in rows:
            writer.writerow([cell(row[c.name], c.type) for c in columns])
            written.rows += 1
        text.flush()
    finally:
        text.detach()  # leave ``out`` open: it belongs to the caller
    return written
