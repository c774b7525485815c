"""Streaming, incremental, cross-lingual story clustering.

Articles arrive in publication order (arrival order when the date is unknown).
Each one is compared with the stories of its nearest stored neighbours and joins
the best one if the evidence (see :mod:`newsweave.stories.scoring`) is strong
enough; otherwise it starts a new story. Stories of the same topic that are not
the same event are linked as *related*. The same input in the same order always
gives the same stories: there is no randomness, and the HNSW index is built with
a fixed seed on one thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from .normalise import VectorNormaliser
from .scoring import (
    CandidateFeatures,
    ScoringWeights,
    idf,
    join_score,
    join_threshold,
    related_score,
)
from .state import StoryState, StoryStore


class NeighbourIndex(Protocol):
    """Nearest stored articles by normalised vector (the store's HNSW index,
    :class:`newsweave.store.vectors.VectorIndex`)."""

    dim: int

    def query(self, vec: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(article ids, similarities) of up to ``k`` nearest articles, nearest first."""
        ...

    def add(self, article_id: int, vec: np.ndarray) -> None:
        """Index one more article."""
        ...


@dataclass(slots=True)
class Decision:
    """Where an article went and why."""

    story_id: int
    new: bool
    score: float | None
    related: list[tuple[int, float]] = field(default_factory=list)


class StoryClusterer:
    """Assigns articles to stories, one at a time, reading and writing story state
    through ``tables`` (the store's ``stories``)."""

    def __init__(self, tables: StoryStore, index: NeighbourIndex, weights: ScoringWeights,
                 candidates: int = 30, prior: np.ndarray | None = None) -> None:
        self.tables = tables
        self.index = index
        self.weights = weights
        self.k = candidates
        self.normaliser = VectorNormaliser(self.tables, index.dim, prior)

    def assign(self, article_id: int, lang: str, cvec: np.ndarray, terms: set[str],
               when: float | None, tokens: float, seq: int) -> Decision:
        """Place one article (already stored, with its normalised vector ``cvec``).

        ``when`` is its date in days (None if unknown), ``seq`` its arrival number,
        ``tokens`` the length of the embedded text (title + lead), which sets the
        join threshold.
        """
        weights = self.tables.doc_frequencies(terms)
        docs = self.tables.count_document(terms)
        term_idf = {t: idf(weights.get(t, 0) + 1, docs) for t in terms}
        scored = self._score_candidates(lang, cvec, term_idf, when, seq)
        margin = {s.id: score - join_threshold(self.weights, tokens,
                                               dated=when is not None and s.last_seen is not None)
                  for s, score, _ in scored}
        best = max(scored, key=lambda s: (margin[s[0].id], -s[0].id), default=None)
        if best is not None and margin[best[0].id] >= 0:
            story, score, _ = best
            self._join(story, article_id, lang, cvec, when, seq)
            decision = Decision(story.id, False, score)
        else:
            story = self._create(article_id, lang, cvec, when, seq)
            decision = Decision(story.id, True, None)
        self.tables.add_terms(decision.story_id, terms)
        for other, _, rel in scored:
            if other.id != decision.story_id and rel >= self.weights.related_threshold:
                self.tables.link(decision.story_id, other.id, rel)
                decision.related.append((other.id, rel))
        self.index.add(article_id, cvec)
        return decision

    def _gap(self, story: StoryState, when: float | None) -> float:
        """Days between the article and the story's span of dates.

        When either side has no date the gap is unknown: no time penalty, and the
        stricter content-only threshold instead (see :func:`join_threshold`). Never
        the order of arrival, which says nothing about time when a user reads one
        folder (or one language) after another, and would keep an Italian report
        from ever joining the Spanish report of the same day read a thousand files
        earlier.
        """
        if when is not None and story.last_seen is not None:
            return max(0.0, when - story.last_seen, (story.first_seen or when) - when)
        return 0.0

    def _score_candidates(self, lang: str, cvec: np.ndarray, term_idf: dict[str, float],
                          when: float | None, seq: int) -> list[tuple[StoryState, float, float]]:
        ids, sims = self.index.query(cvec, self.k)
        # The candidates' stories, states and shared terms are read in one statement
        # each, not one per candidate: on a server each statement is a round trip.
        story_of = self.tables.article_stories(ids.tolist())
        nearest: dict[int, float] = {}
        for aid, sim in zip(ids.tolist(), sims.tolist(), strict=True):
            sid = story_of.get(aid)
            if sid is not None and sim > nearest.get(sid, -2.0):
                nearest[sid] = sim
        sids = sorted(nearest)
        stories = self.tables.load_many(sids)
        shared_by_story = self.tables.shared_terms(sids, term_idf)
        total_idf = sum(term_idf.values()) or 1.0
        out = []
        for sid in sids:
            story, shared = stories[sid], shared_by_story[sid]
            f = CandidateFeatures(
                centroid=float(story.unit_centroid() @ cvec), nearest=nearest[sid],
                overlap=sum(term_idf[t] for t in shared) / total_idf,
                overlap_freq=sum(term_idf[t] * min(1.0, n / story.size)
                                 for t, n in shared.items()) / total_idf,
                gap_days=self._gap(story, when),
                cross_lingual=lang not in story.languages, size=story.size)
            out.append((story, join_score(f, self.weights), related_score(f, self.weights)))
        return out

    def _create(self, article_id: int, lang: str, cvec: np.ndarray,
                when: float | None, seq: int) -> StoryState:
        state = StoryState(0, cvec.astype(np.float32).copy(), 1, when, when, [lang],
                           article_id, 1.0, seq)
        state.id = self.tables.create(state, self.weights.fingerprint)
        self.tables.set_article_story(article_id, state.id)
        return state

    def _join(self, story: StoryState, article_id: int, lang: str, cvec: np.ndarray,
              when: float | None, seq: int) -> None:
        story.centroid = story.centroid + cvec
        story.size += 1
        story.last_seq = max(story.last_seq, seq)
        if when is not None:
            story.first_seen = when if story.first_seen is None else min(story.first_seen, when)
            story.last_seen = when if story.last_seen is None else max(story.last_seen, when)
        if lang not in story.languages:
            story.languages = sorted({*story.languages, lang})
        self._update_label(story, article_id, cvec)
        self.tables.save(story)
        self.tables.set_article_story(article_id, story.id)

    def _update_label(self, story: StoryState, article_id: int, cvec: np.ndarray) -> None:
        """Keep as label the member closest to the centroid (checked incrementally)."""
        centre = story.unit_centroid()
        current = self.tables.cvectors([story.label_article_id]).get(story.label_article_id)
        current_score = float(current @ centre) if current is not None else -1.0
        new_score = float(cvec @ centre)
        if new_score > current_score:
            story.label_article_id, story.label_score = article_id, new_score
        else:
            story.label_score = current_score

    def flush(self) -> None:
        """Write cached statistics; call before committing a batch."""
        self.normaliser.flush()
