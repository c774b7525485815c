"""Keyset pagination: opaque cursors and the conditions that resume after them.

A listing is sorted by a total order (its last key is a unique id), and a page ends
with a cursor that holds the sort key of its last row. The next page selects the
rows strictly after that key, so pages never overlap and never skip a row, however
deep the reader goes (no ``OFFSET``, whose cost grows with the page number, and
which shifts when rows are added in between). A cursor is opaque to its users:
base64 of a small JSON array ``[listing, key...]``; a cursor of another listing, or
one that was altered, is refused with :class:`~newsweave.errors.BadCursor`.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import BadCursor

_ADVICE = "pass the next_cursor of a page of the same listing, or no cursor for the first page"


@dataclass(frozen=True, slots=True)
class Order:
    """A listing's sort: ``(SQL expression, "ASC" | "DESC")`` pairs, the last one
    unique, and ``columns``, the names under which a row carries each key's value."""

    listing: str
    keys: tuple[tuple[str, str], ...]
    columns: tuple[str, ...]

    def key_of(self, row: dict[str, Any]) -> list[Any]:
        return [row[c] for c in self.columns]

    def after(self, values: Sequence[Any]) -> tuple[str, list[Any]]:
        """The SQL condition (and its parameters) for rows strictly after ``values``:
        ``k1 > v1 OR (k1 = v1 AND k2 > v2) OR ...``, each ``>`` a ``<`` for ``DESC``."""
        clauses, params = [], []
        for i, (expr, direction) in enumerate(self.keys):
            op = "<" if direction == "DESC" else ">"
            parts = [f"{e} = ?" for e, _ in self.keys[:i]] + [f"{expr} {op} ?"]
            clauses.append("(" + " AND ".join(parts) + ")")
            params.extend([*values[:i], values[i]])
        return "(" + " OR ".join(clauses) + ")", params

    def sql(self) -> str:
        """The ``ORDER BY`` list."""
        return ", ".join(f"{expr} {direction}" for expr, direction in self.keys)

    def encode(self, values: Sequence[Any]) -> str:
        raw = json.dumps([self.listing, *values], separators=(",", ":"), ensure_ascii=False)
        return base64.urlsafe_b64encode(raw.encode("utf-8")).decode("ascii").rstrip("=")

    def decode(self, cursor: str) -> list[Any]:
        """The key values in ``cursor``; :class:`BadCursor` when it is not one of ours."""
        try:
            padded = cursor + "=" * (-len(cursor) % 4)
            data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")).decode("utf-8"))
        except (ValueError, UnicodeError, binascii.Error):
            raise BadCursor(f"cursor {cursor[:40]!r} is not a cursor; {_ADVICE}") from None
        if not isinstance(data, list) or not data or not isinstance(data[0], str):
            raise BadCursor(f"cursor {cursor[:40]!r} is not a cursor; {_ADVICE}")
        if data[0] != self.listing:
            raise BadCursor(f"this cursor pages {data[0]}, not {self.listing}; {_ADVICE}")
        values = data[1:]
        if len(values) != len(self.keys) or not all(_storable(v) for v in values):
            raise BadCursor(f"cursor {cursor[:40]!r} is damaged; {_ADVICE}")
        return values


def _storable(value: Any) -> bool:
    """A key value a database can compare: a number within 64 bits, a string without
    NUL (PostgreSQL refuses one), a finite float."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return -(2 ** 63) <= value < 2 ** 63
    if isinstance(value, float):
        return value == value and abs(value) != float("inf")
    return isinstance(value, str) and "\x00" not in value


@dataclass(slots=True)
class Page:
    """One page of a listing: its rows (plain dicts) and the cursor of the next page,
    None when this is the last one."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    next_cursor: str | None = None
