"""The web UI's frame in a real browser: every page loads with its security headers,
no script error, and the navigation works from the keyboard."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.api_helpers import built_db
from tests.web.conftest import serve


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
         ) -> Iterator[str]:
    with built_db("sqlite", tmp_path_factory.mktemp("web"), request) as db, serve(db) as url:
        yield url


@pytest.mark.parametrize("path", ["/ui/", "/ui/stories/1", "/ui/articles/1", "/ui/entities",
                                  "/ui/entities/1", "/ui/places", "/ui/search?q=harbour",
                                  "/ui/ingest"])
def test_every_page_loads_under_a_strict_policy(site: str, page: Any, path: str) -> None:
    response = page.goto(site + path)
    assert response is not None and response.status == 200
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert page.locator("h1").first.is_visible()


def test_the_root_sends_a_browser_to_the_feed(site: str, page: Any) -> None:
    page.goto(site + "/")
    assert page.url == site + "/ui/"


def test_a_missing_story_is_a_404_page(site: str, page: Any) -> None:
    response = page.goto(site + "/ui/stories/424242")
    assert response is not None and response.status == 404
    assert "no story with id 424242" in page.inner_text("main")
    page.errors.clear()  # the browser logs the 404 itself


def test_keyboard_reaches_the_skip_link_and_the_navigation(site: str, page: Any) -> None:
    page.goto(site + "/ui/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Stories"
