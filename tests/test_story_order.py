"""Story listings read their page through an index in the listing's order (schema 11),
on both backends: no sort of every story and no label article read for each, however
many stories are stored (the web feed's and the REST API's pages at 100k articles).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from newsweave import service
from newsweave.models import StoryState
from newsweave.store.open import open_store
from newsweave.store.queries import _STORY_SELECT, STORIES

# (size, last_seen) of the stories made, ties on both included, one never dated
STORIES_MADE = [(3, 10.0), (1, 12.0), (3, 11.0), (5, None), (1, 12.0), (3, 11.0), (2, 9.5)]
ORDERS = {"stories_by_size": STORIES.sql(),
          "stories_by_recency": "coalesce(s.last_seen, 0) DESC, s.id ASC"}


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
