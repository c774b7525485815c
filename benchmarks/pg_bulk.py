"""A bulk fill of a PostgreSQL store with synthetic articles, for the search latency
benchmark at 1M articles (``bench_search_latency --bulk``).

The benchmark's ordinary fill writes each article through the store (``insert_article``,
``put_vector``, the vector index's ``add``), as ingest does: on PostgreSQL about 94 s
per 10,000 articles, most of it the ``search_terms`` trigger's upserts (one per word of
each document) and the HNSW and GIN indexes growing one row at a time; 1M takes hours.
This fill writes the same rows in bulk, in one transaction:

* the indexes of the tables it writes that no constraint needs (HNSW ``vectors_hnsw``,
  GIN ``article_search_doc``, the words' trigram index, the articles' B-trees) are
  dropped, and built again from their own definitions once the rows are in, with
  ``maintenance_work_mem`` raised (:data:`BUILD_MEMORY`);
* ``articles`` by ``COPY``, each row's values from the store's own
  :func:`newsweave.store.sqlite.article_values`, ids and ``seq`` numbered as the
  insert numbers them;
* ``vectors`` by binary ``COPY``: the passage vector as ``vector`` and ``cvector``, and
  ``in_index`` true, as ``put_vector`` and the index's ``add`` leave them;
* ``article_search``: the parameters of each document from the store's own
  :func:`newsweave.store.pgsearch.document_params`, copied into a temporary table,
  and the documents made in the database by the store's own expression
  (:data:`newsweave.store.pgsearch.DOCUMENT`);
* ``search_terms``: its trigger is disabled for the load, and each chunk's lexemes are
  counted in one statement and added (what the trigger adds, document by document);
* ``language_counts``: each chunk's articles per language, added.

Then the ids' sequence is set to ``max(id) + 1`` (as the store keeps it) and the
tables are vacuumed and analysed. ``tests/test_bench_pg_bulk.py`` fills one database
each way and compares every table search reads, row by row, and searches' top 10.
The HNSW graph itself differs from the ordinary fill's (it is built over all rows at
once rather than row by row, and pgvector draws each element's level at random): the
index's answers are approximate either way.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from typing import Any

from .synthetic import SyntheticEmbedder, SyntheticNews

CHUNK = 10_000  # articles per COPY
# maintenance_work_mem for the index builds: the HNSW graph of 1M 384-dimension vectors
# is about 2 GB, and a build whose graph outgrows it slows down many times.
BUILD_MEMORY = "3GB"
# The tables the fill writes; their indexes that no constraint needs are dropped during
# the load and built after it.
TABLES = ("articles", "vectors", "article_search", "search_terms")
TRIGGER = ("article_search", "article_search_terms")  # search_terms' trigger
# The staged parameters of each document: those of the store's document expression, in
# order (``document_params``: configuration, title, title's words, configuration, text,
# text's words).
DOC_PARAMS = ("p1", "p2", "p3", "p4", "p5", "p6")


def free_indexes(conn: Any, tables: tuple[str, ...] = TABLES) -> list[tuple[str, str]]:
    """``(name, definition)`` of the indexes of ``tables`` that back no constraint
    (primary keys and unique keys stay: their tables' rows need them)."""
    rows = conn.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i "
        "WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s) "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = "
        "  (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass) "
        "ORDER BY i.tablename, i.indexname", (list(tables),)).fetchall()
    return [(str(r[0]), str(r[1])) for r in rows]


def document_expression() -> str:
    """The store's document expression over the columns of the staged parameters."""
    from newsweave.store.pgsearch import DOCUMENT

    parts = DOCUMENT.split("?")
    names = DOC_PARAMS
    if len(parts) != len(names) + 1:
        raise RuntimeError("the store's document expression changed its parameters: "
                           "update benchmarks/pg_bulk.py")
    return "".join(p + (names[k] if k < len(names) else "") for k, p in enumerate(parts))


def _say(message: str, start: float) -> None:
    print(f"  {message} ({time.perf_counter() - start:.0f} s)", file=sys.stderr, flush=True)


def bulk_fill(store: Any, news: SyntheticNews, target: int, chunk: int = CHUNK) -> float:
    """Add synthetic articles to the PostgreSQL ``store`` until it holds ``target``,
    in bulk (see the module doc); the same rows as the benchmark's ordinary fill of
    the same records. Seconds taken."""
    start = time.perf_counter()
    have = store.count("articles")
    if have >= target:
        return 0.0
    conn = store.conn
    first = int(conn.execute("SELECT coalesce(max(id), 0) + 1 FROM articles").fetchone()[0])
    seq = store.next_seq()
    with store.batch():
        conn.execute(f"SET LOCAL maintenance_work_mem = '{BUILD_MEMORY}'")
        indexes = free_indexes(conn)
        for name, _ in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        conn.execute(f"ALTER TABLE {TRIGGER[0]} DISABLE TRIGGER {TRIGGER[1]}")
        conn.execute(f"CREATE TEMP TABLE bulk_docs (article_id BIGINT, "
                     f"{', '.join(p + ' TEXT' for p in DOC_PARAMS)}) ON COMMIT DROP")
        done = 0
        while have + done < target:
            records = news.records(min(chunk, target - have - done))
            load_chunk(store, records, first + done, seq + done)
            done += len(records)
            _say(f"{have + done:,} articles copied", start)
        conn.execute(f"ALTER TABLE {TRIGGER[0]} ENABLE TRIGGER {TRIGGER[1]}")
        for name, definition in indexes:
            conn.execute(definition)
            _say(f"index {name} built", start)
        conn.execute("SELECT setval(pg_get_serial_sequence('articles', 'id'), "
                     "coalesce((SELECT max(id) FROM articles), 0) + 1, false)")
    conn.execute(f"VACUUM (ANALYZE) {', '.join((*TABLES, 'language_counts'))}")
    _say("vacuumed and analysed", start)
    return time.perf_counter() - start


def load_chunk(store: Any, records: list[dict[str, Any]], first_id: int, seq: int) -> None:
    """Copy one chunk of records into the store, as ids ``first_id``... and arrival
    numbers ``seq``...: the articles, their vectors, documents, words and languages."""
    from newsweave.store.pgsearch import document_params
    from newsweave.store.sqlite import ARTICLE_COLUMNS, article_values

    from .bench_search_latency import article_of, passage_of

    embedder = SyntheticEmbedder()
    articles = [article_of(r) for r in records]
    vectors = embedder.embed_passages([passage_of(r) for r in records])
    ids = range(first_id, first_id + len(records))
    conn, available = store.conn, store.search.available
    with conn.cursor() as cur:
        with cur.copy(f"COPY articles (id, {', '.join(ARTICLE_COLUMNS)}) FROM STDIN") as copy:
            for k, (article_id, a) in enumerate(zip(ids, articles, strict=True)):
                copy.write_row((article_id, *article_values(a, seq + k, None)))
        with cur.copy("COPY vectors (article_id, model, dim, vector, cvector, in_index) "
                      "FROM STDIN WITH (FORMAT BINARY)") as copy:
            copy.set_types(["int8", "text", "int8", "vector", "vector", "bool"])
            for article_id, vec in zip(ids, vectors, strict=True):
                copy.write_row((article_id, embedder.model_name, int(vec.shape[0]), vec, vec,
                                True))
        with cur.copy(f"COPY bulk_docs (article_id, {', '.join(DOC_PARAMS)}) FROM STDIN") as copy:
            for article_id, a in zip(ids, articles, strict=True):
                copy.write_row((article_id, *document_params(a.title, a.text, a.lang or "und",
                                                             available)))
    conn.execute(f"INSERT INTO article_search(article_id, doc) SELECT article_id, "
                 f"{document_expression()} FROM bulk_docs ORDER BY article_id")
    conn.execute("TRUNCATE bulk_docs")
    conn.execute(
        "INSERT INTO search_terms AS s(term, docs) SELECT t.term, count(*) "
        "FROM article_search a, unnest(tsvector_to_array(a.doc)) AS t(term) "
        "WHERE a.article_id BETWEEN %s AND %s GROUP BY t.term ORDER BY t.term "
        "ON CONFLICT (term) DO UPDATE SET docs = s.docs + excluded.docs",
        (first_id, ids[-1]))
    for lang, n in sorted(Counter(a.lang or "und" for a in articles).items()):
        conn.execute("INSERT INTO language_counts AS c(lang, articles) VALUES (%s, %s) "
                     "ON CONFLICT (lang) DO UPDATE SET articles = c.articles + excluded.articles",
                     (lang, n))

