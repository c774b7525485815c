"""How values are written to the store: timestamps and vectors (float BLOBs)."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np


def utcnow() -> str:
    """Current time as ISO 8601 UTC, second precision."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def to_blob(vec: np.ndarray, dtype: type = np.float32) -> bytes:
    return np.ascontiguousarray(vec, dtype=dtype).tobytes()


def from_blob(blob: bytes, dtype: type = np.float32) -> np.ndarray:
    return np.frombuffer(blob, dtype=dtype)
