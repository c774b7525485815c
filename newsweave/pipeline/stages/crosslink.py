"""crosslink: each article's mentions linked to the entities already stored (one
entity per real person, organisation or place across articles and languages), then
stored with the article's sentences."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from ...enrich.entities.crosslink import CrossLinker
from ..stage import Batch, Stage
from .entities import enabled

if TYPE_CHECKING:
    from ..run import Pipeline


def run(pipe: Pipeline, batch: Batch) -> None:
    """Mentions linked to stored entities (or new ones), stored with their sentences."""
    if not batch.articles:
        return
    started = time.perf_counter()
    linker = CrossLinker(pipe.store.entities, pipe.name_similarity,
                         pipe.annotator.lexicons.given_names)
    version = pipe.annotator.version
    for a in batch.articles:
        a.entity_ids = linker.save(a.id, a.sentences, a.mentions, version)
    batch.report.entity_seconds += time.perf_counter() - started


STAGE = Stage("crosslink", needs=("id", "sentences", "mentions"), provides=("entity_ids",),
              run=run, enabled=enabled)
