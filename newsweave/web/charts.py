"""Small charts drawn on the server as SVG geometry: no chart library, no script.

Each function returns plain numbers (points, bars) that a template writes into an
``<svg>``; the template escapes nothing of the user's here, as there is none."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    """One bar of a bar chart, in the chart's own units (``viewBox`` coordinates)."""

    x: float
    y: float
    width: float
    height: float
    label: str
    value: int


def sparkline(values: Sequence[int], width: float = 100, height: float = 20) -> str:
    """The ``points`` of an SVG polyline through ``values``, scaled to the box (a
    flat line for no data)."""
    if not values:
        return f"0,{height:g} {width:g},{height:g}"
    top = max(values) or 1
    step = width / max(1, len(values) - 1)
    return " ".join(f"{i * step:.1f},{height - (v / top) * (height - 1):.1f}"
                    for i, v in enumerate(values))


def bars(counts: Sequence[tuple[str, int]], width: float = 300, height: float = 80,
         gap: float = 1) -> list[Bar]:
    """Bars for ``(label, count)`` pairs, left to right, the tallest filling the box."""
    if not counts:
        return []
    top = max(c for _, c in counts) or 1
    slot = width / len(counts)
    out = []
    for i, (label, count) in enumerate(counts):
        h = (count / top) * height
        out.append(Bar(x=i * slot, y=height - h, width=max(0.5, slot - gap), height=h,
                       label=label, value=count))
    return out
