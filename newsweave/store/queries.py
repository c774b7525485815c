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
_QUOTE_SELECT = ("SELECT q.id, q.article_id, q.sentence, q.char_start, q.char_end, q.text, "
                 "q.direct, q.speaker_text, q.speaker_entity_id, e.name AS speaker_name, "
                 "a.title, a.lang, a.published, a.story_id FROM quotes q "
                 "JOIN articles a ON a.id = q.article_id "
                 "LEFT JOIN entities e ON e.id = q.speaker_entity_id")
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

    # -- the map, place and entity pages (webmap) ------------------------------
    # Each read is bounded however large the store: a LIMIT on what is listed, and
    # the statistics of a frequent entity taken over the articles of its latest
    # ``sample`` mentions (the mentions index walked backwards), which the pages say.
    def place_entities(self, limit: int | None = None, cursor: str | None = None,
                       country: str | None = None,
                       bbox: tuple[float, float, float, float] | None = None) -> Page:
        """Entities resolved to a place, most articles first (:data:`PLACES` order),
        of one country (ISO alpha-2) and inside ``bbox`` (west, south, east, north)."""
        where, params = ["e.articles > 0"], []
        if country is not None:
            where.append("p.country = ?")
            params.append(country)
        if bbox is not None:
            west, south, east, north = bbox
            where.append("p.lat BETWEEN ? AND ?")
            params += [south, north]
            where.append("p.lon BETWEEN ? AND ?" if west <= east else "(p.lon >= ? OR p.lon <= ?)")
            params += [west, east]
        return self._page(
            PLACES, "SELECT e.id, e.name AS ename, e.articles, e.mentions, p.id AS pid, "
            "p.name AS pname, p.feature, p.country, p.admin1, p.lat, p.lon FROM entities e "
            "JOIN places p ON p.id = e.place_id", where, params, limit, cursor)

    def place_countries(self) -> list[dict[str, Any]]:
        """``{country, places, articles}``: the countries of the places named, most
        articles first."""
        return _dicts(self.store.execute(
            "SELECT p.country, count(*) AS places, sum(e.articles) AS articles "
            "FROM entities e JOIN places p ON p.id = e.place_id "
            "WHERE e.articles > 0 AND p.country IS NOT NULL GROUP BY p.country "
            "ORDER BY articles DESC, p.country"))

    def _latest(self, sample: int) -> str:
        """A subquery: the articles of the latest ``sample`` mentions of the entity
        ``?`` (an index walk that stops there; ``IN`` makes them distinct)."""
        return ("SELECT article_id FROM mentions WHERE entity_id = ? "
                f"ORDER BY article_id DESC LIMIT {int(sample)}")

    def entity_story_counts(self, entity_ids: Sequence[int],
                            sample: int) -> list[dict[str, Any]]:
        """``{entity_id, stories}``: how many stories the articles of each entity's
        latest ``sample`` mentions belong to."""
        out = []
        for entity_id in entity_ids:
            row = self.store.execute(
                "SELECT count(DISTINCT story_id) FROM articles WHERE id IN "
                f"({self._latest(sample)})", (entity_id,)).fetchone()
            out.append({"entity_id": entity_id, "stories": int(row[0])})
        return out

    def entity_recent_stories(self, entity_id: int, sample: int,
                              limit: int) -> list[dict[str, Any]]:
        """``{id, title, n, size, last}``: the stories of the articles of the entity's
        latest ``sample`` mentions (``n`` of them in the story), most of them first."""
        return _dicts(self.store.execute(
            "SELECT s.id, coalesce(l.title, '') AS title, count(*) AS n, s.size, "
            "max(a.published) AS last FROM articles a JOIN stories s ON s.id = a.story_id "
            "LEFT JOIN articles l ON l.id = s.label_article_id "
            f"WHERE a.id IN ({self._latest(sample)}) GROUP BY s.id, l.title, s.size "
            "ORDER BY n DESC, s.size DESC, s.id LIMIT ?", (entity_id, limit)))

    def entity_alias_langs(self, entity_id: int, sample: int) -> list[dict[str, Any]]:
        """``{alias, lang, n}``: how the entity is written in each language, over the
        articles of its latest ``sample`` mentions."""
        return _dicts(self.store.execute(
            "SELECT m.text AS alias, a.lang, count(*) AS n FROM mentions m "
            "JOIN articles a ON a.id = m.article_id "
            f"WHERE m.entity_id = ? AND m.article_id IN ({self._latest(sample)}) "
            "GROUP BY m.text, a.lang ORDER BY a.lang, n DESC, m.text",
            (entity_id, entity_id)))

    def entity_days(self, entity_id: int, sample: int) -> list[dict[str, Any]]:
        """``{day, n}``: the articles of the entity's latest ``sample`` mentions per
        publication day (``day`` None for the undated)."""
        return _dicts(self.store.execute(
            "SELECT substr(published, 1, 10) AS day, count(*) AS n FROM articles "
            f"WHERE id IN ({self._latest(sample)}) GROUP BY substr(published, 1, 10) "
            "ORDER BY day", (entity_id,)))

    def entity_neighbours(self, entity_id: int, sample: int,
                          limit: int) -> list[dict[str, Any]]:
        """``{id, name, type, place_id, n}``: the entities named in the same articles,
        over the articles of the entity's latest ``sample`` mentions, most shared first."""
        return _dicts(self.store.execute(
            "SELECT e.id, e.name, e.type, e.place_id, count(DISTINCT m.article_id) AS n "
            "FROM mentions m JOIN entities e ON e.id = m.entity_id "
            f"WHERE m.article_id IN ({self._latest(sample)}) AND e.id != ? "
            "GROUP BY e.id, e.name, e.type, e.place_id ORDER BY n DESC, e.name, e.id LIMIT ?",
            (entity_id, entity_id, limit)))

    def quotes_by(self, entity_id: int, limit: int) -> list[dict[str, Any]]:
        """The latest quotes whose speaker is the entity."""
        return _dicts(self.store.execute(
            f"{_QUOTE_SELECT} WHERE q.speaker_entity_id = ? ORDER BY q.article_id DESC, "
            "q.char_start LIMIT ?", (entity_id, limit)))

    def quotes_about(self, entity_id: int, sample: int, limit: int) -> list[dict[str, Any]]:
        """The latest quotes, among the articles of the entity's latest ``sample``
        mentions, whose words name it and whose speaker is someone else."""
        return _dicts(self.store.execute(
            f"{_QUOTE_SELECT} WHERE q.article_id IN ({self._latest(sample)}) "
            "AND (q.speaker_entity_id IS NULL OR q.speaker_entity_id != ?) AND EXISTS "
            "(SELECT 1 FROM mentions m WHERE m.article_id = q.article_id AND m.entity_id = ? "
            "AND m.char_start >= q.char_start AND m.char_end <= q.char_end) "
            "ORDER BY q.article_id DESC, q.char_start LIMIT ?",
            (entity_id, entity_id, entity_id, limit)))

    def entities_named(self, low: str, high: str, type_: str | None,
                       limit: int) -> list[dict[str, Any]]:
        """Entities with an alias whose folded form lies in ``[low, high)`` (a prefix's
        range), most articles first: ``{id, key, name, type, mentions, articles, alias}``."""
        where, params = ["a.norm >= ?", "a.norm < ?", "a.count > 0", "e.articles > 0"], [low, high]
        if type_ is not None:
            where.append("e.type = ?")
            params.append(type_)
        return _dicts(self.store.execute(
            "SELECT e.id, e.key, e.name, e.type, e.mentions, e.articles, min(a.norm) AS alias "
            "FROM entity_aliases a JOIN entities e ON e.id = a.entity_id "
            f"WHERE {' AND '.join(where)} GROUP BY e.id, e.key, e.name, e.type, e.mentions, "
            "e.articles ORDER BY e.articles DESC, e.mentions DESC, e.name, e.id LIMIT ?",
            [*params, limit]))
