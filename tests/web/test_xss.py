"""Issue 15, item 4: articles carrying XSS payloads in every field a page shows
(title, text, author, source, URL, a ``javascript:`` URL, an entity's name, a quote
and its speaker, an uploaded file's name) are shown as text on every page, and
nothing of them runs in a real browser: no dialog, ``window.__xss`` never set, no
element the payloads would inject. And the forms' CSRF protection: a post without
the token, or from another origin, is refused with a 403 page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

import newsweave
from tests.api_helpers import TOKEN
from tests.web.conftest import serve
from tests.web.xss_fixture import NAME, QUOTE, SOURCE, xss_documents

# Elements or attributes only a payload could have put there.
INJECTED = ("script:not([src]):not([type='application/json'])",
            "img[src='x']", "img[src='y']", "[onerror]", "[onload]",
            "[onmouseover]", "svg[onload]", "a[href^='javascript:']", "#xss-u")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    db = str(tmp_path_factory.mktemp("xss") / "xss.db")
    with newsweave.open(db, settings={"fetch_linked_pages": False}) as nw:
        report = nw.ingest(xss_documents())
        assert report["new"] == 2, report
        articles = [a["id"] for a in nw.articles(limit=10)]
        entity = next(e["id"] for e in nw.entities(limit=50) if e["name"] == NAME)
        place = nw.places(limit=5)[0]["id"]
        story = nw.stories(limit=5)[0]["id"]
        assert any(q["text"].startswith(QUOTE) for q in nw.quotes(limit=20))
    with serve(db, token=TOKEN) as url:
        yield {"url": url, "articles": articles, "entity": entity, "place": place,
               "story": story}


def _paths(site: dict[str, Any]) -> list[str]:
    return ["/ui/", f"/ui/stories/{site['story']}",
            *[f"/ui/articles/{a}" for a in site["articles"]],
            f"/ui/entities/{site['entity']}", "/ui/entities", "/ui/places",
            f"/ui/places/{site['place']}",
            "/ui/search?q=" + quote("<img src=x onerror=\"window.__xss=1\"> Brisola"),
            "/ui/search?q=Brisola&mode=stories",
            "/ui/search?q=" + quote("<script>window.__xss=2</script>") + "&source="
            + quote(SOURCE)]


def assert_inert(page: Any, dialogs: list[str]) -> None:
    """Nothing ran and nothing was injected."""
    page.wait_for_timeout(150)  # let any handler that could run, run
    assert dialogs == []
    assert page.evaluate("typeof window.__xss") == "undefined"
    for selector in INJECTED:
        assert page.locator(selector).count() == 0, selector


def test_no_payload_runs_on_any_page(site: dict[str, Any], page: Any) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    shown = ""
    for path in _paths(site):
        response = page.goto(site["url"] + path)
        assert response is not None and response.status == 200, path
        page.locator("body").hover()
        for link in page.locator("main a").all()[:40]:
            link.hover()  # an onmouseover that got through would fire here
        assert_inert(page, dialogs)
        shown += page.inner_text("main")
    # the payloads are there to read, as text
    assert '<img src=x onerror="window.__xss=1">' in shown
    assert "<script>window.__xss=2</script>" in shown
    assert SOURCE in shown  # the source filter's chip, and its hits' meta


def test_an_uploaded_file_name_is_shown_as_text(site: dict[str, Any], page: Any,
                                                tmp_path: Path) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    evil = tmp_path / "<img src=x onerror=alert(9)>.png"
    evil.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(32))
    page.goto(site["url"] + "/ui/ingest")
    page.set_input_files("#files", str(evil))
    page.fill("#token", TOKEN)
    page.click("button[type=submit]:has-text('Ingest')")
    page.wait_for_selector("text=Skipped, and why", timeout=60_000)
    assert "<img src=x onerror=alert(9)>.png" in page.inner_text("main")
    assert_inert(page, dialogs)


def test_a_post_without_the_csrf_token_is_a_403_page(site: dict[str, Any], page: Any) -> None:
    page.goto(site["url"] + "/ui/ingest")
    page.evaluate("document.querySelector('input[name=csrf_token]').remove()")
    page.fill("#urls", "https://news.example/a")
    page.fill("#token", TOKEN)
    with page.expect_navigation() as nav:
        page.click("button[type=submit]:has-text('Ingest')")
    assert nav.value.status == 403
    assert "security token does not match" in page.inner_text("main")
    page.errors.clear()  # the browser logs the 403 itself


def test_a_post_from_another_origin_is_a_403_page(site: dict[str, Any], page: Any) -> None:
    page.goto(site["url"] + "/ui/ingest")
    token = page.input_value("input[name=csrf_token]")
    response = page.request.post(site["url"] + "/ui/ingest", multipart={
        "csrf_token": token, "token": TOKEN, "urls": "https://news.example/a"},
        headers={"Origin": "https://evil.example"})
    assert response.status == 403 and "sent from another site" in response.text()
    assert "text/html" in response.headers["content-type"]
