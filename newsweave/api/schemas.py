"""The shapes the REST API answers with: the service layer's dicts, as OpenAPI schemas.

They mirror the JSON contract of the CLI (docs/cli.md): the listed fields are always
there; a record may carry more (``extra="allow"``), as later versions add fields and
never rename or remove one. FastAPI checks every answer against them, and the
schemathesis tests check the answers against ``/openapi.json``.
"""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..ingest.html import parse_iso_date

Number = int | float
T = TypeVar("T")
# An http(s) URL with a host (the scheme in any case), in the syntax JSON Schema uses.
URL_PATTERN = r"^[Hh][Tt][Tt][Pp][Ss]?://[^\s/?#]+\S*$"


class Record(BaseModel):
    model_config = ConfigDict(extra="allow")


class Page(Record, Generic[T]):
    """One page of a listing; pass ``next_cursor`` back as ``cursor`` for the next
    (null on the last page)."""

    items: list[T]
    next_cursor: str | None


class Article(Record):
    id: int
    external_id: str | None
    title: str
    lang: str
    source: str
    published: str | None
    duplicate_of: int | None
    story: int | None


class RemovedLine(Record):
    line: str
    reason: str


class ArticleDetail(Article):
    text: str
    url: str | None
    site: str | None
    author: str | None
    removed_lines: list[RemovedLine]
    embedding_model: str | None


class StoryArticle(Record):
    id: int
    title: str
    lang: str
    source: str
    published: str | None
    duplicate_of: int | None


class StoryEntity(Record):
    id: int
    name: str
    type: str
    mentions: int
    articles: int


class PlaceRef(Record):
    id: int
    name: str
    place_id: str
    feature: str | None
    country: str | None
    admin1: str | None
    lat: float
    lon: float


class Story(Record):
    id: int
    title: str
    size: int
    languages: list[str]
    first_seen: str | None
    last_seen: str | None
    related: list[int]
    articles: list[StoryArticle]
    entities: list[StoryEntity]
    places: list[PlaceRef]


class TimelineEntry(Record):
    date: str
    granularity: str
    relative: bool
    text: str
    sources: list[int]
    languages: list[str]


class Speaker(Record):
    id: int
    name: str


class Quote(Record):
    speaker: str | None
    speaker_entity: Speaker | None
    text: str
    direct: bool
    article: int
    sentence: int | None
    start: int | None
    end: int | None


class StoryQuote(Quote):
    story: int


class ClaimSentence(Record):
    article: int
    sentence: str | None
    sentence_index: int | None
    text: str


class Claim(Record):
    text: str
    value: Number | None
    low: Number | None
    high: Number | None
    approx: bool
    unit: str | None
    counted: str
    where: str | None
    when: str | None
    status: Literal["corroborated", "contradicted", "single"]
    sources: list[int]
    independent_sources: int
    contradicts: list[int]
    sentences: list[ClaimSentence]


class StoryClaim(Claim):
    story: int


class SourceCount(Record):
    name: str
    articles: int


class RelatedStory(Record):
    id: int
    title: str
    size: int
    score: float


class StoryDetail(Story):
    language_counts: dict[str, int]
    sources: list[SourceCount]
    related_stories: list[RelatedStory]
    timeline: list[TimelineEntry]
    quotes: list[Quote]
    claims: list[Claim]


class Entity(Record):
    id: int
    name: str
    type: str
    aliases: list[str]
    articles: list[int]
    mentions: int
    key: str


class EntityDetail(Entity):
    place: dict[str, Any] | None
    mentions_list: list[dict[str, Any]]
    co_occurring: list[dict[str, Any]]
    stories: list[int]
    stories_list: list[dict[str, Any]]


class Place(Record):
    id: int
    name: str
    aliases: list[str]
    feature: str | None
    country: str | None
    admin1: str | None
    lat: float
    lon: float
    place_id: str
    articles: list[int]


class SkippedInput(Record):
    source: str
    reason: str


class Stats(Record):
    articles: int
    duplicates: int
    stories: int
    languages: list[str]
    skipped: int


class SearchHit(Record):
    """An article found, with a snippet whose matched words are in ``<mark>``."""

    article_id: int
    story: int | None
    title: str
    lang: str
    score: Number
    snippet: str
    published: str | None
    source: str | None
    url: str | None
    duplicate_of: int | None


class StoryHit(Record):
    """A story found: its articles among the hits, best first."""

    story: int
    title: str
    size: int
    score: Number
    articles: list[int]
    langs: list[str]
    snippet: str


class FacetValue(Record):
    count: int


class Facets(Record):
    """Counts over every candidate of the query: languages, sources, stories, entities
    named and countries of the places named, most first (20 of each at most)."""

    lang: list[FacetValue]
    source: list[FacetValue]
    story: list[FacetValue]
    entity: list[FacetValue]
    country: list[FacetValue]


class SearchPage(Record, Generic[T]):
    """One page of results, best first; ``total`` counts them all; pass
    ``next_cursor`` back with the same query and filters for the next page."""

    query: str
    items: list[T]
    next_cursor: str | None
    total: int
    facets: Facets


class Health(Record):
    status: Literal["ok"]
    version: str
    backend: Literal["sqlite", "postgresql"]
    writes: bool = Field(description="Whether POST /ingest is open (a token is set and the "
                                     "server is not read-only).")


class _DocumentFields(BaseModel):
    """What a document to ingest may state about itself, as in JSON Lines input
    (docs/ingest.md)."""

    model_config = ConfigDict(extra="forbid")

    id: str | int | None = None
    title: str | None = None
    lang: str | None = Field(default=None, max_length=35)
    published: str | None = Field(default=None, max_length=64,
                                  description="ISO 8601, at least to the day.")
    source: str | None = Field(default=None, description="The outlet's name.")
    author: str | None = None

    @field_validator("published")
    @classmethod
    def _a_day(cls, value: str | None) -> str | None:
        """A date the ingest can read, else a 422 (a file's record would just lose it)."""
        if value is not None and parse_iso_date(value) is None:
            raise ValueError("published must be an ISO 8601 date, at least to the day "
                             "(2026-03-03 or 2026-03-03T10:00:00Z)")
        return value


class Document(_DocumentFields):
    """One document to ingest, with its text; ``url`` is kept as its address (not
    fetched)."""

    text: str = Field(min_length=1)
    url: str | None = None


class UrlDocument(_DocumentFields):
    """A document given by its address alone: the server fetches it as ``newsweave
    ingest URL`` does (public addresses only, unless the setting fetch_allow_hosts names
    the host); a page, or a feed's entries. The other fields given replace what the
    page states."""

    url: str = Field(max_length=4096, pattern=URL_PATTERN,
                     description="An http or https URL to fetch.")


class IngestRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    documents: list[Document | UrlDocument] = Field(min_length=1)


class IngestReport(Record):
    new: int
    exact_duplicates: int
    near_duplicates: int
    unchanged: int
    new_stories: int
    mentions: int
    interrupted: bool
    seconds: float
    skipped: list[SkippedInput]
