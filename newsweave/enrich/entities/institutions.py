"""A country's institutions named by a common noun and a nationality word.

"il governo tedesco", "the Iraqi government", "die deutsche Regierung", "la policía
española" name one specific body: the government of Germany, of Iraq, the Spanish
police. The nationality word is already a mention linked to its country (``cc:DE``);
this module adds an organisation mention over noun and adjective together, linked to
one entity per (institution, country): ``inst:government:DE``, named "Government of
Germany". So the German government is one entity whatever the language of the
article, and is never mixed with another country's.

A bare noun after a definite article ("la polizia", "the army") is resolved by
coreference at the level of the document: it is the institution of the country the
document is about (:func:`document_country`), and is not reported when no country
leads, since an unlinked "polizia" would merge every country's police.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence

from ...models import Mention
from .lexicon import Lexicon, fold

_WORD = re.compile(r"\w+", re.UNICODE)


def institution_mentions(text: str, mentions: Sequence[Mention], lex: Lexicon,
                         country_names: dict[str, str]) -> list[Mention]:
    """ORG mentions for "noun + nationality word" pairs, with the institution nouns of
    ``lex``'s language; ``country_names`` maps ``cc:XX`` keys to the country's
    canonical name."""
    nouns = lex.institution_nouns
    if not nouns:
        return []
    out = []
    for m in mentions:
        if m.type != "demonym" or not (m.key or "").startswith("cc:"):
            continue
        found = _noun_before(text, m.start, nouns) if lex.nationality_after_noun \
            else _noun_after(text, m.end, nouns)
        if found is None:
            continue
        start, end, kind = found
        start, end = min(start, m.start), max(end, m.end)
        out.append(_institution(text, start, end, kind, m.key[3:], country_names,
                                m.sentence, m.confidence))
    return out


def _noun_before(text: str, start: int, nouns: dict[str, str]) -> tuple[int, int, str] | None:
    """The institution noun ending just before ``start`` ("governo" of "governo tedesco")."""
    base = max(0, start - 40)
    words = list(_WORD.finditer(text, base, start))
    return _phrase(text, words[-2:], start, nouns, before=True)


def _noun_after(text: str, end: int, nouns: dict[str, str]) -> tuple[int, int, str] | None:
    """The institution noun starting just after ``end`` ("government" of "German
    government")."""
    words = list(_WORD.finditer(text, end, end + 40))
    return _phrase(text, words[:2], end, nouns, before=False)


def _phrase(text: str, words: list[re.Match[str]], edge: int, nouns: dict[str, str],
            before: bool) -> tuple[int, int, str] | None:
    """The longest run of ``words`` (two, else one) touching ``edge`` across white space
    only, and separated by white space only, that is an institution noun."""
    for n in (2, 1):
        if len(words) < n:
            continue
        run = words[-n:] if before else words[:n]
        gaps = [text[a.end():b.start()] for a, b in zip(run, run[1:], strict=False)]
        gaps.append(text[run[-1].end():edge] if before else text[edge:run[0].start()])
        if any(g.strip() or "\n" in g for g in gaps):
            continue  # punctuation or a line break between: "forze, armate" is no noun
        phrase = fold(" ".join(w.group() for w in run))
        if phrase in nouns:
            return run[0].start(), run[-1].end(), nouns[phrase]
    return None


# -- bare nouns ------------------------------------------------------------------------
# A bare institution noun needs a definite article, alone or joined to a preposition
# (``definite_articles``): "la polizia", "dal governo", "the army". Without one the
# noun is generic ("crisi di governo", "posto di polizia", "police said" in a
# headline); plural and generic nouns (``generic_institution_nouns``: "i governi",
# "forze") never stand for one body on their own.


def bare_institution_mentions(text: str, mentions: Sequence[Mention],
                              sentence_starts: Sequence[int], lex: Lexicon,
                              country_names: dict[str, str]) -> list[Mention]:
    """ORG mentions for "the government", "la polizia" with no nationality word,
    linked to the country the document is about (see :func:`document_country`). An
    organisation already found that is such a noun alone, capitalised ("il Governo ha
    deciso", "le Parlement a voté"), is linked in place to the same institution."""
    nouns = lex.institution_nouns
    if not nouns:
        return []
    # the press's own country's institutions when the article names none (KIND train
    # +0.0010, dev +0.0003); French, Spanish, English, Portuguese have several countries
    cc = document_country(mentions, lex.press_country)
    if cc is None:
        return []  # which country's police? Unlinked, it would merge every country's
    for m in mentions:
        if m.type == "ORG" and m.key is None and fold(m.text) in nouns:
            m.key, m.name = _key_and_name(nouns[fold(m.text)], cc, country_names)
    taken = SpanIndex((m.start, m.end) for m in mentions)
    return [_institution(text, start, end, kind, cc, country_names,
                         max(0, bisect_right(sentence_starts, start) - 1), 0.5)
            for start, end, kind in _bare_nouns(text, lex)
            if not taken.overlaps(start, end)]


def _bare_nouns(text: str, lex: Lexicon) -> list[tuple[int, int, str]]:
    """(start, end, kind) of every singular institution noun after a definite article."""
    nouns, definite = lex.institution_nouns, lex.definite_articles
    words = list(_WORD.finditer(text))
    out = []
    elided = {a[:-1] for a in definite if a.endswith("'")}
    for k in range(1, len(words)):
        # the article first: it is the rare, cheap test (one word, one set lookup)
        prev = fold(words[k - 1].group())
        if prev not in definite and prev not in elided:
            continue
        between = text[words[k - 1].end():words[k].start()].strip()
        if between not in ("", "'", "’"):
            continue
        if (prev + "'" if between else prev) not in definite:
            continue
        found = _phrase(text, words[k:k + 2], words[k].start(), nouns, before=False)
        if found is not None and fold(text[found[0]:found[1]]) not in \
                lex.generic_institution_nouns:
            out.append(found)
    return out


def _key_and_name(kind: str, cc: str, country_names: dict[str, str]) -> tuple[str, str]:
    """``inst:police:IT``, "Police of Italy"."""
    return (f"inst:{kind.replace(' ', '-')}:{cc}",
            f"{kind.capitalize()} of {country_names.get('cc:' + cc, cc)}")


def _institution(text: str, start: int, end: int, kind: str, cc: str,
                 country_names: dict[str, str], sentence: int, confidence: float) -> Mention:
    """The mention of country ``cc``'s institution of ``kind`` ("Police of Italy")."""
    key, name = _key_and_name(kind, cc, country_names)
    return Mention(start=start, end=end, text=text[start:end], type="ORG", sentence=sentence,
                   key=key, name=name, source="rules", confidence=confidence)


class SpanIndex:
    """Character spans, sorted, for overlap questions in time that does not grow with
    the number of spans (a long list of names must stay linear)."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        self._spans = sorted(spans)
        self._starts = [a for a, _ in self._spans]
        self._longest = max((b - a for a, b in self._spans), default=0)

    def overlaps(self, start: int, end: int) -> bool:
        """Whether any span shares a character with ``[start, end)``."""
        lo = bisect_left(self._starts, start - self._longest)
        hi = bisect_left(self._starts, end)
        return any(b > start for _, b in self._spans[lo:hi])

    def covers(self, start: int, end: int) -> bool:
        """Whether one span contains all of ``[start, end)``."""
        lo = bisect_left(self._starts, end - self._longest)
        hi = bisect_right(self._starts, start)
        return any(b >= end for _, b in self._spans[lo:hi])


def document_country(mentions: Sequence[Mention], home: str | None = None) -> str | None:
    """The country a document is about: the one its country names, nationality words
    and resolved places point to most often, when one country leads outright; else
    ``home``, the press's own country, when nothing else is named or it ties for the
    lead (an Italian article that names no country, or Italy and France as often, means
    Italy's "governo")."""
    counts: Counter[str] = Counter()
    for m in mentions:
        if (m.key or "").startswith("cc:"):
            counts[m.key[3:]] += 1
        elif m.place is not None and m.place.country:
            counts[m.place.country] += 1
    top = counts.most_common(2)
    if top and (len(top) == 1 or top[0][1] > top[1][1]):
        return top[0][0]
    if home is not None and (not top or counts[home] == top[0][1]):
        return home
    return None
