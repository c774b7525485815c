"""From an article's quantities to its claims.

A quantity is a claim when the text says what it counts (``counted``) and it has a
value or a range. Its ``where`` is the place the sentence puts it in: the first place
named after the number behind one of the language's place prepositions ("2.500
truppe in Iraq"), else the first such place anywhere in the sentence, else None; a
place named as a subject or as a nationality ("Gli Stati Uniti hanno", "US troops")
says whose, not where. One article states a claim once: a repeat of the same
counted thing, unit, values and place keeps its first sentence.
"""

from __future__ import annotations

from collections.abc import Sequence

from ...models import Sentence
from ..quantities import Quantity, QuantityFinders
from ..quantities.lexicon import fold
from ..sentences import split_sentences
from .model import ArticleId, Claim, PlaceRef


def claims_from_quantities(quantities: Sequence[Quantity], text: str, *,
                           article: ArticleId, lang: str | None = None,
                           source: str | None = None,
                           duplicate_of: ArticleId | None = None,
                           sentences: Sequence[Sentence] | None = None,
                           places: Sequence[PlaceRef] = (), when: str | None = None,
                           finders: QuantityFinders | None = None) -> list[Claim]:
    """The claims of one article, in text order."""
    sents = list(split_sentences(text) if sentences is None else sentences)
    by_index = {s.index: s for s in sents}
    preps = _prepositions(lang, finders)
    out: list[Claim] = []
    seen: set[tuple] = set()
    for q in quantities:
        if q.counted is None or (q.value is None and q.low is None and q.high is None):
            continue
        sent = by_index.get(q.sentence) or _containing(sents, q.start)
        s_start, s_end = (sent.start, sent.end) if sent else (0, len(text))
        where = _where(text, q, s_start, s_end, places, preps)
        key = (q.counted, q.unit, q.value, q.low, q.high, where)
        if key in seen:
            continue
        seen.add(key)
        out.append(Claim(q.counted, q.unit, q.value, q.low, q.high, q.approx, article,
                         text[s_start:s_end], text[q.start:max(q.end, q.counted_end or 0)],
                         q.start, q.end,
                         sent.index if sent else 0, where, when, source, duplicate_of,
                         lang))
    return out


def _prepositions(lang: str | None, finders: QuantityFinders | None) -> frozenset[str]:
    finder = (finders or QuantityFinders()).get(lang)
    return frozenset(finder.words.words("place_prepositions")) if finder else frozenset()


def _containing(sents: Sequence[Sentence], pos: int) -> Sentence | None:
    return next((s for s in sents if s.start <= pos < s.end), None)


def _where(text: str, q: Quantity, start: int, end: int, places: Sequence[PlaceRef],
           preps: frozenset[str]) -> str | None:
    """The place the sentence puts the quantity in (see the module docstring)."""
    inside = sorted((p for p in places if start <= p.start and p.end <= end),
                    key=lambda p: p.start)
    after = [p for p in inside if p.start >= q.end]
    for group in (after, inside):
        for p in group:
            if _word_before(text, p.start, start) in preps:
                return p.id
    return None


def _word_before(text: str, pos: int, floor: int) -> str:
    """The word just before ``pos`` (an elided one keeps its apostrophe: "nell'")."""
    i = pos
    while i > floor and text[i - 1] == " ":
        i -= 1
    j = i
    while j > floor and (text[j - 1].isalpha() or text[j - 1] in "'’"):
        j -= 1
    return fold(text[j:i])
