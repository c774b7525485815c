"""How well an article fits a candidate story: features and their weighting.

Cosine similarity alone cannot separate stories: multilingual-e5 puts almost all
news in a narrow 0.75–0.95 band, and a cross-lingual pair about the same event
often scores below a same-language pair about different events. So the decision
combines four kinds of evidence, each measured on the stream itself:

* ``centroid``: cosine to the story centroid, computed on *language-centred*
  vectors (the running mean vector of each language is subtracted), which removes
  most of the language signal and makes cross-lingual cosines comparable;
* ``nearest``: the best cosine to one of the story's members among the k nearest
  neighbours (stories drift; the newest member may fit better than the centroid);
* ``overlap``: the IDF-weighted share of the article's terms (names, numbers, rare
  words; see :mod:`newsweave.stories.terms`) that the story already contains;
* ``gap``: days between the article and the story's latest article, when both
  dates are known (news stories are short-lived: most last under two days).

Weights were fitted on a development stream and are recorded in
``docs/stories.md``; :attr:`ScoringWeights.fingerprint` is stored with every
story so a change of weights is visible and ``recluster`` can rebuild.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass


@dataclass(frozen=True, slots=True)
class CandidateFeatures:
    """Evidence that an article belongs to one candidate story."""

    centroid: float
    nearest: float
    overlap: float
    gap_days: float | None  # None when either date is unknown
    cross_lingual: bool
    size: int


@dataclass(frozen=True, slots=True)
class ScoringWeights:
    """A linear score over the features; the article joins when it reaches ``threshold``."""

    centroid: float = 1.0
    nearest: float = 0.0
    overlap: float = 0.3
    gap_per_day: float = 0.3
    gap_cap_days: float = 30.0
    cross_lingual_bonus: float = 0.0
    threshold: float = 0.4
    # Related stories: same topic, different event. Time is ignored on purpose.
    related_centroid: float = 1.0
    related_overlap: float = 0.5
    related_threshold: float = 0.35

    @property
    def fingerprint(self) -> str:
        """A short, stable description of the weights, stored with every story."""
        body = ",".join(f"{k}={v:g}" for k, v in asdict(self).items())
        return f"linear-v1[{body}]"


def join_score(f: CandidateFeatures, w: ScoringWeights) -> float:
    """Evidence that the article reports the same event as the story."""
    score = w.centroid * f.centroid + w.nearest * f.nearest + w.overlap * f.overlap
    if f.cross_lingual:
        score += w.cross_lingual_bonus
    if f.gap_days is not None:
        score -= w.gap_per_day * min(f.gap_days, w.gap_cap_days)
    return score


def related_score(f: CandidateFeatures, w: ScoringWeights) -> float:
    """Evidence that the article's story and the candidate share a topic and actors."""
    return w.related_centroid * f.centroid + w.related_overlap * f.overlap


def idf(df: int, docs: int) -> float:
    """Smoothed inverse document frequency, never negative."""
    return max(0.0, math.log((docs + 1) / (df + 0.5)))
