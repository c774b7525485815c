"""Queries that return plain dicts: the only place the CLI, API and web UI read from.

The shapes here are a contract (documented in ``docs/cli.md`` and checked by the
tests): later features add fields, never rename or remove them. The rows come from
the store's read queries (``store.queries``, :mod:`newsweave.store.queries`); this
module holds no SQL, it shapes. Listings come whole (``list_*``) or a page at a time
(``*_page``: ``{items, next_cursor}``; pass ``next_cursor`` back as ``cursor`` for
the next page, which never overlaps the last nor skips a row).
"""

from __future__ import annotations

import json
import os
from pathlib import PurePath
from typing import Any
from urllib.parse import urlsplit

from ..errors import NotFound
from ..store.base import StoreAPI
from ..store.cursor import Page
from .facts import story_claims, story_quotes, story_timeline
from .values import ENTITY_TYPES, checked_choice, checked_text

_ARTICLE_FIELDS = ("id", "external_id", "title", "lang", "source", "published",
                   "duplicate_of", "story")


def _article_row(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row[k] for k in _ARTICLE_FIELDS}


def _page(items: list[dict[str, Any]], page: Page) -> dict[str, Any]:
    return {"items": items, "next_cursor": page.next_cursor}


def articles_page(store: StoreAPI, limit: int | None = None, cursor: str | None = None,
                  story: int | None = None, lang: str | None = None) -> dict[str, Any]:
    """One page of :func:`list_articles`: ``{items, next_cursor}``; a ``lang`` that is
    no text a query can use is a :class:`~newsweave.errors.BadFilter`."""
    lang = checked_text("lang", lang)
    page = store.queries.articles(limit, cursor, story=story, lang=lang)
    return _page([_article_row(r) for r in page.rows], page)


def list_articles(store: StoreAPI, limit: int | None = None, story: int | None = None,
                  lang: str | None = None) -> list[dict[str, Any]]:
    """Articles in stream order: ``{id, external_id, title, lang, source, published,
    duplicate_of, story}``."""
    return articles_page(store, limit, story=story, lang=lang)["items"]


def _removed_lines(raw: str | None) -> list[dict[str, str]]:
    """``[{line, reason}]``; databases written before reasons were kept stored bare lines."""
    items = json.loads(raw) if raw else []
    return [item if isinstance(item, dict) else {"line": item, "reason": "boilerplate"}
            for item in items]


def get_article(store: StoreAPI, article_id: int) -> dict[str, Any]:
    """One article: the listing fields plus ``text`` and its provenance details."""
    row = store.queries.article(article_id)
    if row is None:
        raise NotFound(f"no article with id {article_id}")
    out = _article_row(row)
    out.update({k: row[k] for k in ("text", "url", "site", "author", "fmt", "lang_confidence",
                                    "lang_model", "duplicate_kind", "duplicate_score",
                                    "content_hash", "ingested_at", "published_source")})
    out["removed_lines"] = _removed_lines(row["removed_lines"])
    out["embedding_model"] = row["embedding_model"]
    return out


def _story_dicts(store: StoreAPI, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    ids = [r["id"] for r in rows]
    if not ids:
        return []
    members: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    for a in store.queries.story_members(ids):
        members[a["story_id"]].append({"id": a["id"], "title": a["title"], "lang": a["lang"],
                                       "source": a["source"], "published": a["published"],
                                       "duplicate_of": a["duplicate_of"]})
    related: dict[int, list[int]] = {i: [] for i in ids}
    for link in store.queries.story_links(ids):
        related[link["story_id"]].append(link["related_id"])
    names = _story_entities(store, ids)
    out = []
    for r in rows:
        arts = members[r["id"]]
        dates = sorted(a["published"] for a in arts if a["published"])
        out.append({
            "id": r["id"], "title": r["title"], "size": len(arts),
            "languages": sorted({a["lang"] for a in arts}),
            "first_seen": dates[0] if dates else None,
            "last_seen": dates[-1] if dates else None,
            "related": related[r["id"]],
            "articles": arts,
            "entities": names[r["id"]]["entities"],
            "places": names[r["id"]]["places"],
        })
    return out


def _story_entities(store: StoreAPI, ids: list[int]) -> dict[int, dict[str, list]]:
    """Per story: its entities (most articles first) and its resolved places."""
    out: dict[int, dict[str, list]] = {i: {"entities": [], "places": []} for i in ids}
    rows = store.queries.story_entities(ids)
    places = _places_by_id(store, {r["place_id"] for r in rows if r["place_id"]})
    for r in rows:
        out[r["story_id"]]["entities"].append(
            {"id": r["id"], "name": r["name"], "type": r["type"], "mentions": r["mentions"],
             "articles": r["articles"]})
        if r["place_id"] in places:
            out[r["story_id"]]["places"].append({"id": r["id"], **places[r["place_id"]]})
    return out


def _places_by_id(store: StoreAPI, place_ids: set[str]) -> dict[str, dict[str, Any]]:
    if not place_ids:
        return {}
    return {r["id"]: {"name": r["name"], "place_id": r["id"], "feature": r["feature"],
                      "country": r["country"], "admin1": r["admin1"], "lat": r["lat"],
                      "lon": r["lon"]}
            for r in store.queries.places_by_id(place_ids)}


def stories_page(store: StoreAPI, limit: int | None = None, cursor: str | None = None,
                 min_size: int = 1) -> dict[str, Any]:
    """One page of :func:`list_stories`: ``{items, next_cursor}``."""
    page = store.queries.stories(limit, cursor, min_size=min_size)
    return _page(_story_dicts(store, page.rows), page)


def list_stories(store: StoreAPI, limit: int | None = None,
                 min_size: int = 1) -> list[dict[str, Any]]:
    """Stories, largest first (ties: most recent first): ``{id, title, size, languages,
    first_seen, last_seen, related, articles: [{id, title, lang, source, ...}]}``."""
    return stories_page(store, limit, min_size=min_size)["items"]


def get_story(store: StoreAPI, story_id: int) -> dict[str, Any]:
    """One story: the fields of :func:`list_stories` plus ``language_counts``,
    ``sources``, ``related_stories``, ``timeline``, ``quotes`` and ``claims`` (see
    docs/cli.md)."""
    row = store.queries.story(story_id)
    if row is None:
        raise NotFound(f"no story with id {story_id}")
    out = _story_dicts(store, [row])[0]
    counts: dict[str, int] = {}
    for a in out["articles"]:
        counts[a["lang"]] = counts.get(a["lang"], 0) + 1
    out["language_counts"] = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    out["sources"] = _story_sources(store, story_id)
    out["related_stories"] = _related_stories(store, story_id)
    out["timeline"] = story_timeline(store, story_id)
    out["quotes"] = story_quotes(store, story_id)
    out["claims"] = story_claims(store, story_id)
    return out


def _story_sources(store: StoreAPI, story_id: int) -> list[dict[str, Any]]:
    """The outlets of a story's articles, most articles first: ``[{name, articles}]``."""
    roots = {r["id"]: json.loads(r["sources"]) for r in store.queries.story_runs(story_id)}
    counts: dict[str, int] = {}
    for a in store.queries.story_provenance(story_id):
        name = source_label(a["site"], a["url"], a["source"], roots.get(a["run_id"], []))
        counts[name] = counts.get(name, 0) + 1
    return [{"name": n, "articles": c}
            for n, c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def source_label(site: str | None, url: str | None, source: str,
                 ingested: list[str]) -> str:
    """A readable name for where an article came from: its site name, else its URL's
    host, else the folder it was found in under what the user ingested (the first
    folder below an ingested folder: ``news/<outlet>/...`` gives ``<outlet>``)."""
    if site:
        return site
    host = urlsplit(url or source).hostname if (url or "://" in source) else None
    if host:
        return host.removeprefix("www.")
    path = PurePath(source)
    for root in ingested:
        if root in ("-",) or "://" in root:
            continue
        base = PurePath(os.path.abspath(os.path.expanduser(root)))
        if base in path.parents:
            parts = path.relative_to(base).parts
            return parts[0] if len(parts) > 1 else base.name
    return path.parent.name or source


def _related_stories(store: StoreAPI, story_id: int) -> list[dict[str, Any]]:
    """Stories linked as related, strongest first: ``[{id, title, size, score}]``."""
    return [{"id": r["id"], "title": r["title"], "size": r["size"],
             "score": round(r["score"], 3)} for r in store.queries.related_stories(story_id)]


def skipped_page(store: StoreAPI, limit: int | None = None,
                 cursor: str | None = None) -> dict[str, Any]:
    """One page of :func:`list_skipped`: ``{items, next_cursor}``."""
    page = store.queries.skipped(limit, cursor)
    return _page([{"source": r["source"], "reason": r["reason"]} for r in page.rows], page)


def list_skipped(store: StoreAPI, limit: int | None = None) -> list[dict[str, Any]]:
    """Inputs that were not ingested, newest first, one row per source and reason."""
    return skipped_page(store, limit)["items"]


def summary(store: StoreAPI) -> dict[str, Any]:
    """Counts for a status line."""
    counts = store.queries.counts()
    return {
        "articles": store.count("articles"),
        "duplicates": counts["duplicates"],
        "stories": store.count("stories"),
        "languages": counts["languages"],
        "skipped": counts["skipped_sources"],
    }


# -- entities and places ---------------------------------------------------------------
def _per_entity(entity_ids: list[int], rows: list[dict[str, Any]],
                column: str) -> dict[int, list[Any]]:
    """``{entity id: [values of column]}`` from rows already in the order wanted."""
    out: dict[int, list[Any]] = {i: [] for i in entity_ids}
    for r in rows:
        out[r["entity_id"]].append(r[column])
    return out


def _aliases(store: StoreAPI, entity_ids: list[int]) -> dict[int, list[str]]:
    """Every surface form seen, most frequent first."""
    return _per_entity(entity_ids, store.queries.aliases(entity_ids), "alias")


def _entity_articles(store: StoreAPI, entity_ids: list[int]) -> dict[int, list[int]]:
    """The articles that mention each entity, in id order."""
    return _per_entity(entity_ids, store.queries.entity_articles(entity_ids), "article_id")


def _entity_dicts(store: StoreAPI, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    ids = [r["id"] for r in rows]
    aliases, articles = _aliases(store, ids), _entity_articles(store, ids)
    return [{"id": r["id"], "name": r["name"], "type": r["type"], "aliases": aliases[r["id"]],
             "articles": articles[r["id"]], "mentions": r["mentions"], "key": r["key"]}
            for r in rows]


def entities_page(store: StoreAPI, limit: int | None = None, cursor: str | None = None,
                  type_: str | None = None, min_articles: int = 1) -> dict[str, Any]:
    """One page of :func:`list_entities`: ``{items, next_cursor}``; a ``type_`` other
    than PER, ORG, LOC or MISC is a :class:`~newsweave.errors.BadFilter`."""
    type_ = checked_choice("type", type_, ENTITY_TYPES)
    page = store.queries.entities(limit, cursor, type_=type_, min_articles=min_articles)
    return _page(_entity_dicts(store, page.rows), page)


def list_entities(store: StoreAPI, limit: int | None = None, type_: str | None = None,
                  min_articles: int = 1) -> list[dict[str, Any]]:
    """Entities, most articles first: ``{id, name, type, aliases, articles, mentions}``
    (plus ``key``: ``kb:…``/``cc:…`` for curated entries, ``new:…`` for learned ones)."""
    return entities_page(store, limit, type_=type_, min_articles=min_articles)["items"]


def get_entity(store: StoreAPI, entity_id: int, limit: int = 200) -> dict[str, Any]:
    """One entity with its mentions (each with its sentence and article), the entities
    it appears with, its stories, and its place when it is one."""
    row = store.queries.entity(entity_id)
    if row is None:
        raise NotFound(f"no entity with id {entity_id}")
    out = _entity_dicts(store, [row])[0]
    out["place"] = _places_by_id(store, {row["place_id"]}).get(row["place_id"])
    out["mentions_list"] = _mentions_of(store, entity_id, limit)
    out["co_occurring"] = [
        {"id": r["id"], "name": r["name"], "type": r["type"], "articles": r["n"]}
        for r in store.queries.co_occurring(entity_id)]
    out["stories"] = store.queries.entity_story_ids(entity_id)
    out["stories_list"] = [{"id": r["id"], "title": r["title"], "size": r["size"],
                            "articles": r["n"]} for r in store.queries.entity_stories(entity_id)]
    return out


def _mentions_of(store: StoreAPI, entity_id: int, limit: int) -> list[dict[str, Any]]:
    return [{"article": r["article_id"], "article_title": r["title"], "start": r["char_start"],
             "end": r["char_end"], "text": r["text"], "type": r["type"],
             "sentence_index": r["sentence"],
             "sentence": r["body"][r["s0"]:r["s1"]] if r["s0"] is not None else None,
             "sentence_start": r["s0"],
             "source": r["source"], "confidence": r["confidence"]}
            for r in store.queries.mentions_of(entity_id, limit)]


def places_page(store: StoreAPI, limit: int | None = None,
                cursor: str | None = None) -> dict[str, Any]:
    """One page of :func:`list_places`: ``{items, next_cursor}``."""
    page = store.queries.places(limit, cursor)
    ids = [r["id"] for r in page.rows]
    aliases, articles = _aliases(store, ids), _entity_articles(store, ids)
    return _page([{"id": r["id"], "name": r["ename"], "aliases": aliases[r["id"]],
                   "feature": r["feature"], "country": r["country"], "admin1": r["admin1"],
                   "lat": r["lat"], "lon": r["lon"], "place_id": r["pid"],
                   "articles": articles[r["id"]]} for r in page.rows], page)


def list_places(store: StoreAPI, limit: int | None = None) -> list[dict[str, Any]]:
    """Resolved places, most articles first: ``{id, name, aliases, feature, country,
    admin1, lat, lon, articles}`` (``id`` is the entity id; ``place_id`` the gazetteer's)."""
    return places_page(store, limit)["items"]
