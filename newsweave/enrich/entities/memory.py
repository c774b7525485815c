"""Surnames of the people a stream has already named in full.

A news stream names a person in full once ("Silvio Berlusconi", "il ministro Roberto
Calderoli") and by surname for weeks after, often in articles that never give the
full name again. Within an article, coreference joins "Berlusconi" to its full name
(:func:`~newsweave.enrich.entities.decide.decide`); across articles this memory does:
an :class:`~newsweave.enrich.entities.annotator.Annotator` remembers, per language,
the last word of every person named in full with a strong cue (a given name, a
title, the knowledge base), and a later lone capitalised word that nothing else
explains, and that is such a surname, is that person.

The memory is bounded (oldest surnames are forgotten first) and per language: a
surname is remembered for the language it was read in, since "Koch" or "Fischer"
named in full in one language can be an everyday noun in another. Measured on KIND
(pseudo-documents read in order): train 0.7133 → 0.7188, dev 0.7531 → 0.7564;
WikiNEuRal macro unchanged.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .decide import Candidate

# Cues strong enough to learn a surname from: a full name with only a capitalised-run
# cue ("multi") may be a title or a team, and is not remembered.
LEARN_FROM = frozenset({"given", "title", "kb"})
MAX_SURNAMES = 50_000


class SurnameMemory:
    """Per-language surnames of people named in full earlier in the stream."""

    def __init__(self, capacity: int = MAX_SURNAMES) -> None:
        self.capacity = capacity
        self._seen: OrderedDict[tuple[str, str], None] = OrderedDict()

    def __len__(self) -> int:
        return len(self._seen)

    def knows(self, lang: str, word: str) -> bool:
        """Whether ``word`` (folded) closed a person's full name read in ``lang``."""
        return (lang, word) in self._seen

    def learn(self, lang: str, cands: Iterable[Candidate],
              words: Collection[str] = frozenset()) -> None:
        """Remember the surname of every person named in full with a strong cue, unless
        it is one of the document's lowercase ``words`` (an everyday word)."""
        for c in cands:
            if c.type == "PER" and len(c.tokens) > 1 and c.evidence in LEARN_FROM \
                    and c.tokens[-1] not in words:
                key = (lang, c.tokens[-1])
                self._seen[key] = None
                self._seen.move_to_end(key)
        while len(self._seen) > self.capacity:
            self._seen.popitem(last=False)

    def recall(self, lang: str, cands: Iterable[Candidate],
               words: Collection[str] = frozenset()) -> None:
        """Type as that person every lone word with no other cue that is a known
        surname ("... ha detto Berlusconi") and none of the document's lowercase
        ``words`` ("il festival" is no person's name, whatever was read before)."""
        for c in cands:
            if c.evidence == "single" and len(c.tokens) == 1 and c.tokens[0] not in words \
                    and self.knows(lang, c.tokens[0]):
                c.type, c.evidence = "PER", "memory"

    def clear(self) -> None:
        self._seen.clear()
