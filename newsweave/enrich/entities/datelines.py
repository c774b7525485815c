"""Datelines: the place a wire report was filed from, in capitals at its start.

"EL CAIRO, 11 feb. (EFE).-", "ROMA, 3 marzo (ANSA) -", "LE CAIRE (AFP) -",
"WASHINGTON – La comunità internazionale …": a line opens with a place in capitals,
then a date, an agency in parentheses or a dash. Written in capitals a short name
reads like an acronym, and the gazetteer looks up a short word in capitals only among
names written so (for "OEA" and "SANA", which are no places). By its position a
dateline's name is a place, so it is read here title-cased ("El Cairo", "Roma"), and
what it names is a town: "TÚNEZ" over a report is the city of Tunis, not the country.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..sentences import Token
from .lexicon import Lexicon, fold

MAX_WORDS = 4  # "RIO DE JANEIRO", "SAN JOSÉ DE CÚCUTA"
MIN_LETTERS_SMALL = 5  # a shorter name in capitals needs a well-known place ("ROMA")
OPENING_CHARS = 80  # a dateline's place starts this near its line's start, at most
PREFIX_TOKENS = 8  # "(ANSA) - ": the tokens an agency may take before the place
# After the place: ", <date or region> (AGENCY) -", "(AGENCY)", or a dash.
_TAIL = re.compile(r"[ \t]*(?:,[^\n]{0,40}?(?:\d|\(|[-–—](?:\s|$))"
                   r"|\([^()\n]{1,40}\)"
                   r"|[.:]?[ \t]*[-–—](?:\s|$))")

_AGENCY = re.compile(r"[ \t]*\([^()\n]{1,30}\)[ \t]*[-–—]?[ \t]*")


@dataclass(frozen=True, slots=True)
class Dateline:
    """Tokens ``[start, end)`` of a sentence that name a dateline's place, the
    title-cased name to look up, and the dateline's first token (``start``, or the
    article before it: "IL" of "IL CAIRO" when "Il Cairo" is no name of its own)."""

    start: int
    end: int
    name: str
    first: int


def find_dateline(text: str, toks: Sequence[Token], lex: Lexicon,
                  strength: Callable[[str], int]) -> Dateline | None:
    """The dateline's place at the start of ``toks`` (one sentence's tokens), when the
    sentence opens a line with words in capitals and a dateline's tail follows them.
    ``strength`` says how well the gazetteer knows a name (0, 1 small, 2 well known)."""
    if not toks or _opening(text, toks[0].start).strip():
        return None
    first = 0
    if toks[0].text == "(":  # "(ANSA) - IL CAIRO, 28 GEN -"
        first = next((k for k, t in enumerate(toks[:PREFIX_TOKENS])
                      if k and not _opening(text, t.start).strip() and t.text not in ")-–—"),
                     len(toks))
    j = first
    while j < min(len(toks), first + MAX_WORDS) and _capitals(toks[j].text) \
            and "\n" not in text[toks[first].start:toks[j].end]:
        j += 1
    if j == first or not _TAIL.match(text, toks[j - 1].end):
        return None
    articled = j - first > 1 and fold(toks[first].text) in lex.articles | lex.definite_articles
    for i in ((first, first + 1) if articled else (first,)):
        name = title_case([t.text for t in toks[i:j]], lex)
        known = strength(name)
        if known == 2 or (known == 1 and sum(ch.isalpha() for ch in name) >= MIN_LETTERS_SMALL):
            return Dateline(i, j, name, first)
    return None


def is_dateline(text: str, start: int, end: int) -> bool:
    """Whether the span ``[start, end)`` opens a line (after an article, at most) and a
    dateline's tail follows it."""
    before = _opening(text, start).split()
    return len(before) <= 1 and all(_capitals(w) for w in before) \
        and _capitals(text[start:end]) and bool(_TAIL.match(text, end))


def _opening(text: str, pos: int) -> str:
    """The text before ``pos`` on its line, after an agency in parentheses and a dash
    that may open it ("(ANSA) - "). Only the last OPENING_CHARS are looked at: deeper
    into a line no dateline opens (and a long line costs no more than a short one)."""
    low = max(0, pos - OPENING_CHARS)
    start = text.rfind("\n", low, pos) + 1
    if start == 0 and low > 0:
        return "…"  # deep inside a line
    line = text[start:pos]
    agency = _AGENCY.match(line)
    return line[agency.end():] if agency else line


def title_case(words: Sequence[str], lex: Lexicon) -> str:
    """"BUENOS AIRES" → "Buenos Aires", "RIO DE JANEIRO" → "Rio de Janeiro",
    "SAINT-DENIS" → "Saint-Denis": connectors after the first word in lowercase."""
    out = []
    for k, word in enumerate(words):
        if k and fold(word) in lex.connectors:
            out.append(word.lower())
        else:
            out.append("-".join(_capitalised(p) for p in word.split("-")))
    return " ".join(out)


def _capitalised(part: str) -> str:
    head, apostrophe, tail = part.partition("'")
    if apostrophe and len(head) <= 2 and tail:  # "L'AQUILA" → "L'Aquila"
        return head.capitalize() + apostrophe + tail.capitalize()
    return part.capitalize()


def _capitals(word: str) -> bool:
    return word.isupper() and any(ch.isalpha() for ch in word)
