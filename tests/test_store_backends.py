"""The two backends side by side: the same results, the same schema, and PostgreSQL's
own contract (pgvector required, one writer, ids as SQLite hands them out)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from newsweave.cli import main
from newsweave.errors import StoreError
from newsweave.models import Article
from newsweave.store import migrations as sqlite_migrations
from newsweave.store import pg_migrations
from newsweave.store.open import open_store
from newsweave.store.pgvectors import NEAREST
from newsweave.store.postgres import PostgresStore, redact, require_extension
from tests.conftest import PostgresServer

LISTINGS = ("stories", "entities", "places")


def cli(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def listings(db: str) -> dict[str, object]:
    return {what: json.loads(cli(what, "--db", db, "--json")) for what in LISTINGS}


def ingest_both(corpus: Path, tmp_path: Path, pg_server: PostgresServer) -> tuple[dict, dict]:
    sqlite_db, pg_db = str(tmp_path / "s.db"), pg_server.create()
    try:
        for db in (sqlite_db, pg_db):
            cli("ingest", str(corpus), "--db", db, "--no-progress")
        return listings(sqlite_db), listings(pg_db)
    finally:
        pg_server.drop(pg_db)


def test_demo_corpus_gives_the_same_stories_entities_and_places(
        tmp_path: Path, pg_server: PostgresServer) -> None:
    corpus = Path(str(files("newsweave") / "data" / "demo" / "corpus"))
    on_sqlite, on_pg = ingest_both(corpus, tmp_path, pg_server)
    assert on_sqlite["stories"] and on_sqlite["entities"] and on_sqlite["places"]
    for what in LISTINGS:
        assert on_pg[what] == on_sqlite[what], what


def test_seeds_give_the_same_stories_entities_and_places(
        tmp_path: Path, pg_server: PostgresServer, seeds: Path) -> None:
    on_sqlite, on_pg = ingest_both(seeds, tmp_path, pg_server)
    for what in LISTINGS:
        assert on_pg[what] == on_sqlite[what], what


def _sqlite_columns(path: Path) -> dict[str, list[str]]:
    conn = sqlite3.connect(path)
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    return {t: sorted(r[1] for r in conn.execute(f"PRAGMA table_info({t})")) for t in tables}


def test_both_schemas_have_the_same_version_tables_and_columns(
        tmp_path: Path, pg_server: PostgresServer) -> None:
    with open_store(tmp_path / "s.db"):
        pass
    url = pg_server.create()
    try:
        with PostgresStore(url) as store:
            version = store.execute("SELECT max(version) FROM schema_version").fetchone()[0]
            rows = store.execute(
                "SELECT table_name, column_name FROM information_schema.columns "
                "WHERE table_schema = 'public' AND table_name <> 'schema_version'").fetchall()
    finally:
        pg_server.drop(url)
    pg_columns: dict[str, list[str]] = {}
    for table, column in rows:
        pg_columns.setdefault(table, []).append(column)
    pg_columns = {t: sorted(c for c in cols if c != "in_index") for t, cols in pg_columns.items()
                  if t not in ("article_search", "search_terms")}
    assert version == pg_migrations.LATEST == len(sqlite_migrations.MIGRATIONS)
    # the full-text index is each backend's own (FTS5 tables; a tsvector table and its
    # words' document frequencies)
    sqlite_columns = {t: c for t, c in _sqlite_columns(tmp_path / "s.db").items()
                      if not t.startswith("article_fts")}
    assert pg_columns == sqlite_columns


def test_a_server_without_the_extension_is_named_in_the_error(pg_server: PostgresServer) -> None:
    from newsweave.store.postgres import _connect

    conn = _connect(pg_server.admin)
    try:
        with pytest.raises(StoreError, match="no 'vector_not_installed' extension.*pgvector"):
            require_extension(conn, "vector_not_installed", pg_server.admin)
    finally:
        conn.close()


def test_a_url_password_never_shows() -> None:
    assert redact("postgresql://me:s3cret@db.example.org/news") == (
        "postgresql://me:***@db.example.org/news")


def test_a_reader_needs_a_database_that_ingest_made(pg_server: PostgresServer) -> None:
    url = pg_server.create()
    try:
        with pytest.raises(StoreError, match="run `newsweave ingest` first"):
            PostgresStore(url, readonly=True)
    finally:
        pg_server.drop(url)


def test_one_writer_at_a_time_readers_never_wait(pg_server: PostgresServer) -> None:
    url = pg_server.create()
    try:
        with PostgresStore(url):
            with pytest.raises(StoreError, match="another newsweave process is writing"):
                PostgresStore(url)
            with PostgresStore(url, readonly=True) as reader:
                assert reader.count("articles") == 0
        with PostgresStore(url) as again:  # the lock went with the first writer
            assert again.count("articles") == 0
    finally:
        pg_server.drop(url)


def _article(n: int) -> Article:
    return Article(source=f"/x/{n}.txt", text=f"text {n}", title=f"t{n}",
                   content_hash=f"h{n}", ingest_key=f"k{n}", lang="en")


def test_a_rolled_back_batch_gives_its_ids_out_again_as_sqlite_does(
        tmp_path: Path, pg_server: PostgresServer) -> None:
    url = pg_server.create()
    try:
        ids = {}
        for name, db in (("sqlite", str(tmp_path / "s.db")), ("postgres", url)):
            with open_store(db) as store:
                with store.batch():
                    first = store.insert_article(_article(1), 1, None)
                with pytest.raises(RuntimeError), store.batch():
                    store.insert_article(_article(2), 2, None)
                    raise RuntimeError("interrupted")
                with store.batch():
                    second = store.insert_article(_article(3), 2, None)
                ids[name] = (first, second, store.count("articles"))
        assert ids["postgres"] == ids["sqlite"] == (1, 2, 2)
    finally:
        pg_server.drop(url)


def test_deleted_last_rows_give_their_ids_out_again_as_sqlite_does(
        tmp_path: Path, pg_server: PostgresServer) -> None:
    """``recluster`` deletes every story and numbers the new ones from 1; deleting
    the last rows of a table hands their ids out again (SQLite's max(id) + 1)."""
    url = pg_server.create()
    story = ("INSERT INTO stories(size, centroid, model) VALUES (0, ?, 'test')", (b"",))
    try:
        ids = {}
        for name, db in (("sqlite", str(tmp_path / "s.db")), ("postgres", url)):
            with open_store(db) as store, store.batch():
                made = [store.insert(*story) for _ in range(3)]
                store.execute("DELETE FROM stories WHERE id >= ?", (2,))
                made.append(store.insert(*story))
                store.stories.reset()
                made.append(store.insert(*story))
            ids[name] = made
        assert ids["postgres"] == ids["sqlite"] == [1, 2, 3, 2, 1]
    finally:
        pg_server.drop(url)


def test_nearest_neighbours_run_in_the_database_exactly(pg_server: PostgresServer) -> None:
    url = pg_server.create()
    rng = np.random.default_rng(7)
    try:
        with PostgresStore(url) as store:
            index = store.vector_index(384)
            vectors = rng.standard_normal((20, 384)).astype(np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            with store.batch():
                for n, vec in enumerate(vectors, start=1):
                    aid = store.insert_article(_article(n), n, None)
                    store.put_vector(aid, "test", vec, vec)
                    if n <= 10:
                        index.add(aid, vec)
            ids, sims = index.query(vectors[3], 5)
            assert ids[0] == 4 and sims[0] == pytest.approx(1.0, abs=1e-5)
            assert set(ids.tolist()) <= set(range(1, 11))  # only the added ones are found
            assert len(index) == 10
            index_all = np.random.default_rng(7).normal(size=(300, 384)).astype(np.float32)
            index_all /= np.linalg.norm(index_all, axis=1, keepdims=True)
            with store.batch():
                for n, vec in enumerate(index_all, start=21):
                    aid = store.insert_article(_article(n), n, None)
                    store.put_vector(aid, "test", vec, vec)
                    index.add(aid, vec)
            probe = index_all[0] + index_all[1]
            ids, _ = index.query(probe, 30)  # exact: the true 30 nearest, ties by id
            added = np.vstack([vectors[:10], index_all])
            labels = np.array(list(range(1, 11)) + list(range(21, 321)))
            order = np.lexsort((labels, -(added @ probe)))
            assert ids.tolist() == labels[order[:30]].tolist()
            store.execute("SET enable_seqscan = off")  # 20 rows: make the planner show it
            plan = store.execute("EXPLAIN SELECT article_id FROM vectors WHERE in_index "
                                 "ORDER BY cvector <#> ? LIMIT 5", (vectors[0],)).fetchall()
            assert "vectors_hnsw" in " ".join(r[0] for r in plan)
            exact = store.execute("EXPLAIN " + NEAREST, (vectors[0], vectors[0], 5)).fetchall()
            assert "vectors_hnsw" not in " ".join(r[0] for r in exact)
    finally:
        pg_server.drop(url)


def test_readers_in_many_threads_each_get_a_connection(make_pipeline: Callable) -> None:
    """A server reads from request threads: each gets its own connection, and every
    thread sees what the writer committed."""
    from concurrent.futures import ThreadPoolExecutor

    from newsweave import service

    pipeline = make_pipeline()
    corpus = Path(str(files("newsweave") / "data" / "demo" / "corpus"))
    pipeline.ingest([str(corpus)])
    store = pipeline.store
    expected = service.list_stories(store)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: service.list_stories(store), range(8)))
    assert all(r == expected for r in results) and expected
