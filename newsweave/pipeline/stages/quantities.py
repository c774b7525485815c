"""quantities: the numbers every article states about something counted, each with
where (a place its sentence names) and when (a date its sentence names): the claims
that a story's sources are compared on when it is read (docs/claims.md)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ...enrich.claims import PlaceRef, quantity_rows
from ...enrich.quantities import RULES_VERSION, QuantityFinders, scan_quantities
from ..stage import Batch, Stage
from .entities import enabled

if TYPE_CHECKING:
    from ...models import Article
    from ..run import Pipeline

# A date with a known year: what "when" a claim holds can be read from its sentence.
DATED = re.compile(r"\d{4}(?:-\d{2}){0,2}$")


def run(pipe: Pipeline, batch: Batch) -> None:
    """Quantities of each article with what is counted, where and when."""
    finders = pipe.resource("quantities", QuantityFinders)
    settings = pipe.settings
    limit = settings.max_entity_chars
    for a in batch.articles:
        text = a.text[:limit]
        scan = scan_quantities(text, a.lang, a.sentences, finders=finders,
                               max_quantities=settings.max_quantities_per_article,
                               max_value=settings.max_quantity_value)
        a.quantities = scan.quantities
        places = [PlaceRef(m.start, m.end, m.place.id) for m in a.mentions
                  if m.place is not None]
        rows = quantity_rows(scan.quantities, text, lang=a.lang, sentences=a.sentences,
                             places=places, finders=finders)
        when = _sentence_dates(a)
        for row in rows:
            row["when"] = when.get(row["sentence"])
        pipe.store.facts.add_quantities(a.id, rows)
        pipe.store.entities.mark_enriched(a.id, "quantities", RULES_VERSION)


def _sentence_dates(a: Article) -> dict[int, str]:
    """The first date with a known year in each sentence (``dates`` stage values)."""
    out: dict[int, str] = {}
    for d in a.dates:
        value: Any = getattr(d, "value", "")
        if d.type == "DATE" and DATED.match(value) and d.sentence is not None:
            out.setdefault(d.sentence, value)
    return out


STAGE = Stage("quantities", needs=("id", "text", "lang", "sentences", "mentions", "dates"),
              provides=("quantities",), run=run, enabled=enabled)
