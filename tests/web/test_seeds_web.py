"""The seed scenario (issue 15, item 6) in a real browser: after ingesting
../shared/seeds, the feed shows the two stories; the talks' story shows both Italian
articles, the 2,500-troops claim corroborated by two sources, the timeline's years and
Baghdad on the map; 002's story shows Caggins's quotes and the provinces on the map."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import newsweave
from tests.conftest import shared_path
from tests.web.conftest import screenshot, serve


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, dict]]]:
    """The seeds ingested into a SQLite file and served: ``(url, articles by file
    prefix: 000, 001, 002)``."""
    seeds = shared_path("seeds")
    db = str(tmp_path_factory.mktemp("seeds-web") / "seeds.db")
    with newsweave.open(db, settings={"fetch_linked_pages": False}) as nw:
        report = nw.ingest([str(seeds)])
        assert report["new"] == 3, report
        articles = {Path(a["source"]).name[:3]: a for a in nw.articles()}
    with serve(db) as url:
        yield url, articles


def test_the_feed_shows_the_two_stories(seeded: tuple[str, dict], page: Any) -> None:
    url, articles = seeded
    page.goto(url + "/ui/")
    hrefs = page.eval_on_selector_all(
        "main a[href^='/ui/stories/']", "els => els.map(e => e.getAttribute('href'))")
    stories = {h for h in hrefs if h.rsplit("/", 1)[-1].isdigit()}
    assert stories == {f"/ui/stories/{articles[k]['story']}" for k in ("000", "002")}


def test_the_talks_story_page(seeded: tuple[str, dict], page: Any) -> None:
    url, articles = seeded
    page.goto(f"{url}/ui/stories/{articles['000']['story']}")
    assert page.locator("ol.summary").get_attribute("lang") == "it", "no English: Italian"
    assert page.locator("ol.summary li a.from").count() >= 1
    italian = page.locator("#articles section", has_text="Italian")
    for key in ("000", "001"):
        link = italian.locator(f"a[href='/ui/articles/{articles[key]['id']}']")
        assert link.count() == 1 and link.get_attribute("lang") == "it"
    troops = page.locator("#claims li.claim", has_text="2.500")
    assert troops.count() == 1
    assert troops.locator(".badge.corroborated").inner_text() == "corroborated by 2 sources"
    sources = troops.locator(".sources a").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))")
    assert sorted(sources) == sorted(f"/ui/articles/{articles[k]['id']}" for k in ("000", "001"))
    dates = page.locator("#timeline time").all_inner_texts()
    for wanted in ("2003", "2011", "2014", "January 2020"):
        assert wanted in dates, dates
    assert "Baghdad" in (page.locator("#places").text_content() or "")
    screenshot(page, "story")


def test_the_caggins_story_page(seeded: tuple[str, dict], page: Any) -> None:
    url, articles = seeded
    page.goto(f"{url}/ui/stories/{articles['002']['story']}")
    speakers = page.locator("#quotes .speaker").all_inner_texts()
    caggins = [s for s in speakers if "Caggins" in s]
    assert len(caggins) >= 2, speakers
    places = page.locator("#places").text_content() or ""
    for name in ("Diyala", "Kirkuk", "Anbar", "Nineveh"):
        assert name in places, places
