"""The claim records: one stated quantity with its context, and a group of claims
that state the same quantity."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ArticleId = int | str
Number = int | float


@dataclass(frozen=True, slots=True)
class PlaceRef:
    """A place named in the text: offsets into it, and its gazetteer id (``cc:IQ``)."""

    start: int
    end: int
    id: str


@dataclass(frozen=True, slots=True)
class Claim:
    """A quantity one article states about something counted.

    ``counted`` is the canonical English key ("troops"), so claims compare across
    languages; ``where`` the id of the place the sentence puts it in ("cc:IQ") or
    None; ``when`` a TIMEX-like date ("2024", "2024-01") or None. ``article``,
    ``source`` (the outlet, e.g. the site; None when unknown) and ``duplicate_of``
    (the article this one copies, or None) decide which sources are independent;
    ``published`` (the article's date) keeps apart figures reported days apart.
    """

    counted: str
    unit: str | None
    value: Number | None
    low: Number | None
    high: Number | None
    approx: bool
    article: ArticleId
    sentence: str  # the sentence's text
    text: str  # the quantity with what it counts when that follows ("2.500 truppe")
    start: int = 0  # the quantity's offsets into the article
    end: int = 0
    sentence_index: int = 0
    where: str | None = None
    when: str | None = None
    source: str | None = None
    duplicate_of: ArticleId | None = None
    lang: str | None = None
    published: str | None = None  # the article's publication date (ISO), None unknown

    def to_dict(self) -> dict[str, Any]:
        return {"article": self.article, "sentence": self.sentence,
                "sentence_index": self.sentence_index, "text": self.text,
                "start": self.start, "end": self.end, "value": self.value,
                "low": self.low, "high": self.high, "approx": self.approx,
                "unit": self.unit, "counted": self.counted, "where": self.where,
                "when": self.when, "source": self.source, "lang": self.lang}


@dataclass(slots=True)
class ClaimGroup:
    """Claims that state the same quantity with agreeing values.

    ``status`` is ``contradicted`` when another group states a different value for the
    same quantity (``contradicts`` holds those groups' indices), else ``corroborated``
    when at least two independent sources state it, else ``single``. ``low``/``high``
    are the values every member agrees with.
    """

    counted: str
    unit: str | None
    where: str | None
    when: str | None
    low: float
    high: float
    vague: bool
    claims: list[Claim] = field(default_factory=list)
    independent: int = 0
    status: str = "single"
    contradicts: list[int] = field(default_factory=list)

    @property
    def sources(self) -> list[ArticleId]:
        """The articles that state it, in order of first appearance."""
        return list(dict.fromkeys(c.article for c in self.claims))

    def to_dict(self) -> dict[str, Any]:
        first = self.claims[0]
        return {"text": first.text, "value": first.value, "low": _out(self.low),
                "high": _out(self.high), "approx": first.approx, "unit": self.unit,
                "counted": self.counted, "where": self.where, "when": self.when,
                "status": self.status, "sources": self.sources,
                "independent_sources": self.independent, "contradicts": self.contradicts,
                "sentences": [{"article": c.article, "sentence": c.sentence,
                               "sentence_index": c.sentence_index, "text": c.text}
                              for c in self.claims]}


def _out(v: float) -> Number | None:
    if v in (float("inf"), float("-inf")):
        return None
    return int(v) if float(v).is_integer() else v
