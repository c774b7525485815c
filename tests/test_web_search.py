"""The search page over TestClient, on both backends: results with highlighted snippets and their
stories, filters and facet links, the stories toggle, cursor pages, and the empty and
error states; the snippet's marks come back as escaped segments."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape

import pytest
from fastapi.testclient import TestClient

from newsweave.api import ServeConfig, create_app
from newsweave.web.pages.search import Segment, segments
from tests.api_helpers import built_db


@pytest.fixture(scope="module", params=("sqlite", "postgres"))
def client(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
           ) -> Iterator[TestClient]:
    with built_db(request.param, tmp_path_factory.mktemp("websearch"), request) as db, \
            TestClient(create_app(ServeConfig(db=db))) as c:
        yield c


def _links(html: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'href="([^"]+)"', html)]


def test_segments_unescape_the_service_snippet_for_the_template() -> None:
    got = segments("a &lt;b&gt; <mark>Brisola</mark> &amp; <mark>x</mark>")
    assert got == [Segment("a <b> ", False), Segment("Brisola", True), Segment(" & ", False),
                   Segment("x", True)]


def test_results_show_marks_stories_and_facets(client: TestClient) -> None:
    r = client.get("/ui/search", params={"q": "Brisola harbour flood"})
    assert r.status_code == 200
    assert "<mark>Brisola</mark>" in r.text
    links = _links(r.text)
    assert any(re.fullmatch(r"/ui/stories/\d+", h) for h in links)
    assert re.search(r'in <a href="/ui/stories/\d+" class="story-link" dir="auto">[^<]*Brisola',
                     r.text)
    assert any(h.startswith("/ui/articles/") for h in links)
    lang_links = [h for h in links if "lang=it" in h]
    assert lang_links, "a language facet links to the filtered search"
    narrowed = client.get(lang_links[0])
    assert narrowed.status_code == 200 and "Language: <strong>Italian</strong>" in narrowed.text
    assert narrowed.text.count('class="hit"') == 1


def test_the_stories_toggle_lists_stories(client: TestClient) -> None:
    r = client.get("/ui/search", params={"q": "Brisola", "mode": "stories"})
    assert r.status_code == 200 and 'aria-current="page">Stories' in r.text
    assert re.search(r'<h2 class="hit-title"><a href="/ui/stories/\d+"', r.text)


def test_cursor_pages_follow_each_other(client: TestClient) -> None:
    from newsweave.web.pages import search as page

    old, page.PER_PAGE = page.PER_PAGE, 2
    try:
        first = client.get("/ui/search", params={"q": "the storm, the chess, the tram"})
        nxt = [h for h in _links(first.text) if "cursor=" in h]
        assert nxt, "a next link"
        second = client.get(nxt[0])
        assert second.status_code == 200 and "First page" in second.text
        one, two = (set(re.findall(r'class="hit-title"><a href="(/ui/articles/\d+)', r.text))
                    for r in (first, second))
        assert one and two and not one & two
    finally:
        page.PER_PAGE = old


def test_empty_query_explains_and_no_match_suggests(client: TestClient) -> None:
    r = client.get("/ui/search")
    assert r.status_code == 200 and "How to search" in r.text
    r = client.get("/ui/search", params={"q": "Brisola", "source": "nowhere.example"})
    assert r.status_code == 200 and "Nothing matches with these filters" in r.text
    assert "/ui/search?q=Brisola" in _links(r.text)


@pytest.mark.parametrize("params, reason", [
    ({"q": "x", "date_from": "yesterday"}, "date_from must be an ISO date"),
    ({"q": "x", "entity": "abc"}, "entity must be a positive id number"),
    ({"q": "x", "claim_status": "maybe"}, "claim status must be one of"),
    ({"q": "x", "cursor": "nonsense"}, "is not one this search gave out"),
    ({"q": "x" * 1001}, "the most is 1000"),
])
def test_bad_input_is_a_400_page_with_the_form(client: TestClient, params: dict,
                                               reason: str) -> None:
    r = client.get("/ui/search", params=params)
    assert r.status_code == 400 and reason in unescape(r.text), r.text[-2000:]
    assert 'role="search"' in r.text


def test_empty_filter_fields_are_no_filter(client: TestClient) -> None:
    r = client.get("/ui/search?q=Quiroga&lang=&date_from=&date_to=&source=&claim_status=")
    assert r.status_code == 200 and "<mark>Quiroga</mark>" in r.text


@pytest.mark.parametrize("source, label", [
    ("The Harbour Times", "The Harbour Times"), ("/data/news/world/quake.txt", "quake.txt"),
    ("https://news.example/feed.xml", "news.example"), ("C:\\news\\a.html", "a.html"),
    (None, "")])
def test_a_source_reads_short(source: str | None, label: str) -> None:
    from newsweave.web.pages.search import source_label

    assert source_label(source) == label


def test_an_outlet_with_a_slash_keeps_its_name() -> None:
    from newsweave.web.pages.search import source_label

    assert source_label("AC/DC Weekly") == "AC/DC Weekly"


def test_a_name_filter_leads_to_that_persons_quotes(client: TestClient) -> None:
    r = client.get("/ui/search", params={"q": "sea wall"})
    name_links = [h for h in _links(r.text) if "entity=" in h]
    assert name_links, "a name facet"
    named = client.get(name_links[0])
    assert named.status_code == 200 and "Names: <strong>" in named.text
    speaker = [h for h in _links(named.text) if "speaker=" in h]
    assert speaker and "entity=" not in speaker[0]
    quoted = client.get(speaker[0])
    assert quoted.status_code == 200 and "Quoting: <strong>" in quoted.text
