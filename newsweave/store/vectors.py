"""An approximate nearest-neighbour index over stored article vectors.

Why this design: the pyenv Python on many machines is built without
``enable_load_extension``, so SQLite vector extensions (sqlite-vec) do not load
for every user. Vectors therefore live in SQLite as BLOBs (the source of truth)
and an in-process HNSW index (hnswlib) is kept beside the database file
(``<db>.hnsw``). The index is a cache: when it is missing, stale or damaged it is
rebuilt or topped up from the BLOBs, so a crash between a commit and an index save
loses nothing. Queries cost O(log n), which keeps per-article ingest cost flat as
the store grows (brute force would be linear).
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from .sqlite import Store

log = logging.getLogger(__name__)


class VectorIndex:
    """HNSW over the language-centred vectors, labelled by article id (inner product)."""

    M = 16
    EF_CONSTRUCTION = 64
    EF_SEARCH = 96
    SEED = 7

    def __init__(self, path: Path | None, dim: int) -> None:
        self.path = path
        self.dim = dim
        self._index = None
        self._dirty = False
        self._pending: list[int] = []  # ids added since the last commit

    def _new(self, capacity: int):  # noqa: ANN202 - hnswlib has no type stubs
        import hnswlib

        index = hnswlib.Index(space="ip", dim=self.dim)
        index.init_index(max_elements=max(capacity, 1024), ef_construction=self.EF_CONSTRUCTION,
                         M=self.M, random_seed=self.SEED)
        index.set_ef(self.EF_SEARCH)
        index.set_num_threads(1)  # sequential inserts keep the graph deterministic
        return index

    def open(self, store: Store) -> None:
        """Load the saved index and bring it in line with the vectors in ``store``."""
        import hnswlib

        stored = store.count("vectors")
        if self.path is not None and self.path.exists():
            try:
                index = hnswlib.Index(space="ip", dim=self.dim)
                index.load_index(str(self.path), max_elements=max(stored * 2, 1024))
                index.set_ef(self.EF_SEARCH)
                index.set_num_threads(1)
                self._index = index
            except (RuntimeError, ValueError) as exc:
                log.warning("vector index %s unreadable (%s): rebuilding", self.path, exc)
                self._index = None
        if self._index is None:
            self._index = self._new(stored * 2)
        if self._index.get_current_count() != stored:
            self._rebuild(store)

    def _rebuild(self, store: Store) -> None:
        """Re-create the index from the stored vectors (after a crash or a lost file)."""
        log.info("rebuilding the vector index from %d stored vectors", store.count("vectors"))
        self._index = self._new(store.count("vectors") * 2)
        for article_id, _vec, cvec in store.iter_vectors():
            self.add(article_id, cvec)
        self._pending.clear()

    def add(self, article_id: int, vec: np.ndarray) -> None:
        index = self._index
        if index.get_current_count() >= index.get_max_elements():
            index.resize_index(index.get_max_elements() * 2)
        index.add_items(vec.reshape(1, -1), np.array([article_id]))
        self._pending.append(article_id)
        self._dirty = True

    def commit(self) -> None:
        """The store committed: what was added since the last commit is now durable."""
        self._pending.clear()

    def rollback(self) -> None:
        """The store rolled back: hide what was added since the last commit.

        SQLite will hand the same ids out again; re-adding an id to hnswlib replaces
        the deleted element's vector and revives it.
        """
        for article_id in self._pending:
            self._index.mark_deleted(article_id)
        self._pending.clear()

    def query(self, vec: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` nearest article ids and their cosine similarities."""
        count = self._index.get_current_count()
        if count == 0:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
        k = min(k, count)
        self._index.set_ef(max(self.EF_SEARCH, k))
        while True:
            try:
                labels, dist = self._index.knn_query(vec.reshape(1, -1), k=k)
                break
            except RuntimeError:  # fewer live elements than k (some marked deleted)
                if k <= 1:
                    return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
                k //= 2
        return labels[0].astype(np.int64), (1.0 - dist[0]).astype(np.float32)

    def __len__(self) -> int:
        return 0 if self._index is None else int(self._index.get_current_count())

    def save(self) -> None:
        """Persist if anything changed; written to a temp file then renamed (atomic)."""
        if self.path is None or not self._dirty or self._index is None:
            return
        tmp = self.path.with_suffix(self.path.suffix + ".tmp")
        self._index.save_index(str(tmp))
        tmp.replace(self.path)
        self._dirty = False

    def reset(self) -> None:
        """Drop everything (used by recluster, which re-adds vectors in stream order)."""
        self._index = self._new(1024)
        self._dirty = True
        if self.path is not None and self.path.exists():
            self.path.unlink()
