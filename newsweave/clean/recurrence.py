"""Boilerplate found by recurrence: lines that different articles of a source share.

A scraper saves a site's sidebar, its list of related headlines, its footer and its
consent banner with every article. No word list can know "Boutique le Point" or a
sidebar headline about a department store; the stream can: such a line turns up in
article after article that are otherwise unrelated.

The rule: a line is boilerplate when it appeared, before this article, in at least
``min_docs`` other articles of the same source *that are not copies of this one*.
An earlier article is a copy when it shares more than half of this article's
paragraphs (a syndicated or re-posted story shares its headline and its paragraphs;
that is duplication, handled by :mod:`newsweave.clean.dedupe`, not boilerplate).
Paragraphs, not lines: two different reports from a site with a long sidebar share
most of their *lines*, and they are no copies of each other.

What the stream has seen lives in the store (a :class:`LineMemory`), written in the
same transaction as the articles, so cleaning depends only on an article and on what
came before it: the same articles in the same order are cleaned alike in one ingest
or several, and after a crash and a resume.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Protocol

from .text import normalise_for_hash

MIN_KEY_CHARS = 4  # "OK", "1/3", "•" recur everywhere and say nothing
COPY_SHARE = 0.5  # an earlier article sharing more of this one's lines is a copy of it
MAX_RECURRING_WORDS = 60  # longer recurring lines are wire paragraphs, not furniture
PARAGRAPH_WORDS = 20  # lines this long are what a copy shares with its original


class LineMemory(Protocol):
    """Where the stream's lines are remembered (see :mod:`newsweave.store.lines`)."""

    def line_sightings(self, scope: str, keys: Sequence[int]) -> list[tuple[int, int]]:
        """``(line key, document key)`` for every earlier sighting of these lines."""
        ...

    def remember_lines(self, scope: str, doc: int, keys: Sequence[int]) -> None:
        """Record that document ``doc`` holds these lines."""
        ...


def line_key(line: str) -> int | None:
    """A 63-bit key of a line's normalised form (case, spacing and punctuation
    ignored), or None for a line too short to mean anything on its own."""
    norm = normalise_for_hash(line)
    if len(norm) < MIN_KEY_CHARS or norm.replace(" ", "").isdigit():
        return None
    digest = hashlib.blake2b(norm.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def document_key(*parts: str) -> int:
    """A 63-bit key for one input document, from its source, id and raw text."""
    digest = hashlib.blake2b("\x00".join(parts).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def recurring_keys(keys: Iterable[int], sightings: Iterable[tuple[int, int]], doc: int,
                   min_docs: int, paragraphs: Iterable[int] = (),
                   lead: int | None = None) -> set[int]:
    """The keys seen in at least ``min_docs`` earlier documents that are not copies.

    ``sightings`` are ``(key, document)`` pairs from the memory; the document itself
    (a re-ingest) never counts. ``paragraphs`` are the keys of this document's long
    lines, which decide what is a copy (all its keys when it has none); ``lead`` is
    its first paragraph, which a copy must share too: pages of a blog whose own
    sidebar of archive paragraphs outweighs each post share most paragraphs, but not
    their leads.
    """
    own = set(keys)
    if not own:
        return set()
    basis = set(paragraphs) & own
    if not basis:
        basis = own
    docs_of: dict[int, set[int]] = defaultdict(set)
    shared: Counter[int] = Counter()
    for key, other in sightings:
        if other != doc and key in own and other not in docs_of[key]:
            docs_of[key].add(other)
            shared[other] += key in basis
    copies = {other for other, n in shared.items() if n > COPY_SHARE * len(basis)
              and (lead is None or other in docs_of.get(lead, ()))}
    return {key for key, others in docs_of.items() if len(others - copies) >= min_docs}
