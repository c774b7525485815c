"""What the web UI's entity pages show: an entity's aliases by language, its
mentions over time, the entities it appears with, its stories, and the quotes by it
and about it; and the entity list, by type or by name.

Every read is bounded however large the store: a frequent entity's statistics come
from the articles of its latest :data:`SAMPLE` mentions (``sampled`` says when that
cut anything; co-occurring entities from its latest :data:`NEIGHBOUR_SAMPLE`),
and every list has a limit. Totals (``articles``, ``mentions``) are the counts the
store keeps on the entity itself.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ..enrich.entities.link import name_key
from ..errors import NewsweaveError, NotFound
from ..store.base import StoreAPI

SAMPLE = 2000          # the latest mentions whose articles an entity's statistics use
NEIGHBOUR_SAMPLE = 500  # ... for the entities named with it (every mention of them read)
LIST_SAMPLE = 200      # ... for the story counts of a list of places
STORIES = 50           # stories listed on an entity's page
NEIGHBOURS = 30        # co-occurring entities listed
QUOTES = 20            # quotes by it, and quotes about it
ALIASES_PER_LANG = 12  # surface forms listed per language
MAX_DAYS = 62          # a timeline spanning more days than this is counted by month
MAX_MONTHS = 120       # ... and by year past this many months
TYPES = {"PER": "People", "ORG": "Organisations", "LOC": "Places", "MISC": "Other"}


class BadParameter(NewsweaveError, ValueError):
    """A filter given to a page that cannot be read (the page answers 400 with it)."""


def entity_page(store: StoreAPI, entity_id: int) -> dict[str, Any]:
    """Everything an entity's page shows (see the module docstring)."""
    row = store.queries.entity(entity_id)
    if row is None:
        raise NotFound(f"no entity with id {entity_id}")
    place = None
    if row["place_id"]:
        found = store.queries.places_by_id([row["place_id"]])
        place = _place(found[0]) if found else None
    q = store.queries
    return {
        "id": row["id"], "name": row["name"], "type": row["type"], "key": row["key"],
        "articles": row["articles"], "mentions": row["mentions"], "place": place,
        "sample": SAMPLE, "sampled": row["mentions"] > SAMPLE,
        "aliases_by_language": aliases_by_language(q.entity_alias_langs(entity_id, SAMPLE)),
        "timeline": mention_timeline(q.entity_days(entity_id, SAMPLE)),
        "co_occurring": _neighbours(store, entity_id),
        "stories": [{"id": r["id"], "title": r["title"], "articles": r["n"], "size": r["size"],
                     "last": r["last"]}
                    for r in q.entity_recent_stories(entity_id, SAMPLE, STORIES)],
        "quotes_by": [_quote(r) for r in q.quotes_by(entity_id, QUOTES)],
        "quotes_about": [_quote(r) for r in q.quotes_about(entity_id, SAMPLE, QUOTES)],
    }


def _neighbours(store: StoreAPI, entity_id: int) -> list[dict[str, Any]]:
    """The entities named with this one: ``{id, name, type, articles, place}``
    (``place``: the gazetteer entry of those that are places, else None)."""
    rows = store.queries.entity_neighbours(entity_id, NEIGHBOUR_SAMPLE, NEIGHBOURS)
    wanted = {r["place_id"] for r in rows if r["place_id"]}
    places = ({r["id"]: _place(r) for r in store.queries.places_by_id(wanted)}
              if wanted else {})
    return [{"id": r["id"], "name": r["name"], "type": r["type"], "articles": r["n"],
             "place": places.get(r["place_id"])} for r in rows]


def _place(r: dict[str, Any]) -> dict[str, Any]:
    return {"place_id": r["id"], "name": r["name"], "feature": r["feature"],
            "country": r["country"], "admin1": r["admin1"], "lat": r["lat"], "lon": r["lon"]}


def _quote(r: dict[str, Any]) -> dict[str, Any]:
    speaker = ({"id": r["speaker_entity_id"], "name": r["speaker_name"]}
               if r["speaker_entity_id"] is not None else None)
    return {"text": r["text"], "speaker": r["speaker_text"], "speaker_entity": speaker,
            "direct": bool(r["direct"]), "article": r["article_id"],
            "article_title": r["title"], "lang": r["lang"], "published": r["published"],
            "story": r["story_id"]}


def aliases_by_language(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``[{lang, mentions, aliases: [{alias, n}]}]`` from ``{alias, lang, n}`` rows:
    languages with most mentions first, each language's forms most used first."""
    langs: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        langs.setdefault(r["lang"] or "und", []).append({"alias": r["alias"], "n": r["n"]})
    out = []
    for lang, forms in langs.items():
        forms.sort(key=lambda f: (-f["n"], f["alias"]))
        out.append({"lang": lang, "mentions": sum(f["n"] for f in forms),
                    "aliases": forms[:ALIASES_PER_LANG]})
    out.sort(key=lambda x: (-x["mentions"], x["lang"]))
    return out


def mention_timeline(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Articles per day, month or year (whichever keeps the bars few enough), gaps
    filled with zeros: ``{unit, buckets: [{label, n}], undated, first, last, peak}``."""
    undated = sum(r["n"] for r in rows if not _day(r["day"]))
    days = sorted((_day(r["day"]), r["n"]) for r in rows if _day(r["day"]))
    if not days:
        return {"unit": "day", "buckets": [], "undated": undated, "first": None,
                "last": None, "peak": None}
    first, last = days[0][0], days[-1][0]
    if (last - first).days < MAX_DAYS:
        unit, labels = "day", [date.fromordinal(o).isoformat()
                               for o in range(first.toordinal(), last.toordinal() + 1)]
        key = date.isoformat
    elif (last.year - first.year) * 12 + last.month - first.month < MAX_MONTHS:
        unit, labels = "month", _months(first, last)
        key = lambda d: f"{d.year:04d}-{d.month:02d}"  # noqa: E731
    else:
        unit, labels = "year", [str(y) for y in range(first.year, last.year + 1)]
        key = lambda d: f"{d.year:04d}"  # noqa: E731
    counts = dict.fromkeys(labels, 0)
    for d, n in days:
        counts[key(d)] += n
    buckets = [{"label": label, "n": n} for label, n in counts.items()]
    peak = max(buckets, key=lambda b: b["n"])
    return {"unit": unit, "buckets": buckets, "undated": undated, "first": labels[0],
            "last": labels[-1], "peak": peak}


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _months(first: date, last: date) -> list[str]:
    out, y, m = [], first.year, first.month
    while (y, m) <= (last.year, last.month):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y, m + 1) if m < 12 else (y + 1, 1)
    return out


def entity_list(store: StoreAPI, limit: int, cursor: str | None = None,
                type_: str | None = None, name: str | None = None) -> dict[str, Any]:
    """Entities, most articles first, of one type and/or whose name (any alias seen)
    starts with ``name``: ``{items: [{id, name, type, articles, mentions}],
    next_cursor}`` (a name search is one page, the ``limit`` best)."""
    if type_ is not None and type_ not in TYPES:
        raise BadParameter(f"type must be one of {', '.join(TYPES)}, not {type_!r}")
    if name:
        return {"items": [_listed(r) for r in find_entities(store, name, type_, limit)],
                "next_cursor": None}
    page = store.queries.entities(limit, cursor, type_=type_)
    return {"items": [_listed(r) for r in page.rows], "next_cursor": page.next_cursor}


def _listed(r: dict[str, Any]) -> dict[str, Any]:
    return {"id": r["id"], "name": r["name"], "type": r["type"], "articles": r["articles"],
            "mentions": r["mentions"]}


def find_entities(store: StoreAPI, name: str, type_: str | None,
                  limit: int) -> list[dict[str, Any]]:
    """Entities one of whose aliases starts with ``name`` (compared folded:
    accents, case and punctuation do not matter), most articles first."""
    key = name_key(name)
    if not key:
        return []
    high = key[:-1] + chr(ord(key[-1]) + 1)
    rows = store.queries.entities_named(key, high, type_, limit)
    # A database collation may order words differently from code points: keep only
    # true prefixes.
    return [r for r in rows if str(r["alias"]).startswith(key)] if rows else []
