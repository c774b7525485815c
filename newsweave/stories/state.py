"""Persistent state the streaming clusterer reads and updates, kept in the store.

Everything here is looked up by key (story id, term, language), so the work per
article stays the same however many articles are stored.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from ..store.sqlite import Store, from_blob, select_in, to_blob


@dataclass(slots=True)
class StoryState:
    """What the clusterer needs to know about one story."""

    id: int
    centroid: np.ndarray  # sum of members' centred vectors (float32)
    size: int
    first_seen: float | None
    last_seen: float | None
    languages: list[str] = field(default_factory=list)
    label_article_id: int | None = None
    label_score: float | None = None
    last_seq: int = 0

    def unit_centroid(self) -> np.ndarray:
        norm = float(np.linalg.norm(self.centroid))
        return self.centroid / norm if norm else self.centroid


class StoryTables:
    """Reads and writes of the ``stories``, ``story_terms``, ``term_df`` and
    ``lang_stats`` tables, on behalf of :class:`~newsweave.stories.cluster.StoryClusterer`."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.conn = store.conn

    def load(self, story_id: int) -> StoryState:
        r = self.conn.execute(
            "SELECT id, centroid, size, first_seen, last_seen, languages, label_article_id, "
            "label_score, last_seq FROM stories WHERE id=?", (story_id,)).fetchone()
        return StoryState(int(r[0]), from_blob(r[1]).copy(), int(r[2]), r[3], r[4],
                          json.loads(r[5]), r[6], r[7], int(r[8] or 0))

    def create(self, state: StoryState, fingerprint: str) -> int:
        cur = self.conn.execute(
            "INSERT INTO stories(label_article_id, label_score, size, first_seen, last_seen, "
            "last_seq, centroid, languages, model) VALUES (?,?,?,?,?,?,?,?,?)",
            (state.label_article_id, state.label_score, state.size, state.first_seen,
             state.last_seen, state.last_seq, to_blob(state.centroid),
             json.dumps(state.languages), fingerprint))
        return int(cur.lastrowid)

    def save(self, state: StoryState) -> None:
        self.conn.execute(
            "UPDATE stories SET label_article_id=?, label_score=?, size=?, first_seen=?, "
            "last_seen=?, last_seq=?, centroid=?, languages=? WHERE id=?",
            (state.label_article_id, state.label_score, state.size, state.first_seen,
             state.last_seen, state.last_seq, to_blob(state.centroid),
             json.dumps(state.languages), state.id))

    def shared_terms(self, story_id: int, terms: Iterable[str]) -> dict[str, int]:
        """Which of ``terms`` the story's articles use, and in how many articles."""
        rows = select_in(
            self.conn, "SELECT term, count FROM story_terms WHERE story_id=? AND term IN ({marks})",
            terms, before=(story_id,))
        return {r[0]: int(r[1]) for r in rows}

    def add_terms(self, story_id: int, terms: Iterable[str]) -> None:
        self.conn.executemany(
            "INSERT INTO story_terms(story_id, term, count) VALUES (?, ?, 1) "
            "ON CONFLICT(story_id, term) DO UPDATE SET count = count + 1",
            [(story_id, t) for t in terms])

    def link(self, a: int, b: int, score: float) -> None:
        """Record that stories ``a`` and ``b`` are related (both directions)."""
        if a == b:
            return
        self.conn.executemany(
            "INSERT INTO story_links(story_id, related_id, score) VALUES (?,?,?) "
            "ON CONFLICT(story_id, related_id) DO UPDATE SET score=max(score, excluded.score)",
            [(a, b, score), (b, a, score)])

    # -- document frequencies ----------------------------------------------
    def doc_frequencies(self, terms: Iterable[str]) -> dict[str, int]:
        rows = select_in(self.conn, "SELECT term, df FROM term_df WHERE term IN ({marks})", terms)
        return {r[0]: int(r[1]) for r in rows}

    def count_document(self, terms: Iterable[str]) -> int:
        """Add one document's terms to the frequencies; returns the new document count."""
        self.conn.executemany(
            "INSERT INTO term_df(term, df) VALUES (?, 1) "
            "ON CONFLICT(term) DO UPDATE SET df = df + 1", [(t,) for t in terms])
        docs = int(self.store.get_meta("term_docs", "0")) + 1
        self.store.set_meta("term_docs", str(docs))
        return docs

    # -- language means ------------------------------------------------------
    def language_sums(self) -> dict[str, tuple[int, np.ndarray]]:
        rows = self.conn.execute("SELECT lang, n, vsum FROM lang_stats")
        return {r[0]: (int(r[1]), from_blob(r[2], np.float64).copy()) for r in rows}

    def save_language_sums(self, sums: dict[str, tuple[int, np.ndarray]]) -> None:
        self.conn.executemany(
            "INSERT INTO lang_stats(lang, n, vsum) VALUES (?,?,?) ON CONFLICT(lang) "
            "DO UPDATE SET n=excluded.n, vsum=excluded.vsum",
            [(lang, n, to_blob(v, np.float64)) for lang, (n, v) in sums.items()])

    def stream_stat(self, name: str) -> tuple[int, np.ndarray] | None:
        row = self.conn.execute("SELECT n, data FROM stream_stats WHERE name=?",
                                (name,)).fetchone()
        return (int(row[0]), from_blob(row[1], np.float64).copy()) if row else None

    def save_stream_stat(self, name: str, n: int, data: np.ndarray) -> None:
        self.conn.execute(
            "INSERT INTO stream_stats(name, n, data) VALUES (?,?,?) ON CONFLICT(name) "
            "DO UPDATE SET n=excluded.n, data=excluded.data", (name, n, to_blob(data, np.float64)))

    def reset(self) -> None:
        """Forget all stories and learned statistics (for ``recluster``)."""
        for table in ("story_links", "story_terms", "term_df", "lang_stats", "stream_stats"):
            self.conn.execute(f"DELETE FROM {table}")
        self.conn.execute("UPDATE articles SET story_id=NULL")
        self.conn.execute("DELETE FROM stories")
        self.conn.execute("DELETE FROM meta WHERE key='term_docs'")
