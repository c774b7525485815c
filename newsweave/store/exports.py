"""Streaming reads for exports: every row of a table, a batch at a time, in id order.

An export may cover a million rows, so nothing here builds a whole listing: each
reader walks its table by keyset (``WHERE id > last ORDER BY id LIMIT batch``), the
same portable SQL on SQLite and PostgreSQL, so memory holds one batch whatever the
size of the store, and no server-side cursor or long transaction is held between
batches. Filters are conditions on the rows' articles (story, language, publication
date) or on the entities they name; each reader takes the ones that make sense for
its rows (see ``docs/export.md``). A condition on a row's articles is a correlated
``EXISTS`` that follows an index from the row (``articles(story_id)``,
``mentions(entity_id, article_id)``), so a filtered export costs what its rows'
articles cost, not a pass over all matching articles per batch.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .sqlite import Store

BATCH = 1000  # rows per statement: large enough to amortise a round trip, small in memory


@dataclass(frozen=True, slots=True)
class ArticleFilter:
    """Conditions on articles: in this story, in this language, published on or after
    ``since`` and before ``until`` (ISO 8601 prefixes: ``2011-02-11`` or a full time).
    An article with no known date fails any date condition."""

    story: int | None = None
    lang: str | None = None
    since: str | None = None
    until: str | None = None

    def where(self, alias: str) -> tuple[list[str], list[Any]]:
        """SQL conditions on the articles table under ``alias``, with their parameters."""
        where: list[str] = []
        params: list[Any] = []
        for column, op, value in (("story_id", "=", self.story), ("lang", "=", self.lang),
                                  ("published", ">=", self.since),
                                  ("published", "<", self.until)):
            if value is not None:
                where.append(f"{alias}.{column} {op} ?")
                params.append(value)
        return where, params

    def __bool__(self) -> bool:
        return any(v is not None for v in (self.story, self.lang, self.since, self.until))


_ARTICLES = ("SELECT a.id, a.external_id, a.title, a.lang, a.source, a.url, a.site, "
             "a.author, a.published, a.published_source, a.story_id AS story, "
             "a.duplicate_of, a.duplicate_kind, a.fmt, a.ingested_at, a.text FROM articles a")
_STORIES = ("SELECT s.id, coalesce(l.title, '') AS title, s.size, "
            "coalesce(s.last_seen, 0) AS seen FROM stories s "
            "LEFT JOIN articles l ON l.id = s.label_article_id")
_ENTITIES = ("SELECT e.id, e.key, e.name, e.type, e.mentions, e.articles, e.place_id, "
             "p.name AS place_name, p.feature, p.country, p.admin1, p.lat, p.lon, "
             "p.population FROM entities e LEFT JOIN places p ON p.id = e.place_id")
_QUOTES = ("SELECT t.id, a.story_id AS story, t.article_id AS article, a.lang, a.published, "
           "a.site, a.url, t.speaker_text AS speaker, t.speaker_entity_id, "
           "e.name AS speaker_name, t.text, t.direct, t.sentence, t.char_start AS start, "
           "t.char_end AS \"end\" FROM quotes t JOIN articles a ON a.id = t.article_id "
           "LEFT JOIN entities e ON e.id = t.speaker_entity_id")


class ExportReads:
    """Streaming readers over one store (``store.exports``)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def _stream(self, select: str, key: str, where: Sequence[str], params: Sequence[Any],
                batch: int) -> Iterator[dict[str, Any]]:
        """Rows of ``select`` in ``key`` order, ``batch`` per statement (keyset)."""
        if batch < 1:
            raise ValueError(f"a batch holds 1 row or more, not {batch}")
        last: Any = None
        while True:
            conditions, values = list(where), list(params)
            if last is not None:
                conditions.append(f"{key} > ?")
                values.append(last)
            sql = select + (" WHERE " + " AND ".join(conditions) if conditions else "")
            rows = [dict(r) for r in self.store.execute(
                f"{sql} ORDER BY {key} LIMIT ?", (*values, batch))]
            yield from rows
            if len(rows) < batch:
                return
            last = rows[-1]["id"]

    def articles(self, scope: ArticleFilter, entity: int | None = None,
                 batch: int = BATCH) -> Iterator[dict[str, Any]]:
        """Articles with their text and provenance, in id order; ``entity``: only those
        that mention it."""
        where, params = scope.where("a")
        if entity is not None:
            where.append("a.id IN (SELECT article_id FROM mentions WHERE entity_id = ?)")
            params.append(entity)
        return self._stream(_ARTICLES, "a.id", where, params, batch)

    def stories(self, scope: ArticleFilter, entity: int | None = None,
                batch: int = BATCH) -> Iterator[dict[str, Any]]:
        """``{id, title, size, seen}`` of stories in id order: those with an article
        that passes ``scope``; ``entity``: those whose articles mention it."""
        where, params = [], []
        if scope.story is not None:
            where.append("s.id = ?")
            params.append(scope.story)
        if scope:
            conditions, values = scope.where("a")
            where.append("EXISTS (SELECT 1 FROM articles a WHERE a.story_id = s.id AND "
                         + " AND ".join(conditions) + ")")
            params += values
        if entity is not None:
            where.append("s.id IN (SELECT a.story_id FROM mentions m JOIN articles a "
                         "ON a.id = m.article_id WHERE m.entity_id = ?)")
            params.append(entity)
        return self._stream(_STORIES, "s.id", where, params, batch)

    def entities(self, scope: ArticleFilter, type_: str | None = None,
                 places_only: bool = False, country: str | None = None,
                 batch: int = BATCH) -> Iterator[dict[str, Any]]:
        """Entities named in at least one article (in one passing ``scope``), with
        their place's fields (None when not a place), in id order."""
        where: list[str] = ["e.articles > 0"]
        params: list[Any] = []
        if type_ is not None:
            where.append("e.type = ?")
            params.append(type_)
        if places_only:
            where.append("p.id IS NOT NULL")
        if country is not None:
            where.append("p.country = ?")
            params.append(country)
        if scope:
            conditions, values = scope.where("a")
            where.append("EXISTS (SELECT 1 FROM mentions m JOIN articles a "
                         "ON a.id = m.article_id WHERE m.entity_id = e.id AND "
                         + " AND ".join(conditions) + ")")
            params += values
        return self._stream(_ENTITIES, "e.id", where, params, batch)

    def quotes(self, scope: ArticleFilter, entity: int | None = None,
               speaker: int | None = None,
               batch: int = BATCH) -> Iterator[dict[str, Any]]:
        """Quotes with their speaker and article, in id order. ``entity``: said by it or
        in a sentence that names it; ``speaker``: said by this entity."""
        where, params = scope.where("a")
        if entity is not None:
            where.append("(t.speaker_entity_id = ? OR EXISTS (SELECT 1 FROM mentions m "
                         "WHERE m.article_id = t.article_id AND m.sentence = t.sentence "
                         "AND m.entity_id = ?))")
            params += [entity, entity]
        if speaker is not None:
            where.append("t.speaker_entity_id = ?")
            params.append(speaker)
        return self._stream(_QUOTES, "t.id", where, params, batch)

    def quantity_stories(self, scope: ArticleFilter,
                         batch: int = BATCH) -> Iterator[int]:
        """Ids of the stories whose articles (those passing ``scope``) state something
        counted, in id order."""
        where, params = scope.where("a")
        where = ["a.story_id IS NOT NULL", "t.counted IS NOT NULL", *where]
        sql = ("SELECT DISTINCT a.story_id AS id FROM quantities t "
               "JOIN articles a ON a.id = t.article_id")
        for row in self._stream(sql, "a.story_id", where, params, batch):
            yield int(row["id"])
