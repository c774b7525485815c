"""Cleaning one scraped document: every rule of ``clean/`` in order, with reasons.

1. :func:`newsweave.clean.text.clean_text`: normalisation, and navigation at the
   edges (skip links, menus, share bars, copyright lines, "Advertisement");
2. :class:`newsweave.clean.boilerplate.PhraseRules` and code: notices, prompts, CSS
   and script text, anywhere in the text;
3. recurrence (:mod:`newsweave.clean.recurrence`): lines that earlier, unrelated
   articles of the same source carried too;
4. the headline (:mod:`newsweave.clean.headline`): lines above it are the page's
   header and go; a line repeating it right below goes too.

The result keeps every removed line with its reason. A text with nothing left is
returned empty, and the pipeline skips it with a reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .boilerplate import PhraseRules, Removed, looks_like_code
from .headline import choose_headline
from .recurrence import (
    MAX_RECURRING_WORDS,
    PARAGRAPH_WORDS,
    LineMemory,
    line_key,
    recurring_keys,
)
from .text import clean_text, normalise

EDGE_REASON = "navigation or page furniture"
CODE_REASON = "code (CSS or script)"
HEADER_REASON = "page header above the headline"
REPEAT_REASON = "repeats the headline"


def recurrence_reason(min_docs: int) -> str:
    return f"recurs in {min_docs} or more earlier, different articles of this source"


@dataclass(slots=True)
class Cleaned:
    """A cleaned text, its headline line (None when the text opens with its body),
    and every line taken out."""

    text: str
    headline: str | None
    removed: list[Removed] = field(default_factory=list)


class Cleaner:
    """Cleans documents of one stream; the stream's memory of lines is ``memory``.

    Without a memory (a one-off ``annotate``, a test) recurrence is not used and the
    rest of the cleaning is unchanged.
    """

    def __init__(self, memory: LineMemory | None = None, min_docs: int = 2,
                 rules: PhraseRules | None = None) -> None:
        self.memory = memory
        self.min_docs = max(1, min_docs)
        self.rules = rules if rules is not None else PhraseRules.load()

    def clean(self, text: str, scope: str = "", doc: int = 0,
              find_headline: bool = True) -> Cleaned:
        """Clean ``text``; remember its lines under ``scope`` as document ``doc``."""
        recurring = self._recurring(text, scope, doc)
        body, edge_removed = clean_text(text)
        removed = [Removed(line, EDGE_REASON) for line in edge_removed]
        kept: list[str] = []
        for line in body.split("\n"):
            reason = self._line_reason(line, recurring)
            if reason is None:
                kept.append(line)
            else:
                removed.append(Removed(line.strip(), reason))
        headline = None
        if find_headline:
            kept, headline = self._cut_to_headline(kept, removed)
        cleaned = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip("\n")
        return Cleaned(cleaned, headline, removed)

    def _recurring(self, text: str, scope: str, doc: int) -> set[int]:
        """Keys of the lines of ``text`` that earlier articles carried; records them."""
        if self.memory is None:
            return set()
        keyed = [(k, line) for line in normalise(text).split("\n")
                 if (k := line_key(line)) is not None]
        keys = sorted({k for k, _ in keyed})
        long = [k for k, line in keyed if len(line.split()) >= PARAGRAPH_WORDS]
        found = recurring_keys(keys, self.memory.line_sightings(scope, keys), doc,
                               self.min_docs, long, long[0] if long else None)
        self.memory.remember_lines(scope, doc, keys)
        return found

    def _line_reason(self, line: str, recurring: set[int]) -> str | None:
        stripped = line.strip()
        if not stripped:
            return None
        if looks_like_code(stripped):
            return CODE_REASON
        reason = self.rules.match(stripped)
        if reason is not None:
            return reason
        if recurring and len(stripped.split()) <= MAX_RECURRING_WORDS:
            if line_key(stripped) in recurring:
                return recurrence_reason(self.min_docs)
        return None

    @staticmethod
    def _cut_to_headline(lines: list[str], removed: list[Removed]
                         ) -> tuple[list[str], str | None]:
        index = choose_headline(lines)
        if index is None:
            return lines, None
        headline = " ".join(lines[index].split())
        removed.extend(Removed(ln.strip(), HEADER_REASON) for ln in lines[:index] if ln.strip())
        rest = lines[index + 1:]
        following = next((j for j, ln in enumerate(rest) if ln.strip()), None)
        if following is not None and " ".join(rest[following].split()) == headline:
            removed.append(Removed(rest[following].strip(), REPEAT_REASON))
            rest = rest[:following] + rest[following + 1:]
        return [lines[index].strip(), *rest], headline
