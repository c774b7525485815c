"""Queries that return plain dicts: the only place the CLI, API and web UI read from.

The shapes here are a contract (documented in ``docs/cli.md`` and checked by the
tests): later features add fields, never rename or remove them.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

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


def get_article(store: Store, article_id: int) -> dict[str, Any]:
    """One article: the listing fields plus ``text`` and its provenance details."""
    row = store.conn.execute(
        f"SELECT {_ARTICLE_COLUMNS}, text, url, site, author, fmt, lang_confidence, lang_model, "
        "duplicate_kind, duplicate_score, removed_lines, content_hash, ingested_at "
        "FROM articles WHERE id = ?", (article_id,)).fetchone()
    if row is None:
        raise NotFound(f"no article with id {article_id}")
    out = _article_row(row)
    out.update({k: row[k] for k in ("text", "url", "site", "author", "fmt", "lang_confidence",
                                    "lang_model", "duplicate_kind", "duplicate_score",
                                    "content_hash", "ingested_at")})
    out["removed_lines"] = json.loads(row["removed_lines"]) if row["removed_lines"] else []
    vec = store.conn.execute("SELECT model FROM vectors WHERE article_id = ?",
                             (article_id,)).fetchone()
    out["embedding_model"] = vec[0] if vec else None
    return out


def _story_dicts(store: Store, rows: list[sqlite3.Row]) -> list[dict[str, Any]]:
    ids = [r["id"] for r in rows]
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    members: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    for a in store.conn.execute(
            f"SELECT id, title, lang, source, published, duplicate_of, story_id FROM articles "
            f"WHERE story_id IN ({marks}) ORDER BY coalesce(published, ''), seq", ids):
        members[a["story_id"]].append({"id": a["id"], "title": a["title"], "lang": a["lang"],
                                       "source": a["source"], "published": a["published"],
                                       "duplicate_of": a["duplicate_of"]})
    related: dict[int, list[int]] = {i: [] for i in ids}
    for link in store.conn.execute(
            f"SELECT story_id, related_id FROM story_links WHERE story_id IN ({marks}) "
            "ORDER BY score DESC, related_id", ids):
        related[link[0]].append(link[1])
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
        })
    return out


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
    """One story with the same fields as :func:`list_stories`."""
    rows = store.conn.execute(f"{_STORY_SELECT} WHERE s.id = ?", (story_id,)).fetchall()
    if not rows:
        raise NotFound(f"no story with id {story_id}")
    return _story_dicts(store, rows)[0]


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
