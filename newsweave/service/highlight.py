"""An article's text cut into segments for highlighting, with no markup in them.

The text stays data: a template writes each segment's text escaped, inside an element
whose class and link come from the segment. Annotations may overlap (a name inside a
quote, a date inside a claim, two recognisers on one phrase): the text is cut at
every span's start and end, and each piece carries every span that covers it; its
link is the innermost span's (the shortest, so a name inside a quote links to the
name), since links cannot nest. Paragraphs (blank lines) are cut too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

PARAGRAPH = re.compile(r"\n[ \t\r\f\v]*\n\s*")
# Which span links when two of the same length cover a piece: the most specific kind.
KIND_ORDER = ("person", "organisation", "place", "entity", "date", "claim", "quote")


@dataclass(frozen=True, slots=True)
class Span:
    """An annotation: ``text[start:end]`` is a ``kind``, shown with ``label`` and
    linked to ``href``."""

    start: int
    end: int
    kind: str
    href: str
    label: str


@dataclass(slots=True)
class Segment:
    """A piece of text and the spans that cover it (``kinds``: their kinds, sorted;
    ``href`` and ``label``: the innermost span's, or empty)."""

    text: str
    kinds: tuple[str, ...] = ()
    href: str = ""
    label: str = ""
    labels: list[str] = field(default_factory=list)


def _rank(span: Span) -> tuple[int, int, int]:
    order = KIND_ORDER.index(span.kind) if span.kind in KIND_ORDER else len(KIND_ORDER)
    return (span.end - span.start, order, span.start)


def _clip(text: str, spans: list[Span]) -> list[Span]:
    """The spans inside the text, in order; empty and out-of-range ones left out
    (offsets from an older analysis of a since-changed text)."""
    size = len(text)
    kept = [s for s in spans if 0 <= s.start < s.end <= size]
    return sorted(kept, key=lambda s: (s.start, -s.end, _rank(s)))


def _piece(text: str, active: list[Span]) -> Segment:
    if not active:
        return Segment(text)
    inner = min(active, key=_rank)
    labels = [s.label for s in sorted(active, key=_rank)]
    return Segment(text, tuple(sorted({s.kind for s in active})), inner.href, inner.label,
                   list(dict.fromkeys(labels)))


def segments(text: str, spans: list[Span]) -> list[list[Segment]]:
    """The text's paragraphs, each a list of segments that join to the paragraph."""
    spans = _clip(text, spans)
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    paragraphs: list[list[Segment]] = [[]]
    active: list[Span] = []
    at = 0
    for a, b in zip(cuts, cuts[1:], strict=False):
        active = [s for s in active if s.end > a]
        while at < len(spans) and spans[at].start <= a:
            active.append(spans[at])
            at += 1
        parts = PARAGRAPH.split(text[a:b])
        for n, part in enumerate(parts):
            if n:
                paragraphs.append([])
            if part:
                paragraphs[-1].append(_piece(part, active))
    return [p for p in paragraphs if "".join(s.text for s in p).strip()]
