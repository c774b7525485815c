"""quotes: what was said in every article and by whom: direct, indirect and mixed
quotes, each speaker resolved to the stored entity it names when the text says who."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...enrich.quotes import RULES_VERSION, Quote, QuoteFinder
from ..stage import Batch, Stage
from .entities import enabled

if TYPE_CHECKING:
    from ...models import Article
    from ..run import Pipeline


def run(pipe: Pipeline, batch: Batch) -> None:
    """Quotes of each article with their cue, speaker and the speaker's entity."""
    finder = pipe.resource("quotes", QuoteFinder)
    limit = pipe.settings.max_entity_chars
    for a in batch.articles:
        found = finder.find(a.text[:limit], a.lang, a.sentences, a.mentions,
                            pipe.settings.quote_max_chars)
        a.quotes = found
        entity_of = _stored_entities(a)
        pipe.store.facts.add_quotes(a.id, [_row(q, entity_of) for q in found])
        pipe.store.entities.mark_enriched(a.id, "quotes", RULES_VERSION)


def _stored_entities(a: Article) -> dict[str, int]:
    """The stored entity id of each entity key the article's mentions carry (the
    crosslink stage linked mention i to ``entity_ids[i]``)."""
    out: dict[str, int] = {}
    for m, entity_id in zip(a.mentions, a.entity_ids, strict=True):
        if m.key:
            out.setdefault(m.key, entity_id)
    return out


def _row(q: Quote, entity_of: dict[str, int]) -> dict[str, Any]:
    row = q.to_dict()
    row["sentence"] = q.sentence
    key = q.speaker_entity[0] if q.speaker_entity else None
    row["speaker_entity_id"] = entity_of.get(key) if key else None
    return row


STAGE = Stage("quotes", needs=("id", "text", "lang", "sentences", "mentions", "entity_ids"),
              provides=("quotes",), run=run, enabled=enabled)
