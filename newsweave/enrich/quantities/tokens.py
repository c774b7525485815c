"""Tokens for the quantity finder, and phrase lists matched over them.

A token is a number (digits with the locale's separators), a word, or one mark.
Elided articles are split off ("d'euros" -> "d'", "euros"); a word that starts with
digits and ends with letters is split when the letters are a unit or a scale ("5km",
"$5bn"), and otherwise stays one word, never a number ("G7", "F-16", "1990s", "3rd").
Phrases of a word list are tokenised the same way, so a cue of several words
("more than", "alle ore", "all'incirca") is matched token by token.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .lexicon import fold

NUM, WORD, MARK = "num", "word", "mark"
_WORD = r"[^\W_](?:(?:[\w'’\-.]|(?<=\d)[,\u00a0\u202f](?=\d))*[^\W_])?['’]?"
_ELIDED = re.compile(r"^([^\W\d_]{1,5}['’])(\w.*)$")
_SPACE_GROUPED = re.compile(r"^\d{1,3}(?: \d{3})+(?:[.,]\d+)?$")
_PLAIN_NUMBER = re.compile(r"^\d+(?:[.,]\d+)*$")
_DIGITS_THEN_LETTERS = re.compile(r"^(\d+(?:[.,]\d+)?)(-?)([^\W\d_][\w'’\-]*)$")


# Not frozen, though never changed once made: hundreds of thousands are made per batch,
# and a frozen dataclass takes four times as long to build (hashable all the same).
@dataclass(slots=True, unsafe_hash=True)
class Token:
    """A number, word or mark of a sentence; offsets into the whole text."""

    start: int
    end: int
    text: str
    kind: str
    low: str  # folded


def tokenizer(space_groups: bool) -> re.Pattern[str]:
    """The token pattern of a locale: a plain space groups digits only where it may."""
    space = r"| (?=\d{3}(?!\d))" if space_groups else ""
    number = rf"\d+(?:(?:[.,'’\u00a0\u202f]{space})\d+)*(?:[eE][+-]?\d+(?![\w]))?"
    return re.compile(rf"(?P<num>{number})(?![^\W_]|[.,'’]\d)|(?P<word>{_WORD})|(?P<mark>\S)")


def tokenise(text: str, start: int, end: int, pattern: re.Pattern[str],
             split_suffixes: frozenset[str] = frozenset()) -> list[Token]:
    """The tokens of ``text[start:end]``."""
    out: list[Token] = []
    for m in pattern.finditer(text, start, end):
        s, e, kind = m.start(), m.end(), m.lastgroup or MARK
        word = m.group()
        if kind == WORD:
            if word.isalpha():  # most words: no elision, digit or final dot to split at
                out.append(Token(s, e, word, WORD, fold(word)))
            else:
                out.extend(_split_word(s, word, split_suffixes))
            continue
        if kind == NUM and " " in word and not _SPACE_GROUPED.match(word):
            out.extend(_split_spaces(s, word))  # "en 2014 500 soldats": two numbers
            continue
        out.append(Token(s, e, word, kind, fold(word)))
    return out


def _split_spaces(s: int, word: str) -> Iterable[Token]:
    offset = 0
    for part in word.split(" "):
        yield Token(s + offset, s + offset + len(part), part, NUM, part)
        offset += len(part) + 1


def _split_word(s: int, word: str, suffixes: frozenset[str]) -> Iterable[Token]:
    """A word token, split at an elision or between digits and a unit."""
    if word.endswith(".") and len(word) > 1 and not _abbreviation(word):
        yield from _split_word(s, word[:-1], suffixes)
        yield Token(s + len(word) - 1, s + len(word), ".", MARK, ".")
        return
    if _PLAIN_NUMBER.match(word):
        yield Token(s, s + len(word), word, NUM, word)
        return
    elided = _ELIDED.match(word)
    if elided:
        head = elided.group(1)
        yield Token(s, s + len(head), head, WORD, fold(head))
        yield from _split_word(s + len(head), elided.group(2), suffixes)
        return
    mixed = _DIGITS_THEN_LETTERS.match(word)
    if mixed and fold(mixed.group(3)) in suffixes:
        digits, dash, rest = mixed.groups()
        yield Token(s, s + len(digits), digits, NUM, digits)  # "10-year": no dash token
        r = s + len(digits) + len(dash)
        yield Token(r, r + len(rest), rest, WORD, fold(rest))
        return
    yield Token(s, s + len(word), word, WORD, fold(word))


def _abbreviation(word: str) -> bool:
    """Keeps its final dot: an initial or a dotted abbreviation ("U.S.", "p.m.", "ca.")."""
    core = word[:-1]
    return "." in core or len(core) <= 3 and core.isalpha() and core.islower()


class Phrases:
    """A list or map of phrases, matched token by token, longest first."""

    def __init__(self, entries: Mapping[str, Any] | Iterable[str],
                 pattern: re.Pattern[str]) -> None:
        items = entries.items() if isinstance(entries, Mapping) else \
            ((e, True) for e in entries)
        self._by_first: dict[str, list[tuple[tuple[str, ...], Any]]] = {}
        self._by_last: dict[str, list[tuple[tuple[str, ...], Any]]] = {}
        for phrase, value in items:
            toks = tuple(t.low for t in tokenise(phrase, 0, len(phrase), pattern))
            if not toks:
                continue
            self._by_first.setdefault(toks[0], []).append((toks, value))
            self._by_last.setdefault(toks[-1], []).append((toks, value))
        for table in (self._by_first, self._by_last):
            for options in table.values():
                options.sort(key=lambda o: (-len(o[0]), o[0]))

    def at(self, tokens: list[Token], i: int) -> tuple[int, Any] | None:
        """(tokens used, value) of the longest phrase starting at token ``i``."""
        if i >= len(tokens):
            return None
        for toks, value in self._by_first.get(tokens[i].low, ()):
            n = len(toks)
            if i + n <= len(tokens) and all(tokens[i + k].low == toks[k] for k in range(n)):
                return n, value
        return None

    def before(self, tokens: list[Token], i: int) -> tuple[int, Any] | None:
        """(first token index, value) of the longest phrase ending just before ``i``."""
        if i <= 0:
            return None
        for toks, value in self._by_last.get(tokens[i - 1].low, ()):
            n = len(toks)
            if i - n >= 0 and all(tokens[i - n + k].low == toks[k] for k in range(n)):
                return i - n, value
        return None

    def __contains__(self, word: str) -> bool:
        return any(len(t) == 1 for t, _ in self._by_first.get(word, ()))
