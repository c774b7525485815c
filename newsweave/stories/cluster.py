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

import numpy as np

from ..store.sqlite import Store
from ..store.vectors import VectorIndex
from .scoring import CandidateFeatures, ScoringWeights, idf, join_score, related_score
from .state import StoryState, StoryTables

# Weight of the global mean when estimating a language's mean vector from few
# articles: with n articles of a language its mean is (sum + K * global) / (n + K).
LANGUAGE_PRIOR = 20.0
# Weight, in articles, of the shipped prior mean (data/centering_prior.npz) in the
# global mean, so that even the first articles of a new database are centred well.
GLOBAL_PRIOR = 50.0


def load_prior(model_name: str, dim: int) -> np.ndarray | None:
    """The shipped mean vector for this embedder, or None for another embedder."""
    from importlib.resources import files

    with files("newsweave").joinpath("data/centering_prior.npz").open("rb") as fh:
        data = np.load(fh)
        if str(data["model"]) != model_name or data["mean"].shape != (dim,):
            return None
        return data["mean"].astype(np.float64)


@dataclass(slots=True)
class Decision:
    """Where an article went and why."""

    story_id: int
    new: bool
    score: float | None
    related: list[tuple[int, float]] = field(default_factory=list)


class LanguageCentering:
    """Running per-language mean vectors, subtracted to make languages comparable."""

    def __init__(self, tables: StoryTables, dim: int, prior: np.ndarray | None = None) -> None:
        self.tables = tables
        self.sums = tables.language_sums()
        self.total = sum(n for n, _ in self.sums.values())
        self.global_sum = sum((v for _, v in self.sums.values()), np.zeros(dim))
        self.prior = prior
        self.dirty = False

    def _global_mean(self) -> np.ndarray | None:
        if self.prior is not None:
            return (self.global_sum + GLOBAL_PRIOR * self.prior) / (self.total + GLOBAL_PRIOR)
        return self.global_sum / self.total if self.total else None

    def centre(self, lang: str, vec: np.ndarray) -> np.ndarray:
        """Centre ``vec`` with the means of previous articles, then count it."""
        v = vec.astype(np.float64)
        global_mean = self._global_mean()
        if global_mean is not None:
            n, lang_sum = self.sums.get(lang, (0, np.zeros_like(v)))
            x = v - (lang_sum + LANGUAGE_PRIOR * global_mean) / (n + LANGUAGE_PRIOR)
        else:
            x = v.copy()
        norm = np.linalg.norm(x)
        x = x / norm if norm > 1e-9 else v
        n, lang_sum = self.sums.get(lang, (0, np.zeros_like(v)))
        self.sums[lang] = (n + 1, lang_sum + v)
        self.global_sum = self.global_sum + v
        self.total += 1
        self.dirty = True
        return x.astype(np.float32)

    def flush(self) -> None:
        if self.dirty:
            self.tables.save_language_sums(self.sums)
            self.dirty = False


class StoryClusterer:
    """Assigns articles to stories, one at a time, reading and writing the store."""

    def __init__(self, store: Store, index: VectorIndex, weights: ScoringWeights,
                 candidates: int = 30, prior: np.ndarray | None = None) -> None:
        self.store = store
        self.tables = StoryTables(store)
        self.index = index
        self.weights = weights
        self.k = candidates
        self.centering = LanguageCentering(self.tables, index.dim, prior)

    def assign(self, article_id: int, lang: str, cvec: np.ndarray, terms: set[str],
               when: float | None) -> Decision:
        """Place one article (already stored, with its centred vector ``cvec``)."""
        weights = self.tables.doc_frequencies(terms)
        docs = self.tables.count_document(terms)
        term_idf = {t: idf(weights.get(t, 0) + 1, docs) for t in terms}
        scored = self._score_candidates(lang, cvec, term_idf, when)
        best = max(scored, key=lambda s: (s[1], -s[0].id), default=None)
        if best is not None and best[1] >= self.weights.threshold:
            story, score, _ = best
            self._join(story, article_id, lang, cvec, when)
            decision = Decision(story.id, False, score)
        else:
            story = self._create(article_id, lang, cvec, when)
            decision = Decision(story.id, True, None)
        self.tables.add_terms(decision.story_id, terms)
        for other, _, rel in scored:
            if other.id != decision.story_id and rel >= self.weights.related_threshold:
                self.tables.link(decision.story_id, other.id, rel)
                decision.related.append((other.id, rel))
        self.index.add(article_id, cvec)
        return decision

    def _score_candidates(self, lang: str, cvec: np.ndarray, term_idf: dict[str, float],
                          when: float | None) -> list[tuple[StoryState, float, float]]:
        ids, sims = self.index.query(cvec, self.k)
        nearest: dict[int, float] = {}
        for aid, sim in zip(ids.tolist(), sims.tolist(), strict=True):
            sid = self.store.article_story(aid)
            if sid is not None and sim > nearest.get(sid, -2.0):
                nearest[sid] = sim
        total_idf = sum(term_idf.values()) or 1.0
        out = []
        for sid in sorted(nearest):
            story = self.tables.load(sid)
            shared = self.tables.shared_terms(sid, term_idf)
            gap = None
            if when is not None and story.last_seen is not None:
                gap = max(0.0, when - story.last_seen, (story.first_seen or when) - when)
            f = CandidateFeatures(
                centroid=float(story.unit_centroid() @ cvec), nearest=nearest[sid],
                overlap=sum(term_idf[t] for t in shared) / total_idf, gap_days=gap,
                cross_lingual=lang not in story.languages, size=story.size)
            out.append((story, join_score(f, self.weights), related_score(f, self.weights)))
        return out

    def _create(self, article_id: int, lang: str, cvec: np.ndarray,
                when: float | None) -> StoryState:
        state = StoryState(0, cvec.astype(np.float32).copy(), 1, when, when, [lang],
                           article_id, 1.0)
        state.id = self.tables.create(state, self.weights.fingerprint)
        self.store.set_article_story(article_id, state.id)
        return state

    def _join(self, story: StoryState, article_id: int, lang: str, cvec: np.ndarray,
              when: float | None) -> None:
        story.centroid = story.centroid + cvec
        story.size += 1
        if when is not None:
            story.first_seen = when if story.first_seen is None else min(story.first_seen, when)
            story.last_seen = when if story.last_seen is None else max(story.last_seen, when)
        if lang not in story.languages:
            story.languages = sorted({*story.languages, lang})
        self._update_label(story, article_id, cvec)
        self.tables.save(story)
        self.store.set_article_story(article_id, story.id)

    def _update_label(self, story: StoryState, article_id: int, cvec: np.ndarray) -> None:
        """Keep as label the member closest to the centroid (checked incrementally)."""
        centre = story.unit_centroid()
        current = self.store.cvectors([story.label_article_id]).get(story.label_article_id)
        current_score = float(current @ centre) if current is not None else -1.0
        new_score = float(cvec @ centre)
        if new_score > current_score:
            story.label_article_id, story.label_score = article_id, new_score
        else:
            story.label_score = current_score

    def flush(self) -> None:
        """Write cached statistics; call before committing a batch."""
        self.centering.flush()
