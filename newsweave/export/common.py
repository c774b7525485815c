"""What the writers share: the count they return, and values as text."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


@dataclass(slots=True)
class Written:
    """How many rows an export wrote, and how many it left out (GeoJSON: rows without
    coordinates), so a caller can say so rather than drop them silently."""

    rows: int = 0
    left_out: int = 0


def json_text(value: Any) -> str:
    """A value as compact JSON text, non-ASCII kept as written."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
