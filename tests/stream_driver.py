"""Helpers for tests/test_stream_state.py: an embedder that embeds each text once, and
an ingest run in a process of its own that dies mid-batch (a real crash).

``python -m tests.stream_driver DB VECTORS BATCH KILL_AT PATH...`` ingests the PATHs
into DB (a SQLite path or a PostgreSQL URL) in batches of BATCH, with the vectors
saved in VECTORS, and kills its own process with SIGKILL while annotating the
KILL_AT-th article: no rollback, no ``finally``, no index save, as after a power cut
or the OOM killer.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
from pathlib import Path
from typing import Any

import numpy as np


class MemoEmbedder:
    """The real embedder, each text embedded once; its vectors can be saved for another
    process. Faithful: the model's vectors do not depend on which texts share a call
    (tested), and embedding is most of the cost of ingesting the test stream."""

    def __init__(self, real: Any = None, vectors: dict[str, np.ndarray] | None = None,
                 dim: int = 0, model_name: str = "") -> None:
        self.real = real
        self.dim = real.dim if real is not None else dim
        self.model_name = real.model_name if real is not None else model_name
        self._seen: dict[str, np.ndarray] = dict(vectors or {})

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        todo = [t for t in dict.fromkeys(texts) if t not in self._seen]
        if todo:
            self._seen.update(zip(todo, self.real.embed_passages(todo), strict=True))
        if not texts:
            return np.empty((0, self.dim), dtype=np.float32)
        return np.stack([self._seen[t] for t in texts])

    def save(self, path: Path) -> None:
        with open(path, "wb") as handle:
            pickle.dump((self.dim, self.model_name, self._seen), handle)

    @classmethod
    def load(cls, path: Path) -> MemoEmbedder:
        with open(path, "rb") as handle:
            dim, model_name, vectors = pickle.load(handle)  # noqa: S301 - our own file
        return cls(vectors=vectors, dim=dim, model_name=model_name)


def main(argv: list[str]) -> None:
    from newsweave.pipeline import Pipeline
    from newsweave.settings import Settings
    from newsweave.store.open import open_store

    db, vectors, batch, kill_at, *paths = argv
    ticks = 0

    def progress(n: int) -> None:
        nonlocal ticks
        ticks += n
        if ticks >= int(kill_at):
            os.kill(os.getpid(), signal.SIGKILL)

    settings = Settings({"fetch_linked_pages": False}, environ={})
    pipeline = Pipeline(open_store(db), settings, embedder=MemoEmbedder.load(Path(vectors)))
    pipeline.BATCH = int(batch)
    pipeline.ingest(paths, progress=progress)
    sys.exit("not killed: KILL_AT is beyond the input")


if __name__ == "__main__":
    main(sys.argv[1:])
