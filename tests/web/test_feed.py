"""The story feed in a real browser: rows with their badges and charts, the sorts, the
filters driven from the keyboard, and a phone's width without sideways scrolling."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from benchmarks.feedfill import fill
from newsweave.store.open import open_store
from tests.test_web_feed import scenario
from tests.web.conftest import screenshot, serve


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = str(tmp_path_factory.mktemp("feed") / "feed.db")
    store = open_store(db)
    fill(store, scenario())
    store.close()
    with serve(db) as url:
        yield url


def test_the_feed_shows_rows_with_badges_and_charts(site: str, page: Any) -> None:
    page.goto(site + "/ui/?sort=growth")
    rows = page.locator("li.story-row")
    assert rows.count() == 5
    first = rows.nth(0)
    assert first.locator(".story-title").inner_text() == "Quake hits"
    assert first.locator(".badge.breaking").is_visible()
    assert first.locator(".badge.lang").all_inner_texts() == ["DE"]  # shown in capitals
    assert "3 articles · 3 sources" in first.inner_text()
    chart = first.locator("svg.spark")
    assert chart.is_visible() and chart.locator("rect").count() >= 1
    assert chart.get_attribute("aria-label").startswith("Articles over time: 3 dated articles")
    trial = page.locator("li.story-row", has_text="Trial opens")
    assert trial.locator(".badge.contradicted").inner_text() == "2 contradicted"
    arabic = page.locator("a.story-title", has_text="خبر")
    assert arabic.get_attribute("dir") == "auto"
    screenshot(page, "feed")


def test_the_sort_tabs(site: str, page: Any) -> None:
    page.goto(site + "/ui/")
    page.get_by_role("link", name="Largest").click()
    page.wait_for_url("**sort=size")
    assert page.locator(".story-title").first.inner_text() == "Trial opens"
    assert page.get_by_role("link", name="Largest").get_attribute("aria-current") == "true"


def test_filters_work_from_the_keyboard(site: str, page: Any) -> None:
    page.goto(site + "/ui/")
    page.get_by_label("Place or country").focus()
    page.keyboard.type("IQ")
    page.keyboard.press("Enter")  # a text field submits its form
    page.wait_for_url("**place=IQ**")
    assert page.locator("li.story-row").count() == 1
    chips = page.locator(".active-filters")
    assert "anywhere in Iraq" in chips.inner_text()
    remove = page.get_by_role("link", name="Remove the filter “anywhere in Iraq”")
    remove.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(site + "/ui/")
    assert page.locator("li.story-row").count() == 5

    page.get_by_label("Language", exact=True).focus()
    page.keyboard.press("End")  # the last language of the list
    chosen = page.eval_on_selector("#f-lang", "s => s.value")
    page.get_by_label("Person or organisation").focus()
    page.keyboard.type("Ada Lovelace")
    page.keyboard.press("Enter")
    page.wait_for_url("**entity=Ada+Lovelace**")
    assert f"lang={chosen}" in page.url
    assert page.locator(".active-filters li").count() == 2


def test_a_bad_filter_is_a_page_that_says_why(site: str, page: Any) -> None:
    response = page.goto(site + "/ui/?place=Atlantis")
    assert response is not None and response.status == 400
    assert "no place is called 'Atlantis'" in page.inner_text("main")
    page.errors.clear()  # the browser logs the 400 itself


def test_a_phone_sees_the_feed_without_sideways_scrolling(site: str, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800})
    try:
        page = context.new_page()
        page.goto(site + "/ui/?sort=growth&lang=en")
        assert page.locator("li.story-row").count() == 2
        assert not page.locator("#f-lang").is_visible()  # the stories come first
        assert "in English" in page.locator(".active-filters").inner_text()
        screenshot(page, "feed-phone")
        page.locator("details.filter-box summary").click()
        assert page.locator("#f-lang").is_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"the page is {width} px wide at 375 px"
    finally:
        context.close()
