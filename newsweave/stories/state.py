"""The story state the streaming clusterer reads and updates, as a protocol.

The clusterer (:mod:`newsweave.stories.cluster`) and the vector normaliser
(:mod:`newsweave.stories.normalise`) are written against :class:`StoryStore`, not
against a database: the store satisfies it (:class:`newsweave.store.stories.
StoryTables`, ``store.stories``), so ``stories/`` never imports ``store/``. Every
method looks things up by key (story id, term, language), so the work per article
stays the same however many articles are stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

import numpy as np

from ..models import StoryState

__all__ = ["StoryState", "StoryStore"]


class StoryStore(Protocol):
    """Where stories and the statistics learned from the stream are kept."""

    def load_many(self, story_ids: Sequence[int]) -> dict[int, StoryState]:
        """These stories' states, by id."""
        ...

    def create(self, state: StoryState, fingerprint: str) -> int:
        """Store a new story; its id. ``fingerprint`` names the scoring that made it."""
        ...

    def save(self, state: StoryState) -> None:
        """Update a stored story."""
        ...

    def article_stories(self, article_ids: Sequence[int]) -> dict[int, int]:
        """The story of each of these articles that has one (unassigned: left out)."""
        ...

    def set_article_story(self, article_id: int, story_id: int) -> None:
        """Put an article in a story."""
        ...

    def cvectors(self, ids: Sequence[int]) -> dict[int, np.ndarray]:
        """The normalised vectors of these articles."""
        ...

    def shared_terms(self, story_ids: Sequence[int], terms: Iterable[str]
                     ) -> dict[int, dict[str, int]]:
        """Per story: which of ``terms`` its articles use, and in how many articles
        (terms in code-point order)."""
        ...

    def add_terms(self, story_id: int, terms: Iterable[str]) -> None:
        """Count one more article of the story using each of ``terms``."""
        ...

    def link(self, a: int, b: int, score: float) -> None:
        """Record that stories ``a`` and ``b`` are related (both directions)."""
        ...

    def doc_frequencies(self, terms: Iterable[str]) -> dict[str, int]:
        """In how many documents each of ``terms`` appeared so far."""
        ...

    def count_document(self, terms: Iterable[str]) -> int:
        """Add one document's terms to the frequencies; the new document count."""
        ...

    def language_sums(self) -> dict[str, tuple[int, np.ndarray]]:
        """Per language: how many vectors, and their float64 sum (first seen first)."""
        ...

    def save_language_sums(self, sums: dict[str, tuple[int, np.ndarray]]) -> None:
        """Replace the per-language sums."""
        ...

    def stream_stat(self, name: str) -> tuple[int, np.ndarray] | None:
        """A named running statistic of the stream: (count, float64 data), or None."""
        ...

    def save_stream_stat(self, name: str, n: int, data: np.ndarray) -> None:
        """Replace a named running statistic."""
        ...
