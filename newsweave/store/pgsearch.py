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
from . import search
from .search import SearchFilter, SearchTables

# The document of one article; parameters from :func:`document_params`.
DOCUMENT = ("setweight(to_tsvector(CAST(? AS regconfig), ?), 'A') || "
            "setweight(to_tsvector('simple', ?), 'A') || "
            "to_tsvector(CAST(? AS regconfig), ?) || to_tsvector('simple', ?)")
# A unit found in more than this share of the documents is not searched.
COMMON_SHARE = 0.1
# Query weights are multiples of 2**-WEIGHT_BITS (:func:`_exact`): weights under 2**10,
# summed over fewer than 2**19 units, stay within a double's 53 bits.
WEIGHT_BITS = 24
# Near words (trigram similarity, pg_trgm): of a word at least this long, those this
# similar ("cagins" and "caggins": 0.67), at most this many per word.
NEAR_MIN_CHARS = 4
NEAR_SIMILARITY = 0.5
NEAR_TERMS = 3
# A word no document holds is taken for a misspelling only in a query of at most this
# many units (a name or two, as typed): in a longer query such words are mostly words
# of another language than the stored articles', and their near words are noise.
NEAR_MAX_UNITS = 3


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
        self._trigrams: bool | None = None

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

    def _index_alone(self, filt: SearchFilter) -> tuple[bool, set[int] | None]:
        """Never: :meth:`match` and :meth:`match_by_language` are PostgreSQL's own; the
        shared ones, called directly, run a search per side."""
        return False, None

    def within_budget(self, units: Sequence[Sequence[str]]) -> list[Sequence[str]]:
        """``units`` as they are: :meth:`_weights` chooses what is searched."""
        return [u for u in units if u]

    def add(self, article_id: int, title: str, text: str, lang: str) -> None:
        self.store.execute(f"INSERT INTO article_search(article_id, doc) VALUES (?, {DOCUMENT})",
                           (article_id, *document_params(title, text, lang, self.available)))

    @property
    def trigrams(self) -> bool:
        """Whether the words table has its trigram index (the server had ``pg_trgm``
        when migration 11 ran)."""
        if self._trigrams is None:
            self._trigrams = self.store.execute(
                "SELECT to_regclass('search_terms_trgm') IS NOT NULL").fetchone()[0]
        return bool(self._trigrams)

    def match(self, units: Sequence[Sequence[str]], phrases: Sequence[Sequence[str]],
              lang: str | None, filt: SearchFilter, limit: int) -> list[tuple[int, float]]:
        """Articles holding any of ``units`` and every one of ``phrases``, the highest
        summed inverse document frequency first (ties by id). A word no document holds
        matches its nearest stored words by trigram similarity, and so does every word
        of a query in a language without its own configuration, where the store holds
        articles in that language (trigrams stand in for the stemming it lacks)."""
        sql, params = self._matching(units, phrases, lang, filt, by_lang=None)
        if not sql:
            return []
        rows = self.store.execute(sql + " ORDER BY score DESC, m.article_id LIMIT ?",
                                  (*params, limit)).fetchall()
        return [(int(r[0]), float(r[1])) for r in rows]

    def match_by_language(self, units: Sequence[Sequence[str]],
                          phrases: Sequence[Sequence[str]], lang: str, filt: SearchFilter,
                          limit: int) -> tuple[list[tuple[int, float]], list[tuple[int, float]]]:
        """:meth:`match` among the articles in ``lang`` and among the others, in one
        pass over the matching documents (two searches read every posting twice)."""
        sql, params = self._matching(units, phrases, lang, filt, by_lang=lang)
        if not sql:
            return [], []
        rows = self.store.execute(
            f"SELECT article_id, score, same FROM (SELECT m.*, row_number() OVER (PARTITION "
            f"BY same ORDER BY score DESC, article_id) AS r FROM ({sql}) m) x WHERE r <= ? "
            "ORDER BY score DESC, article_id", (*params, limit)).fetchall()
        same = [(int(r[0]), float(r[1])) for r in rows if r[2]]
        return same, [(int(r[0]), float(r[1])) for r in rows if not r[2]]

    def _matching(self, units: Sequence[Sequence[str]], phrases: Sequence[Sequence[str]],
                  lang: str | None, filt: SearchFilter, by_lang: str | None
                  ) -> tuple[str, list[Any]]:
        """The statement of :meth:`match`, unordered: ``article_id, score`` (and with
        ``by_lang``, ``same``: whether the article is in that language) of ``m``; an
        empty statement when nothing is worth searching."""
        config = text_config(lang, self.available)
        near_all = (config == "simple" and lang is not None
                    and lang in self._stored_languages())
        weighted = self._weights([tuple(u) for u in units if u], config, near_all)
        if not weighted and not phrases:
            return "", []
        filters, params = filt.sql()
        where = list(filters)
        for phrase in phrases:
            where.append("s.doc @@ phraseto_tsquery('simple', ?)")
            params.append(" ".join(phrase))
        side = ", a.lang = ? AS same" if by_lang is not None else ""
        values = ", ".join(f"({_UNIT}, CAST(? AS double precision))" for _ in weighted)
        sql = (f"WITH q(tq, w) AS (VALUES {values}) SELECT s.article_id, sum(q.w) AS score"
               f"{side} FROM article_search s JOIN q ON s.doc @@ q.tq" if weighted else
               f"SELECT s.article_id, 1.0 AS score{side} FROM article_search s")
        # the articles are read only for a filter or the language: every indexed
        # article is stored
        sql += " JOIN articles a ON a.id = s.article_id" if filters or side else ""
        sql += " WHERE " + " AND ".join(where) if where else ""
        sql += " GROUP BY s.article_id" + (", a.lang" if side else "") if weighted else ""
        terms = [v for text, w in weighted for v in (text, config, text, _exact(w))]
        return (f"SELECT * FROM ({sql}) m" if not side else sql,
                [*terms, *([by_lang] if side else []), *params])

    def _stored_languages(self) -> set[str]:
        """The languages of the stored articles, ``und`` left out (from the counts kept
        at insert)."""
        return set(self.store.queries.languages()) - {"und"}

    def _weights(self, units: list[tuple[str, ...]], config: str,
                 near_all: bool = False) -> list[tuple[str, float]]:
        """``(unit text, weight)`` of the units worth searching: the weight is the
        unit's inverse document frequency; a unit in over :data:`COMMON_SHARE` of the
        documents is left out. A word no document holds is replaced by its nearest
        stored words (:meth:`_near`), weighted by their similarity; with ``near_all``,
        every word also brings its near words.

        A one-word unit's document frequency is read from ``search_terms`` (one
        statement for all units): the larger of its two lexemes' counts, as written
        and as ``config`` stems it (a document may hold either, so the exact count
        of the two together lies between the larger and their sum; taking the larger
        never leaves out a word the exact count would keep). A unit of several
        lexemes (a CJK pair) is a phrase, counted exactly. The units searched are then
        bounded as on SQLite (:data:`newsweave.store.search.MAX_POSTINGS`, the rarest
        first), by these document frequencies."""
        total = self.store.queries.articles_total()  # every article is indexed at insert
        cap = max(1, int(total * COMMON_SHARE))
        lexemes = self._lexeme_counts([" ".join(u) for u in units], config)
        out: list[tuple[str, float]] = []
        docs_of: dict[str, int] = {}
        missing: list[str] = []
        for k, unit in enumerate(units):
            text = " ".join(unit)
            simple, counts = lexemes.get(k, ([], []))
            if len(simple) > 1:
                df = self._phrase_count(text, config, cap + 1)
            else:
                df = max(counts, default=0)
            if (df == 0 and len(simple) == 1 and len(text) >= NEAR_MIN_CHARS
                    and len(units) <= NEAR_MAX_UNITS):
                missing.append(text)
            if df and (weight := _idf(df, total, cap)) > 0:
                out.append((text, weight))
                docs_of[text] = df
        near_words = missing + ([" ".join(u) for u in units if len(u) == 1 and
                                 len(u[0]) >= NEAR_MIN_CHARS] if near_all else [])
        for term, docs, similarity in self._near(list(dict.fromkeys(near_words))):
            if (weight := _idf(docs, total, cap)) > 0 and term not in dict(out):
                out.append((term, weight * similarity))
                docs_of[term] = docs
        return _within_budget(out, docs_of)

    def _lexeme_counts(self, texts: list[str], config: str
                       ) -> dict[int, tuple[list[str], list[int]]]:
        """Per unit (by position): its lexemes as written (``simple``), and the number
        of documents holding each of its lexemes, as written or as ``config`` stems
        them (``search_terms``; 0 for a lexeme no document holds)."""
        if not texts:
            return {}
        rows = self.store.execute(
            "SELECT u.i, l.side, l.term, coalesce(t.docs, 0) "
            "FROM unnest(CAST(? AS text[])) WITH ORDINALITY AS u(w, i) "
            "CROSS JOIN LATERAL (SELECT 's' AS side, x AS term "
            "  FROM unnest(tsvector_to_array(to_tsvector('simple', u.w))) x "
            "  UNION SELECT 'c', y FROM unnest(tsvector_to_array("
            "  to_tsvector(CAST(? AS regconfig), u.w))) y) AS l "
            "LEFT JOIN search_terms t ON t.term = l.term", (texts, config)).fetchall()
        out: dict[int, tuple[list[str], list[int]]] = {}
        for i, side, term, docs in rows:
            simple, counts = out.setdefault(int(i) - 1, ([], []))
            if side == "s":
                simple.append(term)
            counts.append(int(docs))
        return out

    def _phrase_count(self, text: str, config: str, cap: int) -> int:
        """Documents holding the unit ``text`` (as written or stemmed), counted up to
        ``cap``."""
        return int(self.store.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM article_search s WHERE s.doc @@ ({_UNIT}) "
            "LIMIT ?) x", (text, config, text, cap)).fetchone()[0])

    def _near(self, words: list[str]) -> list[tuple[str, int, float]]:
        """``(stored word, documents, similarity)`` of the stored words nearest each of
        ``words`` by trigram similarity (at least :data:`NEAR_SIMILARITY`, the
        :data:`NEAR_TERMS` nearest of each, the word itself left out): a misspelt name
        ("cagins") finds the written one ("caggins"). Empty without ``pg_trgm``."""
        if not words or not self.trigrams:
            return []
        rows = self.store.execute(
            "SELECT n.term, n.docs, n.sim FROM unnest(CAST(? AS text[])) WITH ORDINALITY "
            "AS u(w, i) CROSS JOIN LATERAL (SELECT t.term, t.docs, similarity(t.term, u.w) "
            "AS sim FROM search_terms t WHERE t.term % u.w AND t.term <> u.w "
            "AND similarity(t.term, u.w) >= ? ORDER BY sim DESC, t.term LIMIT ?) AS n "
            "ORDER BY u.i, n.sim DESC, n.term", (words, NEAR_SIMILARITY, NEAR_TERMS)).fetchall()
        return [(str(r[0]), int(r[1]), float(r[2])) for r in rows]


def _within_budget(weighted: list[tuple[str, float]],
                   docs: dict[str, int]) -> list[tuple[str, float]]:
    """``weighted`` (in its order) bounded as SQLite bounds a match
    (:meth:`SearchTables.within_budget`): the rarest units first, while the documents
    holding them (``docs``) add up to :data:`newsweave.store.search.MAX_POSTINGS` or
    fewer (the rarest always)."""
    keep: set[int] = set()
    total = 0
    for k in sorted(range(len(weighted)), key=lambda k: (docs[weighted[k][0]], k)):
        if keep and total + docs[weighted[k][0]] > search.MAX_POSTINGS:
            break
        keep.add(k)
        total += docs[weighted[k][0]]
    return [w for k, w in enumerate(weighted) if k in keep]


def _exact(weight: float) -> float:
    """``weight`` rounded to a multiple of 2**-:data:`WEIGHT_BITS`: the database sums a
    document's weights in whatever order its plan reads the rows, and floating-point
    addition depends on the order; sums of such multiples are exact, so a document's
    score, and the order of tied documents (by id), is the same whatever the plan."""
    return round(weight * 2**WEIGHT_BITS) / 2**WEIGHT_BITS


def _idf(df: int, total: int, cap: int) -> float:
    """A unit's weight: its inverse document frequency, 0 (no evidence) when it is in
    half the documents or more (BM25's idf <= 0), or, in a store of 20 or more, in
    more than ``cap``."""
    if df > cap and total >= 20:
        return 0.0
    return max(0.0, math.log((total - df + 0.5) / (df + 0.5)))


# One unit as a tsquery: as written (simple) or as the query's language stems it.
_UNIT = "(phraseto_tsquery('simple', ?) || phraseto_tsquery(CAST(? AS regconfig), ?))"
