"""Story state in the store: what the streaming clusterer reads and updates.

The ``stories``, ``story_terms``, ``story_links``, ``term_df``, ``lang_stats`` and
``stream_stats`` tables, and the ``story_id`` of articles. :class:`StoryTables`
satisfies :class:`newsweave.stories.state.StoryStore`, the protocol the clusterer is
written against, so ``stories/`` never imports the store. Everything here is looked
up by key (story id, term, language), so the work per article stays the same however
many articles are stored.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from ..models import StoryState
from .values import from_blob, to_blob

if TYPE_CHECKING:
    from .sqlite import Store

# Everything ``reset`` forgets, children before parents.
_STORY_TABLES = ("story_links", "story_terms", "term_df", "lang_stats", "stream_stats")


class StoryTables:
    """Reads and writes of story state, on behalf of
    :class:`~newsweave.stories.cluster.StoryClusterer` and ``recluster``."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # -- stories -------------------------------------------------------------
    def load_many(self, story_ids: Sequence[int]) -> dict[int, StoryState]:
        """These stories' states, by id, in one statement (per 500 ids): the clusterer
        reads all of an article's candidate stories at once, since on a server every
        statement is a round trip."""
        rows = self.store.select_in(
            "SELECT id, centroid, size, first_seen, last_seen, languages, label_article_id, "
            "label_score, last_seq FROM stories WHERE id IN ({marks})", story_ids)
        return {int(r[0]): StoryState(int(r[0]), from_blob(r[1]).copy(), int(r[2]), r[3],
                                      r[4], json.loads(r[5]), r[6], r[7], int(r[8] or 0))
                for r in rows}

    def create(self, state: StoryState, fingerprint: str) -> int:
        return self.store.insert(
            "INSERT INTO stories(label_article_id, label_score, size, first_seen, last_seen, "
            "last_seq, centroid, languages, model) VALUES (?,?,?,?,?,?,?,?,?)",
            (state.label_article_id, state.label_score, state.size, state.first_seen,
             state.last_seen, state.last_seq, to_blob(state.centroid),
             json.dumps(state.languages), fingerprint))

    def save(self, state: StoryState) -> None:
        self.store.execute(
            "UPDATE stories SET label_article_id=?, label_score=?, size=?, first_seen=?, "
            "last_seen=?, last_seq=?, centroid=?, languages=? WHERE id=?",
            (state.label_article_id, state.label_score, state.size, state.first_seen,
             state.last_seen, state.last_seq, to_blob(state.centroid),
             json.dumps(state.languages), state.id))

    def article_stories(self, article_ids: Sequence[int]) -> dict[int, int]:
        """The story of each of these articles that has one, in one statement (per 500
        ids); an article not yet assigned is left out."""
        rows = self.store.select_in(
            "SELECT id, story_id FROM articles WHERE id IN ({marks}) AND story_id IS NOT NULL",
            article_ids)
        return {int(r[0]): int(r[1]) for r in rows}

    def set_article_story(self, article_id: int, story_id: int) -> None:
        self.store.set_article_story(article_id, story_id)

    def duplicates_follow_originals(self) -> None:
        """Put every duplicate in its original's story (after ``recluster``)."""
        self.store.execute(
            "UPDATE articles SET story_id = (SELECT o.story_id FROM articles o "
            "WHERE o.id = articles.duplicate_of) WHERE duplicate_of IS NOT NULL")

    def cvectors(self, ids: Sequence[int]) -> dict[int, np.ndarray]:
        """The normalised vectors of these articles (a story's label is compared by it)."""
        return self.store.cvectors(ids)

    def shared_terms(self, story_ids: Sequence[int], terms: Iterable[str]
                     ) -> dict[int, dict[str, int]]:
        """Per story: which of ``terms`` its articles use, and in how many articles
        (terms in code-point order, whatever order the database returns them in). One
        statement for all the stories (per 500 terms)."""
        story_ids = list(story_ids)
        out: dict[int, dict[str, int]] = {s: {} for s in story_ids}
        if not story_ids:
            return out
        rows = self.store.select_in(
            f"SELECT story_id, term, count FROM story_terms WHERE story_id IN "
            f"({','.join('?' * len(story_ids))}) AND term IN ({{marks}})",
            terms, before=story_ids)
        for story_id, term, count in sorted((int(r[0]), r[1], int(r[2])) for r in rows):
            out[story_id][term] = count
        return out

    def add_terms(self, story_id: int, terms: Iterable[str]) -> None:
        self.store.executemany(
            "INSERT INTO story_terms(story_id, term, count) VALUES (?, ?, 1) "
            "ON CONFLICT(story_id, term) DO UPDATE SET count = story_terms.count + 1",
            [(story_id, t) for t in terms])

    def link(self, a: int, b: int, score: float) -> None:
        """Record that stories ``a`` and ``b`` are related (both directions), keeping
        the strongest score seen."""
        if a == b:
            return
        self.store.executemany(
            "INSERT INTO story_links(story_id, related_id, score) VALUES (?,?,?) "
            "ON CONFLICT(story_id, related_id) DO UPDATE SET score = CASE "
            "WHEN excluded.score > story_links.score THEN excluded.score "
            "ELSE story_links.score END",
            [(a, b, score), (b, a, score)])

    # -- document frequencies ----------------------------------------------
    def doc_frequencies(self, terms: Iterable[str]) -> dict[str, int]:
        rows = self.store.select_in("SELECT term, df FROM term_df WHERE term IN ({marks})",
                                    terms)
        return {r[0]: int(r[1]) for r in rows}

    def count_document(self, terms: Iterable[str]) -> int:
        """Add one document's terms to the frequencies; returns the new document count."""
        self.store.executemany(
            "INSERT INTO term_df(term, df) VALUES (?, 1) "
            "ON CONFLICT(term) DO UPDATE SET df = term_df.df + 1", [(t,) for t in terms])
        docs = int(self.store.get_meta("term_docs", "0")) + 1
        self.store.set_meta("term_docs", str(docs))
        return docs

    # -- language means ------------------------------------------------------
    def language_sums(self) -> dict[str, tuple[int, np.ndarray]]:
        # In the table's own order (first seen first): the global mean sums them in
        # this order, and a float sum's last bit depends on it.
        rows = self.store.execute("SELECT lang, n, vsum FROM lang_stats")
        return {r[0]: (int(r[1]), from_blob(r[2], np.float64).copy()) for r in rows}

    def save_language_sums(self, sums: dict[str, tuple[int, np.ndarray]]) -> None:
        self.store.executemany(
            "INSERT INTO lang_stats(lang, n, vsum) VALUES (?,?,?) ON CONFLICT(lang) "
            "DO UPDATE SET n=excluded.n, vsum=excluded.vsum",
            [(lang, n, to_blob(v, np.float64)) for lang, (n, v) in sums.items()])

    def stream_stat(self, name: str) -> tuple[int, np.ndarray] | None:
        row = self.store.execute("SELECT n, data FROM stream_stats WHERE name=?",
                                 (name,)).fetchone()
        return (int(row[0]), from_blob(row[1], np.float64).copy()) if row else None

    def save_stream_stat(self, name: str, n: int, data: np.ndarray) -> None:
        self.store.execute(
            "INSERT INTO stream_stats(name, n, data) VALUES (?,?,?) ON CONFLICT(name) "
            "DO UPDATE SET n=excluded.n, data=excluded.data", (name, n, to_blob(data, np.float64)))

    def reset(self) -> None:
        """Forget all stories and learned statistics (for ``recluster``)."""
        for table in _STORY_TABLES:
            self.store.execute(f"DELETE FROM {table}")
        self.store.execute("UPDATE articles SET story_id=NULL")
        self.store.execute("DELETE FROM stories")
        self.store.execute("DELETE FROM meta WHERE key='term_docs'")
