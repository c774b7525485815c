"""Full-text search and the reads behind hybrid search (``store.search``).

SQLite keeps an FTS5 table, ``article_fts`` (title, body; BM25), written in the same
transaction as its article. What goes into it is the article's search words
(:func:`newsweave.clean.searchtext.index_text`: folded, CJK cut into characters),
and a query is built here, from words the service has already split the same way,
each one quoted by us: the user's characters never reach FTS5's query syntax or the
SQL. The filters (:class:`SearchFilter`) are portable SQL over ``articles``, shared
with the PostgreSQL backend (:mod:`newsweave.store.pgsearch`), which replaces only
:meth:`SearchTables.add` and :meth:`SearchTables.match`.

FTS5 ranks every posting of the query's words, so a match's cost grows with the store
(docs/search.md, "Full text"; docs/benchmarks.md, "Search latency", at 1M articles). A
match therefore reads the index alone, never joining a matching row to ``articles``:
the languages come from :class:`LanguageMap` (every article's language in memory), a
filter's few passing ids are checked in the statement, both language sides come from
one ranked pass, and the words ranked are bounded (:data:`MAX_POSTINGS`, the rarest
first). A filter passing many articles, or a search inside a write transaction, joins.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from ..clean.searchtext import index_text, indexed_part

if TYPE_CHECKING:
    from .base import VectorSearch
    from .sqlite import Store

# BM25 weight of a title word against a body word.
TITLE_WEIGHT = 2.0
# A match scoring less is left out: it holds only words found in most documents, whose
# inverse document frequency BM25 puts at about zero (FTS5 floors it at 1e-6), and a
# rank-based fusion would otherwise count such a non-match like any other.
MIN_SCORE = 1e-3
# Ranked full-text rows read at a time while sorting them into language sides.
FETCH_ROWS = 2000
# The postings a full-text match ranks, at most (about): the query's words are taken
# rarest first while the documents holding them add up to no more than this; the
# commoner words are left to the vector side. Never reached in a store of a few
# thousand articles; at 1M synthetic articles each common word holds about 17,000.
MAX_POSTINGS = 25_000
# A filter passing at most this many articles is kept to in memory (their ids), the
# full-text index read alone; one passing more joins each match to its article.
FILTERED_SET_MAX = 20_000


@dataclass(frozen=True)
class SearchFilter:
    """Which articles a search may return (None: no condition). ``place`` is a stored
    place id (``gn:…``, ``a1:…``) or a country (``cc:IQ``), which covers every place
    in that country; ``ids`` restricts to a given set (claims of one status);
    ``not_langs`` leaves languages out."""

    date_from: str | None = None
    date_to: str | None = None
    langs: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    story: int | None = None
    entity: int | None = None
    place: str | None = None
    speaker: int | None = None
    ids: tuple[int, ...] | None = None
    not_langs: tuple[str, ...] = ()

    def sql(self) -> tuple[list[str], list[Any]]:
        """``(conditions, parameters)`` over ``articles a``: portable SQL, ``?`` marks."""
        where: list[str] = []
        params: list[Any] = []

        def add(condition: str, *values: Any) -> None:
            where.append(condition)
            params.extend(values)

        if self.date_from is not None:
            add("a.published >= ?", self.date_from)
        if self.date_to is not None:
            add("a.published < ?", self.date_to)
        if self.langs:
            # with a date range, the language is checked on the rows the date index
            # finds: without statistics SQLite takes an equality for the narrower
            # condition and reads every article in the language (a fifth of the store)
            column = ("coalesce(a.lang, '')" if self.date_from or self.date_to
                      else "a.lang")
            add(f"{column} IN ({','.join('?' * len(self.langs))})", *self.langs)
        if self.not_langs:
            add(f"a.lang NOT IN ({','.join('?' * len(self.not_langs))})", *self.not_langs)
        if self.sources:
            marks = ",".join("?" * len(self.sources))
            add(f"(a.site IN ({marks}) OR a.source IN ({marks}))", *self.sources, *self.sources)
        if self.story is not None:
            add("a.story_id = ?", self.story)
        if self.entity is not None:
            add("a.id IN (SELECT article_id FROM mentions WHERE entity_id = ?)", self.entity)
        if self.place is not None:
            country = self.place[3:] if self.place.startswith("cc:") else None
            add("a.id IN (SELECT m.article_id FROM mentions m JOIN entities e ON "
                "e.id = m.entity_id JOIN places p ON p.id = e.place_id "
                "WHERE p.id = ? OR p.country = ?)", self.place, country)
        if self.speaker is not None:
            add("a.id IN (SELECT article_id FROM quotes WHERE speaker_entity_id = ?)",
                self.speaker)
        if self.ids is not None:
            ids = self.ids or (-1,)
            add(f"a.id IN ({','.join('?' * len(ids))})", *ids)
        return where, params

    @property
    def empty(self) -> bool:
        """True when no condition is set."""
        return self == SearchFilter()

    @property
    def languages_only(self) -> bool:
        """True when the only conditions are languages (``langs``, ``not_langs``)."""
        return replace(self, langs=(), not_langs=()).empty

    def admits(self, lang: str) -> bool:
        """Whether an article in ``lang`` passes the language conditions."""
        return (not self.langs or lang in self.langs) and lang not in self.not_langs


class LanguageMap:
    """Every stored article's language, by id, in memory (two bytes an article): what
    sorts full-text matches into language sides without reading ``articles`` once per
    match. Articles are only ever added, and keep their language, so the map grows
    by the ids above the highest it holds; it starts again if that id is gone (rows
    rolled back), and is not used inside a write transaction, whose rows may still be
    rolled back and their ids handed out again."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._clear()

    def _clear(self) -> None:
        self.codes = np.zeros(0, dtype=np.uint16)  # 0: not read
        self.names: list[str] = [""]
        self._index: dict[str, int] = {}
        self.upto = 0

    def of(self, store: Store, ids: Sequence[int]) -> list[str]:
        """The languages of ``ids`` (stored articles), read up to date first."""
        with self._lock:
            self._refresh(store)
            wanted = np.asarray(ids, dtype=np.int64)
            unread = wanted[self.codes[wanted] == 0]
            if len(unread):  # not in the counts per language: read from their rows
                for r in store.select_in("SELECT id, lang FROM articles WHERE id IN ({marks})",
                                         unread.tolist()):
                    self.codes[int(r[0])] = self._code(r[1])
            return [self.names[c] for c in self.codes[wanted].tolist()]

    def _refresh(self, store: Store) -> None:
        top = store.execute("SELECT max(id) FROM articles").fetchone()[0] or 0
        if top < self.upto:
            self._clear()  # ids above ``top`` are gone: read everything again
        if top == self.upto:
            return
        if top >= len(self.codes):
            self.codes = np.concatenate([self.codes, np.zeros(
                max(top + 1, 2 * len(self.codes)) - len(self.codes), dtype=np.uint16)])
        if self.upto == 0:  # from scratch: each language's ids from its index, the
            # articles' rows left unread (0.2 s at 384k articles, against 2.3 s)
            for (lang,) in store.execute("SELECT lang FROM language_counts").fetchall():
                rows = store.execute("SELECT id FROM articles WHERE lang = ? AND id <= ?",
                                     (lang, top)).fetchall()
                self.codes[np.array([r[0] for r in rows], dtype=np.int64)] = self._code(lang)
        else:
            rows = store.execute("SELECT id, lang FROM articles WHERE id > ? AND id <= ?",
                                 (self.upto, top)).fetchall()
            ids = np.array([r[0] for r in rows], dtype=np.int64)
            self.codes[ids] = [self._code(r[1]) for r in rows]
        self.upto = top

    def _code(self, lang: str) -> int:
        if lang not in self._index:
            self._index[lang] = len(self.names)
            self.names.append(lang)
        return self._index[lang]


def fts_string(units: Sequence[Sequence[str]], joiner: str) -> str:
    """An FTS5 query: each unit a quoted phrase (its words quoted by us, ``"`` doubled),
    joined by ``OR`` or ``AND``."""
    quoted = ['"' + " ".join(word.replace('"', '""') for word in unit) + '"'
              for unit in units if unit]
    return f" {joiner} ".join(quoted)


class SearchTables:
    """The SQLite full-text index and the search reads (``store.search``)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._index: VectorSearch | None = None
        self._index_key: tuple[Any, ...] | None = None
        self._index_lock = threading.Lock()
        self._languages = LanguageMap()

    # -- the vector index ----------------------------------------------------
    def vector_index(self, dim: int) -> VectorSearch:
        """The store's vector index for searching, opened once and kept while the
        stored vectors and the index file stay as they were: loading the file and
        counting the vectors (what opening it costs) take hundreds of milliseconds at
        100,000 articles, more than the search itself. Any new vector, or a new save of
        the file (a later ingest, ``recluster``), opens it again."""
        with self._index_lock:
            key = (dim, *self._vectors_key())
            if self._index is None or key != self._index_key:
                self._index, self._index_key = self.store.vector_index(dim), key
            return self._index

    def _vectors_key(self) -> tuple[Any, ...]:
        """What changes when the vectors or their index file change: the last vector's
        id (the rows only grow) and the index file's time and size."""
        last = self.store.execute("SELECT max(article_id) FROM vectors").fetchone()[0]
        path = self.store.real_path.with_name(self.store.real_path.name + ".hnsw")
        try:
            stat = path.stat()
        except OSError:
            return (last, None, None)
        return (last, stat.st_mtime_ns, stat.st_size)

    # -- writes --------------------------------------------------------------
    def add(self, article_id: int, title: str, text: str, lang: str) -> None:
        """Index an article's title and text (in the caller's transaction)."""
        self.store.execute("INSERT INTO article_fts(rowid, title, body) VALUES (?, ?, ?)",
                           (article_id, index_text(indexed_part(title)),
                            index_text(indexed_part(text))))

    # -- full text -----------------------------------------------------------
    def match(self, units: Sequence[Sequence[str]], phrases: Sequence[Sequence[str]],
              lang: str | None, filt: SearchFilter, limit: int) -> list[tuple[int, float]]:
        """Articles holding any of ``units`` and every one of ``phrases``, best BM25
        first (ties by id): ``(article id, score)``, the score higher for better."""
        query = _fts_query(self.within_budget(units), phrases)
        if not query:
            return []
        usable, passing = self._index_alone(filt)
        if usable:
            return self._sides(query, [filt], limit, bool(units), passing)[0]
        return self._joined(query, filt, limit, bool(units))

    def match_by_language(self, units: Sequence[Sequence[str]],
                          phrases: Sequence[Sequence[str]], lang: str, filt: SearchFilter,
                          limit: int) -> tuple[list[tuple[int, float]], list[tuple[int, float]]]:
        """:meth:`match` among the articles in ``lang`` and among the others (both
        within ``filt``), each its best ``limit``, in one pass over the matches."""
        same = replace(filt, langs=(lang,)) if not filt.langs or lang in filt.langs else None
        other = replace(filt, not_langs=(*filt.not_langs, lang))
        units = self.within_budget(units)
        query = _fts_query(units, phrases)
        if not query:
            return [], []
        usable, passing = self._index_alone(filt)
        if usable:
            sides = self._sides(query, [f for f in (same, other) if f is not None], limit,
                                bool(units), passing)
            return (sides[0], sides[1]) if same is not None else ([], sides[0])
        return (self.match(units, phrases, lang, same, limit) if same is not None else [],
                self.match(units, phrases, lang, other, limit))

    def within_budget(self, units: Sequence[Sequence[str]]) -> list[Sequence[str]]:
        """``units`` (in their order) whose postings a match ranks: the rarest first,
        while the documents holding them add up to :data:`MAX_POSTINGS` or fewer (the
        rarest always). Ranking a posting (BM25, in FTS5) costs 1.5-4 microseconds,
        and every posting of every word is ranked, so without a bound a query of
        common words costs hundreds of milliseconds at a million articles; counting a
        word's documents costs a tenth to a thirtieth of that. Exact pruning (MaxScore,
        WAND) was measured to prune nothing where words weigh alike (docs/search.md)."""
        units = [u for u in units if u]
        if len(units) <= 1:
            return units
        counts = [self._documents(u, MAX_POSTINGS + 1) for u in units]
        keep, total = set(), 0
        for k in sorted(range(len(units)), key=lambda k: (counts[k], k)):
            if keep and total + counts[k] > MAX_POSTINGS:
                break
            keep.add(k)
            total += counts[k]
        return [u for k, u in enumerate(units) if k in keep]

    def _documents(self, unit: Sequence[str], cap: int) -> int:
        """How many documents hold ``unit`` (a word, or a phrase of CJK characters),
        counted up to ``cap``."""
        return int(self.store.execute(
            "SELECT count(*) FROM (SELECT 1 FROM article_fts WHERE article_fts MATCH ? "
            "LIMIT ?)", (fts_string([unit], "OR"), cap)).fetchone()[0])

    def _index_alone(self, filt: SearchFilter) -> tuple[bool, set[int] | None]:
        """Whether a match under ``filt`` can read the full-text index alone, and the
        ids passing ``filt`` it must keep to (None: any, the filter names languages at
        most). Not inside a write transaction (see :class:`LanguageMap`), nor when
        more than :data:`FILTERED_SET_MAX` articles pass a filter of more than
        languages (a match then joins its rows to the articles)."""
        if self.store.in_transaction():
            return False, None
        if filt.languages_only:
            return True, None
        ids = self.filtered_ids(filt, FILTERED_SET_MAX + 1)
        return (True, set(ids)) if len(ids) <= FILTERED_SET_MAX else (False, None)

    def _joined(self, query: str, filt: SearchFilter, limit: int,
                scored: bool) -> list[tuple[int, float]]:
        """The best ``limit`` matches of the FTS5 ``query`` passing ``filt``, each match
        joined to its article for the filter."""
        where, params = filt.sql()
        sql = ("SELECT f.rowid, bm25(article_fts, ?, 1.0) AS s FROM article_fts f "
               "JOIN articles a ON a.id = f.rowid WHERE article_fts MATCH ?"
               + "".join(f" AND {w}" for w in where) + " ORDER BY s, f.rowid LIMIT ?")
        rows = self.store.execute(sql, (TITLE_WEIGHT, query, *params, limit)).fetchall()
        found = [(int(r[0]), -float(r[1])) for r in rows]
        return [(i, x) for i, x in found if x >= MIN_SCORE] if scored else found

    def _sides(self, query: str, sides: Sequence[SearchFilter], limit: int, scored: bool,
               passing: set[int] | None) -> list[list[tuple[int, float]]]:
        """The best ``limit`` matches of the FTS5 ``query`` in each of ``sides``
        (their languages tell them apart; no article in two), among ``passing`` (None:
        all), from one ranked read of the index: the matches are read best first,
        their languages looked up in memory, until every side is full (or, ``scored``,
        the scores fall under :data:`MIN_SCORE`)."""
        out: list[list[tuple[int, float]]] = [[] for _ in sides]
        # the passing ids are checked in the statement, as a list it reads once; the
        # ``+`` keeps them from driving FTS5 (one search per id, each counting every
        # posting again for BM25's weights)
        kept = ("" if passing is None else
                " AND +rowid IN (SELECT value FROM json_each(?))")
        sql = ("SELECT rowid, bm25(article_fts, ?, 1.0) AS s FROM article_fts "
               f"WHERE article_fts MATCH ?{kept} ORDER BY s, rowid")
        params = (TITLE_WEIGHT, query,
                  *(() if passing is None else (json.dumps(sorted(passing)),)))
        if len(sides) == 1 and not sides[0].langs and not sides[0].not_langs:
            # one side, any language: no language to look up (nor the map to read)
            rows = self.store.execute(sql + " LIMIT ?", (*params, limit)).fetchall()
            return [[(int(i), -float(r)) for i, r in rows if not scored or -r >= MIN_SCORE]]
        cursor = self.store.execute(sql, params)
        admits: dict[str, int] = {}
        try:
            while any(len(side) < limit for side in out) and (
                    rows := cursor.fetchmany(FETCH_ROWS)):
                langs = self._languages.of(self.store, [r[0] for r in rows])
                for (article_id, rank), lang in zip(rows, langs, strict=True):
                    if scored and -rank < MIN_SCORE:
                        return out
                    if lang not in admits:
                        admits[lang] = next((k for k, f in enumerate(sides)
                                             if f.admits(lang)), -1)
                    side = admits[lang]
                    if side >= 0 and len(out[side]) < limit:
                        out[side].append((int(article_id), -float(rank)))
            return out
        finally:
            cursor.close()

    # -- filters and candidates ----------------------------------------------
    def passing(self, ids: Sequence[int], filt: SearchFilter,
                phrases: Sequence[Sequence[str]] = ()) -> set[int]:
        """Which of ``ids`` pass the filter (and contain every phrase)."""
        if not ids:
            return set()
        if filt.empty and not phrases:
            return set(ids)
        if phrases:
            return {i for i, _ in self.match([], phrases, None,
                                             _with_ids(filt, ids), len(ids))}
        where, params = filt.sql()
        sql = ("SELECT a.id FROM articles a WHERE "
               + "".join(f"{w} AND " for w in where) + "a.id IN ({marks})")
        return {int(r[0]) for r in self.store.select_in(sql, ids, params)}

    def filtered_ids(self, filt: SearchFilter, limit: int) -> list[int]:
        """Up to ``limit`` ids of articles passing the filter, in id order; which ones
        when more pass is not said (the caller asks for one more than it takes, to know
        whether all passed). No order in the statement: with ``ORDER BY id LIMIT`` a
        planner may walk the whole primary key, filtering, instead of using the date
        index."""
        where, params = filt.sql()
        sql = "SELECT a.id FROM articles a" + (" WHERE " + " AND ".join(where) if where
                                                else "") + " LIMIT ?"
        return sorted(int(r[0]) for r in self.store.execute(sql, (*params, limit)))

    def nearest_of(self, qvec: np.ndarray, ids: Sequence[int], depth: int) -> list[int]:
        """The ``depth`` of ``ids`` whose stored (corrected) vectors are nearest
        ``qvec``, exactly, nearest first (ties by id)."""
        return _nearest(self.store.cvectors(list(ids)), qvec, depth)

    def nearest_raw(self, qvec: np.ndarray, ids: Sequence[int], depth: int) -> list[int]:
        """The ``depth`` of ``ids`` whose raw vectors (the embedder's own, not the
        corrected copies) are nearest ``qvec``, exactly, nearest first (ties by id);
        ids without a vector (duplicates) are left out."""
        return _nearest(self.raw_vectors(list(ids)) if ids and depth > 0 else {}, qvec, depth)

    def raw_vectors(self, ids: Sequence[int]) -> dict[int, np.ndarray]:
        """The embedder's own vectors (not the stories' centred copies) of ``ids``."""
        rows = self.store.select_in(
            "SELECT article_id, vector FROM vectors WHERE article_id IN ({marks})", ids)
        return {int(r[0]): self.store.vector_value(r[1]) for r in rows}

    def duplicates(self, ids: Sequence[int]) -> dict[int, list[int]]:
        """The stored duplicates of each of ``ids`` (which have no vector of their own),
        in id order."""
        out: dict[int, list[int]] = {}
        for r in self.store.select_in("SELECT duplicate_of, id FROM articles WHERE "
                                      "duplicate_of IN ({marks}) ORDER BY id", ids):
            out.setdefault(int(r[0]), []).append(int(r[1]))
        return out

    # -- what a result shows ----------------------------------------------------
    def hits(self, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
        """``{id, title, text, lang, story, published, source, site, url}`` per id."""
        rows = self.store.select_in(
            "SELECT id, title, text, lang, story_id AS story, published, source, site, url, "
            "duplicate_of FROM articles WHERE id IN ({marks})", ids)
        return {int(r["id"]): dict(r) for r in rows}

    def facet_rows(self, ids: Sequence[int]) -> dict[str, list[dict[str, Any]]]:
        """What facets count, for ``ids``: ``articles`` (``{id, lang, source, story}``,
        the source being the site, else the source) and ``entities`` (``{article_id,
        id, name, type, country}``, one row per article and entity named)."""
        run = self.store.select_in
        return {
            "articles": [dict(r) for r in run(
                "SELECT id, lang, coalesce(site, source) AS source, story_id AS story "
                "FROM articles WHERE id IN ({marks})", ids)],
            "entities": [dict(r) for r in run(
                "SELECT DISTINCT m.article_id, e.id, e.name, e.type, p.country "
                "FROM mentions m JOIN entities e ON e.id = m.entity_id "
                "LEFT JOIN places p ON p.id = e.place_id WHERE m.article_id IN ({marks})",
                ids)],
        }


def _fts_query(units: Sequence[Sequence[str]], phrases: Sequence[Sequence[str]]) -> str:
    """The FTS5 query of :meth:`SearchTables.match`: any of ``units`` and every one of
    ``phrases`` ("" when there is nothing to search)."""
    query = fts_string(units, "OR")
    if phrases:
        required = fts_string(phrases, "AND")
        query = f"({query}) AND {required}" if query else required
    return query


def _with_ids(filt: SearchFilter, ids: Sequence[int]) -> SearchFilter:
    """``filt`` narrowed to ``ids``."""
    keep = set(ids) if filt.ids is None else set(ids) & set(filt.ids)
    return SearchFilter(**{**filt.__dict__, "ids": tuple(sorted(keep))})


def _nearest(vectors: dict[int, np.ndarray], qvec: np.ndarray, depth: int) -> list[int]:
    """The ``depth`` ids of ``vectors`` nearest ``qvec`` by dot product, nearest first,
    ties by id (an exact ranking: the candidates are few)."""
    if not vectors:
        return []
    order = sorted(vectors)
    sims = np.stack([vectors[i] for i in order]) @ qvec
    best = sorted(range(len(order)), key=lambda j: (-float(sims[j]), order[j]))
    return [order[j] for j in best[:depth]]
