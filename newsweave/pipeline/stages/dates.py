"""dates: the temporal expressions of every article with TIMEX3 values; relative ones
count from the publication date when it is known and stay relative when it is not."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...enrich.dates import RULES_VERSION, DateFinder
from ..stage import Batch, Stage
from .entities import enabled

if TYPE_CHECKING:
    from ..run import Pipeline


def run(pipe: Pipeline, batch: Batch) -> None:
    """Dates, times, durations and sets of each article, normalised to TIMEX3."""
    finder = pipe.resource("dates", lambda: DateFinder(
        max_expressions=pipe.settings.max_dates_per_article))
    limit = pipe.settings.max_entity_chars
    for a in batch.articles:
        found = finder.find(a.text[:limit], a.lang, a.published, a.sentences)
        a.dates = found.expressions
        pipe.store.facts.add_dates(a.id, [_row(e.to_dict()) for e in found.expressions])
        pipe.store.entities.mark_enriched(a.id, "dates", RULES_VERSION)


def _row(d: dict[str, Any]) -> dict[str, Any]:
    return {**d, "sentence": d.get("sentence") or 0}


STAGE = Stage("dates", needs=("id", "text", "lang", "published", "sentences"),
              provides=("dates",), run=run, enabled=enabled)
