"""The records every stage passes around.

Data flows one way: ``ingest`` yields :class:`RawDocument` (or :class:`Skipped`),
``clean`` and ``enrich`` turn a raw document into an :class:`Article`, ``stories``
assigns it to a :class:`Story`, and ``store`` persists all three. Every record is a
plain dataclass with ``to_dict`` so the service layer can hand it to JSON as is.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

import numpy as np


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass(slots=True)
class RawDocument:
    """One input record as a source gave it, before any cleaning.

    ``source`` is the path or URL the record came from; ``external_id`` is the
    record's own id when the input format has one (JSON/CSV ``id``, feed entry id,
    WARC record id). ``published`` is ``None`` when nothing states a date: we never
    invent one from a file's modification time. ``published_source`` says where the
    date came from: ``input``, ``html-meta``, ``byline``, ``path`` or ``cli``
    (see :mod:`newsweave.ingest.dates`).
    """

    source: str
    text: str
    external_id: str | None = None
    title: str | None = None
    url: str | None = None
    published: datetime | None = None
    author: str | None = None
    site: str | None = None
    lang: str | None = None
    fmt: str = "txt"
    published_source: str | None = None
    # True when `text` still needs plain-text boilerplate cleaning (txt/md/json/csv);
    # extractors such as trafilatura have already done it for HTML.
    needs_cleaning: bool = True

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["published"] = _iso(self.published)
        return data


@dataclass(slots=True, frozen=True)
class Skipped:
    """An input that was not ingested, and why. Stored and shown, never dropped."""

    source: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "reason": self.reason}


@dataclass(slots=True)
class Article:
    """A cleaned, enriched article, as stored."""

    source: str
    text: str
    title: str
    external_id: str | None = None
    url: str | None = None
    published: datetime | None = None
    author: str | None = None
    site: str | None = None
    fmt: str = "txt"
    lang: str | None = None
    lang_confidence: float | None = None
    lang_model: str | None = None
    content_hash: str = ""  # sha256 of the normalised text: exact-duplicate key
    ingest_key: str = ""  # sha256 of source + external id + text: idempotency key
    id: int | None = None
    seq: int = 0  # arrival number in the store: the stream's clock when dates are unknown
    duplicate_of: int | None = None
    duplicate_kind: str | None = None  # "exact" | "near"
    duplicate_score: float | None = None
    story_id: int | None = None
    # boilerplate cut by clean/: [{"line": ..., "reason": ...}]
    removed_lines: list[dict[str, str]] = field(default_factory=list)
    published_source: str | None = None  # input | html-meta | byline | path | cli
    # What later stages found, carried for the stages after them (not stored as such,
    # not in to_dict): the passage vector, the sentences, the mentions and the entity
    # id of each mention, the temporal expressions, the quotes and the quantities.
    vector: np.ndarray | None = field(default=None, repr=False, compare=False)
    sentences: list[Sentence] = field(default_factory=list, repr=False, compare=False)
    mentions: list[Mention] = field(default_factory=list, repr=False, compare=False)
    entity_ids: list[int] = field(default_factory=list, repr=False, compare=False)
    dates: list[Any] = field(default_factory=list, repr=False, compare=False)
    quotes: list[Any] = field(default_factory=list, repr=False, compare=False)
    quantities: list[Any] = field(default_factory=list, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        data = {name: getattr(self, name) for name in self.__dataclass_fields__
                if name not in _CARRIED}
        data["removed_lines"] = [dict(r) for r in self.removed_lines]
        data["published"] = _iso(self.published)
        return data


_CARRIED = frozenset({"vector", "sentences", "mentions", "entity_ids", "dates", "quotes",
                      "quantities"})


@dataclass(slots=True)
class Story:
    """A cluster of articles about one event, in any number of languages."""

    id: int
    title: str
    size: int
    languages: list[str]
    first_seen: str | None
    last_seen: str | None
    related: list[int] = field(default_factory=list)
    articles: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# -- who and where -----------------------------------------------------------------------
# MISC: a knowledge-base product or event ("Facebook"); other untyped names are not kept.
MENTION_TYPES = ("PER", "ORG", "LOC", "MISC", "demonym")


@dataclass(slots=True, frozen=True)
class Sentence:
    """A sentence of an article: character offsets into ``Article.text``."""

    index: int
    start: int
    end: int


@dataclass(slots=True, frozen=True)
class Place:
    """A gazetteer entry (GeoNames-based) that a place mention resolved to.

    ``id`` is stable across builds of the gazetteer: ``cc:IQ`` for a country,
    ``a1:IQ.10`` for a first-level division (GeoNames admin1 code), ``gn:98182`` for a
    populated place (GeoNames id). ``country`` is ISO 3166-1 alpha-2, never FIPS.
    """

    id: str
    name: str
    feature: str  # "country" | "continent" | "region" | "water" | "admin1" | "admin2" | "city"
    country: str | None
    admin1: str | None
    lat: float
    lon: float
    population: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Mention:
    """A name in a text: a person, organisation, place, or a nationality adjective.

    Offsets index into the text as given (``text[start:end] == self.text``).
    ``key`` is the canonical entity it was linked to (``kb:…`` curated entry,
    ``cc:IQ`` country, ``gn:…``/``a1:…`` place, ``new:…`` an entity first seen in
    the stream), ``name`` that entity's canonical name. ``source`` says which
    recogniser found the span (``rules``, ``gazetteer``, ``spacy:<model>``).
    """

    start: int
    end: int
    text: str
    type: str  # one of MENTION_TYPES
    sentence: int = 0
    key: str | None = None
    name: str | None = None
    place: Place | None = None
    source: str = "rules"
    confidence: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["place"] = self.place.to_dict() if self.place else None
        return data


@dataclass(slots=True)
class StoryState:
    """What the streaming clusterer knows about one story: the record ``stories/``
    reads from and writes to the store (see :class:`newsweave.stories.state.StoryStore`)."""

    id: int
    centroid: np.ndarray  # sum of members' centred vectors (float32)
    size: int
    first_seen: float | None
    last_seen: float | None
    languages: list[str] = field(default_factory=list)
    label_article_id: int | None = None
    label_score: float | None = None
    last_seq: int = 0

    def unit_centroid(self) -> np.ndarray:
        norm = float(np.linalg.norm(self.centroid))
        return self.centroid / norm if norm else self.centroid
