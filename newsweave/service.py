"""Queries that return plain dicts: the only place the CLI, API and web UI read from.

The shapes here are a contract (documented in ``docs/cli.md`` and checked by the
tests): later features add fields, never rename or remove them.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import PurePath
from typing import Any
from urllib.parse import urlsplit

from .errors import NotFound
from .store.sqlite import Store

_ARTICLE_COLUMNS = ("id, external_id, title, lang, source, published, duplicate_of, "
                    "story_id AS story")


def _article_row(row: sqlite3.Row) -> dict[str, Any]:
    return {k: row[k] for k in ("id", "external_id", "title", "lang", "source", "published",
                                "duplicate_of", "story")}


def list_articles(store: Store, limit: int | None = None, story: int | None = None,
                  lang: str | None = None) -> list[dict[str, Any]]:
    """Articles in stream order: ``{id, external_id, title, lang, source, published,
    duplicate_of, story}``."""
    where, args = [], []
    if story is not None:
        where.append("story_id = ?")
        args.append(story)
    if lang is not None:
        where.append("lang = ?")
        args.append(lang)
    sql = f"SELECT {_ARTICLE_COLUMNS} FROM articles"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY seq LIMIT ?"
    args.append(-1 if limit is None else limit)
    return [_article_row(r) for r in store.conn.execute(sql, args)]


def _removed_lines(raw: str | None) -> list[dict[str, str]]:
    """``[{line, reason}]``; databases written before reasons were kept stored bare lines."""
    items = json.loads(raw) if raw else []
    return [item if isinstance(item, dict) else {"line": item, "reason": "boilerplate"}
            for item in items]


def get_article(store: Store, article_id: int) -> dict[str, Any]:
    """One article: the listing fields plus ``text`` and its provenance details."""
    row = store.conn.execute(
        f"SELECT {_ARTICLE_COLUMNS}, text, url, site, author, fmt, lang_confidence, lang_model, "
        "duplicate_kind, duplicate_score, removed_lines, content_hash, ingested_at, "
        "published_source FROM articles WHERE id = ?", (article_id,)).fetchone()
    if row is None:
        raise NotFound(f"no article with id {article_id}")
    out = _article_row(row)
    out.update({k: row[k] for k in ("text", "url", "site", "author", "fmt", "lang_confidence",
                                    "lang_model", "duplicate_kind", "duplicate_score",
                                    "content_hash", "ingested_at", "published_source")})
    out["removed_lines"] = _removed_lines(row["removed_lines"])
    vec = store.conn.execute("SELECT model FROM vectors WHERE article_id = ?",
                             (article_id,)).fetchone()
    out["embedding_model"] = vec[0] if vec else None
    return out


def _story_dicts(store: Store, rows: list[sqlite3.Row]) -> list[dict[str, Any]]:
    ids = [r["id"] for r in rows]
    if not ids:
        return []
    members: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    for a in store.select_in(
            "SELECT id, title, lang, source, published, duplicate_of, story_id FROM articles "
            "WHERE story_id IN ({marks}) ORDER BY coalesce(published, ''), seq", ids):
        members[a["story_id"]].append({"id": a["id"], "title": a["title"], "lang": a["lang"],
                                       "source": a["source"], "published": a["published"],
                                       "duplicate_of": a["duplicate_of"]})
    related: dict[int, list[int]] = {i: [] for i in ids}
    for link in store.select_in("SELECT story_id, related_id FROM story_links WHERE story_id IN "
            "({marks}) ORDER BY score DESC, related_id", ids):
        related[link[0]].append(link[1])
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


def _story_entities(store: Store, ids: list[int]) -> dict[int, dict[str, list]]:
    """Per story: its entities (most articles first) and its resolved places."""
    out: dict[int, dict[str, list]] = {i: {"entities": [], "places": []} for i in ids}
    rows = list(store.select_in(
        "SELECT a.story_id, e.id, e.name, e.type, e.place_id, count(*) AS mentions, "
        "count(DISTINCT m.article_id) AS articles FROM mentions m "
        "JOIN articles a ON a.id = m.article_id JOIN entities e ON e.id = m.entity_id "
        "WHERE a.story_id IN ({marks}) GROUP BY a.story_id, e.id "
        "ORDER BY articles DESC, mentions DESC, e.name", ids))
    places = _places_by_id(store, {r["place_id"] for r in rows if r["place_id"]})
    for r in rows:
        out[r["story_id"]]["entities"].append(
            {"id": r["id"], "name": r["name"], "type": r["type"], "mentions": r["mentions"],
             "articles": r["articles"]})
        if r["place_id"] in places:
            out[r["story_id"]]["places"].append({"id": r["id"], **places[r["place_id"]]})
    return out


def _places_by_id(store: Store, place_ids: set[str]) -> dict[str, dict[str, Any]]:
    if not place_ids:
        return {}
    return {r["id"]: {"name": r["name"], "place_id": r["id"], "feature": r["feature"],
                      "country": r["country"], "admin1": r["admin1"], "lat": r["lat"],
                      "lon": r["lon"]}
            for r in store.select_in("SELECT * FROM places WHERE id IN ({marks})",
                               sorted(place_ids))}


_STORY_SELECT = ("SELECT s.id, coalesce(a.title, '') AS title, s.size FROM stories s "
                 "LEFT JOIN articles a ON a.id = s.label_article_id")


def list_stories(store: Store, limit: int | None = None,
                 min_size: int = 1) -> list[dict[str, Any]]:
    """Stories, largest first (ties: most recent first): ``{id, title, size, languages,
    first_seen, last_seen, related, articles: [{id, title, lang, source, ...}]}``."""
    rows = store.conn.execute(
        f"{_STORY_SELECT} WHERE s.size >= ? ORDER BY s.size DESC, "
        "coalesce(s.last_seen, 0) DESC, s.id LIMIT ?",
        (min_size, -1 if limit is None else limit)).fetchall()
    return _story_dicts(store, rows)


def get_story(store: Store, story_id: int) -> dict[str, Any]:
    """One story: the fields of :func:`list_stories` plus ``language_counts``,
    ``sources`` and ``related_stories`` (see docs/cli.md)."""
    rows = store.conn.execute(f"{_STORY_SELECT} WHERE s.id = ?", (story_id,)).fetchall()
    if not rows:
        raise NotFound(f"no story with id {story_id}")
    out = _story_dicts(store, rows)[0]
    counts: dict[str, int] = {}
    for a in out["articles"]:
        counts[a["lang"]] = counts.get(a["lang"], 0) + 1
    out["language_counts"] = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    out["sources"] = _story_sources(store, story_id)
    out["related_stories"] = _related_stories(store, story_id)
    # The story's timeline, quotes and claims join here once those stages exist.
    return out


def _story_sources(store: Store, story_id: int) -> list[dict[str, Any]]:
    """The outlets of a story's articles, most articles first: ``[{name, articles}]``."""
    roots = {r["id"]: json.loads(r["sources"]) for r in store.conn.execute(
        "SELECT id, sources FROM runs WHERE id IN (SELECT DISTINCT run_id FROM articles "
        "WHERE story_id = ?)", (story_id,))}
    counts: dict[str, int] = {}
    for a in store.conn.execute("SELECT site, url, source, run_id FROM articles "
                                "WHERE story_id = ?", (story_id,)):
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


def _related_stories(store: Store, story_id: int) -> list[dict[str, Any]]:
    """Stories linked as related, strongest first: ``[{id, title, size, score}]``."""
    return [{"id": r["id"], "title": r["title"], "size": r["size"],
             "score": round(r["score"], 3)} for r in store.conn.execute(
        "SELECT s.id, coalesce(a.title, '') AS title, l.score, "
        "(SELECT count(*) FROM articles x WHERE x.story_id = s.id) AS size FROM story_links l "
        "JOIN stories s ON s.id = l.related_id "
        "LEFT JOIN articles a ON a.id = s.label_article_id "
        "WHERE l.story_id = ? ORDER BY l.score DESC, s.id", (story_id,))]


def list_skipped(store: Store, limit: int | None = None) -> list[dict[str, Any]]:
    """Inputs that were not ingested, newest first, one row per source and reason."""
    rows = store.conn.execute(
        "SELECT source, reason, max(at) AS at FROM skipped GROUP BY source, reason "
        "ORDER BY max(id) DESC LIMIT ?", (-1 if limit is None else limit,))
    return [{"source": r["source"], "reason": r["reason"]} for r in rows]


def summary(store: Store) -> dict[str, Any]:
    """Counts for a status line."""
    c = store.conn
    return {
        "articles": store.count("articles"),
        "duplicates": c.execute("SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL")
        .fetchone()[0],
        "stories": store.count("stories"),
        "languages": [r[0] for r in c.execute(
            "SELECT lang FROM articles GROUP BY lang ORDER BY count(*) DESC, lang")],
        "skipped": c.execute("SELECT count(DISTINCT source) FROM skipped").fetchone()[0],
    }


# -- entities and places ---------------------------------------------------------------
def _per_entity(store: Store, entity_ids: list[int], sql: str) -> dict[int, list[Any]]:
    """``{entity id: [values]}`` from ``sql``, which selects (entity_id, value) rows for
    the ids in its ``{marks}`` placeholder, already in the order wanted."""
    out: dict[int, list[Any]] = {i: [] for i in entity_ids}
    for r in store.select_in(sql, entity_ids):
        out[r[0]].append(r[1])
    return out


def _aliases(store: Store, entity_ids: list[int]) -> dict[int, list[str]]:
    """Every surface form seen, most frequent first."""
    return _per_entity(store, entity_ids,
                       "SELECT entity_id, alias FROM entity_aliases WHERE entity_id IN "
                       "({marks}) AND count > 0 ORDER BY count DESC, alias")


def _entity_articles(store: Store, entity_ids: list[int]) -> dict[int, list[int]]:
    """The articles that mention each entity, in id order."""
    return _per_entity(store, entity_ids,
                       "SELECT DISTINCT entity_id, article_id FROM mentions WHERE entity_id IN "
                       "({marks}) ORDER BY entity_id, article_id")


def _entity_dicts(store: Store, rows: list[sqlite3.Row]) -> list[dict[str, Any]]:
    ids = [r["id"] for r in rows]
    aliases, articles = _aliases(store, ids), _entity_articles(store, ids)
    return [{"id": r["id"], "name": r["name"], "type": r["type"], "aliases": aliases[r["id"]],
             "articles": articles[r["id"]], "mentions": r["mentions"], "key": r["key"]}
            for r in rows]


def list_entities(store: Store, limit: int | None = None, type_: str | None = None,
                  min_articles: int = 1) -> list[dict[str, Any]]:
    """Entities, most articles first: ``{id, name, type, aliases, articles, mentions}``
    (plus ``key``: ``kb:…``/``cc:…`` for curated entries, ``new:…`` for learned ones)."""
    sql = "SELECT id, key, name, type, mentions FROM entities WHERE articles >= ?"
    args: list[Any] = [min_articles]
    if type_ is not None:
        sql += " AND type = ?"
        args.append(type_)
    sql += " ORDER BY articles DESC, mentions DESC, name LIMIT ?"
    args.append(-1 if limit is None else limit)
    return _entity_dicts(store, store.conn.execute(sql, args).fetchall())


def get_entity(store: Store, entity_id: int, limit: int = 200) -> dict[str, Any]:
    """One entity with its mentions (each with its sentence and article), the entities
    it appears with, its stories, and its place when it is one."""
    row = store.conn.execute("SELECT id, key, name, type, mentions, place_id FROM entities "
                             "WHERE id = ?", (entity_id,)).fetchone()
    if row is None:
        raise NotFound(f"no entity with id {entity_id}")
    out = _entity_dicts(store, [row])[0]
    out["place"] = _places_by_id(store, {row["place_id"]}).get(row["place_id"])
    out["mentions_list"] = _mentions_of(store, entity_id, limit)
    out["co_occurring"] = [
        {"id": r["id"], "name": r["name"], "type": r["type"], "articles": r["n"]}
        for r in store.conn.execute(
            "SELECT e.id, e.name, e.type, count(DISTINCT m.article_id) AS n FROM mentions m "
            "JOIN entities e ON e.id = m.entity_id WHERE m.article_id IN "
            "(SELECT article_id FROM mentions WHERE entity_id = ?) AND e.id != ? "
            "GROUP BY e.id ORDER BY n DESC, e.name LIMIT 50", (entity_id, entity_id))]
    out["stories"] = [r[0] for r in store.conn.execute(
        "SELECT DISTINCT a.story_id FROM mentions m JOIN articles a ON a.id = m.article_id "
        "WHERE m.entity_id = ? AND a.story_id IS NOT NULL ORDER BY a.story_id", (entity_id,))]
    out["stories_list"] = _entity_stories(store, entity_id)
    return out


def _entity_stories(store: Store, entity_id: int) -> list[dict[str, Any]]:
    """The stories an entity appears in, most of its articles first: ``[{id, title, size,
    articles}]`` (``articles``: how many of the story's articles mention it)."""
    return [{"id": r["id"], "title": r["title"], "size": r["size"], "articles": r["n"]}
            for r in store.conn.execute(
        "SELECT s.id, coalesce(l.title, '') AS title, count(DISTINCT a.id) AS n, "
        "(SELECT count(*) FROM articles x WHERE x.story_id = s.id) AS size "
        "FROM mentions m JOIN articles a ON a.id = m.article_id "
        "JOIN stories s ON s.id = a.story_id "
        "LEFT JOIN articles l ON l.id = s.label_article_id "
        "WHERE m.entity_id = ? GROUP BY s.id ORDER BY n DESC, size DESC, s.id",
        (entity_id,))]


def _mentions_of(store: Store, entity_id: int, limit: int) -> list[dict[str, Any]]:
    rows = store.conn.execute(
        "SELECT m.article_id, m.sentence, m.char_start, m.char_end, m.text, m.type, m.source, "
        "m.confidence, s.char_start AS s0, s.char_end AS s1, a.text AS body, a.title "
        "FROM mentions m JOIN articles a ON a.id = m.article_id "
        "LEFT JOIN sentences s ON s.article_id = m.article_id AND s.idx = m.sentence "
        "WHERE m.entity_id = ? ORDER BY m.article_id, m.char_start LIMIT ?",
        (entity_id, limit)).fetchall()
    return [{"article": r["article_id"], "article_title": r["title"], "start": r["char_start"],
             "end": r["char_end"], "text": r["text"], "type": r["type"],
             "sentence_index": r["sentence"],
             "sentence": r["body"][r["s0"]:r["s1"]] if r["s0"] is not None else None,
             "sentence_start": r["s0"],
             "source": r["source"], "confidence": r["confidence"]} for r in rows]


def list_places(store: Store, limit: int | None = None) -> list[dict[str, Any]]:
    """Resolved places, most articles first: ``{id, name, aliases, feature, country,
    admin1, lat, lon, articles}`` (``id`` is the entity id; ``place_id`` the gazetteer's)."""
    rows = store.conn.execute(
        "SELECT e.id, e.name AS ename, p.id AS pid, p.feature, p.country, p.admin1, p.lat, "
        "p.lon FROM entities e "
        "JOIN places p ON p.id = e.place_id WHERE e.articles > 0 "
        "ORDER BY e.articles DESC, e.mentions DESC, e.name LIMIT ?",
        (-1 if limit is None else limit,)).fetchall()
    ids = [r[0] for r in rows]
    aliases, articles = _aliases(store, ids), _entity_articles(store, ids)
    return [{"id": r[0], "name": r["ename"], "aliases": aliases[r[0]], "feature": r["feature"],
             "country": r["country"], "admin1": r["admin1"], "lat": r["lat"], "lon": r["lon"],
             "place_id": r["pid"], "articles": articles[r[0]]} for r in rows]
