"""The reads behind :mod:`newsweave.service`: rows as plain dicts, listings in pages.

Every listing has a total, deterministic order (ties broken by id) and reads one
page at a time through a keyset cursor (:mod:`newsweave.store.cursor`). The service
turns these rows into its JSON contract; no SQL is written outside the store.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
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
    # -- feed (the web UI's story feed, newsweave.service.feed) ----------------
    def feed_now(self) -> str | None:
        """The newest publication time stored (ISO 8601), None when nothing is dated."""
        return self.store.execute("SELECT max(published) FROM articles").fetchone()[0]

    def feed_stories(self, sort: str, scope: FeedScope, limit: int,
                     cursor: str | None = None) -> Page:
        """Stories in ``scope``, ``"recency"`` (newest article first) or ``"size"``
        (most articles first): ``{id, title, title_lang, size, seen, first,
        languages, last_seq}``."""
        where, params = scope.conditions()
        return self._page(FEED_ORDERS[sort], _FEED_SELECT, where, params, limit, cursor)

    def feed_active(self, scope: FeedScope, start: str, end: str) -> list[dict[str, Any]]:
        """The stories in ``scope`` with original articles published in ``(start, end]``,
        with ``recent``, how many: the fields of :meth:`feed_stories` plus ``recent``."""
        where, params = scope.conditions()
        sql = (_FEED_SELECT.replace(" FROM stories s ", ", r.recent FROM stories s JOIN "
                                    f"({_RECENT}) r ON r.story_id = s.id ")
               + " WHERE " + " AND ".join(where))
        return _dicts(self.store.execute(sql, [start, end, *params]))

    def feed_quiet(self, scope: FeedScope, start: str, end: str, limit: int,
                   cursor: str | None = None) -> Page:
        """The stories in ``scope`` with no original article published in
        ``(start, end]``, newest article first."""
        where, params = scope.conditions()
        where.append("NOT EXISTS (SELECT 1 FROM articles x WHERE x.story_id = s.id AND "
                     f"x.published > ? AND x.published <= ? AND {_ORIGINAL_X})")
        return self._page(FEED_QUIET, _FEED_SELECT, where, [*params, start, end], limit,
                          cursor)

    def feed_before(self, story_ids: Sequence[int], start: str,
                    end: str) -> list[dict[str, Any]]:
        """``{story_id, earlier, upto, first}``: per story, how many of its original
        articles were published at or before ``start`` and at or before ``end``, and
        the first time of the former."""
        return _dicts(self.store.select_in(
            "SELECT story_id, sum(CASE WHEN published <= ? THEN 1 ELSE 0 END) AS earlier, "
            "sum(CASE WHEN published <= ? THEN 1 ELSE 0 END) AS upto, "
            "min(CASE WHEN published <= ? THEN published END) AS first FROM articles "
            "WHERE story_id IN ({marks}) AND " + _ORIGINAL + " GROUP BY story_id",
            story_ids, (start, end, start)))

    def feed_hours(self, story_ids: Sequence[int]) -> list[dict[str, Any]]:
        """``{story_id, hour, n}``: original articles per story and hour of publication
        (``hour`` is ``2020-01-07T14``), undated ones left out."""
        return _dicts(self.store.select_in(
            "SELECT story_id, substr(published, 1, 13) AS hour, count(*) AS n FROM articles "
            "WHERE story_id IN ({marks}) AND published IS NOT NULL AND " + _ORIGINAL + " "
            "GROUP BY story_id, substr(published, 1, 13)", story_ids))

    def feed_provenance(self, story_ids: Sequence[int]) -> list[dict[str, Any]]:
        """``{story_id, site, url, source, run_id}`` of the stories' original articles,
        once per story and site when there is a site (its name is the outlet's)."""
        return _dicts(self.store.select_in(
            "SELECT DISTINCT story_id, site, CASE WHEN site IS NULL THEN url END AS url, "
            "CASE WHEN site IS NULL THEN source ELSE '' END AS source, "
            "CASE WHEN site IS NULL THEN run_id END AS run_id FROM articles "
            "WHERE story_id IN ({marks}) AND " + _ORIGINAL, story_ids))

    def feed_runs(self, run_ids: Sequence[int]) -> list[dict[str, Any]]:
        """``{id, sources}`` of these ingest runs."""
        return _dicts(self.store.select_in("SELECT id, sources FROM runs WHERE id IN ({marks})",
                                           run_ids))

    def feed_facts_mark(self) -> int:
        """The last quantity's id: it moves whenever quantities are added."""
        return int(self.store.execute("SELECT coalesce(max(id), 0) FROM quantities")
                   .fetchone()[0])

    def feed_countries(self) -> list[dict[str, Any]]:
        """``{country, articles}``: the countries of the places named, most first."""
        return _dicts(self.store.execute(
            "SELECT p.country, CAST(sum(e.articles) AS BIGINT) AS articles FROM entities e "
            "JOIN places p ON p.id = e.place_id WHERE e.articles > 0 "
            "AND p.country IS NOT NULL GROUP BY p.country ORDER BY articles DESC, p.country"))

    def feed_entities_named(self, name: str, places: bool = False) -> list[dict[str, Any]]:
        """``{id, name, type, place_id, articles}`` of the entities called ``name``
        (ignoring the case of ASCII letters, as both databases' ``lower`` do), most
        articles first; only places when ``places``."""
        return _dicts(self.store.execute(
            "SELECT id, name, type, place_id, articles FROM entities WHERE lower(name) = lower(?) "
            + ("AND place_id IS NOT NULL " if places else "")
            + "ORDER BY articles DESC, id LIMIT 5", (name,)))

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


# -- feed (the web UI's story feed) ------------------------------------------------------
# An original article, written so that no index on duplicate_of can serve it: SQLite
# (with no statistics) takes `duplicate_of IS NULL` for a selective lookup and walks
# the whole duplicate_of index, NULL for nearly every row, instead of a story's rows.
_ORIGINAL = "coalesce(duplicate_of, 0) = 0"
_ORIGINAL_X = "coalesce(x.duplicate_of, 0) = 0"
_FEED_SELECT = ("SELECT s.id, coalesce(l.title, '') AS title, l.lang AS title_lang, s.size, "
                "coalesce(s.last_seen, 0) AS seen, s.first_seen AS first, s.languages, "
                "s.last_seq "
                "FROM stories s LEFT JOIN articles l ON l.id = s.label_article_id")
_RECENT = ("SELECT story_id, count(*) AS recent FROM articles WHERE published > ? "
           "AND published <= ? AND " + _ORIGINAL + " AND story_id IS NOT NULL "
           "GROUP BY story_id")
FEED_ORDERS = {
    "recency": Order("feed-recency", (("coalesce(s.last_seen, 0)", "DESC"), ("s.id", "ASC")),
                     ("seen", "id")),
    "size": Order("feed-size", (("s.size", "DESC"), ("coalesce(s.last_seen, 0)", "DESC"),
                                ("s.id", "ASC")), ("size", "seen", "id")),
}
FEED_QUIET = Order("feed-quiet", (("coalesce(s.last_seen, 0)", "DESC"), ("s.id", "ASC")),
                   ("seen", "id"))


@dataclass(frozen=True, slots=True)
class FeedScope:
    """Which stories the feed shows: those with an article in ``lang``, naming
    ``entity`` and ``place`` (entity ids), naming a place in ``country`` (ISO 3166-1
    alpha-2), and running at some time in ``[since, until)`` (days since the epoch,
    as ``stories.first_seen``/``last_seen``). None: no condition."""

    lang: str | None = None
    entity: int | None = None
    place: int | None = None
    country: str | None = None
    since: float | None = None
    until: float | None = None

    def conditions(self) -> tuple[list[str], list[Any]]:
        """SQL conditions on ``stories s`` and their parameters."""
        where, params = ["s.size >= 1"], []
        if self.lang is not None:
            where.append("s.id IN (SELECT story_id FROM articles WHERE lang = ? "
                         "AND story_id IS NOT NULL)")
            params.append(self.lang)
        for entity in (self.entity, self.place):
            if entity is not None:
                where.append(f"s.id IN ({_NAMING} WHERE m.entity_id = ?)")
                params.append(entity)
        if self.country is not None:
            where.append(f"s.id IN ({_NAMING} JOIN entities e ON e.id = m.entity_id "
                         "JOIN places p ON p.id = e.place_id WHERE p.country = ?)")
            params.append(self.country)
        if self.since is not None:
            where.append("s.last_seen >= ?")
            params.append(self.since)
        if self.until is not None:
            where.append("s.first_seen < ?")
            params.append(self.until)
        return where, params


_NAMING = ("SELECT a.story_id FROM mentions m JOIN articles a ON a.id = m.article_id")
