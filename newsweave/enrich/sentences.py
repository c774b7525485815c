"""Sentences and word tokens, with character offsets into the text as given.

Every entity, place, quote and claim links back to the sentence it came from, so the
split must be good on news prose in any language: initials ("Myles B. Caggins"),
titles ("Col.", "Sig.", "Dr."), dotted acronyms ("U.S.") and thousands separators
("2.500") do not end a sentence; paragraph breaks always do. No model: a short list
of abbreviations plus the rule "a full stop ends a sentence only before a capital,
a digit or a quote, after a word that is not an abbreviation".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..models import Sentence

# Abbreviations that end with a full stop but rarely end a sentence (lowercase, no dot).
ABBREVIATIONS = frozenset("""
mr mrs ms dr prof sr jr st mt col gen lt sgt capt cpt maj adm cmdr gov sen rep pres
rev hon fr no nr vs etc inc ltd corp co jan feb mar apr jun jul aug sep sept oct nov
dec sig sigg dott dott.ssa avv ing on mons geom rag ecc pag art tel fig cfr
mme mlle mm me pr gén hr fr dipl ing bzw vgl sra srta dña dña av pág núm
г гг тыс млн млрд им ул пр
""".split())

_NEWLINE = re.compile(r"\n")
# A match starts only at the first mark of a run: started inside a long run of dots
# that no space follows, each start would rescan the run (quadratic time).
_END = re.compile(r"(?<![.!?…。！？؟])[.!?…。！？؟]+[\"'”’»)\]]*(?=\s)|[。！？؟]")
_TOKEN = re.compile(r"\d+(?:[.,]\d+)+|[^\W_](?:[\w'’\-.]*[^\W_])?\.?|\S", re.UNICODE)


# Not frozen, though never changed once made: hundreds of thousands are made per batch,
# and a frozen dataclass takes four times as long to build (hashable all the same).
@dataclass(slots=True, unsafe_hash=True)
class Token:
    """A word (or punctuation mark) and its offsets."""

    start: int
    end: int
    text: str


def tokens(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Words and punctuation of ``text[start:end]``, offsets into ``text``.

    Words keep internal hyphens, apostrophes and dots ("al-Sudani", "D'Alema",
    "U.S.", "2.500"); a trailing dot stays on the word only for abbreviations and
    initials, so "Baghdad." gives "Baghdad" and ".".
    """
    out: list[Token] = []
    for m in _TOKEN.finditer(text, start, len(text) if end is None else end):
        s, e = m.start(), m.end()
        word = m.group()
        if len(word) > 1 and word.endswith(".") and not _keeps_dot(word[:-1]):
            out.append(Token(s, e - 1, word[:-1]))
            out.append(Token(e - 1, e, "."))
        else:
            out.append(Token(s, e, word))
    return out


def _keeps_dot(word: str) -> bool:
    """True for an initial ("B"), a dotted acronym ("U.S") or a known abbreviation."""
    return (len(word) == 1 and word.isalpha()) or "." in word or word.casefold() in ABBREVIATIONS


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of ``text``: trimmed spans, in order, covering every word once."""
    spans: list[tuple[int, int]] = []
    for block_start, block_end in _blocks(text):
        spans.extend(_split_block(text, block_start, block_end))
    return [Sentence(i, s, e) for i, (s, e) in enumerate(spans)]


def _blocks(text: str) -> Iterator[tuple[int, int]]:
    """Paragraphs and lines that start a new sentence.

    A line break ends a sentence unless the next line goes on in lowercase (a
    hard-wrapped sentence): a title line, a list item, a new paragraph all start
    afresh, and a name is never joined across lines.
    """
    pos = 0
    for m in _NEWLINE.finditer(text):
        nxt = _next_visible(text, m.end(), len(text))
        if nxt is None or not nxt.islower():
            yield pos, m.start()
            pos = m.end()
    yield pos, len(text)


def _split_block(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Split one paragraph at sentence-final punctuation, trimming whitespace."""
    pos = start
    for m in _END.finditer(text, start, end):
        if _is_boundary(text, m.start(), m.end(), end):
            yield from _trimmed(text, pos, m.end())
            pos = m.end()
    yield from _trimmed(text, pos, end)


def _is_boundary(text: str, stop: int, after: int, end: int) -> bool:
    """Whether the punctuation at ``text[stop:after]`` ends a sentence."""
    if text[stop] in "。！？؟":
        return True
    nxt = _next_visible(text, after, end)
    if nxt is None:
        return True
    if text[stop] == "." and after - stop == 1:
        word = _word_before(text, stop)
        if word and _keeps_dot(word):
            return False
        if not (_starts_sentence(nxt) or nxt in "\"'“‘«¿¡(-–—"):
            return False
    return _starts_sentence(nxt) or not nxt.isalpha() or text[stop] != "."


def _starts_sentence(char: str) -> bool:
    """A capital, a digit, or a letter of a script without case (Arabic, CJK)."""
    return char.isupper() or char.isdigit() or (char.isalpha() and not char.islower())


def _next_visible(text: str, pos: int, end: int) -> str | None:
    while pos < end and text[pos].isspace():
        pos += 1
    return text[pos] if pos < end else None


def _word_before(text: str, stop: int) -> str:
    i = stop
    while i > 0 and (text[i - 1].isalnum() or text[i - 1] in ".'’-"):
        i -= 1
    return text[i:stop]


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        yield start, end
