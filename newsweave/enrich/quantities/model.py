"""The quantity record and the result of a scan."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number or quantity stated in a text, normalised.

    ``start``/``end`` index into the text as given and cover the whole expression
    (cue words, number, scale and unit: "circa 2.500", "more than $5 million"), not
    what is counted. ``value`` is the number as stated (for a range, its low end;
    None for a vague plural such as "thousands"); ``low``/``high`` bound what the
    text says (equal to ``value`` for a plain or approximate number, one of them None
    for an open bound such as "more than"). ``approx`` marks "about", "circa" and the
    like. ``unit`` is a canonical unit ("percent", "EUR", "km", "year"), None for a
    plain count; ``counted`` the canonical English key of what is counted ("troops",
    "killed"), None when the text does not say. ``sentence`` is the index of the
    sentence it is in, ``counted_end`` the end of the noun that says what is counted
    when it follows the number ("2.500 truppe"); neither is part of :meth:`to_dict`.
    """

    start: int
    end: int
    text: str
    value: int | float | None
    low: int | float | None
    high: int | float | None
    approx: bool = False
    unit: str | None = None
    counted: str | None = None
    sentence: int = 0
    counted_end: int | None = None  # where the counted noun ends, when it follows

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of ``newsweave annotate`` (docs/cli.md)."""
        return {"start": self.start, "end": self.end, "text": self.text,
                "value": self.value, "low": self.low, "high": self.high,
                "approx": self.approx, "unit": self.unit, "counted": self.counted}


@dataclass(slots=True)
class QuantityScan:
    """What one scan of a text found, and what it left out and why."""

    quantities: list[Quantity] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # every cut and refusal, in words
    beyond_limit: int = 0  # numbers above the magnitude limit, left out
    cut: bool = False  # True when the per-article cap stopped the scan
