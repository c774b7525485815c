"""Turning raw embeddings into vectors whose cosines compare events, not languages.

Two running corrections, both learned from the stream itself and stored in the
database (so ingest can stop and resume, and ``recluster`` replays them exactly):

1. **Language centring.** Each language's running mean vector is subtracted. The
   mean is shrunk toward the global mean (weight ``LANGUAGE_PRIOR`` articles), and
   the global mean toward a prior shipped with the package (weight ``GLOBAL_PRIOR``),
   so the first articles of a new database are centred sensibly too. This removes
   most of the language signal: on SemEval-2022 pairs it raises the Pearson
   correlation of cosine with human similarity from 0.68 to 0.79.
2. **Top-component removal.** The few directions along which the whole stream
   varies most (a dominant topic, the style of a feed) swamp event-level detail;
   the top ``COMPONENTS`` principal directions of the centred vectors so far are
   projected out (recomputed every ``REFRESH`` articles, first after ``REFRESH``).

Each vector is corrected with the statistics of *previous* articles only, so the
result never depends on what comes later.
"""

from __future__ import annotations

from importlib.resources import files

import numpy as np

from .state import StoryStore

LANGUAGE_PRIOR = 20.0
GLOBAL_PRIOR = 50.0
COMPONENTS = 3
REFRESH = 200


def load_prior(model_name: str, dim: int) -> np.ndarray | None:
    """The shipped mean vector for this embedder, or None for another embedder."""
    with files("newsweave").joinpath("data/centering_prior.npz").open("rb") as fh:
        data = np.load(fh)
        if str(data["model"]) != model_name or data["mean"].shape != (dim,):
            return None
        return data["mean"].astype(np.float64)


def _unit(x: np.ndarray, fallback: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(x))
    return x / norm if norm > 1e-9 else fallback


class VectorNormaliser:
    """Language centring plus top-component removal, with persistent statistics."""

    def __init__(self, tables: StoryStore, dim: int, prior: np.ndarray | None = None) -> None:
        self.tables = tables
        self.prior = prior
        self.dim = dim
        self.sums = tables.language_sums()
        self.total = sum(n for n, _ in self.sums.values())
        moment = tables.stream_stat("moment")
        self.moment_n, self.moment = moment if moment else (0, np.zeros(dim * dim))
        self.moment = self.moment.reshape(dim, dim)
        basis = tables.stream_stat("components")
        self.basis = basis[1].reshape(-1, dim) if basis else None
        self.dirty = False

    def _global_sum(self) -> np.ndarray:
        """The languages' sums added in language order: the same bits whether they were
        counted in this process or read from the store (a running total kept beside
        them would be rounded in arrival order, and differ in the last bits)."""
        return sum((self.sums[lang][1] for lang in sorted(self.sums)), np.zeros(self.dim))

    def _global_mean(self) -> np.ndarray | None:
        if self.prior is not None:
            return (self._global_sum() + GLOBAL_PRIOR * self.prior) / (self.total + GLOBAL_PRIOR)
        return self._global_sum() / self.total if self.total else None

    def _centre(self, lang: str, v: np.ndarray) -> np.ndarray:
        global_mean = self._global_mean()
        if global_mean is None:
            return v.copy()
        n, lang_sum = self.sums.get(lang, (0, np.zeros_like(v)))
        return v - (lang_sum + LANGUAGE_PRIOR * global_mean) / (n + LANGUAGE_PRIOR)

    def normalise(self, lang: str, vec: np.ndarray) -> np.ndarray:
        """The corrected unit vector for ``vec``; then ``vec`` joins the statistics."""
        v = vec.astype(np.float64)
        centred = _unit(self._centre(lang, v), v)
        x = centred
        if self.basis is not None:
            x = _unit(centred - (self.basis @ centred) @ self.basis, centred)
        self._count(lang, v, centred)
        return x.astype(np.float32)

    def correct(self, lang: str, vec: np.ndarray) -> np.ndarray:
        """``vec`` corrected as :meth:`normalise` would, leaving the statistics as they
        are (a search query is compared with the stored vectors, not counted)."""
        v = vec.astype(np.float64)
        x = _unit(self._centre(lang, v), v)
        if self.basis is not None:
            x = _unit(x - (self.basis @ x) @ self.basis, x)
        return x.astype(np.float32)

    def _count(self, lang: str, v: np.ndarray, centred: np.ndarray) -> None:
        n, lang_sum = self.sums.get(lang, (0, np.zeros_like(v)))
        self.sums[lang] = (n + 1, lang_sum + v)
        self.total += 1
        self.moment += np.outer(centred, centred)
        self.moment_n += 1
        if self.moment_n % REFRESH == 0:
            _, vecs = np.linalg.eigh(self.moment)
            self.basis = vecs[:, ::-1][:, :COMPONENTS].T.copy()
        self.dirty = True

    def flush(self) -> None:
        """Write the statistics to the store (inside the caller's transaction)."""
        if not self.dirty:
            return
        self.tables.save_language_sums(self.sums)
        self.tables.save_stream_stat("moment", self.moment_n, self.moment.ravel())
        if self.basis is not None:
            self.tables.save_stream_stat("components", COMPONENTS, self.basis.ravel())
        self.dirty = False
