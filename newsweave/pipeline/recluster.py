"""recluster: every story rebuilt from the stored vectors, in the original stream order.

Used after the story settings change. One transaction: if it is interrupted, the
previous stories stay as they were.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime

from ..enrich.embed import approx_tokens, passage_text
from ..store.base import VectorSearch
from ..stories.terms import extract_terms
from .report import ReclusterReport
from .run import Pipeline
from .stages.stories import as_days


def recluster(pipeline: Pipeline, progress: Callable[[int], None] | None = None
              ) -> ReclusterReport:
    """Rebuild every story from the stored vectors; see the module docstring."""
    started = time.perf_counter()
    try:
        count, index = _replay(pipeline, progress)
    except BaseException:  # rolled back: the index and statistics in memory are not
        pipeline._index = pipeline._clusterer = None  # the store's; read them again
        raise
    index.commit()
    index.save()
    return ReclusterReport(count, pipeline.store.count("stories"), time.perf_counter() - started)


def _replay(pipeline: Pipeline, progress: Callable[[int], None] | None
            ) -> tuple[int, VectorSearch]:
    """Every original again, in stream order, into new stories: one transaction."""
    store = pipeline.store
    count = 0
    with store.batch():
        index = pipeline.index
        store.stories.reset()
        index.reset()
        pipeline._clusterer = None
        clusterer = pipeline.clusterer
        for row in store.iter_originals():
            vec = row["vector"]
            cvec = clusterer.normaliser.normalise(row["lang"], vec)
            store.set_cvector(row["id"], cvec)
            published = datetime.fromisoformat(row["published"]) if row["published"] else None
            text = passage_text(row["title"], row["text"], pipeline.settings.embed_max_tokens)
            clusterer.assign(row["id"], row["lang"], cvec, extract_terms(row["title"], row["text"]),
                             as_days(published), approx_tokens(text), row["seq"])
            count += 1
            if progress is not None:
                progress(1)
        store.stories.duplicates_follow_originals()
        clusterer.flush()
    return count, index
