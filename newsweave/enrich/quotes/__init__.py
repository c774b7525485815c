"""Quotes with their speakers: who said what (docs/quotes.md).

Library use, with the entity annotator's sentences and mentions::

    from newsweave.enrich.entities import Annotator
    from newsweave.enrich.quotes import find_quotes

    analysis = Annotator.load().analyse(text, lang="it")
    for q in find_quotes(text, analysis.lang, analysis.sentences, analysis.mentions):
        q.text, q.direct, q.speaker, q.speaker_entity, q.to_dict()
"""

from __future__ import annotations

from functools import lru_cache

from ...models import Mention, Sentence
from .extract import DEFAULT_MAX_CHARS, RULES_VERSION, Quote, QuoteFinder, TextSpan

__all__ = ["DEFAULT_MAX_CHARS", "RULES_VERSION", "Quote", "QuoteFinder", "TextSpan",
           "default_finder", "find_quotes"]


@lru_cache(maxsize=1)
def default_finder() -> QuoteFinder:
    """The finder with the shipped language files, read once per process (a memo of
    immutable data, like the entity stage's name lists)."""
    return QuoteFinder()


def find_quotes(text: str, lang: str | None, sentences: list[Sentence],
                mentions: list[Mention], max_chars: int = DEFAULT_MAX_CHARS) -> list[Quote]:
    """The quotes of ``text`` with their speakers, in text order (see
    :class:`QuoteFinder`)."""
    return default_finder().find(text, lang, sentences, mentions, max_chars)
