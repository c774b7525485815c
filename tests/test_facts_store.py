"""The store's facts part (``store.facts``): temporal expressions, quotes and quantities
written per article and read back per story, with their sentence and article, on
both backends."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from newsweave.models import Article, Sentence
from newsweave.store.base import StoreAPI
from newsweave.store.open import open_store

TEXT = ("The ministry said 2,500 troops would stay. \"We will not leave,\" Ana Reyes said "
        "on 7 October 2023.")


@pytest.fixture
def store(new_db: Callable[[str], str]) -> StoreAPI:
    s = open_store(new_db("facts.db"))
    yield s
    s.close()


def _article(store: StoreAPI, n: int) -> int:
    a = Article(source=f"/news/{n}.txt", text=TEXT, title=f"Report {n}",
                content_hash=f"h{n}", ingest_key=f"k{n}", lang="en", site=f"site{n}")
    article_id = store.insert_article(a, n, None)
    store.entities.add_sentences(article_id, [Sentence(0, 0, 43), Sentence(1, 44, len(TEXT))])
    return article_id


def test_facts_are_read_back_per_story_with_their_sentence(store: StoreAPI) -> None:
    with store.batch():
        ids = [_article(store, n) for n in (1, 2)]
        story = store.stories.create(_state(), "fp")
        for article_id in ids:
            store.set_article_story(article_id, story)
            store.facts.add_dates(article_id, [{
                "sentence": 1, "start": 83, "end": 97, "text": "7 October 2023", "type": "DATE",
                "value": "2023-10-07", "granularity": "day", "relative": False}])
            store.facts.add_quotes(article_id, [{
                "sentence": 1, "start": 45, "end": 63, "text": "We will not leave,",
                "direct": True, "cue": {"start": 74, "end": 78, "text": "said"},
                "speaker": {"start": 64, "end": 73, "text": "Ana Reyes"},
                "speaker_entity_id": None}])
            store.facts.add_quantities(article_id, [{
                "sentence": 0, "start": 18, "end": 30, "text": "2,500 troops", "value": 2500.0,
                "low": 2500.0, "high": 2500.0, "approx": False, "unit": None,
                "counted": "troops"}])
    dates = store.facts.story_dates([story])
    assert [d["article_id"] for d in dates] == ids
    assert dates[0]["value"] == "2023-10-07" and dates[0]["relative"] == 0
    assert dates[0]["sentence_text"] == TEXT[44:]
    quotes = store.facts.story_quotes([story])
    assert quotes[0]["speaker_text"] == "Ana Reyes" and quotes[0]["direct"] == 1
    assert (quotes[0]["cue_start"], quotes[0]["cue_end"]) == (74, 78)
    amounts = store.facts.story_quantities([story])
    assert [(q["value"], q["counted"], q["site"]) for q in amounts] == [
        (2500.0, "troops", "site1"), (2500.0, "troops", "site2")]
    assert amounts[0]["sentence_text"] == TEXT[:43]
    with store.batch():
        store.facts.forget_facts(ids[0])
    assert [d["article_id"] for d in store.facts.story_dates([story])] == [ids[1]]


def _state():  # a one-member story's state, as the clusterer would create it
    import numpy as np

    from newsweave.models import StoryState

    return StoryState(id=0, centroid=np.zeros(4, dtype=np.float32), size=1, first_seen=None,
                      last_seen=None, languages=["en"])
