"""The reads behind :mod:`newsweave.service`: rows as plain dicts, listings in pages.

Every listing has a total, deterministic order (ties broken by id) and reads one
page at a time through a keyset cursor (:mod:`newsweave.store.cursor`). The service
turns these rows into its JSON contract; no SQL is written outside the store.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from .cursor import Order, Page

if TYPE_CHECKING:
    from .sqlite import Store

ARTICLES = Order("articles", (("seq", "ASC"), ("id", "ASC")), ("seq", "id"))
STORIES = Order("stories", (("s.size", "DESC"), ("coalesce(s.last_seen, 0)", "DESC"),
                            ("s.id", "ASC")), ("size", "seen", "id"))
ENTITIES = Order("entities", (("articles", "DESC"), ("mentions", "DESC"), ("name", "ASC"),
                              ("id", "ASC")), ("articles", "mentions", "name", "id"))
PLACES = Order("places", (("e.articles", "DESC"), ("e.mentions", "DESC"), ("e.name", "ASC"),
                          ("e.id", "ASC")), ("articles", "mentions", "ename", "id"))
SKIPPED = Order("skipped", (("max(id)", "DESC"),), ("last",))

_ARTICLE_COLUMNS = ("id, external_id, title, lang, source, published, duplicate_of, "
                    "story_id AS story, seq")
_STORY_SELECT = ("SELECT s.id, coalesce(a.title, '') AS title, s.size, "
                 "coalesce(s.last_seen, 0) AS seen FROM stories s "
                 "LEFT JOIN articles a ON a.id = s.label_article_id")


def _dicts(rows: Iterable[Any]) -> list[dict[str, Any]]:
    return [dict(r) for r in rows]


class Queries:
    """Read-only queries over one store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def _page(self, order: Order, select: str, where: Sequence[str], params: Sequence[Any],
              limit: int | None, cursor: str | None, group_by: str = "") -> Page:
        """One page of ``select``: rows after ``cursor`` in ``order``, at most ``limit``
        (all when None). With ``group_by`` the cursor filters groups (``HAVING``)."""
        if limit is not None and limit < 0:
            raise ValueError(f"a page holds 0 rows or more, not {limit}")
        where, params, having = list(where), list(params), []
        if cursor is not None:
            condition, values = order.after(order.decode(cursor))
            (having if group_by else where).append(condition)
            params += values
        sql = select + (" WHERE " + " AND ".join(where) if where else "")
        sql += f" GROUP BY {group_by}" if group_by else ""
        sql += " HAVING " + " AND ".join(having) if having else ""
        sql += f" ORDER BY {order.sql()}"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit + 1)  # one more row says whether another page follows
        rows = _dicts(self.store.execute(sql, params))
        if limit is None or len(rows) <= limit:
            return Page(rows, None)
        rows = rows[:limit]
        return Page(rows, order.encode(order.key_of(rows[-1])) if rows else None)

    # -- articles --------------------------------------------------------------
    def articles(self, limit: int | None = None, cursor: str | None = None,
                 story: int | None = None, lang: str | None = None) -> Page:
        """Articles in stream order."""
        where, params = [], []
        if story is not None:
            where.append("story_id = ?")
            params.append(story)
        if lang is not None:
            where.append("lang = ?")
            params.append(lang)
        return self._page(ARTICLES, f"SELECT {_ARTICLE_COLUMNS} FROM articles", where, params,
                          limit, cursor)

    def article(self, article_id: int) -> dict[str, Any] | None:
        """One article with its text, provenance and embedding model (None if absent)."""
        row = self.store.execute(
            f"SELECT {_ARTICLE_COLUMNS}, text, url, site, author, fmt, lang_confidence, "
            "lang_model, duplicate_kind, duplicate_score, removed_lines, content_hash, "
            "ingested_at, published_source FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            return None
        out = dict(row)
        vec = self.store.execute("SELECT model FROM vectors WHERE article_id = ?",
                                 (article_id,)).fetchone()
        out["embedding_model"] = vec[0] if vec else None
        return out

    # -- stories ---------------------------------------------------------------
    def stories(self, limit: int | None = None, cursor: str | None = None,
                min_size: int = 1) -> Page:
        """Stories, largest first, then most recent first: ``{id, title, size}``."""
        return self._page(STORIES, _STORY_SELECT, ["s.size >= ?"], [min_size], limit, cursor)

    def story(self, story_id: int) -> dict[str, Any] | None:
        row = self.store.execute(f"{_STORY_SELECT} WHERE s.id = ?", (story_id,)).fetchone()
        return dict(row) if row is not None else None

    def story_members(self, story_ids: Sequence[int]) -> list[dict[str, Any]]:
        """The articles of these stories, oldest first (undated first), by story."""
        return _dicts(self.store.select_in(
            "SELECT id, title, lang, source, published, duplicate_of, story_id FROM articles "
            "WHERE story_id IN ({marks}) ORDER BY coalesce(published, ''), seq", story_ids))

    def story_links(self, story_ids: Sequence[int]) -> list[dict[str, Any]]:
        """``{story_id, related_id}`` of these stories, strongest first."""
        return _dicts(self.store.select_in(
            "SELECT story_id, related_id FROM story_links WHERE story_id IN ({marks}) "
            "ORDER BY score DESC, related_id", story_ids))

    def story_entities(self, story_ids: Sequence[int]) -> list[dict[str, Any]]:
        """Per story and entity: ``{story_id, id, name, type, place_id, mentions,
        articles}``, most articles first."""
        return _dicts(self.store.select_in(
            "SELECT a.story_id, e.id, e.name, e.type, e.place_id, count(*) AS mentions, "
            "count(DISTINCT m.article_id) AS articles FROM mentions m "
            "JOIN articles a ON a.id = m.article_id JOIN entities e ON e.id = m.entity_id "
            "WHERE a.story_id IN ({marks}) GROUP BY a.story_id, e.id "
            "ORDER BY articles DESC, mentions DESC, e.name, e.id", story_ids))

    def story_runs(self, story_id: int) -> list[dict[str, Any]]:
        """``{id, sources}`` of the ingest runs that brought the story's articles."""
        return _dicts(self.store.execute(
            "SELECT id, sources FROM runs WHERE id IN (SELECT DISTINCT run_id FROM articles "
            "WHERE story_id = ?)", (story_id,)))

    def story_provenance(self, story_id: int) -> list[dict[str, Any]]:
        """``{site, url, source, run_id}`` of each of the story's articles."""
        return _dicts(self.store.execute(
            "SELECT site, url, source, run_id FROM articles WHERE story_id = ?", (story_id,)))

    def related_stories(self, story_id: int) -> list[dict[str, Any]]:
        """``{id, title, score, size}`` of the stories linked to this one, strongest first."""
        return _dicts(self.store.execute(
            "SELECT s.id, coalesce(a.title, '') AS title, l.score, "
            "(SELECT count(*) FROM articles x WHERE x.story_id = s.id) AS size "
            "FROM story_links l JOIN stories s ON s.id = l.related_id "
            "LEFT JOIN articles a ON a.id = s.label_article_id "
            "WHERE l.story_id = ? ORDER BY l.score DESC, s.id", (story_id,)))

    # -- skipped inputs and counts ---------------------------------------------
    def skipped(self, limit: int | None = None, cursor: str | None = None) -> Page:
        """One row per source and reason, newest first: ``{source, reason, at}``."""
        return self._page(SKIPPED, "SELECT source, reason, max(at) AS at, max(id) AS last "
                          "FROM skipped", [], [], limit, cursor, group_by="source, reason")

    def languages(self) -> list[str]:
        """The stored articles' languages, most articles first (ties by code): read
        from the counts kept at insert, at no cost however large the store."""
        return [r[0] for r in self.store.execute(
            "SELECT lang FROM language_counts WHERE articles > 0 "
            "ORDER BY articles DESC, lang")]

    def articles_total(self) -> int:
        """How many articles the store holds, from the same counts."""
        row = self.store.execute("SELECT coalesce(sum(articles), 0) FROM language_counts")
        return int(row.fetchone()[0])

    def counts(self) -> dict[str, Any]:
        """``{duplicates, languages (most articles first), skipped_sources}``."""
        one = self.store.execute
        return {
            "duplicates": one("SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL")
            .fetchone()[0],
            "languages": self.languages(),
            "skipped_sources": one("SELECT count(DISTINCT source) FROM skipped").fetchone()[0],
        }

    # -- entities and places ---------------------------------------------------
    def entities(self, limit: int | None = None, cursor: str | None = None,
                 type_: str | None = None, min_articles: int = 1) -> Page:
        """Entities, most articles first: ``{id, key, name, type, mentions, articles}``."""
        where, params = ["articles >= ?"], [min_articles]
        if type_ is not None:
            where.append("type = ?")
            params.append(type_)
        return self._page(ENTITIES, "SELECT id, key, name, type, mentions, articles "
                          "FROM entities", where, params, limit, cursor)

    def entity(self, entity_id: int) -> dict[str, Any] | None:
        row = self.store.execute("SELECT id, key, name, type, mentions, articles, place_id "
                                 "FROM entities WHERE id = ?", (entity_id,)).fetchone()
        return dict(row) if row is not None else None

    def places_by_id(self, place_ids: Iterable[str]) -> list[dict[str, Any]]:
        """The stored gazetteer entries with these ids."""
        return _dicts(self.store.select_in("SELECT * FROM places WHERE id IN ({marks})",
                                           sorted(place_ids)))

    def aliases(self, entity_ids: Sequence[int]) -> list[dict[str, Any]]:
        """``{entity_id, alias}``: every surface form seen, most frequent first."""
        return _dicts(self.store.select_in(
            "SELECT entity_id, alias FROM entity_aliases WHERE entity_id IN ({marks}) "
            "AND count > 0 ORDER BY count DESC, alias", entity_ids))

    def entity_articles(self, entity_ids: Sequence[int]) -> list[dict[str, Any]]:
        """``{entity_id, article_id}``: the articles that mention each entity, in id order."""
        return _dicts(self.store.select_in(
            "SELECT DISTINCT entity_id, article_id FROM mentions WHERE entity_id IN "
            "({marks}) ORDER BY entity_id, article_id", entity_ids))

    def co_occurring(self, entity_id: int, limit: int = 50) -> list[dict[str, Any]]:
        """``{id, name, type, n}``: entities named in the same articles, most shared first."""
        return _dicts(self.store.execute(
            "SELECT e.id, e.name, e.type, count(DISTINCT m.article_id) AS n FROM mentions m "
            "JOIN entities e ON e.id = m.entity_id WHERE m.article_id IN "
            "(SELECT article_id FROM mentions WHERE entity_id = ?) AND e.id != ? "
            "GROUP BY e.id, e.name, e.type ORDER BY n DESC, e.name, e.id LIMIT ?",
            (entity_id, entity_id, limit)))

    def entity_story_ids(self, entity_id: int) -> list[int]:
        return [r[0] for r in self.store.execute(
            "SELECT DISTINCT a.story_id FROM mentions m JOIN articles a ON a.id = m.article_id "
            "WHERE m.entity_id = ? AND a.story_id IS NOT NULL ORDER BY a.story_id",
            (entity_id,))]

    def entity_stories(self, entity_id: int) -> list[dict[str, Any]]:
        """``{id, title, n, size}``: the stories an entity appears in (``n``: how many of
        the story's articles mention it), most of its articles first."""
        return _dicts(self.store.execute(
            "SELECT s.id, coalesce(l.title, '') AS title, count(DISTINCT a.id) AS n, "
            "(SELECT count(*) FROM articles x WHERE x.story_id = s.id) AS size "
            "FROM mentions m JOIN articles a ON a.id = m.article_id "
            "JOIN stories s ON s.id = a.story_id "
            "LEFT JOIN articles l ON l.id = s.label_article_id "
            "WHERE m.entity_id = ? GROUP BY s.id, l.title ORDER BY n DESC, size DESC, s.id",
            (entity_id,)))

    def mentions_of(self, entity_id: int, limit: int) -> list[dict[str, Any]]:
        """An entity's mentions with their sentence offsets and article text, in order."""
        return _dicts(self.store.execute(
            "SELECT m.article_id, m.sentence, m.char_start, m.char_end, m.text, m.type, "
            "m.source, m.confidence, s.char_start AS s0, s.char_end AS s1, a.text AS body, "
            "a.title FROM mentions m JOIN articles a ON a.id = m.article_id "
            "LEFT JOIN sentences s ON s.article_id = m.article_id AND s.idx = m.sentence "
            "WHERE m.entity_id = ? ORDER BY m.article_id, m.char_start, m.id LIMIT ?",
            (entity_id, limit)))

    def places(self, limit: int | None = None, cursor: str | None = None) -> Page:
        """Entities resolved to a place, most articles first, with the place's fields."""
        return self._page(
            PLACES, "SELECT e.id, e.name AS ename, e.articles, e.mentions, p.id AS pid, "
            "p.feature, p.country, p.admin1, p.lat, p.lon FROM entities e "
            "JOIN places p ON p.id = e.place_id", ["e.articles > 0"], [], limit, cursor)

    # -- story and article pages (web UI) --------------------------------------
    def story_language_counts(self, story_id: int) -> list[dict[str, Any]]:
        """``{lang, n, first, last}``: how many of the story's articles each language
        has (most first), and their earliest and latest publication dates."""
        return _dicts(self.store.execute(
            "SELECT lang, count(*) AS n, min(published) AS first, max(published) AS last "
            "FROM articles WHERE story_id = ? GROUP BY lang ORDER BY n DESC, lang",
            (story_id,)))

    def story_articles(self, story_id: int, lang: str, limit: int | None = None,
                       cursor: str | None = None) -> Page:
        """A story's articles in one language, in stream order, with what makes their
        source and link: ``{id, title, lang, source, url, site, published, duplicate_of,
        run_id, seq}``."""
        return self._page(ARTICLES, "SELECT id, title, lang, source, url, site, published, "
                          "duplicate_of, run_id, seq FROM articles",
                          ["story_id = ?", "lang = ?"], [story_id, lang], limit, cursor)

    def articles_brief(self, article_ids: Iterable[int]) -> list[dict[str, Any]]:
        """``{id, title, lang, source, url, site, run_id, story_id}`` of these articles."""
        return _dicts(self.store.select_in(
            "SELECT id, title, lang, source, url, site, run_id, story_id FROM articles "
            "WHERE id IN ({marks})", sorted(set(article_ids))))

    def story_sentences(self, story_id: int, lang: str, articles: int,
                        sentences: int) -> list[dict[str, Any]]:
        """The first ``sentences`` sentences of the story's first ``articles`` originals
        in ``lang`` (stream order): ``{article_id, idx, text, title}`` (``title`` the
        article's); bounded however large the story."""
        return _dicts(self.store.execute(
            "SELECT s.article_id, s.idx, substr(a.text, CAST(s.char_start AS INTEGER) + 1, "
            "CAST(s.char_end - s.char_start AS INTEGER)) AS text, a.title FROM sentences s "
            "JOIN (SELECT id, seq, text, title FROM articles WHERE story_id = ? AND lang = ? "
            "AND duplicate_of IS NULL ORDER BY seq, id LIMIT ?) a ON a.id = s.article_id "
            "WHERE s.idx < ? ORDER BY a.seq, a.id, s.idx",
            (story_id, lang, articles, sentences)))

    def story_mentions(self, story_id: int) -> list[dict[str, Any]]:
        """``{entity_id, article_id, text, n}``: each spelling of each entity in each of
        the story's articles, and how often; one pass over the story's mentions, from
        which the page counts entities and places and finds their spellings."""
        return _dicts(self.store.execute(
            "SELECT m.entity_id, m.article_id, m.text, count(*) AS n FROM articles a "
            "JOIN mentions m ON m.article_id = a.id WHERE a.story_id = ? "
            "GROUP BY m.entity_id, m.article_id, m.text", (story_id,)))

    def entities_brief(self, entity_ids: Iterable[int]) -> list[dict[str, Any]]:
        """``{id, name, type, place_id}`` of these entities."""
        return _dicts(self.store.select_in(
            "SELECT id, name, type, place_id FROM entities WHERE id IN ({marks})",
            sorted(set(entity_ids))))

    def article_spans(self, article_id: int) -> dict[str, list[dict[str, Any]]]:
        """What the article's text is annotated with, by kind, each span with its
        offsets into the text: ``mentions`` (``entity_id, name, type, place_id``),
        ``dates`` (``type, value``), ``quotes`` (``speaker_text, speaker_entity_id,
        speaker_name``) and ``quantities`` (``counted, unit, value``)."""
        one = self.store.execute
        return {
            "mentions": _dicts(one(
                "SELECT m.char_start, m.char_end, m.text, m.type, m.entity_id, e.name, "
                "e.place_id FROM mentions m JOIN entities e ON e.id = m.entity_id "
                "WHERE m.article_id = ? ORDER BY m.char_start, m.id", (article_id,))),
            "dates": _dicts(one(
                "SELECT char_start, char_end, text, type, value FROM time_expressions "
                "WHERE article_id = ? ORDER BY char_start, id", (article_id,))),
            "quotes": _dicts(one(
                "SELECT q.char_start, q.char_end, q.text, q.speaker_text, q.speaker_entity_id, "
                "e.name AS speaker_name FROM quotes q "
                "LEFT JOIN entities e ON e.id = q.speaker_entity_id "
                "WHERE q.article_id = ? ORDER BY q.char_start, q.id", (article_id,))),
            "quantities": _dicts(one(
                "SELECT char_start, char_end, text, counted, unit, value FROM quantities "
                "WHERE article_id = ? ORDER BY char_start, id", (article_id,))),
        }
