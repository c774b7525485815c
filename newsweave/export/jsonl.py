"""JSON Lines: one object per row, its keys the export's columns, in their order."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, BinaryIO

from ..service.export import Column
from .common import Written, json_text


def write(rows: Iterable[dict[str, Any]], columns: tuple[Column, ...],
          out: BinaryIO) -> Written:
    """One line per row; nothing at all for no rows (an empty file is valid JSONL)."""
    written = Written()
    for row in rows:
        out.write(json_text(row).encode("utf-8") + b"\n")
        written.rows += 1
    return written
