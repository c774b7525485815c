"""dedupe: exact and near duplicates are linked to their original, then every article
is stored (duplicates too, never dropped) and given its id and place in the stream."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ...clean.dedupe import dedupe_text, jaccard_estimate
from ...store.values import from_blob
from ..stage import Batch, Stage

if TYPE_CHECKING:
    from ..run import Pipeline


def run(pipe: Pipeline, batch: Batch) -> None:
    """Exact and near duplicates linked to their original; every article stored."""
    stored = []
    seq = pipe.store.next_seq()
    report = batch.report
    for a in batch.articles:
        if pipe.store.has_ingest_key(a.ingest_key):  # the same record twice in one batch
            report.unchanged += 1
            continue
        signature = keys = None
        original = pipe.store.original_by_hash(a.content_hash)
        if original is not None:
            a.duplicate_of, a.duplicate_kind, a.duplicate_score = original, "exact", 1.0
            report.exact_duplicates += 1
        else:
            signature = pipe.minhasher.signature(dedupe_text(a.text))
            keys = pipe.minhasher.band_keys(signature, pipe.settings.minhash_bands)
            near = _near_duplicate(pipe, signature, keys)
            if near is not None:
                a.duplicate_of, a.duplicate_kind, a.duplicate_score = near[0], "near", near[1]
                report.near_duplicates += 1
        a.id = pipe.store.insert_article(a, seq, batch.run_id)
        a.seq = seq
        seq += 1
        if a.duplicate_of is None:
            report.new += 1
            if signature is not None and len(set(signature.tolist())) > 1:
                pipe.store.add_minhash(a.id, signature, keys)
        stored.append(a)
    batch.articles = stored


def _near_duplicate(pipe: Pipeline, signature: np.ndarray, keys: list[int]
                    ) -> tuple[int, float] | None:
    """The stored article whose MinHash agrees best with ``signature``, at or above the
    near-duplicate threshold, with its estimated Jaccard similarity."""
    best: tuple[int, float] | None = None
    for candidate, blob in pipe.store.minhash_candidates(keys):
        score = jaccard_estimate(signature, from_blob(blob, signature.dtype))
        if score >= pipe.settings.near_dup_threshold and (best is None or score > best[1]):
            best = (candidate, score)
    return best


STAGE = Stage("dedupe", needs=("text", "content_hash", "ingest_key"),
              provides=("id", "seq", "duplicate_of", "duplicate_kind", "duplicate_score"),
              run=run)
