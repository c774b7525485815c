"""Nearest-neighbour search in PostgreSQL: pgvector's HNSW index over ``vectors``.

The SQLite store keeps an hnswlib file beside the database; on PostgreSQL the index
is the database's own (``vectors_hnsw``, inner product over the language-centred
vectors, built by :mod:`newsweave.store.pg_migrations`), so it is always in step
with the rows, commits and rolls back with them, and needs no file or rebuild.

The stories stage sees a vector only once it has been *added*: an article's row is
stored before it is placed, and must not find itself; ``recluster`` replays the
stream and must see only the articles replayed so far. The column ``in_index`` is
that flag, and the index covers only the rows where it is true.

The stories stage's search is **exact** (a scan of the added vectors, in the
database), not an HNSW index scan: pgvector gives each new graph element a level from
the server's own random generator, which a client cannot seed, so an index scan may
return other neighbours for the same stream from one run to the next, and the same
articles in the same order must give the same stories. Ties are broken by article
id. The HNSW index (``vectors_hnsw``) stays for approximate search over the whole
store, where run-to-run identity is not promised.
"""

from __future__ import annotations

from typing import Any

import numpy as np

# The stories stage's search: exact, nearest first, ties by id (see the module doc).
NEAREST = ("SELECT article_id, (cvector <#> ?) * -1 AS sim FROM vectors WHERE in_index "
           "ORDER BY (cvector <#> ?) + 0, article_id LIMIT ?")


# Search's nearest articles: an HNSW index scan (approximate), for a search over the
# whole store, where an exact scan reads every vector (a second or more at 1M).
APPROXIMATE = ("SELECT article_id, (cvector <#> ?) * -1 AS sim FROM vectors WHERE in_index "
               "ORDER BY cvector <#> ? LIMIT ?")
# pgvector's bounds of ``hnsw.ef_search``; an index scan returns at most that many rows.
EF_SEARCH = (40, 1000)


class PgSearchIndex:
    """What search queries on PostgreSQL: the nearest added articles through the HNSW
    index (``vectors_hnsw``), as the hnswlib file serves it on SQLite. Approximate, as
    that one is; ``hnsw.ef_search`` is raised to the number asked for (pgvector's
    index scan returns no more than it), and the answers are ordered by similarity,
    ties by id."""

    def __init__(self, store: Any, dim: int) -> None:
        self.store = store
        self.dim = dim

    def query(self, vec: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` (at most 1,000) nearest added articles and their similarities."""
        k = min(int(k), EF_SEARCH[1])
        if k <= 0:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
        self.store.execute("SELECT set_config('hnsw.ef_search', ?, false)",
                           (str(max(EF_SEARCH[0], k)),))
        q = self.store.vector_param(vec)
        rows = sorted(((int(r[0]), float(r[1])) for r in
                       self.store.execute(APPROXIMATE, (q, q, k)).fetchall()),
                      key=lambda r: (-r[1], r[0]))
        return (np.array([r[0] for r in rows], dtype=np.int64),
                np.array([r[1] for r in rows], dtype=np.float32))


class PgVectorIndex:
    """The :class:`newsweave.stories.cluster.NeighbourIndex` of a PostgreSQL store."""

    def __init__(self, store: Any, dim: int) -> None:
        self.store = store
        self.dim = dim

    def add(self, article_id: int, vec: np.ndarray) -> None:
        """Make the article findable, with ``vec`` as its searched vector."""
        self.store.execute("UPDATE vectors SET cvector = ?, in_index = true "
                           "WHERE article_id = ?", (self.store.vector_param(vec), article_id))

    def query(self, vec: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` nearest added articles and their inner-product similarities,
        nearest first, ties by id: an exact scan (see the module doc). The ``+ 0``
        keeps the planner off the HNSW index, whose answers vary from run to run."""
        if k <= 0:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
        q = self.store.vector_param(vec)
        rows = self.store.execute(NEAREST, (q, q, int(k))).fetchall()
        ids = np.array([int(r[0]) for r in rows], dtype=np.int64)
        sims = np.array([float(r[1]) for r in rows], dtype=np.float32)
        return ids, sims

    def __len__(self) -> int:
        row = self.store.execute("SELECT count(*) FROM vectors WHERE in_index").fetchone()
        return int(row[0])

    def reset(self) -> None:
        """Forget every article (``recluster`` adds them again in stream order)."""
        self.store.execute("UPDATE vectors SET in_index = false WHERE in_index")

    # The index is part of the database: committed and rolled back with each batch,
    # never saved to or rebuilt from a file.
    def commit(self) -> None:
        """Nothing to do: the rows commit with the batch."""

    def rollback(self) -> None:
        """Nothing to do: the rows roll back with the batch."""

    def save(self) -> None:
        """Nothing to do: there is no file."""
