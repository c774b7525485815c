"""How well an article fits a candidate story: features and their weighting.

Cosine similarity alone cannot separate stories: multilingual-e5 puts almost all
news in a narrow 0.75–0.95 band, and a cross-lingual pair about the same event
often scores below a same-language pair about different events. So the decision
combines several kinds of evidence, each measured on the stream itself:

* ``centroid``: cosine to the story centroid, on *normalised* vectors (the running
  mean vector of each language is subtracted, which removes most of the language
  signal, then the stream's top principal components are projected out);
* ``nearest``: the best cosine to one of the story's members among the k nearest
  neighbours; a very close member joins the article even when the centroid has
  drifted (single link, with an offset);
* ``overlap`` and ``overlap_freq``: the IDF-weighted share of the article's terms
  (names, numbers, rare words; see :mod:`newsweave.stories.terms`) found in the
  story at all, and weighted by the share of its members that use them;
* ``gap``: days between the article and the story's latest article. When a date is
  unknown there is no gap, whatever the order of arrival, and the stricter
  content-only threshold applies (see ``docs/stories.md``, "Undated articles");
* ``cross_lingual``: the article's language is new to the story. Cross-lingual
  cosines run lower for the same event, so the bar is lowered, most where the
  cosine is low.

The join threshold depends on the article's length (:func:`join_threshold`): on
normalised vectors, two reports of one event score about 0.3 as headlines but about
0.6 as 256-token leads (measured on OG2021 headlines and SemEval-2022 pairs).
Weights and how they were chosen are in ``docs/stories.md``.
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
    overlap_freq: float
    gap_days: float
    cross_lingual: bool
    size: int


@dataclass(frozen=True, slots=True)
class ScoringWeights:
    """A linear score over the features; the article joins when it reaches the threshold."""

    centroid: float = 1.0
    overlap: float = 0.3
    overlap_freq: float = 0.1
    gap_log: float = 0.5  # penalty = gap_log * ln(1 + days)
    gap_cap_days: float = 30.0
    gap_grace_days: float = 1.0  # a gap this short costs nothing (day-granular dates)
    cross_lingual_bonus: float = 0.1
    cross_lingual_centroid: float = -0.1
    single_link_offset: float = -0.2
    # Join thresholds by text length: a headline's embedding is noisier than a lead's.
    threshold_short: float = 0.4
    threshold: float = 0.3
    # Without dates on both sides there is no time evidence: content alone must carry
    # the join, at the bar it was calibrated to alone (SemEval-2022 leads).
    threshold_undated: float = 0.53
    short_tokens: float = 24.0
    long_tokens: float = 200.0
    # Related stories: same topic and actors, different event. Time is ignored.
    related_centroid: float = 1.0
    related_overlap: float = 0.5
    related_threshold: float = 0.35

    @property
    def fingerprint(self) -> str:
        """A short, stable description of the weights, stored with every story."""
        body = ",".join(f"{k}={v:g}" for k, v in asdict(self).items())
        return f"linear-v2[{body}]"


def join_threshold(w: ScoringWeights, tokens: float, dated: bool = True) -> float:
    """The join threshold for an article of about ``tokens`` tokens (title + lead),
    with both it and the story dated, or not (``dated``)."""
    span = max(w.long_tokens - w.short_tokens, 1.0)
    share = min(1.0, max(0.0, (tokens - w.short_tokens) / span))
    long = w.threshold if dated else w.threshold_undated
    return w.threshold_short + share * (long - w.threshold_short)


def gap_penalty(f: CandidateFeatures, w: ScoringWeights) -> float:
    days = max(0.0, f.gap_days - w.gap_grace_days)
    return w.gap_log * math.log1p(min(days, w.gap_cap_days))


def join_score(f: CandidateFeatures, w: ScoringWeights) -> float:
    """Evidence that the article reports the same event as the story."""
    score = w.centroid * f.centroid + w.overlap * f.overlap + w.overlap_freq * f.overlap_freq
    if f.cross_lingual:
        score += w.cross_lingual_bonus + w.cross_lingual_centroid * f.centroid
    penalty = gap_penalty(f, w)
    return max(score - penalty, f.nearest + w.single_link_offset - penalty)


def related_score(f: CandidateFeatures, w: ScoringWeights) -> float:
    """Evidence that the article's story and the candidate share a topic and actors."""
    return w.related_centroid * f.centroid + w.related_overlap * f.overlap


def idf(df: int, docs: int) -> float:
    """Smoothed inverse document frequency, never negative."""
    return max(0.0, math.log((docs + 1) / (df + 0.5)))
