"""Words of a sentence for the quote rules: offsets, folded form, and what they are.

A word list of its own (not :func:`newsweave.enrich.sentences.tokens`): elided
articles stand apart from their noun ("l’" "ufficio", "qu'" "il") so that "l'ufficio di
al-Sudani" reads as article, role noun, "of", name; a French inversion "a-t-il" is the
verb and its pronoun.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import NamedTuple

from ...clean.fold import fold
from ..sentences import ABBREVIATIONS

_WORD = re.compile(r"\w+['’](?=\w)|\w+(?:[-‑.]\w+)*|\S")
_INVERSION = re.compile(r"^(\w+)-(?:t-)?(il|elle|ils|elles|on)$", re.IGNORECASE)
BOUNDARY_PUNCT = frozenset(",;:()[]—–")
STOP_PUNCT = frozenset(".!?…")


class Word(NamedTuple):
    """A word or punctuation mark: offsets into the text, its folded form (without
    a trailing apostrophe) and whether it lies inside a direct quote. A named tuple,
    not a frozen dataclass: every word of every sentence is one, and a tuple is
    several times cheaper to make."""

    start: int
    end: int
    text: str
    key: str
    quoted: bool

    @property
    def is_punct(self) -> bool:
        return not self.text[0].isalnum()

    @property
    def lower(self) -> bool:
        return self.text[0].islower()


def words(text: str, start: int, end: int, quoted: list[tuple[int, int]]) -> list[Word]:
    """The words of ``text[start:end]``; ``quoted`` are the direct quotes' spans with
    their marks (sorted), so that a word inside one is known as such."""
    out: list[Word] = []
    q = bisect.bisect_left(quoted, (start,)) - 1 if quoted else 0  # the quote before
    q = max(q, 0)
    n = len(quoted)
    for m in _WORD.finditer(text, start, end):
        s, e, g = m.start(), m.end(), m.group()
        while q < n and quoted[q][1] <= s:
            q += 1
        inside = q < n and quoted[q][0] <= s < quoted[q][1]
        if g == "." and out and out[-1].end == s and _abbreviated(out[-1]):
            last = out[-1]  # "Mr.", "Rep.", "E.": the dot belongs to the word
            out[-1] = Word(last.start, e, text[last.start:e], last.key, last.quoted)
            continue
        inv = _INVERSION.match(g) if "-" in g else None
        if inv:
            cut = s + inv.end(1)
            out.append(_word(text, s, cut, inside))
            out.append(_word(text, e - len(inv.group(2)), e, inside))
        else:
            out.append(Word(s, e, g, _key(g), inside))
    return out


def _abbreviated(word: Word) -> bool:
    """A title or an initial that a full stop abbreviates ("Mr", "Sen", "E")."""
    return word.key in ABBREVIATIONS or (len(word.text) == 1 and word.text.isupper())


def _word(text: str, start: int, end: int, quoted: bool) -> Word:
    raw = text[start:end]
    return Word(start, end, raw, _key(raw), quoted)


@lru_cache(maxsize=1 << 16)
def _key(raw: str) -> str:
    """How a word is compared: folded, without a trailing apostrophe ("l'" → "l")."""
    return fold(raw).rstrip("'’")
