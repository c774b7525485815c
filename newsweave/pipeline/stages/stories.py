"""stories: each original joins a story or starts one, in publication order; a
duplicate joins its original's story."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from ...enrich.embed import approx_tokens, passage_text
from ...settings import Settings
from ...stories.scoring import ScoringWeights
from ...stories.terms import extract_terms
from ..stage import Batch, Stage

if TYPE_CHECKING:
    from ...models import Article
    from ..run import Pipeline


def run(pipe: Pipeline, batch: Batch) -> None:
    """Each original into a story (its vector centred and stored); duplicates follow."""
    originals = [a for a in batch.originals() if a.vector is not None]
    if originals:
        clusterer = pipe.clusterer
        model = pipe.embedder.model_name
        for a in originals:
            cvec = clusterer.normaliser.normalise(a.lang or "und", a.vector)
            pipe.store.put_vector(a.id, model, a.vector, cvec)
            decision = clusterer.assign(a.id, a.lang or "und", cvec,
                                        extract_terms(a.title, a.text), as_days(a.published),
                                        _tokens(pipe, a), a.seq)
            a.story_id = decision.story_id
            batch.report.new_stories += int(decision.new)
        clusterer.flush()
    for a in batch.articles:
        if a.duplicate_of is not None:
            a.story_id = pipe.store.article_story(a.duplicate_of)
            pipe.store.set_article_story(a.id, a.story_id)


def _tokens(pipe: Pipeline, a: Article) -> int:
    """About how many tokens of the article the embedder read (long texts are cut)."""
    return approx_tokens(passage_text(a.title, a.text, pipe.settings.embed_max_tokens))


def as_days(when: datetime | None) -> float | None:
    """Stream time: days since the Unix epoch, or None when the date is unknown."""
    return when.timestamp() / 86400.0 if when is not None else None


def weights_from(settings: Settings) -> ScoringWeights:
    """The story-scoring weights, with the thresholds the user may have changed."""
    base = ScoringWeights()
    return ScoringWeights(**{**{k: getattr(base, k) for k in base.__dataclass_fields__},
                             "threshold": settings.story_threshold,
                             "threshold_short": settings.story_threshold_short,
                             "related_threshold": settings.related_threshold})


STAGE = Stage("stories",
              needs=("id", "seq", "lang", "title", "text", "published", "duplicate_of",
                     "vector"),
              provides=("story_id",), run=run)
