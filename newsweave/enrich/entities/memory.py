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

The memory is stream state: the ingest pipeline keeps it in the store (through a
:class:`SurnameStore`), reads it before the first article it annotates and writes
what changed in each batch's transaction, so one ingest, several, and a resume after
a crash all see the same history. Each surname carries a *tick*, the number of the
``learn`` that last touched it, which orders the memory (oldest forgotten first)
without depending on the process that learnt it.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from .decide import Candidate

# Cues strong enough to learn a surname from: a full name with only a capitalised-run
# cue ("multi") may be a title or a team, and is not remembered.
LEARN_FROM = frozenset({"given", "title", "kb"})
MAX_SURNAMES = 50_000


Entry = tuple[str, str, int]  # (language, folded surname, tick)


class SurnameStore(Protocol):
    """Where a stream keeps its surname memory (the store implements it)."""

    def load_surnames(self) -> list[Entry]:
        """Every remembered surname with its tick."""
        ...

    def save_surnames(self, learnt: list[Entry], forgotten: list[tuple[str, str]]) -> None:
        """Apply what a memory learnt and forgot (inside the caller's transaction)."""
        ...


class SurnameMemory:
    """Per-language surnames of people named in full earlier in the stream."""

    def __init__(self, capacity: int = MAX_SURNAMES) -> None:
        self.capacity = capacity
        self._seen: OrderedDict[tuple[str, str], int] = OrderedDict()  # oldest first
        self._tick = 0
        self._learnt: dict[tuple[str, str], int] = {}
        self._forgotten: set[tuple[str, str]] = set()

    @classmethod
    def from_entries(cls, entries: Iterable[Entry], capacity: int = MAX_SURNAMES
                     ) -> SurnameMemory:
        """A memory holding ``entries`` (as :meth:`entries` gave them); nothing is
        pending but the oldest entries beyond ``capacity``, forgotten."""
        memory = cls(capacity)
        for lang, word, tick in sorted(entries, key=lambda e: e[2]):
            memory._seen[(lang, word)] = tick
            memory._tick = max(memory._tick, tick)
        memory._evict()
        return memory

    @classmethod
    def read(cls, source: SurnameStore, capacity: int = MAX_SURNAMES) -> SurnameMemory:
        """The memory kept in ``source`` (the store)."""
        return cls.from_entries(source.load_surnames(), capacity)

    def write(self, target: SurnameStore) -> None:
        """Save to ``target`` what was learnt and forgotten since the last write (inside
        the caller's transaction: the batch that taught it)."""
        target.save_surnames(*self.take_changes())

    def __len__(self) -> int:
        return len(self._seen)

    def entries(self) -> list[Entry]:
        """Every remembered surname with its tick, oldest first."""
        return [(lang, word, tick) for (lang, word), tick in self._seen.items()]

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
                self._tick += 1
                self._seen[key] = self._learnt[key] = self._tick
                self._seen.move_to_end(key)
                self._forgotten.discard(key)
        self._evict()

    def _evict(self) -> None:
        while len(self._seen) > self.capacity:
            key, _ = self._seen.popitem(last=False)
            self._learnt.pop(key, None)
            self._forgotten.add(key)

    def recall(self, lang: str, cands: Iterable[Candidate],
               words: Collection[str] = frozenset()) -> None:
        """Type as that person every lone word with no other cue that is a known
        surname ("... ha detto Berlusconi") and none of the document's lowercase
        ``words`` ("il festival" is no person's name, whatever was read before)."""
        for c in cands:
            if c.evidence == "single" and len(c.tokens) == 1 and c.tokens[0] not in words \
                    and self.knows(lang, c.tokens[0]):
                c.type, c.evidence = "PER", "memory"

    def take_changes(self) -> tuple[list[Entry], list[tuple[str, str]]]:
        """What was learnt (with ticks) and forgotten since the last call, or since the
        memory was made: the arguments of :meth:`SurnameStore.save_surnames`."""
        learnt = sorted((lang, word, tick) for (lang, word), tick in self._learnt.items())
        forgotten = sorted(self._forgotten)
        self._learnt.clear()
        self._forgotten.clear()
        return learnt, forgotten

    def clear(self) -> None:
        self._forgotten.update(self._seen)
        self._seen.clear()
        self._learnt.clear()
