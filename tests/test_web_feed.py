"""The story feed (newsweave.service.feed and /ui/): sorting by recency, size and
growth as of the store's own time, filters, row figures and pages, on both backends,
over a store of stories with known dates (benchmarks.feedfill)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from benchmarks.feedfill import Art, StorySpec, fill
from newsweave.api.app import ServeConfig, create_app
from newsweave.service.feed import BadFilter, ClaimMemo, FeedQuery, activity, feed
from newsweave.store.base import StoreAPI
from newsweave.store.open import open_store

NOW = datetime(2020, 3, 10, 12, tzinfo=UTC)


def at(day: int, hour: int = 0, month: int = 3) -> datetime:
    return datetime(2020, month, day, hour, tzinfo=UTC)


def scenario() -> list[StorySpec]:
    """Five stories; "now" (the newest article) is 2020-03-10 12:00 UTC.

    - dam: one article a day for 19 days, then 6 in the last day: growth 3.5, breaking;
    - trial: 30 articles in early January, none since: the largest, quiet;
    - quake: 3 articles in the last 10 hours, nothing before: growth 4, breaking;
    - market: 2 a day for 10 days, 2 in the last day: growth about 1;
    - undated: one Arabic article without a date.
    """
    dam = [Art(at(19, 12, 2) + timedelta(days=k), "en", f"Site {k % 3}") for k in range(19)]
    dam += [Art(at(10, 6 + k), ("es", "fr")[k % 2], f"Site {k % 4}",
                claims=(("troops", 2500.0),) if k < 2 else ()) for k in range(6)]
    trial = [Art(datetime(2020, 1, 1 + k // 3, 8 * (k % 3), tzinfo=UTC), "it",
                 ("Corriere", "Stampa")[k % 2],
                 claims=(("dead", (100.0, 300.0)[k % 2]),) if k < 2 else ())
             for k in range(30)]
    quake = [Art(at(10, h), "de", f"Zeitung {h}", entities=("LOC:Kirkuk@IQ", "PER:Ada Lovelace"))
             for h in (3, 8, 12)]
    market = [Art(at(1 + k // 2, 10 * (k % 2)), "en", "Markets") for k in range(20)]
    undated = [Art(None, "ar", "Al Sahifa")]
    return [StorySpec("Dam talks", dam), StorySpec("Trial opens", trial),
            StorySpec("Quake hits", quake), StorySpec("Market steady", market),
            StorySpec("خبر بلا تاريخ", undated)]


@pytest.fixture
def db(new_db: Callable[[str], str]) -> Iterator[tuple[StoreAPI, dict[str, int]]]:
    """The scenario's store and its stories' ids by name."""
    store = open_store(new_db("feed.db"))
    ids = fill(store, scenario())
    names = dict(zip(("dam", "trial", "quake", "market", "undated"), ids, strict=True))
    try:
        yield store, names
    finally:
        store.close()


def titles(got: dict[str, Any], names: dict[str, int]) -> list[str]:
    by_id = {v: k for k, v in names.items()}
    return [by_id[s["id"]] for s in got["items"]]


def walk(store: StoreAPI, limit: int, **query: Any) -> list[int]:
    """Every story id, page after page."""
    out, cursor = [], None
    while True:
        got = feed(store, FeedQuery(limit=limit, cursor=cursor, **query))
        out += [s["id"] for s in got["items"]]
        cursor = got["next_cursor"]
        if cursor is None:
            return out


# -- sorting and growth ------------------------------------------------------------------
def test_recency_puts_the_newest_article_first(db: Any) -> None:
    store, names = db
    got = feed(store, FeedQuery())
    assert titles(got, names) == ["quake", "dam", "market", "trial", "undated"]
    assert got["now"] == NOW.isoformat()


def test_size_puts_the_most_articles_first(db: Any) -> None:
    store, names = db
    got = feed(store, FeedQuery(sort="size"))
    assert titles(got, names) == ["trial", "dam", "market", "quake", "undated"]
    assert [s["size"] for s in got["items"]] == [30, 25, 20, 3, 1]


def test_growth_compares_the_window_with_the_storys_own_rate(db: Any) -> None:
    store, names = db
    got = feed(store, FeedQuery(sort="growth"))
    assert titles(got, names) == ["quake", "dam", "market", "trial", "undated"]
    rows = {s["id"]: s for s in got["items"]}
    quake, dam, market = rows[names["quake"]], rows[names["dam"]], rows[names["market"]]
    assert (quake["recent"], quake["expected"], quake["growth"]) == (3, 0.0, 4.0)
    assert (dam["recent"], dam["expected"], dam["growth"]) == (6, 1.0, 3.5)
    assert market["recent"] == 2 and market["growth"] == pytest.approx(0.96, abs=0.01)
    assert [s["breaking"] for s in got["items"]] == [True, True, False, False, False]
    assert rows[names["trial"]]["recent"] == 0


def test_the_window_and_now_are_parameters(db: Any) -> None:
    store, names = db
    got = feed(store, FeedQuery(hours=6))
    quake = next(s for s in got["items"] if s["id"] == names["quake"])
    assert quake["recent"] == 2 and not quake["breaking"]  # two articles are not breaking
    past = feed(store, FeedQuery(sort="growth", as_of="2020-01-05"))
    assert past["now"] == "2020-01-05T23:59:59+00:00"
    assert titles(past, names)[0] == "trial"
    assert past["items"][0]["recent"] == 3


def test_the_same_figures_whatever_the_sort(db: Any) -> None:
    store, _ = db
    by_sort = {sort: {s["id"]: (s["recent"], s["growth"], s["breaking"], s["sources"])
                      for s in feed(store, FeedQuery(sort=sort))["items"]}
               for sort in ("recency", "size", "growth")}
    assert by_sort["recency"] == by_sort["size"] == by_sort["growth"]


# -- rows --------------------------------------------------------------------------------
def test_a_row_has_languages_sources_claims_and_activity(db: Any) -> None:
    store, names = db
    rows = {s["id"]: s for s in feed(store, FeedQuery())["items"]}
    dam, trial = rows[names["dam"]], rows[names["trial"]]
    assert dam["languages"] == ["en", "es", "fr"] and dam["sources"] == 4
    assert dam["claims"]["corroborated"] == 1 and dam["claims"]["contradicted"] == 0
    assert trial["claims"]["contradicted"] == 2 and trial["sources"] == 2
    assert sum(dam["activity"]["counts"]) == 25 and len(dam["activity"]["counts"]) <= 24
    assert rows[names["undated"]]["activity"]["counts"] == []
    assert dam["last_seen"] == "2020-03-10T11:00:00+00:00"


def test_activity_buckets_whole_hours() -> None:
    act = activity({"2020-01-01T00": 2, "2020-01-01T05": 1, "2020-01-03T00": 4})
    assert sum(act["counts"]) == 7 and act["hours_per_bar"] == 3
    assert act["start"] == "2020-01-01T00:00:00+00:00" and act["peak"] == 4
    assert activity({"2020-01-01T09": 5})["counts"] == [5]


# -- filters -----------------------------------------------------------------------------
@pytest.mark.parametrize(("query", "expected"), [
    ({"lang": "de"}, ["quake"]),
    ({"lang": "IT"}, ["trial"]),
    ({"place": "IQ"}, ["quake"]),
    ({"place": "kirkuk"}, ["quake"]),
    ({"entity": "Ada Lovelace"}, ["quake"]),
    ({"date_from": "2020-01-01", "date_to": "2020-01-31"}, ["trial"]),
    ({"date_from": "2020-03-09"}, ["quake", "dam", "market"]),
    ({"lang": "en", "date_to": "2020-03-05"}, ["dam", "market"]),
    ({"lang": "zz"}, []),
])
def test_filters(db: Any, query: dict[str, str], expected: list[str]) -> None:
    store, names = db
    got = feed(store, FeedQuery(**query))
    assert titles(got, names) == expected
    assert len(got["filters"]) == len(query)


def test_a_place_entity_by_id_and_the_filters_labels(db: Any) -> None:
    store, names = db
    place = store.execute("SELECT id FROM entities WHERE name = 'Kirkuk'").fetchone()[0]
    got = feed(store, FeedQuery(place=str(place), sort="growth"))
    assert titles(got, names) == ["quake"]
    assert got["filters"] == [{"name": "place", "value": str(place), "label": "in Kirkuk"}]
    assert feed(store, FeedQuery(place="iq"))["filters"][0]["label"] == "anywhere in Iraq"


@pytest.mark.parametrize(("query", "message"), [
    ({"place": "XX"}, "not an ISO 3166 country code"),
    ({"place": "Atlantis"}, "no place is called 'Atlantis'"),
    ({"place": "999999"}, "no place with id 999999"),
    ({"entity": "Nobody Atall"}, "no entity is called"),
    ({"date_from": "2020-03-10", "date_to": "2020-03-01"}, "ends (2020-03-01) before"),
    ({"date_from": "10/03/2020"}, "YYYY-MM-DD"),
    ({"sort": "popular"}, "sort must be one of recency, size, growth"),
    ({"lang": "english!"}, "language must be a code"),
    ({"hours": 0}, "hours must be between"),
    ({"as_of": "yesterday"}, "as_of must be a day"),
])
def test_bad_values_say_what_is_wrong(db: Any, query: dict[str, Any], message: str) -> None:
    store, _ = db
    with pytest.raises(BadFilter) as err:
        feed(store, FeedQuery(**query))
    assert message in str(err.value)


def test_a_non_place_entity_is_not_a_place(db: Any) -> None:
    store, _ = db
    person = store.execute("SELECT id FROM entities WHERE name = 'Ada Lovelace'").fetchone()[0]
    with pytest.raises(BadFilter, match="is not a place"):
        feed(store, FeedQuery(place=str(person)))


# -- pages -------------------------------------------------------------------------------
@pytest.mark.parametrize("sort", ["recency", "size", "growth"])
@pytest.mark.parametrize("limit", [1, 2, 3])
def test_pages_never_overlap_nor_skip(db: Any, sort: str, limit: int) -> None:
    store, _ = db
    whole = [s["id"] for s in feed(store, FeedQuery(sort=sort, limit=50))["items"]]
    assert len(whole) == 5
    assert walk(store, limit, sort=sort) == whole


def test_pages_of_a_filtered_growth_feed(db: Any) -> None:
    store, names = db
    assert walk(store, 1, sort="growth", lang="en") == [names["dam"], names["market"]]


def test_a_cursor_of_another_sort_is_refused(db: Any) -> None:
    store, _ = db
    cursor = feed(store, FeedQuery(sort="size", limit=1))["next_cursor"]
    with pytest.raises(Exception, match="pages feed-size"):
        feed(store, FeedQuery(sort="recency", limit=1, cursor=cursor))


# -- the page ----------------------------------------------------------------------------
@pytest.fixture
def client(db: Any, new_db: Callable[[str], str]) -> Iterator[tuple[TestClient, dict[str, int]]]:
    _, names = db
    with TestClient(create_app(ServeConfig(db=new_db("feed.db")))) as c:
        yield c, names


def test_the_page_shows_rows_badges_and_charts(client: Any) -> None:
    c, names = client
    html = c.get("/ui/?sort=growth").text
    assert html.count('class="story-row"') == 5
    assert html.count(">Breaking<") == 2
    assert 'dir="auto">خبر بلا تاريخ</a>' in html
    assert "1 corroborated" in html and "2 contradicted" in html
    assert 'role="img" aria-label="Articles over time: 25 dated articles' in html
    assert 'aria-current="true">Growing</a>' in html


def test_the_page_lists_active_filters_with_links_that_remove_them(client: Any) -> None:
    c, _ = client
    html = c.get("/ui/?lang=de&place=IQ&sort=size").text
    assert html.count('class="story-row"') == 1
    assert "anywhere in Iraq" in html and "in German" in html
    assert 'href="/ui/?sort=size&amp;place=IQ"' in html  # remove the language
    assert 'href="/ui/?sort=size&amp;lang=de"' in html  # remove the place


def test_the_page_links_the_next_page_with_its_filters(client: Any) -> None:
    c, _ = client
    html = c.get("/ui/?sort=size").text
    assert 'rel="next"' not in html  # 5 stories fit one page
    empty = c.get("/ui/?lang=zz").text
    assert "No story matches these filters" in empty


def test_bad_values_are_a_400_page(client: Any) -> None:
    c, _ = client
    for query, words in (("place=XX", "not an ISO 3166 country code"),
                         ("hours=abc", "hours"), ("from=2020-13-01", "YYYY-MM-DD"),
                         ("cursor=nonsense", "not a cursor")):
        response = c.get(f"/ui/?{query}")
        assert response.status_code == 400, query
        assert words in response.text, query


def test_an_empty_store_tells_a_new_user_what_to_do(new_db: Callable[[str], str]) -> None:
    open_store(new_db("empty.db")).close()
    with TestClient(create_app(ServeConfig(db=new_db("empty.db")))) as c:
        html = c.get("/ui/").text
    assert "No stories yet" in html and 'href="/ui/ingest"' in html
    assert "newsweave ingest" in html


def test_undated_news_is_listed_and_growth_says_it_cannot_be_measured(
        new_db: Callable[[str], str]) -> None:
    store = open_store(new_db("undated.db"))
    fill(store, [StorySpec("Old news", [Art(None), Art(None, site="Other")]),
                 StorySpec("Older news", [Art(None, "it")])])
    got = feed(store, FeedQuery(sort="growth"))
    store.close()
    assert got["now"] is None and [s["size"] for s in got["items"]] == [2, 1]
    assert [s["sources"] for s in got["items"]] == [2, 1]
    with TestClient(create_app(ServeConfig(db=new_db("undated.db")))) as c:
        html = c.get("/ui/?sort=growth").text
    assert "growth cannot be measured" in html and html.count("no dated articles") == 2


def test_remembered_claim_counts_follow_new_quantities(
        new_db: Callable[[str], str]) -> None:
    store = open_store(new_db("memo.db"))
    two = [Art(at(1), site="A", claims=(("dead", 10.0),)), Art(at(2), site="B",
                                                               claims=(("dead", 10.0),))]
    fill(store, [StorySpec("Flood", two)])
    memo = ClaimMemo(size=2)
    first = feed(store, FeedQuery(), memo)["items"][0]["claims"]
    assert first["corroborated"] == 1
    fill(store, [StorySpec("Fire", [Art(at(3), site="C", claims=(("dead", 99.0),))])])
    again = feed(store, FeedQuery(sort="size"), memo)["items"]
    store.close()
    assert [s["claims"]["corroborated"] for s in again] == [1, 0]
    assert again[1]["claims"]["single"] == 1
