"""The ingest pipeline: sources in, stories out, one batch (one transaction) at a time.

``ingest`` reads the sources into documents (or reasons to skip them); then each batch
runs through the declared stages (:data:`newsweave.pipeline.stages.STAGES`, listed by
``newsweave stages``), each named, each saying which fields of the article record it
needs and provides:

1. ``clean``     boilerplate lines, title, normalised-text hash, idempotency key
2. ``language``  the article's language
3. ``dedupe``    exact and near duplicates linked to their original (never dropped);
                 every article stored
4. ``embed``     a passage vector for each original
5. ``stories``   streaming assignment to stories, in publication order
6. ``entities``  sentences, and the names of people, organisations and places
7. ``crosslink`` each name linked to one entity across articles, and stored

A batch is committed whole or not at all, so a crash or Ctrl-C leaves the database
consistent; re-running the same command skips what is already stored and resumes.
"""

from .recluster import recluster
from .report import IngestReport, ReclusterReport
from .run import Pipeline, publication_order
from .stage import Batch, Stage, StageOrderError, check_order
from .stages import STAGES
from .stages.clean import scope_of, text_hash
from .stages.stories import as_days, weights_from

__all__ = ["STAGES", "Batch", "IngestReport", "Pipeline", "ReclusterReport", "Stage",
           "StageOrderError", "as_days", "check_order", "publication_order", "recluster",
           "scope_of", "text_hash", "weights_from"]
