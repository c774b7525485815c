"""The store: transactions on both backends; SQLite's schema, WAL, lock file and the
vector index beside it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from newsweave.errors import StoreError
from newsweave.models import Article, Skipped
from newsweave.store.migrations import MIGRATIONS
from newsweave.store.open import open_store
from newsweave.store.sqlite import Store
from newsweave.store.vectors import VectorIndex


def article(n: int) -> Article:
    return Article(source=f"/x/{n}.txt", text=f"text {n}", title=f"title {n}",
                   content_hash=f"h{n}", ingest_key=f"k{n}", lang="en")


def test_new_database_is_migrated_and_in_wal_mode(tmp_path: Path) -> None:
    with Store(tmp_path / "a.db") as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with Store(tmp_path / "a.db") as again:  # reopening applies nothing twice
        assert again.count("articles") == 0


def test_batch_rolls_back_whole(new_db: Callable[[str], str]) -> None:
    with open_store(new_db("a.db")) as store:
        with store.batch():
            store.insert_article(article(1), 1, None)
        with pytest.raises(KeyboardInterrupt), store.batch():
            store.insert_article(article(2), 2, None)
            store.record_skip(Skipped("/x/bad", "E001 empty input"), None)
            raise KeyboardInterrupt
        assert store.count("articles") == 1 and store.count("skipped") == 0
    with open_store(new_db("a.db"), readonly=True) as reader:  # and nothing was half-kept
        assert reader.count("articles") == 1


def test_readonly_store_needs_a_file(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no database"):
        Store(tmp_path / "missing.db", readonly=True)
    with pytest.raises(StoreError, match="does not exist"):
        Store(tmp_path / "no" / "such" / "dir.db")


def test_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError):
        Store(path)


def unit(rng: np.random.Generator) -> np.ndarray:
    v = rng.standard_normal(16).astype(np.float32)
    return v / np.linalg.norm(v)


def test_vector_index_rollback_and_rebuild(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    with Store(tmp_path / "v.db") as store:
        index = VectorIndex(tmp_path / "v.db.hnsw", 16)
        index.open(store)
        vecs = {}
        with store.batch():
            for n in range(1, 6):
                aid = store.insert_article(article(n), n, None)
                vecs[aid] = unit(rng)
                store.put_vector(aid, "test", vecs[aid], vecs[aid])
                index.add(aid, vecs[aid])
        index.commit()
        index.add(99, unit(rng))  # added, then its batch rolled back
        index.rollback()
        ids, sims = index.query(vecs[3], 3)
        assert ids[0] == 3 and sims[0] == pytest.approx(1.0, abs=1e-5) and 99 not in ids
        index.save()
        (tmp_path / "v.db.hnsw").write_bytes(b"garbage")
        rebuilt = VectorIndex(tmp_path / "v.db.hnsw", 16)
        rebuilt.open(store)
        assert len(rebuilt) == 5 and rebuilt.query(vecs[2], 1)[0][0] == 2


def test_one_writer_at_a_time(tmp_path: Path) -> None:
    with Store(tmp_path / "w.db"):
        with pytest.raises(StoreError, match="another newsweave process is writing"):
            Store(tmp_path / "w.db")
        with Store(tmp_path / "w.db", readonly=True) as reader:  # readers are never blocked
            assert reader.count("articles") == 0
    with Store(tmp_path / "w.db") as again:
        assert again.count("articles") == 0


def test_the_clusterers_candidates_are_read_many_at_once(new_db: Callable[[str], str]) -> None:
    """Stories of many articles, many stories' states, and the terms many stories share
    with an article: each one statement, on both backends (on a server every statement
    is a round trip, and an article has up to 30 candidates)."""
    from newsweave.models import StoryState

    many = [f"w{k:03d}" for k in range(700)]  # more terms than one IN list holds
    with open_store(new_db("c.db")) as store:
        tables = store.stories
        with store.batch():
            ids = [store.insert_article(article(n), n, None) for n in range(1, 5)]
            made = [tables.create(StoryState(0, np.full(4, k, np.float32), k, 1.0 * k, 2.0 * k,
                                             ["en", "it"][:k], ids[0], 0.5, k), "fp")
                    for k in (1, 2)]
            tables.set_article_story(ids[0], made[0])
            tables.set_article_story(ids[2], made[1])
            tables.add_terms(made[0], ["zeta", "alpha", many[650]])
            tables.add_terms(made[0], ["alpha"])
            tables.add_terms(made[1], ["beta"])
        assert tables.article_stories(ids) == {ids[0]: made[0], ids[2]: made[1]}
        states = tables.load_many([*made, 999])
        assert sorted(states) == made  # an unknown story is left out
        assert states[made[1]].size == 2 and states[made[1]].languages == ["en", "it"]
        assert states[made[1]].centroid.tolist() == [2.0] * 4
        shared = tables.shared_terms(made, ["zeta", "alpha", "gamma", *many])
        assert shared == {made[0]: {"alpha": 2, many[650]: 1, "zeta": 1}, made[1]: {}}
        assert list(shared[made[0]]) == ["alpha", many[650], "zeta"]  # code-point order
        assert tables.shared_terms([], ["alpha"]) == {}
