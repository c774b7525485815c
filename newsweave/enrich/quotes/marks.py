"""Direct quotes: the words between quotation marks, in any language's style.

One pass over the quotation marks of the text, left to right, with at most one open
quote: marks of another kind inside it (a quote within the quote) are passed over.
English “ ”, German „ “ and » «, French and Italian « », Polish „ ”, Swedish ” ”,
single ‘ ’ ‚ ‘ ‹ › and straight " ', CJK 「」 『』 〝〞 all pair with their closers.
A straight or symmetric mark opens before a word and closes after one, so an
apostrophe ("Daesh’s", "l'ufficio") is never a mark.

Unbalanced marks never swallow the rest of the article:

- a quote still open at a line break ends there unless the next paragraph opens with
  the same mark (English style: a quote of several paragraphs reopens each one and
  closes only the last) or the line is a hard wrap inside a sentence; otherwise the
  open mark is dropped, unpaired;
- a second opening mark of the same kind before any closer drops the first;
- a quote longer than ``max_chars`` is dropped, unpaired (setting ``quote_max_chars``).

The pass is linear in the length of the text, whatever the marks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# opening mark -> the marks that close it
CLOSERS: dict[str, str] = {
    "“": "”", "„": "“”", "«": "»", "»": "«", "‹": "›", "›": "‹", "‚": "‘’", "‘": "’",
    "\"": "\"", "'": "'", "”": "”", "「": "」", "『": "』", "〝": "〞〟", "＂": "＂",
    "﹁": "﹂", "﹃": "﹄",
}
MARKS = frozenset("".join(CLOSERS) + "".join(CLOSERS.values()))
SYMMETRIC = frozenset("\"'”＂")  # the same mark opens and closes
SINGLE = frozenset("'‘’‚‹›")  # single marks: also apostrophes, so stricter
# What the scan stops at: a quotation mark or a line break; the rest is passed over
_STOPS = re.compile("[" + re.escape("".join(sorted(MARKS))) + "\n]")
# Marks that always or usually open: a closer of these kinds never needs its context
# checked, an opener needs a word after it.
_OPEN_ONLY = frozenset("“„«‚‘「『〝﹁﹃")
_SENTENCE_END = ".!?…:"
MIN_SINGLE_WORDS = 3  # a 'single-quoted' span of fewer words is a term, not a quote


@dataclass(frozen=True, slots=True)
class Span:
    """The words between the marks (``start``/``end``, marks excluded) and the marks'
    own positions."""

    start: int
    end: int
    open_mark: int
    close_mark: int


def _word_char(ch: str) -> bool:
    return ch.isalnum()


def _can_open(text: str, i: int) -> bool:
    """A mark at ``i`` that may open: a word (or a mark, digit, dash) follows it and no
    letter precedes it."""
    nxt = text[i + 1] if i + 1 < len(text) else " "
    prev = text[i - 1] if i > 0 else " "
    if nxt.isspace() and text[i] not in "«»‹›":
        return False
    if text[i] in _OPEN_ONLY:
        return True
    return not _word_char(prev)


def _can_close(text: str, i: int, mark: str) -> bool:
    """A mark at ``i`` that may close: no word character follows a symmetric mark."""
    if mark not in SYMMETRIC and mark not in SINGLE:
        return True
    nxt = text[i + 1] if i + 1 < len(text) else " "
    prev = text[i - 1] if i > 0 else " "
    if _word_char(nxt) or prev.isspace():
        return False
    return True


def _continues(text: str, nl: int, opener: str) -> int | None:
    """Where a quote open at the line break ``nl`` goes on: the position of the same
    opening mark at the start of the next paragraph, ``nl`` itself for a hard-wrapped
    line (the line ends mid-sentence and the next starts in lowercase), else None."""
    j = nl
    while j < len(text) and text[j].isspace():
        j += 1
    if j >= len(text):
        return None
    if text[j] == opener:
        return j
    before = text[:nl].rstrip()
    single_break = text.count("\n", nl, j) == 1
    if single_break and before and before[-1] not in _SENTENCE_END + "”\"»" \
            and text[j].islower():
        return nl
    return None


def find_marked(text: str, max_chars: int) -> list[Span]:
    """Every balanced quotation in ``text``, outermost only, in order."""
    out: list[Span] = []
    open_at: int | None = None
    opener = ""
    i = 0
    while (stop := _STOPS.search(text, i)) is not None:
        i = stop.start()
        ch = text[i]
        if ch == "\n" and open_at is not None:
            nxt = _continues(text, i, opener)
            if nxt is None:
                open_at = None
            else:
                i = nxt + 1
                continue
        elif ch in MARKS:
            if open_at is not None and i - open_at > max_chars:
                open_at = None  # too long to be a quote: the opener was unpaired
            if open_at is not None and ch in CLOSERS[opener] and _can_close(text, i, ch):
                _emit(text, open_at, i, opener, out)
                open_at = None
            elif ch in CLOSERS and _can_open(text, i) and (open_at is None or ch == opener):
                open_at, opener = i, ch
        i += 1
    return out


def _emit(text: str, open_at: int, close_at: int, opener: str, out: list[Span]) -> None:
    """Add the quote between the two marks, trimmed, unless it is empty or a short
    single-quoted term."""
    start, end = open_at + 1, close_at
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end <= start:
        return
    if opener in SINGLE and len(text[start:end].split()) < MIN_SINGLE_WORDS:
        return
    out.append(Span(start, end, open_at, close_at))
