"""The search latency benchmark's bulk fill of PostgreSQL (benchmarks/pg_bulk.py) writes
the same store as its ordinary fill, article by article through the store.

Two databases of the test session's real PostgreSQL get the same 2,000 synthetic
articles, one each way (the bulk one in two loads, of several chunks each, so that
counts are added to as well as started); every table search reads is compared row by
row, and so are the indexes and triggers left behind, and the results of the
benchmark's 80 queries. Only ``ingested_at`` (the clock at insert) may differ.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from benchmarks.bench_search_latency import CachedQueryEmbedder, fill, make_queries
from benchmarks.pg_bulk import bulk_fill
from benchmarks.synthetic import SyntheticNews
from newsweave.enrich.language import LanguageIdentifier
from newsweave.service.search import search
from newsweave.store.open import open_store
from newsweave.store.sqlite import ARTICLE_COLUMNS

ARTICLES = 2000
# Every table search reads that a synthetic article writes to, and its rows, in order.
TABLES = {
    "articles": f"SELECT id, {', '.join(c for c in ARTICLE_COLUMNS if c != 'ingested_at')} "
                "FROM articles ORDER BY id",
    "vectors": "SELECT article_id, model, dim, vector::text, cvector::text, in_index "
               "FROM vectors ORDER BY article_id",
    "article_search": "SELECT article_id, doc::text FROM article_search ORDER BY article_id",
    "search_terms": "SELECT term, docs FROM search_terms ORDER BY term",
    "language_counts": "SELECT lang, articles FROM language_counts ORDER BY lang",
    "indexes": "SELECT tablename, indexname, indexdef FROM pg_indexes "
               "WHERE schemaname = current_schema() ORDER BY tablename, indexname",
    "triggers": "SELECT tgrelid::regclass::text, tgname, tgenabled FROM pg_trigger "
                "WHERE NOT tgisinternal ORDER BY 1, 2",
    "next id": "SELECT nextval(pg_get_serial_sequence('articles', 'id'))",
}


@pytest.fixture(scope="module")
def stores(pg_server: Any) -> Iterator[tuple[Any, Any]]:
    """The two stores, filled: (ordinary, bulk)."""
    urls = [pg_server.create(), pg_server.create()]
    opened = [open_store(url) for url in urls]
    try:
        fill(opened[0], SyntheticNews(), ARTICLES)
        news = SyntheticNews()
        bulk_fill(opened[1], news, ARTICLES // 2, chunk=300)
        bulk_fill(opened[1], news, ARTICLES, chunk=300)
        yield opened[0], opened[1]
    finally:
        for store, url in zip(opened, urls, strict=True):
            store.close()
            pg_server.drop(url)


def _rows(store: Any, sql: str) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in store.execute(sql).fetchall()]


@pytest.mark.parametrize("table", list(TABLES))
def test_bulk_fill_writes_the_same_rows(stores: tuple[Any, Any], table: str) -> None:
    ordinary, bulk = stores
    expected = _rows(ordinary, TABLES[table])
    assert expected, table
    assert _rows(bulk, TABLES[table]) == expected


def _results(store: Any, queries: list[dict[str, Any]], embedder: Any) -> list[Any]:
    identifier = LanguageIdentifier()
    out = []
    for q in queries:
        found = search(store, q["query"], filters=q["filters"], limit=10, embedder=embedder,
                       identifier=identifier)
        out.append(([(h["article_id"], round(h["score"], 9)) for h in found["items"]],
                    found["total"], found["facets"]))
    return out


def test_bulk_fill_searches_the_same(stores: tuple[Any, Any]) -> None:
    """The same results, with vectors and with full text alone. The HNSW graphs differ
    (one built row by row, one at once, each element's level drawn at random), so the
    vector side is compared with the planner kept off the index (an exact scan on
    both): what is compared is what is stored."""
    queries = make_queries(SyntheticNews().records(ARTICLES))
    embedder = CachedQueryEmbedder(sorted({q["query"] for q in queries}))
    for store in stores:
        store.execute("SET enable_indexscan = off")
    try:
        for emb in (embedder, None):
            expected = _results(stores[0], queries, emb)
            assert sum(len(r[0]) for r in expected) > 5 * len(queries)
            assert _results(stores[1], queries, emb) == expected
    finally:
        for store in stores:
            store.execute("RESET enable_indexscan")
