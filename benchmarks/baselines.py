"""Simple story-clustering baselines to put newsweave's figures in context.

All are single-pass: items arrive in stream order and each joins the most similar
existing cluster (cosine to the centroid) when that similarity reaches a threshold.
The threshold is picked as the best of a small grid *on the evaluation data
itself*, which flatters the baselines (newsweave's own settings are not tuned per run).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from .common import bcubed, single_pass

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def grid(start: float, stop: float, step: float) -> list[float]:
    """``start..stop`` inclusive, rounded to avoid float drift."""
    count = int(round((stop - start) / step)) + 1
    return [round(start + k * step, 4) for k in range(count)]


def best_threshold(labels: Mapping[float, np.ndarray], ids: Sequence[str],
                   gold: Mapping[str, str], expand: Callable[[dict[str, int]], dict[str, Any]]
                   ) -> tuple[float, dict[str, Any], dict[float, float]]:
    """The threshold with the best BCubed F1; its labels per id; F1 per threshold."""
    curve: dict[float, float] = {}
    best: tuple[float, dict[str, Any]] | None = None
    for t, lab in labels.items():
        found = expand(dict(zip(ids, lab.tolist(), strict=True)))
        pred = {i: found.get(i, f"missing-{i}") for i in gold}  # not stored: a singleton
        curve[t] = bcubed(pred, gold)["f1"]
        if best is None or curve[t] > curve[best[0]]:
            best = (t, pred)
    assert best is not None
    return best[0], best[1], curve


# -- TF-IDF --------------------------------------------------------------------------
class TfidfStream:
    """Word-unigram TF-IDF vectors of a whole stream, with an inverted index.

    IDF is fitted on the whole stream at once (not incrementally), which gives the
    baseline knowledge of the future; tf is sublinear (1 + log tf), idf is
    ``log((1 + N) / (1 + df)) + 1`` and vectors are L2-normalised. Tokens: case-folded
    runs of letters and digits of two or more characters.
    """

    def __init__(self, texts: Sequence[str]) -> None:
        counts = [Counter(w for w in _WORD.findall(t.casefold()) if len(w) >= 2)
                  for t in texts]
        df = Counter(w for c in counts for w in c)
        n = len(texts)
        vocab = {w: k for k, w in enumerate(df)}
        idf = {w: math.log((1 + n) / (1 + d)) + 1 for w, d in df.items()}
        self.rows: list[tuple[np.ndarray, np.ndarray]] = []
        postings: list[list[tuple[int, float]]] = [[] for _ in vocab]
        for doc, c in enumerate(counts):
            terms = np.array([vocab[w] for w in c], dtype=np.int64)
            weights = np.array([(1 + math.log(f)) * idf[w] for w, f in c.items()])
            norm = float(np.linalg.norm(weights)) or 1.0
            weights = weights / norm
            self.rows.append((terms, weights))
            for term, w in zip(terms.tolist(), weights.tolist(), strict=True):
                postings[term].append((doc, w))
        self.post_docs = [np.array([d for d, _ in p], dtype=np.int64) for p in postings]
        self.post_w = [np.array([w for _, w in p]) for p in postings]
        self.self_sim = np.array([float(w @ w) for _, w in self.rows])

    def similarities(self, i: int) -> np.ndarray:
        """Dot products of document ``i`` with documents ``0..i-1``."""
        terms, weights = self.rows[i]
        idx, vals = [], []
        for term, w in zip(terms.tolist(), weights.tolist(), strict=True):
            docs = self.post_docs[term]
            cut = int(np.searchsorted(docs, i))
            idx.append(docs[:cut])
            vals.append(self.post_w[term][:cut] * w)
        if not idx:
            return np.zeros(i)
        return np.bincount(np.concatenate(idx), weights=np.concatenate(vals), minlength=i)


def tfidf_single_pass(texts: Sequence[str], thresholds: Sequence[float]
                      ) -> dict[float, np.ndarray]:
    """Labels per threshold for TF-IDF single-pass clustering of ``texts`` in order."""
    stream = TfidfStream(texts)
    return single_pass(len(texts), stream.similarities, stream.self_sim, thresholds)


# -- dense vectors (e5) ----------------------------------------------------------------
def dense_single_pass(vectors: np.ndarray, thresholds: Sequence[float]
                      ) -> dict[float, np.ndarray]:
    """Labels per threshold for single-pass clustering of unit ``vectors`` in order."""
    v = np.ascontiguousarray(vectors, dtype=np.float32)
    v /= np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)
    self_sim = np.einsum("ij,ij->i", v, v).astype(np.float64)
    return single_pass(len(v), lambda i: (v[:i] @ v[i]).astype(np.float64), self_sim,
                       thresholds)
