"""The stream's memory of surnames, kept in the store (table ``surname_memory``).

The annotator remembers, per language, the surnames of people named in full earlier
in the stream (:mod:`newsweave.enrich.entities.memory`). Kept only in a process, that
memory would make entities depend on where ingests were cut: a later ingest, a resume
after a crash, or another worker would not know "Ferrandi" from Monday's "Marco
Ferrandi". So it lives here, written in the batch's transaction with the articles
that taught it, and a rolled-back batch forgets what it taught. Rows are plain
``(lang, word, tick)`` tuples: the store knows nothing of the annotator.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .sqlite import Store


class SurnameTables:
    """Reads and writes ``surname_memory``; implements the annotator's
    ``SurnameStore`` protocol (:mod:`newsweave.enrich.entities.memory`)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def load_surnames(self) -> list[tuple[str, str, int]]:
        """Every remembered ``(lang, word, tick)``, oldest first."""
        rows = self.store.execute("SELECT lang, word, tick FROM surname_memory ORDER BY tick")
        return [(str(r[0]), str(r[1]), int(r[2])) for r in rows]

    def save_surnames(self, learnt: Sequence[tuple[str, str, int]],
                      forgotten: Sequence[tuple[str, str]]) -> None:
        """Forget ``forgotten`` and (re)learn ``learnt`` with their new ticks."""
        self.store.executemany("DELETE FROM surname_memory WHERE lang = ? AND word = ?",
                              forgotten)
        self.store.executemany(
            "INSERT INTO surname_memory (lang, word, tick) VALUES (?, ?, ?) "
            "ON CONFLICT (lang, word) DO UPDATE SET tick = excluded.tick", learnt)
