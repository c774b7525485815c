"""The search and ingest pages in a real browser: a search from the top bar, marks in
the snippets, a facet that narrows, the stories toggle, a hit's story; an upload
followed by the job page's script to its report; and both pages at a phone's width."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.api_helpers import TOKEN, built_db
from tests.web.conftest import screenshot, serve

DATA = Path(__file__).resolve().parents[1] / "data" / "pipeline"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
         ) -> Iterator[str]:
    with built_db("sqlite", tmp_path_factory.mktemp("websearch"), request) as db, \
            serve(db, token=TOKEN) as url:
        yield url


def test_search_from_the_top_bar_to_a_story(site: str, page: Any) -> None:
    page.goto(site + "/ui/")
    page.fill("#top-q", "Brisola harbour")
    page.press("#top-q", "Enter")
    page.wait_for_url("**/ui/search?q=Brisola+harbour")
    assert page.locator(".hit").count() >= 3
    assert page.locator(".snippet mark").first.inner_text() in ("Brisola", "harbour")
    screenshot(page, "search")
    page.locator(".facets a", has_text="Italian").click()
    assert page.locator(".hit").count() == 1
    assert "Language: Italian" in page.inner_text(".active-filters")
    page.locator(".active-filters a", has_text="remove").click()
    assert page.locator(".hit").count() >= 3
    page.locator(".modes a", has_text="Stories").click()
    first = page.locator(".hit-title a").first
    title = first.inner_text()
    first.click()
    page.wait_for_url("**/ui/stories/*")
    assert title in page.inner_text("main")


def test_filters_from_the_form(site: str, page: Any) -> None:
    page.goto(site + "/ui/search?q=Quiroga")
    page.click("details.filters summary")
    page.select_option("#f-lang", "fr")
    page.click("text=Apply filters")
    assert page.locator(".hit").count() == 1
    assert page.locator(".hit .badge.lang").inner_text().lower() == "fr"


def test_an_upload_is_followed_to_its_report(site: str, page: Any) -> None:
    page.goto(site + "/ui/ingest")
    page.set_input_files("#files", [str(DATA / "rail_ru.txt"), str(DATA / "empty.txt")])
    page.fill("#urls", "not a url")
    page.fill("#token", TOKEN)
    screenshot(page, "ingest")
    page.click("button[type=submit]:has-text('Ingest')")
    page.wait_for_url("**/ui/ingest/jobs/*")
    page.wait_for_selector("text=Ingest finished", timeout=120_000)  # the script reloads
    main = page.inner_text("main")
    assert "upload:empty.txt" in main and "not an http(s) URL" in main
    assert page.locator(".report dd").first.inner_text() in ("0", "1")
    screenshot(page, "ingest-report")


@pytest.mark.parametrize("path", ["/ui/search?q=Brisola", "/ui/search?q=Brisola&mode=stories",
                                  "/ui/ingest"])
def test_a_phone_width_has_no_sideways_scroll(site: str, browser: Any, path: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740})
    try:
        pg = context.new_page()
        pg.goto(site + path)
        wide = pg.evaluate("document.documentElement.scrollWidth")
        culprits = pg.evaluate("""() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > 376)
            .map(e => e.tagName + '.' + e.className).slice(0, 5)""")
        assert wide <= 375, f"{path} is {wide}px wide at 375px: {culprits}"
    finally:
        context.close()
