"""Reads of the web pages that stay bounded through indexes, on both backends: story
listings read their page through an index in the listing's order (schema 12), with no
sort of every story and no label article read for each; a story's original articles
are read through the story index, never the duplicates' (schema 13).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from newsweave import service
from newsweave.models import Article, StoryState
from newsweave.store.open import open_store
from newsweave.store.queries import _STORY_SELECT, STORIES

# (size, last_seen) of the stories made, ties on both included, one never dated
STORIES_MADE = [(3, 10.0), (1, 12.0), (3, 11.0), (5, None), (1, 12.0), (3, 11.0), (2, 9.5)]
ORDERS = {"stories_size": STORIES.sql(),
          "stories_recency": "coalesce(s.last_seen, 0) DESC, s.id ASC"}


def _fill(store: object) -> list[int]:
    ids = []
    with store.batch():
        for size, seen in STORIES_MADE:
            state = StoryState(0, np.ones(4, dtype=np.float32), size, seen, seen, ["en"])
            ids.append(store.stories.create(state, "test"))
    return ids


def _plan(store: object, backend: str, order: str) -> str:
    sql = f"{_STORY_SELECT} WHERE s.size >= ? ORDER BY {order} LIMIT ?"
    if backend == "sqlite":
        return " ".join(str(tuple(r)) for r in store.execute(f"EXPLAIN QUERY PLAN {sql}", (1, 3)))
    # Few rows make a sort the cheaper plan; forbidding sorts shows whether the
    # index can give the order at all.
    store.execute("SET enable_sort = off")
    store.execute("SET enable_seqscan = off")
    return " ".join(r[0] for r in store.execute(f"EXPLAIN {sql}", (1, 3)))


@pytest.mark.parametrize("index", sorted(ORDERS))
def test_story_listings_read_an_index_in_their_order(new_db: Callable[[str], str],
                                                     backend: str, index: str) -> None:
    with open_store(new_db("order.db")) as store:
        _fill(store)
        plan = _plan(store, backend, ORDERS[index])
    assert index in plan
    assert "TEMP B-TREE" not in plan and "Sort" not in plan


def test_story_listing_order_and_pages_are_unchanged(new_db: Callable[[str], str]) -> None:
    with open_store(new_db("pages.db")) as store:
        ids = _fill(store)
        expected = [i for i, _ in sorted(zip(ids, STORIES_MADE, strict=True),
                                         key=lambda p: (-p[1][0], -(p[1][1] or 0), p[0]))]
        assert [s["id"] for s in service.list_stories(store)] == expected
        seen, cursor = [], None
        while True:
            page = store.queries.stories(2, cursor)
            seen += [r["id"] for r in page.rows]
            if page.next_cursor is None:
                break
            cursor = page.next_cursor
        assert seen == expected
        assert store.count("stories") == len(STORIES_MADE)


def _article(n: int, duplicate_of: int | None = None) -> Article:
    return Article(source=f"/x/{n}.txt", text=f"text {n}", title=f"t{n}",
                   content_hash=f"h{n}", ingest_key=f"k{n}", lang="en",
                   duplicate_of=duplicate_of, duplicate_kind="exact" if duplicate_of else None)


def test_a_storys_originals_are_not_read_through_the_duplicates_index(
        new_db: Callable[[str], str], backend: str) -> None:
    """Schema 13: ``articles(duplicate_of)`` holds duplicates only, so "original articles
    of these stories" goes through the story index (SQLite keeps no statistics, and
    took ``duplicate_of IS NULL`` for a selective lookup), and a duplicate's lookups
    still use it."""
    with open_store(new_db("dups.db")) as store:
        with store.batch():
            ids = [store.insert_article(_article(n), n, None) for n in range(1, 7)]
            dup = store.insert_article(_article(7, duplicate_of=ids[0]), 7, None)
        assert store.search.duplicates([ids[0], ids[1]]) == {ids[0]: [dup]}
        assert store.queries.counts()["duplicates"] == 1
        if backend == "sqlite":
            plan = " ".join(str(tuple(r)) for r in store.execute(
                "EXPLAIN QUERY PLAN SELECT id FROM articles WHERE story_id IN (?, ?) "
                "AND duplicate_of IS NULL", (1, 2)))
            assert "articles_story" in plan and "articles_duplicate_of" not in plan
            plan = " ".join(str(tuple(r)) for r in store.execute(
                "EXPLAIN QUERY PLAN SELECT id FROM articles WHERE duplicate_of IN (?, ?)",
                (1, 2)))
            assert "articles_duplicate_of" in plan
        else:
            definition = store.execute("SELECT indexdef FROM pg_indexes WHERE "
                                       "indexname = 'articles_duplicate_of'").fetchone()[0]
            assert "WHERE (duplicate_of IS NOT NULL)" in definition
