"""entities: the sentences and the mentions of every article (people, organisations,
places, each place resolved), duplicates too: a syndicated copy is still a source that
names these people."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from ..stage import Batch, Stage

if TYPE_CHECKING:
    from ...settings import Settings
    from ..run import Pipeline


def run(pipe: Pipeline, batch: Batch) -> None:
    """Sentences and mentions of each article, places resolved, surnames remembered."""
    if not batch.articles:
        return
    started = time.perf_counter()
    annotator = pipe.annotator
    limit = pipe.settings.max_entity_chars
    memory = pipe.surnames
    for a in batch.articles:
        analysis = annotator.analyse(a.text[:limit], a.lang, memory)
        a.sentences, a.mentions = analysis.sentences, analysis.mentions
        batch.report.mentions += len(analysis.mentions)
        batch.tick()
    memory.write(pipe.store.surnames)
    batch.report.entity_seconds += time.perf_counter() - started


def enabled(settings: Settings) -> bool:
    """The setting ``entities`` turns this stage, and those that need it, on or off."""
    return bool(settings.entities)


STAGE = Stage("entities", needs=("id", "text", "lang"), provides=("sentences", "mentions"),
              run=run, enabled=enabled)
