"""The story feed: stories sorted by recency, size or growth, filtered by language,
place, entity and dates, each with the figures a row of the feed shows.

"Now" is the newest publication time in the store, or the ``as_of`` the reader
gives, never the wall clock: a store of archived news is read as of its own time.
Growth compares a story's original articles of the last ``hours`` before now with
what its own earlier rate would put in as many hours (docs/web.md, "Growth"):

* ``recent``: its original articles published in ``(now - hours, now]``;
* ``earlier``: those published at or before ``now - hours``; ``first``: the first;
* ``expected = earlier * hours / span``, ``span`` the hours from ``first`` to
  ``now - hours``, at least ``hours`` (0 when nothing came earlier);
* ``growth = (recent + 1) / (expected + 1)``, and a story is *breaking* when
  ``recent >= BREAKING_MIN`` and ``growth >= BREAKING_FACTOR``.

Sorted by growth, the stories with articles in the window come first, most growth
first; then the others, newest first. Every per-story figure is read for the
stories of the page only (plus, for the growth sort, those active in the window),
so the cost does not grow with the store.
"""

from __future__ import annotations

import json
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from ..enrich.claims import claims_from_rows, group_claims
from ..errors import BadCursor, NewsweaveError
from ..store.base import StoreAPI
from ..store.cursor import Order
from ..store.queries import FeedScope
from . import source_label

SORTS = ("recency", "size", "growth")
DEFAULT_HOURS = 24
MAX_HOURS = 24 * 366
BREAKING_FACTOR = 3.0  # recent articles at least 3x (smoothed) the story's own rate
BREAKING_MIN = 3  # and at least 3 of them: two articles are not news breaking
BUCKETS = 24  # the sparkline's bars
MAX_PAGE = 200
_GROWTH = Order("feed-growth", (("growth", "DESC"), ("seen", "DESC"), ("id", "ASC")),
                ("growth", "seen", "id"))


class ClaimMemo:
    """Claim counts of stories, kept between pages: grouping the claims of the largest
    stories (thousands of quantities) is the feed's one cost that grows with a
    story. An entry is keyed by the story's id, size and last arrival and by the
    store's last quantity id, so a story that gains an article, or a store that gains
    quantities, is counted again. Bounded (least recently used out); thread-safe."""

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._data: OrderedDict[tuple[int, ...], dict[str, int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[int, ...]) -> dict[str, int] | None:
        with self._lock:
            found = self._data.get(key)
            if found is not None:
                self._data.move_to_end(key)
            return found

    def put(self, key: tuple[int, ...], counts: dict[str, int]) -> None:
        with self._lock:
            self._data[key] = counts
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)


class BadFilter(NewsweaveError):
    """A feed parameter that cannot be used: a reason the reader can act on."""


@dataclass(frozen=True)
class FeedQuery:
    """What the reader asked for, as given (names are resolved by :func:`feed`)."""

    sort: str = "recency"
    lang: str | None = None
    place: str | None = None  # a country code (IQ), a place entity's id or its name
    entity: str | None = None  # an entity's id or its name
    date_from: str | None = None  # YYYY-MM-DD, inclusive
    date_to: str | None = None  # YYYY-MM-DD, inclusive
    hours: int = DEFAULT_HOURS
    as_of: str | None = None  # YYYY-MM-DD (its end) or YYYY-MM-DDTHH:MM, UTC
    cursor: str | None = None
    limit: int = 25


@dataclass
class Window:
    """The growth window ``(start, end]`` as stored timestamps, and its length."""

    now: datetime
    start: str
    end: str
    hours: int


@dataclass
class Filter:
    """An active filter, as the page lists it: the parameter, its value, a label."""

    name: str
    value: str
    label: str


@dataclass
class Resolved:
    """The query with its names resolved: the store's scope and the active filters."""

    scope: FeedScope
    filters: list[Filter] = field(default_factory=list)


def feed(store: StoreAPI, query: FeedQuery, memo: ClaimMemo | None = None) -> dict[str, Any]:
    """One page of the feed: ``{items, next_cursor, now, hours, sort, filters}``
    (``now`` None when no article is dated: growth is then not measured; ``filters``
    the active ones, ``{name, value, label}``). Each item: ``{id, title, title_lang,
    size, languages, first_seen, last_seen, sources, recent, expected, growth,
    breaking, claims: {corroborated, contradicted, single}, activity}`` (see
    :func:`activity`); sizes and counts are of original articles. ``memo`` keeps
    claim counts between calls (the web UI keeps one per app)."""
    _check(query)
    resolved = resolve(store, query)
    window = _window(store, query)
    if query.sort == "growth" and window is not None:
        rows, next_cursor = _growth_page(store, resolved.scope, window, query)
    else:
        page = store.queries.feed_stories(query.sort if query.sort != "growth" else "recency",
                                          resolved.scope, query.limit, query.cursor)
        rows, next_cursor = page.rows, page.next_cursor
        _add_growth(store, rows, window)
    return {"items": _items(store, rows, window, memo), "next_cursor": next_cursor,
            "now": window.now.isoformat() if window else None, "hours": query.hours,
            "sort": query.sort, "filters": [asdict(f) for f in resolved.filters]}


# -- checking and resolving the query ----------------------------------------------------
def _check(query: FeedQuery) -> None:
    if query.sort not in SORTS:
        raise BadFilter(f"sort must be one of {', '.join(SORTS)}, not {query.sort!r}")
    if not 1 <= query.hours <= MAX_HOURS:
        raise BadFilter(f"hours must be between 1 and {MAX_HOURS}, not {query.hours}")
    if not 1 <= query.limit <= MAX_PAGE:
        raise BadFilter(f"a page holds 1 to {MAX_PAGE} stories, not {query.limit}")
    start, end = _day(query.date_from, "from"), _day(query.date_to, "to")
    if start and end and start > end:
        raise BadFilter(f"the date range ends ({end}) before it starts ({start})")


def _day(value: str | None, which: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadFilter(f"the {which} date must be a day as YYYY-MM-DD, not {value!r}") from None


def resolve(store: StoreAPI, query: FeedQuery) -> Resolved:
    """The store's scope for ``query``: names looked up, codes checked."""
    out = Resolved(FeedScope())
    if query.lang:
        lang = query.lang.strip().lower()
        if not lang.isalpha() or not 2 <= len(lang) <= 3:
            raise BadFilter(f"language must be a code such as it or en, not {query.lang!r}")
        out.scope = replace(out.scope, lang=lang)
        out.filters.append(Filter("lang", lang, f"in {_language_name(lang)}"))
    if query.entity:
        entity = _entity(store, query.entity, places=False)
        out.scope = replace(out.scope, entity=entity["id"])
        out.filters.append(Filter("entity", query.entity, f"naming {entity['name']}"))
    if query.place:
        _place(store, query.place.strip(), out)
    start, end = _day(query.date_from, "from"), _day(query.date_to, "to")
    if start:
        out.scope = replace(out.scope, since=_days(start))
        out.filters.append(Filter("from", query.date_from or "", f"running on or after {start}"))
    if end:
        out.scope = replace(out.scope, until=_days(end + timedelta(days=1)))
        out.filters.append(Filter("to", query.date_to or "", f"running on or before {end}"))
    return out


def _place(store: StoreAPI, text: str, out: Resolved) -> None:
    """A place filter: two letters are a country, anything else a place entity."""
    if len(text) == 2 and text.isalpha():
        code = text.upper()
        out.scope = replace(out.scope, country=code)
        out.filters.append(Filter("place", text, f"anywhere in {_country_name(code)}"))
        return
    entity = _entity(store, text, places=True)
    out.scope = replace(out.scope, place=entity["id"])
    out.filters.append(Filter("place", text, f"in {entity['name']}"))


def _entity(store: StoreAPI, text: str, places: bool) -> dict[str, Any]:
    """The entity with this id, or called this name (the most mentioned of that name)."""
    what = "place" if places else "entity"
    text = text.strip()
    if text.isdigit():
        row = store.queries.entity(int(text))
        if row is None:
            raise BadFilter(f"there is no {what} with id {text}")
        if places and not row["place_id"]:
            raise BadFilter(f"entity {text} ({row['name']}) is not a place on the map")
        return row
    rows = store.queries.feed_entities_named(text, places=places)
    if not rows:
        hint = " or a country code such as IQ" if places else ""
        raise BadFilter(f"no {what} is called {text!r}: give its name as the "
                        f"{what}s page shows it, its id{hint}")
    return rows[0]


def _language_name(code: str) -> str:
    import pycountry

    found = (pycountry.languages.get(alpha_2=code) if len(code) == 2 else None) \
        or pycountry.languages.get(alpha_3=code)
    return found.name if found is not None else code


def _country_name(code: str) -> str:
    import pycountry

    found = pycountry.countries.get(alpha_2=code)
    if found is None:
        raise BadFilter(f"{code} is not an ISO 3166 country code (such as IQ or FR)")
    return getattr(found, "common_name", None) or found.name


def _days(day: date) -> float:
    """Midnight UTC of ``day`` in days since the epoch, as stories keep their times."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp() / 86400.0


# -- the growth window -------------------------------------------------------------------
def _window(store: StoreAPI, query: FeedQuery) -> Window | None:
    """The window of the last ``hours`` before now; None when nothing is dated."""
    if query.as_of:
        now = _as_of(query.as_of)
        end = _stamp(now)
    else:
        end = store.queries.feed_now()
        if end is None:
            return None
        now = _moment(end)
    return Window(now, _stamp(now - timedelta(hours=query.hours)), end, query.hours)


def _as_of(text: str) -> datetime:
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text) + timedelta(days=1),
                                    datetime.min.time(), UTC) - timedelta(seconds=1)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise BadFilter(f"as_of must be a day (YYYY-MM-DD) or a time (YYYY-MM-DDTHH:MM), "
                        f"not {text!r}") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _moment(stamp: str) -> datetime:
    moment = datetime.fromisoformat(stamp)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _stamp(moment: datetime) -> str:
    """A time as the store writes publication times: ISO 8601, UTC, seconds."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def growth_of(recent: int, earlier: int, first: str | None, window: Window) -> tuple[float, float]:
    """``(expected, growth)`` of a story (see the module's docstring)."""
    expected = 0.0
    if earlier and first:
        span = (_moment(window.start) - _moment(first)).total_seconds() / 3600
        expected = earlier * window.hours / max(span, window.hours)
    return expected, (recent + 1) / (expected + 1)


def _add_growth(store: StoreAPI, rows: list[dict[str, Any]], window: Window | None) -> None:
    """Each row's ``recent``, ``earlier``, ``first``, ``expected`` and ``growth``."""
    if window is None:
        for r in rows:
            r.update(recent=0, expected=0.0, growth=None)
        return
    before = {b["story_id"]: b for b in
              store.queries.feed_before([r["id"] for r in rows], window.start, window.end)}
    for r in rows:
        b = before.get(r["id"], {"earlier": 0, "upto": 0, "first": None})
        if "recent" not in r:
            r["recent"] = int(b["upto"]) - int(b["earlier"])
        r["earlier"] = int(b["earlier"])
        r["expected"], r["growth"] = growth_of(r["recent"], r["earlier"], b["first"], window)


def _growth_page(store: StoreAPI, scope: FeedScope, window: Window,
                 query: FeedQuery) -> tuple[list[dict[str, Any]], str | None]:
    """A page of the growth order: the active stories by growth, then the quiet ones."""
    after, quiet_cursor = _growth_cursor(query.cursor)
    rows: list[dict[str, Any]] = []
    if quiet_cursor is None:
        active = store.queries.feed_active(scope, window.start, window.end)
        _add_growth(store, active, window)
        active.sort(key=lambda r: (-r["growth"], -r["seen"], r["id"]))
        if after is not None:
            active = [r for r in active if _past(r, after)]
        rows = active[:query.limit + 1]
        if len(rows) > query.limit:
            rows = rows[:query.limit]
            return rows, _GROWTH.encode(_GROWTH.key_of(rows[-1]))
    room = query.limit - len(rows)
    quiet = store.queries.feed_quiet(scope, window.start, window.end, max(room, 1),
                                     quiet_cursor)
    if room == 0:  # the page is full: go on to the quiet stories if there are any
        return rows, _GROWTH.encode(_GROWTH.key_of(rows[-1])) if quiet.rows else None
    _add_growth(store, quiet.rows, window)
    return rows + quiet.rows, quiet.next_cursor


def _growth_cursor(cursor: str | None) -> tuple[list[Any] | None, str | None]:
    """``(key after which the active stories resume, cursor of the quiet stories)``."""
    if cursor is None:
        return None, None
    try:
        return _GROWTH.decode(cursor), None
    except BadCursor as exc:
        if "pages feed-quiet" in str(exc):
            return None, cursor
        raise


def _past(row: dict[str, Any], key: Sequence[Any]) -> bool:
    growth, seen, story = key
    return (-row["growth"], -row["seen"], row["id"]) > (-growth, -seen, story)


# -- per-story figures of a page -------------------------------------------------------
def _items(store: StoreAPI, rows: list[dict[str, Any]], window: Window | None,
           memo: ClaimMemo | None) -> list[dict[str, Any]]:
    ids = [r["id"] for r in rows]
    hours = _hours_by_story(store, ids)
    sources = _source_counts(store, ids)
    claims = _remembered_claims(store, rows, memo)
    return [{
        "id": r["id"], "title": r["title"], "title_lang": r["title_lang"], "size": r["size"],
        "languages": json.loads(r["languages"] or "[]"),
        "first_seen": _iso_days(r["first"]), "last_seen": _iso_days(r["seen"] or None),
        "sources": sources.get(r["id"], 0), "recent": r["recent"],
        "expected": round(r["expected"], 2),
        "growth": round(r["growth"], 2) if r["growth"] is not None else None,
        "breaking": bool(window and r["recent"] >= BREAKING_MIN
                         and r["growth"] >= BREAKING_FACTOR),
        "claims": claims.get(r["id"], {"corroborated": 0, "contradicted": 0, "single": 0}),
        "activity": activity(hours.get(r["id"], {})),
    } for r in rows]


def _iso_days(days: float | None) -> str | None:
    if days is None:
        return None
    return _stamp(datetime.fromtimestamp(days * 86400.0, UTC))


def _hours_by_story(store: StoreAPI, ids: list[int]) -> dict[int, dict[str, int]]:
    out: dict[int, dict[str, int]] = {}
    for r in store.queries.feed_hours(ids):
        out.setdefault(r["story_id"], {})[r["hour"]] = r["n"]
    return out


def activity(hours: dict[str, int], buckets: int = BUCKETS) -> dict[str, Any]:
    """A story's articles over its life: ``{start, end, counts, hours_per_bar, peak,
    peak_at}``, ``counts`` in at most ``buckets`` equal runs of whole hours from the
    hour of its first dated article to the end of its last one's; empty counts when no
    article is dated."""
    if not hours:
        return {"start": None, "end": None, "counts": [], "hours_per_bar": 0, "peak": 0,
                "peak_at": None}
    times = {datetime.fromisoformat(h + ":00:00+00:00"): n for h, n in hours.items()}
    start, last = min(times), max(times)
    total_hours = int((last - start).total_seconds() // 3600) + 1
    width = -(-total_hours // buckets)  # whole hours per bar, so bars start on the hour
    counts = [0] * -(-total_hours // width)
    for moment, n in times.items():
        counts[int((moment - start).total_seconds() // 3600) // width] += n
    peak = max(range(len(counts)), key=lambda i: (counts[i], -i))
    return {"start": _stamp(start), "end": _stamp(start + timedelta(hours=len(counts) * width)),
            "counts": counts, "hours_per_bar": width, "peak": counts[peak],
            "peak_at": _stamp(start + timedelta(hours=peak * width))}


def _source_counts(store: StoreAPI, ids: list[int]) -> dict[int, int]:
    """How many distinct outlets (:func:`newsweave.service.source_label`) per story."""
    rows = store.queries.feed_provenance(ids)
    roots = {r["id"]: json.loads(r["sources"]) for r in
             store.queries.feed_runs(sorted({r["run_id"] for r in rows if r["run_id"]}))}
    labels: dict[tuple[Any, ...], str] = {}
    seen: dict[int, set[str]] = {}
    for r in rows:
        key = _source_key(r)
        if key not in labels:
            labels[key] = source_label(r["site"], r["url"], r["source"],
                                       roots.get(r["run_id"], []))
        seen.setdefault(r["story_id"], set()).add(labels[key])
    return {story: len(names) for story, names in seen.items()}


def _source_key(row: dict[str, Any]) -> tuple[Any, ...]:
    """What a row's outlet name depends on: its site; else its URL's host; else the
    folder of its file under what its run ingested."""
    if row["site"]:
        return ("site", row["site"])
    if row["url"] or "://" in row["source"]:
        return ("host", urlsplit(row["url"] or row["source"]).hostname)
    return ("path", os.path.dirname(row["source"]), row["run_id"])


def _remembered_claims(store: StoreAPI, rows: list[dict[str, Any]],
                       memo: ClaimMemo | None) -> dict[int, dict[str, int]]:
    """:func:`_claim_counts` of the rows' stories, those in ``memo`` taken from it."""
    if memo is None:
        return _claim_counts(store, [r["id"] for r in rows])
    mark = store.queries.feed_facts_mark()
    keys = {r["id"]: (r["id"], r["size"], r["last_seq"] or 0, mark) for r in rows}
    out = {story: found for story, key in keys.items() if (found := memo.get(key)) is not None}
    missing = [story for story in keys if story not in out]
    counted = _claim_counts(store, missing) if missing else {}
    for story in missing:
        out[story] = counted.get(story, {"corroborated": 0, "contradicted": 0, "single": 0})
        memo.put(keys[story], out[story])
    return out


def _claim_counts(store: StoreAPI, ids: list[int]) -> dict[int, dict[str, int]]:
    """Per story: how many of its claims are corroborated, contradicted, single."""
    by_story: dict[int, list[dict[str, Any]]] = {}
    for r in store.facts.story_quantities(ids):
        by_story.setdefault(r["story_id"], []).append(r)
    out = {}
    for story, rows in by_story.items():
        counts = {"corroborated": 0, "contradicted": 0, "single": 0}
        for group in group_claims(claims_from_rows(rows)):
            counts[group.status] = counts.get(group.status, 0) + 1
        out[story] = counts
    return out
