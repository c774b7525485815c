"""A story's extractive summary: its most central sentences, chosen by LexRank.

Each sentence is a vector of its words weighted by how rare they are among the
candidate sentences (TF-IDF over the candidates themselves, so no stop-word list is
needed in any language); sentences that share enough weighted words are linked, and
the sentences most linked to by other central sentences (PageRank over that graph,
its random reader starting nearer the top of an article, where news puts what
matters) are the summary. What many articles repeat rises; an aside stated once does not.
Near-repeats of a chosen sentence are skipped, so three sentences say three things.

The cost is bounded by the caller, who reads at most a fixed number of sentences
(:meth:`newsweave.store.queries.Queries.story_sentences`); the work here is one
sparse ``n x n`` product for ``n`` candidates. Same sentences in, same summary out.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from scipy import sparse

WORD = re.compile(r"\w+", re.UNICODE)
MIN_WORDS = 6  # shorter lines are captions, bylines and headings more often than claims
MAX_WORDS = 80  # longer "sentences" are unsplit lists or tables
LINK = 0.1  # cosine at or above which two sentences are linked (LexRank's threshold)
REPEAT = 0.5  # cosine at or above which a sentence repeats one already chosen
DAMPING = 0.85
ROUNDS = 50


def words(text: str) -> list[str]:
    """The sentence's words, lowercased, digits-only tokens dropped."""
    return [w for w in WORD.findall(text.lower()) if not w.isdigit()]


def central_sentences(rows: Sequence[Mapping[str, Any]], count: int = 3
                      ) -> list[dict[str, Any]]:
    """The ``count`` most central of ``rows`` (``{article_id, idx, text}``, in stream
    order), most central first: the rows, each with its ``score`` added."""
    candidates, docs = [], []
    for r in rows:
        doc = words(str(r["text"]))
        if MIN_WORDS <= len(doc) <= MAX_WORDS and not _title_cased(str(r["text"])):
            candidates.append(dict(r))
            docs.append(doc)
    if not candidates or count <= 0:
        return []
    sims = _similarities(docs)
    scores = _rank(sims, _lead_prior([int(c.get("idx") or 0) for c in candidates]))
    order = sorted(range(len(candidates)), key=lambda i: (-round(float(scores[i]), 9), i))
    chosen: list[int] = []
    for i in order:
        if all(sims[i, j] < REPEAT for j in chosen):
            chosen.append(i)
        if len(chosen) == count:
            break
    return [{**candidates[i], "text": " ".join(str(candidates[i]["text"]).split()),
             "score": round(float(scores[i]), 4)} for i in chosen]


def _title_cased(text: str) -> bool:
    """Three words in four capitalised: a menu, a title-case headline or a list of
    names, not a sentence (German prose, which capitalises its nouns, stays well below;
    scripts without case never are)."""
    cased = [w for w in WORD.findall(text) if w[0].isalpha() and w[0].lower() != w[0].upper()]
    return len(cased) >= MIN_WORDS and sum(w[0].isupper() for w in cased) > 0.75 * len(cased)


def _similarities(docs: list[list[str]]) -> np.ndarray:
    """Cosine similarities of the sentences' TF-IDF vectors (``n x n``), through a
    sparse matrix: a few hundred sentences of a few thousand words cost milliseconds."""
    vocab: dict[str, int] = {}
    rows, cols = [], []
    for i, doc in enumerate(docs):
        for w in doc:
            rows.append(i)
            cols.append(vocab.setdefault(w, len(vocab)))
    counts = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)),
                               shape=(len(docs), max(len(vocab), 1)))
    counts.sum_duplicates()
    present = np.bincount(counts.indices, minlength=counts.shape[1])
    idf = np.log((1.0 + len(docs)) / (1.0 + present)) + 1.0
    weighted = counts.multiply(idf).tocsr()
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    weighted = sparse.diags(1.0 / np.where(norms > 0, norms, 1.0)) @ weighted
    return np.asarray((weighted @ weighted.T).todense())


def _lead_prior(positions: list[int]) -> np.ndarray:
    """Where a random reader starts: news puts what matters first, so a sentence's
    chance falls with its place in its article (``1 / (1 + index)``), summing to 1."""
    weights = 1.0 / (1.0 + np.asarray(positions, dtype=np.float64))
    return weights / weights.sum()


def _rank(sims: np.ndarray, prior: np.ndarray) -> np.ndarray:
    """PageRank over the graph of linked sentences, restarting from ``prior`` (each
    sentence links to itself, so an isolated one keeps a floor score)."""
    graph = (sims >= LINK).astype(np.float64)
    np.fill_diagonal(graph, 1.0)
    graph /= graph.sum(axis=1, keepdims=True)
    scores = prior.copy()
    for _ in range(ROUNDS):
        updated = (1.0 - DAMPING) * prior + DAMPING * (graph.T @ scores)
        if math.fsum(abs(updated - scores)) < 1e-9:
            return updated
        scores = updated
    return scores
