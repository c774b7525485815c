"""An approximate nearest-neighbour index over stored article vectors.

Why this design: the pyenv Python on many machines is built without
``enable_load_extension``, so SQLite vector extensions (sqlite-vec) do not load
for every user. Vectors therefore live in SQLite as BLOBs (the source of truth)
and an in-process HNSW index (hnswlib) is kept beside the database file
(``<db>.hnsw``). The index is a cache: when it is missing, stale or damaged it is
rebuilt or topped up from the BLOBs, so a crash between a commit and an index save
loses nothing. Queries cost O(log n), which keeps per-article ingest cost flat as
the store grows (brute force would be linear).

Saving never damages the index on disk: it is written to ``<db>.hnsw.tmp``, checked
to be complete, and renamed over the old file. The check matters because hnswlib
writes with a C++ stream that ignores write errors: on a full disk it leaves a short
or empty file and reports success. A failed save raises :class:`StoreError` with the
operating system's reason, and the previous index stays.
"""

from __future__ import annotations

import logging
import os
import struct
from pathlib import Path

import numpy as np

from ..errors import StoreError
from .base import StoreAPI as Store

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
        """Persist if anything changed: write a temp file beside the index, check that
        it is complete, flush it to disk and rename it over the old one (atomic).

        Raises :class:`StoreError` (disk full, permission...) and keeps the old file.
        """
        if self.path is None or not self._dirty or self._index is None:
            return
        tmp = self.path.with_name(self.path.name + ".tmp")
        try:
            self._write(tmp)
            _check_complete(tmp, self._index.get_current_count())
            _fsync(tmp)
            os.replace(tmp, self.path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise StoreError(f"cannot save the vector index {self.path}: "
                             f"{exc.strerror or exc}; the previous index is kept, and the "
                             "articles are stored (free some space and run again)") from None
        self._dirty = False

    def _write(self, path: Path) -> None:
        """Write the index file (the one place that writes it)."""
        self._index.save_index(str(path))

    def reset(self) -> None:
        """Drop everything (used by recluster, which re-adds vectors in stream order)."""
        self._index = self._new(1024)
        self._dirty = True
        if self.path is not None and self.path.exists():
            self.path.unlink()


# The head of an hnswlib (0.7, 0.8) index file: offsetLevel0, max_elements,
# cur_element_count, size_data_per_element, label_offset, offsetData (size_t each),
# maxlevel (int), enterpoint_node (uint), maxM, maxM0, M (size_t), mult (double),
# ef_construction (size_t). Level-0 data follows, then one link list per element.
_HEADER = struct.Struct("<6QiI3QdQ")
_LIST_SIZE = struct.Struct("<I")


def _check_complete(path: Path, count: int) -> None:
    """Raise OSError unless ``path`` is a whole index file of ``count`` elements.

    Walks the file's own layout, as hnswlib's loader does, so that a file cut short
    anywhere (a full disk) is caught before it replaces a good one.
    """
    with open(path, "rb") as handle:
        head = handle.read(_HEADER.size)
        size = os.fstat(handle.fileno()).st_size
        if len(head) == _HEADER.size:
            fields = _HEADER.unpack(head)
            elements, per_element = fields[2], fields[3]
            start = _HEADER.size + elements * per_element
            if elements == count and start <= size:
                handle.seek(start)
                if _lists_end(handle.read(), elements) == size - start:
                    return
    raise OSError(f"the index file written is incomplete ({size} bytes); is the disk full?")


def _lists_end(tail: bytes, elements: int) -> int:
    """Where the ``elements`` link lists at the start of ``tail`` end (-1: cut short)."""
    pos = 0
    for _ in range(elements):
        if pos + _LIST_SIZE.size > len(tail):
            return -1
        pos += _LIST_SIZE.size + _LIST_SIZE.unpack_from(tail, pos)[0]
    return pos if pos <= len(tail) else -1


def _fsync(path: Path) -> None:
    """Flush ``path`` to the disk, so that a full or failing disk shows here."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
