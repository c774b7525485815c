"""Exports: every record of one kind, filtered, as a stream of flat rows.

``newsweave export`` and :func:`newsweave.export.export` read from here. Each kind
(articles, stories, entities, places, claims, quotes) has a fixed list of typed
columns (:data:`COLUMNS`), the contract of every format: a CSV header, a Parquet
schema, the keys of a JSON line, a GeoJSON feature's properties. Rows are produced
lazily from the store's streaming readers (:class:`newsweave.store.base.ExportReads`),
a batch at a time, so an export of a million rows holds one batch in memory.

Filters that make no sense for a kind (``--status`` on articles) are refused with a
reason, as are values that cannot be right (a date that is not one), rather than
ignored: an export that silently ignored a filter would look complete and be wrong.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from datetime import date
from itertools import islice
from typing import Any

from ..errors import NewsweaveError
from ..store.base import StoreAPI
from ..store.exports import ArticleFilter
from . import _story_dicts
from .facts import CLAIM_STATUSES, _claims
from .values import ENTITY_TYPES, bad_character

KINDS = ("articles", "stories", "entities", "places", "claims", "quotes")
FORMATS = ("jsonl", "csv", "geojson", "parquet")
# Kinds whose rows can carry coordinates (``lat``, ``lon``): GeoJSON exports these.
GEO_KINDS = ("entities", "places", "claims")
_STORY_BATCH = 200  # stories shaped per round of member, link and entity queries


class ExportError(NewsweaveError, ValueError):
    """An export that cannot be made as asked: unknown kind or format, a filter that
    does not apply to the kind, or a filter value that is not valid (a ``ValueError``,
    as :class:`~newsweave.service.search.SearchError` is)."""


@dataclass(frozen=True, slots=True)
class Column:
    """One column of an export: its name and type, one of ``int``, ``float``, ``str``,
    ``bool``, ``list[int]``, ``list[str]`` or ``json`` (nested objects: kept nested in
    JSON Lines and GeoJSON, JSON text in CSV and Parquet)."""

    name: str
    type: str


def _columns(spec: str) -> tuple[Column, ...]:
    """``"id:int title:str ..."`` as columns."""
    return tuple(Column(*item.split(":", 1)) for item in spec.split())


COLUMNS: dict[str, tuple[Column, ...]] = {
    "articles": _columns(
        "id:int external_id:str title:str lang:str source:str url:str site:str author:str "
        "published:str published_source:str story:int duplicate_of:int duplicate_kind:str "
        "fmt:str ingested_at:str text:str"),
    "stories": _columns(
        "id:int title:str size:int languages:list[str] first_seen:str last_seen:str "
        "articles:list[int] related:list[int] entities:list[int] entity_names:list[str] "
        "places:list[str]"),
    "entities": _columns(
        "id:int key:str name:str type:str mentions:int articles:int aliases:list[str] "
        "place_id:str place_name:str feature:str country:str admin1:str lat:float lon:float"),
    "places": _columns(
        "id:int name:str place_id:str place_name:str feature:str country:str admin1:str "
        "lat:float lon:float population:int mentions:int articles:int aliases:list[str]"),
    "claims": _columns(
        "story:int status:str text:str value:float low:float high:float approx:bool "
        "unit:str counted:str where:str place_name:str lat:float lon:float when:str "
        "sources:list[int] independent_sources:int contradicts:list[int] "
        "languages:list[str] sentences:json"),
    "quotes": _columns(
        "id:int story:int article:int lang:str published:str site:str url:str speaker:str "
        "speaker_entity_id:int speaker_name:str text:str direct:bool sentence:int start:int "
        "end:int"),
}


@dataclass(frozen=True, slots=True)
class ExportFilters:
    """What to export of a kind. ``since``/``until``: publication dates, ``YYYY``,
    ``YYYY-MM`` or ``YYYY-MM-DD``, both inclusive; ``speaker``: an entity id or a
    name. See :data:`APPLIES` for which filter applies to which kind."""

    story: int | None = None
    lang: str | None = None
    since: str | None = None
    until: str | None = None
    entity: int | None = None
    type: str | None = None
    country: str | None = None
    status: str | None = None
    speaker: int | str | None = None


_ALL = {"story", "lang", "since", "until"}
APPLIES: dict[str, frozenset[str]] = {
    "articles": frozenset(_ALL | {"entity"}),
    "stories": frozenset(_ALL | {"entity"}),
    "entities": frozenset(_ALL | {"type", "country"}),
    "places": frozenset(_ALL | {"country"}),
    "claims": frozenset(_ALL | {"entity", "status"}),
    "quotes": frozenset(_ALL | {"entity", "speaker"}),
}


def check(what: str, fmt: str, filters: ExportFilters) -> None:
    """Refuse, with the reason, an export that cannot be made as asked."""
    if what not in KINDS:
        raise ExportError(f"cannot export {what!r}: choose one of {', '.join(KINDS)}")
    if fmt not in FORMATS:
        raise ExportError(f"no export format {fmt!r}: choose one of {', '.join(FORMATS)}")
    if fmt == "geojson" and what not in GEO_KINDS:
        raise ExportError(f"{what} have no coordinates: GeoJSON exports "
                          f"{', '.join(GEO_KINDS)} (the places of a story or a language: "
                          "--what places --story ID); choose jsonl, csv or parquet")
    for f in fields(ExportFilters):
        if getattr(filters, f.name) is not None and f.name not in APPLIES[what]:
            takers = [k for k in KINDS if f.name in APPLIES[k]]
            raise ExportError(f"--{f.name} does not filter {what}; it filters "
                              f"{', '.join(takers)}")
    _check_values(filters)


def _check_values(filters: ExportFilters) -> None:
    if filters.lang is not None and not re.fullmatch(r"[A-Za-z]{2,3}", filters.lang):
        raise ExportError(f"--lang {filters.lang!r} is not a language code: give an ISO "
                          "639-1 code such as it or de ('und' for undetermined)")
    if filters.type is not None and filters.type not in ENTITY_TYPES:
        raise ExportError(f"--type {filters.type!r} is not an entity type: choose one of "
                          f"{', '.join(ENTITY_TYPES)}")
    if filters.country is not None and not re.fullmatch(r"[A-Za-z]{2}", filters.country):
        raise ExportError(f"--country {filters.country!r} is not an ISO 3166-1 alpha-2 "
                          "code such as IQ or DE")
    if filters.status is not None and filters.status not in CLAIM_STATUSES:
        raise ExportError(f"--status {filters.status!r} is not a claim status: choose one "
                          f"of {', '.join(CLAIM_STATUSES)}")
    if filters.speaker is not None and isinstance(filters.speaker, str):
        if not filters.speaker.strip():
            raise ExportError("--speaker is empty: give an entity id or a name")
        if (why := bad_character(filters.speaker)) is not None:
            raise ExportError(f"--speaker holds {why}: no name contains one")
    since, until = (_period(filters.since, "since"), _period(filters.until, "until"))
    if since and until and since[0] >= until[1]:
        raise ExportError(f"--since {filters.since} is after --until {filters.until}: "
                          "nothing could match")


def _period(value: str | None, flag: str) -> tuple[str, str] | None:
    """The first day of ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` and the day after its
    end, as ISO dates (compared with ISO timestamps, which sort as text)."""
    if value is None:
        return None
    match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value.strip())
    try:
        if match is None:
            raise ValueError
        year, month, day = int(match[1]), int(match[2] or 1), int(match[3] or 1)
        start = date(year, month, day)
        if match[3]:
            end = date.fromordinal(start.toordinal() + 1)
        elif match[2]:
            end = date(year + month // 12, month % 12 + 1, 1)
        else:
            end = date(year + 1, 1, 1)
    except (ValueError, OverflowError):
        raise ExportError(f"--{flag} {value!r} is not a date: give YYYY, YYYY-MM or "
                          "YYYY-MM-DD") from None
    return start.isoformat(), end.isoformat()


def _scope(filters: ExportFilters) -> ArticleFilter:
    since, until = _period(filters.since, "since"), _period(filters.until, "until")
    lang = filters.lang.lower() if filters.lang else None
    return ArticleFilter(story=filters.story, lang=lang,
                         since=since[0] if since else None, until=until[1] if until else None)


def export_rows(store: StoreAPI, what: str, filters: ExportFilters | None = None
                ) -> Iterator[dict[str, Any]]:
    """The rows of an export of ``what``, each with exactly the keys of
    ``COLUMNS[what]``, in id order (claims: by story, as the story groups them).
    Checked before the first row is read (:class:`ExportError`)."""
    filters = filters or ExportFilters()
    check(what, FORMATS[0], filters)
    return _READERS[what](store, filters)


def _batches(rows: Iterable[dict[str, Any]], n: int) -> Iterator[list[dict[str, Any]]]:
    it = iter(rows)
    while batch := list(islice(it, n)):
        yield batch


def _pick(row: dict[str, Any], what: str) -> dict[str, Any]:
    return {c.name: row.get(c.name) for c in COLUMNS[what]}


def _articles(store: StoreAPI, f: ExportFilters) -> Iterator[dict[str, Any]]:
    for row in store.exports.articles(_scope(f), entity=f.entity):
        yield _pick(row, "articles")


def _stories(store: StoreAPI, f: ExportFilters) -> Iterator[dict[str, Any]]:
    rows = store.exports.stories(_scope(f), entity=f.entity)
    for batch in _batches(rows, _STORY_BATCH):
        for s in _story_dicts(store, batch):
            yield {**_pick(s, "stories"), "articles": [a["id"] for a in s["articles"]],
                   "entities": [e["id"] for e in s["entities"]],
                   "entity_names": [e["name"] for e in s["entities"]],
                   "places": [p["place_id"] for p in s["places"]]}


def _entity_rows(store: StoreAPI, f: ExportFilters, what: str) -> Iterator[dict[str, Any]]:
    rows = store.exports.entities(_scope(f), type_=f.type, places_only=what == "places",
                                  country=f.country.upper() if f.country else None)
    for batch in _batches(rows, 1000):
        aliases: dict[int, list[str]] = {r["id"]: [] for r in batch}
        for a in store.queries.aliases(list(aliases)):
            aliases[a["entity_id"]].append(a["alias"])
        for r in batch:
            yield _pick({**r, "aliases": aliases[r["id"]]}, what)


def _entities(store: StoreAPI, f: ExportFilters) -> Iterator[dict[str, Any]]:
    return _entity_rows(store, f, "entities")


def _places(store: StoreAPI, f: ExportFilters) -> Iterator[dict[str, Any]]:
    return _entity_rows(store, f, "places")


def _quotes(store: StoreAPI, f: ExportFilters) -> Iterator[dict[str, Any]]:
    """Quotes; a ``speaker`` given as a name is compared here, case folded the Unicode
    way (``Ş``, ``É``), the same on both backends (SQL ``lower`` folds ASCII only)."""
    speaker, name = f.speaker, None
    if isinstance(speaker, str):
        text = speaker.strip()
        speaker, name = (int(text), None) if text.isdigit() else (None, text.casefold())
    for row in store.exports.quotes(_scope(f), entity=f.entity, speaker=speaker):
        said = row["speaker_name"] if row["speaker_entity_id"] is not None \
            else row["speaker"]
        if name is not None and (said or "").casefold() != name:
            continue
        yield _pick({**row, "direct": bool(row["direct"])}, "quotes")


def _claims_of(store: StoreAPI, story_id: int, f: ExportFilters,
               named: set[tuple[int, int]] | None) -> Iterator[dict[str, Any]]:
    """A story's claims that pass ``f``: grouped over all the story's sources (a
    claim's status does not depend on the filter), then kept when one of its
    sentences is in an article that passes the language and date filters."""
    rows = store.facts.story_quantities([story_id])
    articles = {r["article_id"]: (r["lang"], r["published"]) for r in rows}
    scope = _scope(f)
    places = {p["id"]: p for p in store.queries.places_by_id(
        {r["place_id"] for r in rows if r["place_id"]})}
    for claim in _claims(rows):
        if f.status is not None and claim["status"] != f.status:
            continue
        ids = [s["article"] for s in claim["sentences"]]
        if scope and not any(_passes(articles[i], scope) for i in ids):
            continue
        if named is not None and not any((s["article"], s["sentence_index"]) in named
                                         for s in claim["sentences"]):
            continue
        place = places.get(claim["where"], {})
        yield _pick({**claim, "story": story_id, "place_name": place.get("name"),
                     "lat": place.get("lat"), "lon": place.get("lon"),
                     "languages": sorted({articles[i][0] for i in ids})}, "claims")


def _passes(article: tuple[str, str | None], scope: ArticleFilter) -> bool:
    lang, published = article
    if scope.lang is not None and lang != scope.lang:
        return False
    if scope.since is not None and (published is None or published < scope.since):
        return False
    return scope.until is None or (published is not None and published < scope.until)


def _claims_rows(store: StoreAPI, f: ExportFilters) -> Iterator[dict[str, Any]]:
    named = set(store.facts.entity_sentences(f.entity)) if f.entity is not None else None
    for story_id in store.exports.quantity_stories(_scope(f)):
        yield from _claims_of(store, story_id, f, named)


_READERS = {"articles": _articles, "stories": _stories, "entities": _entities,
            "places": _places, "claims": _claims_rows, "quotes": _quotes}
