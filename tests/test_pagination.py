"""Cursor pagination of every listing: pages in a total, deterministic order, that
never overlap and never skip a row, and a clear error for a cursor that is not one.

Real SQLite, rows written through the store's own API, with many ties in the sort
keys (equal sizes, equal dates, equal names), which is where paging goes wrong.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner, Result

from newsweave import service
from newsweave.cli import main
from newsweave.errors import BadCursor
from newsweave.models import Article, Mention, Place, Skipped, StoryState
from newsweave.store.base import StoreAPI as Store
from newsweave.store.open import open_store

LISTINGS: dict[str, Callable[..., dict[str, Any]]] = {
    "articles": service.articles_page, "stories": service.stories_page,
    "entities": service.entities_page, "places": service.places_page,
    "skipped": service.skipped_page,
}
WHOLE: dict[str, Callable[..., list[dict[str, Any]]]] = {
    "articles": service.list_articles, "stories": service.list_stories,
    "entities": service.list_entities, "places": service.list_places,
    "skipped": service.list_skipped,
}


def _article(store: Store, n: int, seq: int) -> int:
    when = datetime(2026, 3, 1, tzinfo=UTC) + timedelta(days=n % 4)
    a = Article(source=f"/news/{n}.txt", text=f"Report number {n} of the test stream.",
                title=f"Report {n}", content_hash=f"h{n}", ingest_key=f"k{n}",
                lang=("es", "fr", "it")[n % 3], published=when)
    return store.insert_article(a, seq, None)


def _fill(store: Store) -> None:
    """30 articles in 12 stories of tied sizes and dates; 14 entities with tied counts
    and names, some of them places; 9 skip reasons, one source skipped twice."""
    with store.batch():
        ids = [_article(store, n, n + 1) for n in range(30)]
        for s in range(12):
            members = [a for i, a in enumerate(ids) if i % 12 == s]
            when = 20513.0 + s % 3 if s % 5 else None  # some undated: last_seen NULL
            state = StoryState(0, np.ones(4, np.float32), len(members), when, when, ["es"],
                               members[0], 1.0, 0)
            sid = store.stories.create(state, "test")
            for a in members:
                store.set_article_story(a, sid)
        place = Place("cc:IT", "Italy", "country", "IT", None, 42.8, 12.8)
        for e in range(14):
            key, name = f"new:PER:p{e}", ("Anna Rossi", "Marco Bianchi")[e % 2]
            eid = store.entities.create_entity(key, "LOC" if e % 2 == 0 else "PER", name,
                                               None)
            store.entities.put_place(place)
            if e % 2 == 0:
                store.execute("UPDATE entities SET place_id = ? WHERE id = ?", ("cc:IT", eid))
            for a in ids[: 1 + e % 3]:
                store.entities.add_mentions(a, [Mention(0, 4, name, "PER")], [eid])
        for k in range(9):
            store.record_skip(Skipped(f"/bad/{k % 8}.txt", f"E001 reason {k % 8}"), None)


@pytest.fixture
def store(new_db: Callable[[str], str]) -> Iterator[Store]:
    """A filled store of each backend: the listings' contract holds on both."""
    with open_store(new_db("pages.db")) as s:
        _fill(s)
        yield s


def _walk(store: Store, listing: str, size: int, **filters: Any) -> list[list[Any]]:
    """Every page of a listing, following next_cursor; the ids (or sources) per page."""
    pages, cursor = [], None
    while True:
        page = LISTINGS[listing](store, size, cursor, **filters)
        pages.append([_ident(r) for r in page["items"]])
        cursor = page["next_cursor"]
        if cursor is None:
            return pages
        assert isinstance(cursor, str) and len(page["items"]) == size


def _ident(row: dict[str, Any]) -> Any:
    return row.get("id", (row.get("source"), row.get("reason")))


@pytest.mark.parametrize("listing", sorted(LISTINGS))
@pytest.mark.parametrize("size", [1, 2, 5, 7, 100])
def test_pages_cover_the_listing_once_in_order(store: Store, listing: str, size: int) -> None:
    whole = [_ident(r) for r in WHOLE[listing](store)]
    pages = _walk(store, listing, size)
    flat = [i for page in pages for i in page]
    assert flat == whole  # no gap, no overlap, the same order as the whole listing
    assert len(set(flat)) == len(flat)
    assert len(whole) > 5


def test_filters_page_too(store: Store) -> None:
    whole = [r["id"] for r in service.list_articles(store, lang="fr")]
    assert [i for p in _walk(store, "articles", 3, lang="fr") for i in p] == whole
    people = [r["id"] for r in service.list_entities(store, type_="PER")]
    assert [i for p in _walk(store, "entities", 4, type_="PER") for i in p] == people


def test_a_page_read_twice_is_the_same(store: Store) -> None:
    first = service.stories_page(store, 4)
    again = service.stories_page(store, 4, first["next_cursor"])
    assert again == service.stories_page(store, 4, first["next_cursor"])


def test_rows_added_after_a_page_do_not_shift_the_next(store: Store) -> None:
    first = service.articles_page(store, 10)
    with store.batch():
        new = _article(store, 99, 99)
    rest = [r["id"] for p in _iter_pages(store, first["next_cursor"]) for r in p]
    seen = [r["id"] for r in first["items"]] + rest
    assert len(seen) == len(set(seen)) == 31 and seen[-1] == new


def _iter_pages(store: Store, cursor: str | None) -> Iterator[list[dict[str, Any]]]:
    while cursor is not None:
        page = service.articles_page(store, 10, cursor)
        yield page["items"]
        cursor = page["next_cursor"]


def test_the_last_page_says_so(store: Store) -> None:
    assert service.articles_page(store, 30)["next_cursor"] is None
    assert service.articles_page(store)["next_cursor"] is None
    assert service.articles_page(store, 29)["next_cursor"] is not None


@pytest.mark.parametrize(("cursor", "says"), [
    ("not a cursor!", "is not a cursor"),
    ("bm90IGpzb24", "is not a cursor"),  # base64 of "not json"
    ("WyJhcnRpY2xlcyIsMV0", "is damaged"),  # ["articles",1]: one key of two
    ("WyJhcnRpY2xlcyIsdHJ1ZSwxXQ", "is damaged"),  # ["articles",true,1]
    ("", "is not a cursor"),
])
def test_a_bad_cursor_is_refused_clearly(store: Store, cursor: str, says: str) -> None:
    with pytest.raises(BadCursor, match=says) as err:
        service.articles_page(store, 5, cursor)
    assert "next_cursor" in str(err.value)


def test_a_cursor_of_another_listing_is_refused(store: Store) -> None:
    cursor = service.stories_page(store, 2)["next_cursor"]
    with pytest.raises(BadCursor, match="pages stories, not articles"):
        service.articles_page(store, 2, cursor)


def test_ties_inside_a_row_are_broken_by_id(store: Store) -> None:
    """A story's entities and an entity's company, tied on every other key (equal
    counts, equal names), come in id order on both backends, page or whole listing
    (PostgreSQL returned ties in any order)."""
    for story in service.list_stories(store):
        ents = story["entities"]
        assert ents == sorted(ents, key=lambda e: (-e["articles"], -e["mentions"], e["name"],
                                                   e["id"]))
    company = service.get_entity(store, 1)["co_occurring"]
    assert len(company) > 2
    assert company == sorted(company, key=lambda e: (-e["articles"], e["name"], e["id"]))


# -- the CLI: --page-size and --cursor ------------------------------------------
def _cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def _cli_json(*args: str) -> Any:
    result = _cli(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("listing", sorted(LISTINGS))
def test_cli_pages_cover_the_listing_once_in_order(store: Store, new_db: Callable[[str], str],
                                                   listing: str) -> None:
    """``--page-size N --json`` prints ``{items, next_cursor}``; following the cursors
    with ``--cursor`` gives the whole listing, which ``--json`` alone still prints as
    a plain list (the contract of users who do not ask for pages)."""
    db = new_db("pages.db")
    whole = _cli_json(listing, "--db", db)
    assert isinstance(whole, list) and whole == WHOLE[listing](store)
    pages, cursor = [], None
    while True:
        page = _cli_json(listing, "--db", db, "--page-size", "4",
                         *(["--cursor", cursor] if cursor else []))
        assert set(page) == {"items", "next_cursor"} and len(page["items"]) <= 4
        pages.append(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert [r for p in pages for r in p] == whole and len(pages) > 1


def test_cli_cursor_alone_pages_with_the_default_size(store: Store,
                                                      new_db: Callable[[str], str]) -> None:
    db = new_db("pages.db")
    first = _cli_json("articles", "--db", db, "--page-size", "10")
    rest = _cli_json("articles", "--db", db, "--cursor", first["next_cursor"])
    assert [r["id"] for r in first["items"] + rest["items"]] == \
        [r["id"] for r in service.list_articles(store)] and rest["next_cursor"] is None


def test_cli_text_pages_say_how_to_go_on(store: Store, new_db: Callable[[str], str]) -> None:
    """The items on stdout, the next page's option on stderr."""
    db = new_db("pages.db")
    result = _cli("stories", "--db", db, "--page-size", "3")
    cursor = service.stories_page(store, 3)["next_cursor"]
    assert result.exit_code == 0 and result.stderr == f"next page: --cursor {cursor}\n"
    assert result.stdout.count("story ") == 3
    last = _cli("skipped", "--db", db, "--page-size", "100")
    assert last.exit_code == 0 and last.stderr == ""


@pytest.mark.parametrize(("args", "says"), [
    (["articles", "--cursor", "not a cursor!"], "is not a cursor"),
    (["entities", "--cursor", ""], "is not a cursor"),
    (["places", "--cursor", "WyJhcnRpY2xlcyIsMV0"], "pages articles, not places"),
    (["stories", "--page-size", "2", "--cursor", "WyJzdG9yaWVzIiwxXQ"], "is damaged"),
])
def test_cli_a_bad_cursor_is_a_usage_error(store: Store, new_db: Callable[[str], str],
                                           args: list[str], says: str) -> None:
    result = _cli(*args, "--db", new_db("pages.db"))
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "Invalid value for '--cursor'" in result.output and says in result.output
    assert "next_cursor" in result.output


def test_cli_limit_and_pages_do_not_mix(store: Store, new_db: Callable[[str], str]) -> None:
    result = _cli("places", "--db", new_db("pages.db"), "--limit", "3", "--page-size", "2")
    assert result.exit_code == 2 and "with pages, use --page-size" in result.output
