"""Full-text search on PostgreSQL: a ``tsvector`` per article, GIN-indexed.

Each article's document (``article_search.doc``) holds its words twice: as its
language's text search configuration stems them (``english``, ``italian``...: "troops"
matches "troop"; ``simple`` where PostgreSQL has no configuration for the language),
and folded as they are (``simple`` over :func:`newsweave.clean.searchtext.index_text`),
which is what matches across languages: names, numbers and places survive
translation. Title words weigh more (label ``A``).

A query is scored per unit (a word, or a CJK pair): a document scores the sum of the
inverse document frequencies of the units it holds, so a rare name outweighs common
words, as BM25 does on SQLite; a unit found in half the documents or more (or, in a
store of 20 or more, in over a tenth of them) counts for nothing and is not searched.
Every query value is a statement parameter, each ``tsquery`` made by
``phraseto_tsquery`` from words we split ourselves: user text never reaches the SQL or
the ``tsquery`` syntax.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from functools import lru_cache
from importlib.resources import files
from typing import Any

from ..clean.searchtext import index_text, indexed_part
from .search import SearchFilter, SearchTables

# The document of one article; parameters from :func:`document_params`.
DOCUMENT = ("setweight(to_tsvector(CAST(? AS regconfig), ?), 'A') || "
            "setweight(to_tsvector('simple', ?), 'A') || "
            "to_tsvector(CAST(? AS regconfig), ?) || to_tsvector('simple', ?)")
# A unit found in more than this share of the documents is not searched.
COMMON_SHARE = 0.1


@lru_cache(maxsize=1)
def _configs() -> dict[str, str]:
    with files("newsweave").joinpath("data/search/pg_text_configs.json").open() as fh:
        return dict(json.load(fh)["configs"])


def text_config(lang: str | None, available: set[str]) -> str:
    """The text search configuration for ``lang``: its own if the server has it,
    else ``simple``."""
    name = _configs().get(lang or "", "simple")
    return name if name in available else "simple"


def document_params(title: str, text: str, lang: str | None,
                    available: set[str]) -> tuple[str, ...]:
    """The parameters of :data:`DOCUMENT` for one article."""
    config = text_config(lang, available)
    title, text = indexed_part(title), indexed_part(text)
    return (config, title, index_text(title), config, text, index_text(text))


class PgSearchTables(SearchTables):
    """``store.search`` on PostgreSQL: the shared reads, its own index and match."""

    def __init__(self, store: Any) -> None:
        super().__init__(store)
        self._available: set[str] | None = None

    @property
    def available(self) -> set[str]:
        """The text search configurations the server has."""
        if self._available is None:
            self._available = {r[0] for r in self.store.execute(
                "SELECT cfgname FROM pg_ts_config")}
        return self._available

    def vector_index(self, dim: int) -> Any:
        """Search's vector index: the database's HNSW index, always in step with the
        rows (nothing to open or keep)."""
        from .pgvectors import PgSearchIndex

        self.store.vector_index(dim)  # says so when the dimension is not the column's
        return PgSearchIndex(self.store, dim)

    def nearest_of(self, qvec: Any, ids: Sequence[int], depth: int) -> list[int]:
        """The ``depth`` of ``ids`` nearest ``qvec``, exactly, compared in the database:
        reading each vector back to compare it here cost 56-70 ms for 478 articles."""
        if not ids or depth <= 0:
            return []
        rows = self.store.execute(
            "SELECT article_id FROM vectors WHERE article_id = ANY(?) "
            "ORDER BY (cvector <#> ?) + 0, article_id LIMIT ?",
            (list(ids), self.store.vector_param(qvec), depth)).fetchall()
        return [int(r[0]) for r in rows]

    def nearest_raw(self, qvec: Any, ids: Sequence[int], depth: int) -> list[int]:
        """The ``depth`` of ``ids`` nearest ``qvec`` by their raw vectors, exactly,
        compared in the database (as :meth:`nearest_of`)."""
        if not ids or depth <= 0:
            return []
        rows = self.store.execute(
            "SELECT article_id FROM vectors WHERE article_id = ANY(?) "
            "ORDER BY (vector <#> ?) + 0, article_id LIMIT ?",
            (list(ids), self.store.vector_param(qvec), depth)).fetchall()
        return [int(r[0]) for r in rows]

    def add(self, article_id: int, title: str, text: str, lang: str) -> None:
        self.store.execute(f"INSERT INTO article_search(article_id, doc) VALUES (?, {DOCUMENT})",
                           (article_id, *document_params(title, text, lang, self.available)))

    def match(self, units: Sequence[Sequence[str]], phrases: Sequence[Sequence[str]],
              lang: str | None, filt: SearchFilter, limit: int) -> list[tuple[int, float]]:
        """Articles holding any of ``units`` and every one of ``phrases``, the highest
        summed inverse document frequency first (ties by id)."""
        config = text_config(lang, self.available)
        weighted = self._weights([" ".join(u) for u in units if u], config)
        if not weighted and not phrases:
            return []
        where, params = filt.sql()
        for phrase in phrases:
            where.append("s.doc @@ phraseto_tsquery('simple', ?)")
            params.append(" ".join(phrase))
        if weighted:
            values = ", ".join(f"({_UNIT}, CAST(? AS double precision))" for _ in weighted)
            terms = [v for text, w in weighted for v in (text, config, text, w)]
            sql = (f"WITH q(tq, w) AS (VALUES {values}) SELECT s.article_id, sum(q.w) AS score "
                   "FROM article_search s JOIN q ON s.doc @@ q.tq "
                   "JOIN articles a ON a.id = s.article_id")
        else:
            terms = []
            sql = ("SELECT s.article_id, 1.0 AS score FROM article_search s "
                   "JOIN articles a ON a.id = s.article_id")
        sql += (" WHERE " + " AND ".join(where) if where else "")
        sql += (" GROUP BY s.article_id" if weighted else "")
        sql += " ORDER BY score DESC, s.article_id LIMIT ?"
        rows = self.store.execute(sql, (*terms, *params, limit)).fetchall()
        return [(int(r[0]), float(r[1])) for r in rows]

    def _weights(self, units: list[str], config: str) -> list[tuple[str, float]]:
        """``(unit, idf)`` of the units worth searching (not in over
        :data:`COMMON_SHARE` of the documents)."""
        total = self.store.queries.articles_total()  # every article is indexed at insert
        cap = max(1, int(total * COMMON_SHARE))
        out = []
        for unit in units:
            df = int(self.store.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM article_search s WHERE s.doc @@ ({_UNIT}) "
                "LIMIT ?) x", (unit, config, unit, cap + 1)).fetchone()[0])
            idf = math.log((total - df + 0.5) / (df + 0.5)) if df else 0.0
            if idf <= 0 or (df > cap and total >= 20):
                continue  # in half the documents or more: no evidence (BM25's idf <= 0)
            out.append((unit, idf))
        return out


# One unit as a tsquery: as written (simple) or as the query's language stems it.
_UNIT = "(phraseto_tsquery('simple', ?) || phraseto_tsquery(CAST(? AS regconfig), ?))"
