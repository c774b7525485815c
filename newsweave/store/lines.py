"""The stream's memory of lines, for boilerplate found by recurrence.

``line_sightings`` holds, per source scope, which documents carried which line keys
(see :mod:`newsweave.clean.recurrence`). It is written in the batch's transaction,
so it always matches the articles stored. A line seen in more than ``CAP`` documents
is boilerplate beyond doubt, so no more sightings of it are kept: the table grows
with the number of distinct lines, not with how often a site repeats its footer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .sqlite import Store

CAP = 16  # sightings kept per line; far above any recurrence threshold in use


class LineTables:
    """Reads and writes ``line_sightings``; implements ``clean.recurrence.LineMemory``."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def line_sightings(self, scope: str, keys: Sequence[int]) -> list[tuple[int, int]]:
        rows = self.store.select_in("SELECT line, doc FROM line_sightings "
                                    "WHERE scope = ? AND line IN ({marks})", keys, (scope,))
        return [(int(r[0]), int(r[1])) for r in rows]

    def remember_lines(self, scope: str, doc: int, keys: Sequence[int]) -> None:
        self.store.executemany(
            "INSERT INTO line_sightings(scope, line, doc) SELECT ?, ?, ? "
            "WHERE (SELECT count(*) FROM line_sightings WHERE scope = ? AND line = ?) < ? "
            "ON CONFLICT DO NOTHING",
            [(scope, key, doc, scope, key, CAP) for key in keys])
