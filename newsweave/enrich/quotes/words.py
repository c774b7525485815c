"""Words of a sentence for the quote rules: offsets, folded form, and what they are.

A word list of its own (not :func:`newsweave.enrich.sentences.tokens`): elided
articles stand apart from their noun ("l’" "ufficio", "qu'" "il") so that "l'ufficio di
al-Sudani" reads as article, role noun, "of", name; a French inversion "a-t-il" is the
verb and its pronoun.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...clean.fold import fold
from ..sentences import ABBREVIATIONS

_WORD = re.compile(r"\w+['’](?=\w)|\w+(?:[-‑.]\w+)*|\S")
_INVERSION = re.compile(r"^(\w+)-(?:t-)?(il|elle|ils|elles|on)$", re.IGNORECASE)
BOUNDARY_PUNCT = frozenset(",;:()[]—–")
STOP_PUNCT = frozenset(".!?…")


# Not frozen, though never changed once made: hundreds of thousands are made per batch,
# and a frozen dataclass takes four times as long to build (hashable all the same).
@dataclass(slots=True, unsafe_hash=True)
class Word:
    """A word or punctuation mark: offsets into the text, its folded form (without
    a trailing apostrophe) and whether it lies inside a direct quote."""

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
    q = 0
    for m in _WORD.finditer(text, start, end):
        while q < len(quoted) and quoted[q][1] <= m.start():
            q += 1
        inside = q < len(quoted) and quoted[q][0] <= m.start() < quoted[q][1]
        g = m.group()
        if g == "." and out and out[-1].end == m.start() and _abbreviated(out[-1]):
            last = out[-1]  # "Mr.", "Rep.", "E.": the dot belongs to the word
            out[-1] = Word(last.start, m.end(), text[last.start:m.end()], last.key, last.quoted)
            continue
        inv = _INVERSION.match(g) if "-" in g else None  # "a-t-il" has a hyphen
        if inv:
            cut = m.start() + inv.end(1)
            out.append(_word(text, m.start(), cut, inside))
            out.append(_word(text, m.end() - len(inv.group(2)), m.end(), inside))
        else:
            out.append(_word(text, m.start(), m.end(), inside))
    return out


def _abbreviated(word: Word) -> bool:
    """A title or an initial that a full stop abbreviates ("Mr", "Sen", "E")."""
    return word.key in ABBREVIATIONS or (len(word.text) == 1 and word.text.isupper())


def _word(text: str, start: int, end: int, quoted: bool) -> Word:
    raw = text[start:end]
    return Word(start, end, raw, fold(raw).rstrip("'’"), quoted)
