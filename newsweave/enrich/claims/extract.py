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

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

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


def quantity_rows(quantities: Sequence[Quantity], text: str, *, lang: str | None = None,
                  sentences: Sequence[Sentence] | None = None,
                  places: Sequence[PlaceRef] = (), when: str | None = None,
                  finders: QuantityFinders | None = None) -> list[dict[str, Any]]:
    """Every quantity of one article as a row for the store (``store.facts``):
    ``{sentence, start, end, text, value, low, high, approx, unit, counted, where,
    when}``, ``where`` found as for a claim."""
    sents = list(split_sentences(text) if sentences is None else sentences)
    by_index = {s.index: s for s in sents}
    preps = _prepositions(lang, finders)
    rows = []
    for q in quantities:
        sent = by_index.get(q.sentence) or _containing(sents, q.start)
        s_start, s_end = (sent.start, sent.end) if sent else (0, len(text))
        rows.append({**q.to_dict(), "sentence": sent.index if sent else 0,
                     "where": _where(text, q, s_start, s_end, places, preps),
                     "when": when})
    return rows


def claims_from_rows(rows: Iterable[Mapping[str, Any]]) -> list[Claim]:
    """Claims from stored quantity rows (``store.facts.story_quantities``: article_id,
    char_start, char_end, text, value, low, high, approx, unit, counted, place_id,
    time_value, sentence, sentence_text, site, duplicate_of, lang, published), one per
    article and claim, in the rows' order."""
    out: list[Claim] = []
    seen: set[tuple] = set()
    for r in rows:
        if not r.get("counted") or all(r.get(k) is None for k in ("value", "low", "high")):
            continue
        key = (r["article_id"], r["counted"], r.get("unit"), r.get("value"), r.get("low"),
               r.get("high"), r.get("place_id"))
        if key in seen:
            continue
        seen.add(key)
        out.append(Claim(r["counted"], r.get("unit"), r.get("value"), r.get("low"),
                         r.get("high"), bool(r.get("approx")), r["article_id"],
                         r.get("sentence_text") or "", r.get("text") or "",
                         r.get("char_start", 0), r.get("char_end", 0), r.get("sentence", 0),
                         r.get("place_id"), r.get("time_value"), r.get("site") or None,
                         r.get("duplicate_of"), r.get("lang"), _day(r.get("published"))))
    return out


def _day(published: Any) -> str | None:
    """The date part of a stored publication time ("2011-03-04T10:00:00+00:00")."""
    return str(published)[:10] if published else None


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
