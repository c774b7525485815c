"""embed: a multilingual passage vector for each original (duplicates follow theirs)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...enrich.embed import passage_text
from ..stage import Batch, Stage

if TYPE_CHECKING:
    from ..run import Pipeline


def run(pipe: Pipeline, batch: Batch) -> None:
    """A passage vector of title and text for each original, embedded as one batch."""
    originals = batch.originals()
    if not originals:
        return
    limit = pipe.settings.embed_max_tokens
    texts = [passage_text(a.title, a.text, limit) for a in originals]
    vectors = pipe.embedder.embed_passages(texts)
    for a, vector in zip(originals, vectors, strict=True):
        a.vector = vector


STAGE = Stage("embed", needs=("title", "text", "duplicate_of"), provides=("vector",), run=run)
