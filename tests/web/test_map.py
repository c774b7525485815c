"""The map, place and entity pages in a real browser, over our own fixture news
(tests/data/webmap: floods in Iraq, a rail strike in France): the map draws markers
and shaded countries, a marker opens its place page (by mouse and by keyboard), a
cluster zooms in, the entity page shows its chart and stories, and nothing overflows
a phone's width."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

import newsweave
from tests.conftest import shared_path
from tests.web.conftest import screenshot, serve

DATA = Path(__file__).resolve().parents[1] / "data" / "webmap"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = str(tmp_path_factory.mktemp("webmap") / "map.db")
    with newsweave.open(db, settings={"fetch_linked_pages": False}) as nw:
        assert nw.ingest([str(DATA)])["new"] == 6
    with serve(db) as url:
        yield url


def test_the_map_draws_the_places_and_a_marker_opens_its_place(site: str, page: Any) -> None:
    page.goto(site + "/ui/places")
    svg = page.locator("svg.map-svg")
    assert svg.is_visible()
    assert page.locator("svg.map-svg a.marker").count() >= 3
    assert page.locator("svg.map-svg path.country").count() > 20
    assert page.locator("svg.map-svg path.country.shaded").count() == 2  # Iraq, France
    screenshot(page, "map-clusters")
    paris = page.get_by_role("link", name=re.compile(r"^Paris, France"))
    assert paris.count() == 1
    paris.click()
    page.wait_for_url(re.compile(r"/ui/places/\d+$"))
    assert page.locator("h1").inner_text() == "Paris"
    own = page.locator("svg.map-svg a.marker.current")  # Paris, among the places named with it
    assert own.count() == 1 and own.get_attribute("aria-current") == "page"
    assert (own.get_attribute("aria-label") or "").startswith("Paris")
    assert page.get_by_role("link", name=re.compile(r"^Lyon, France")).count() == 1
    screenshot(page, "place-nearby")


def test_a_cluster_zooms_in_until_its_places_come_apart(site: str, page: Any) -> None:
    page.goto(site + "/ui/places")
    cluster = page.locator("svg.map-svg a.marker.cluster").first
    label = cluster.get_attribute("aria-label") or ""
    places = int(label.split(" ", 1)[0])
    cluster.click()
    page.wait_for_url(re.compile(r"bbox="))
    assert page.locator("svg.map-svg a.marker:not(.cluster)").count() >= places
    assert "Paris" not in page.locator("table.places").inner_text()


def test_a_country_is_a_link_too(site: str, page: Any) -> None:
    page.goto(site + "/ui/places")
    page.locator('svg.map-svg a.area-link[aria-label^="Iraq"]').focus()  # markers sit on it
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/ui/places/\d+$"))
    assert page.locator("h1").inner_text() == "Iraq"


def test_the_keyboard_reaches_and_opens_a_marker(site: str, page: Any) -> None:
    page.goto(site + "/ui/places")
    marker = page.get_by_role("link", name=re.compile(r"^Paris, France"))
    marker.focus()
    assert page.evaluate("document.activeElement.getAttribute('aria-label')").startswith("Paris")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/ui/places/\d+$"))


def test_the_keyboard_can_skip_a_map_of_many_markers(site: str, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    try:
        pg.goto(site + "/ui/places")
        pg.locator("#map-country").focus()
        for _ in range(3):  # past the select and its button
            pg.keyboard.press("Tab")
            if pg.evaluate("document.activeElement.className") == "skip-map":
                break
        assert pg.evaluate("document.activeElement.className") == "skip-map"
        assert pg.locator(".skip-map").is_visible()
        pg.keyboard.press("Enter")
        pg.keyboard.press("Tab")
        focused = pg.evaluate("document.activeElement.closest('svg') === null && "
                              "document.activeElement.tagName")
        assert focused == "A"  # past every marker: the first link of the list below
    finally:
        context.close()


def test_the_country_filter(site: str, page: Any) -> None:
    page.goto(site + "/ui/places")
    page.select_option("#map-country", "FR")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"country=FR"))
    rows = page.locator("table.places tbody tr")
    assert rows.count() >= 3
    assert "Baghdad" not in page.locator("table.places").inner_text()


def test_the_entity_page_shows_its_chart_stories_and_quotes(site: str, page: Any) -> None:
    page.goto(site + "/ui/entities?q=haddad")
    page.get_by_role("link", name="Karim Haddad").click()
    page.wait_for_url(re.compile(r"/ui/entities/\d+$"))
    chart = page.locator("svg.chart")
    assert chart.is_visible() and page.locator("svg.chart rect.bar").count() == 19
    title = page.locator("#chart-title").text_content() or ""
    assert title == "Articles naming Karim Haddad per day"
    screenshot(page, "entity-person")
    page.get_by_text("The numbers").click()
    assert page.locator("table.counts tbody tr").count() == 4
    stories = page.locator("section[aria-labelledby=h-stories] a")
    assert stories.count() == 2
    assert "Salim Jaber" in page.locator("section[aria-labelledby=h-qabout]").inner_text()
    stories.first.click()
    page.wait_for_url(re.compile(r"/ui/stories/\d+$"))


def test_the_story_map_frames_its_places(site: str, page: Any) -> None:
    page.goto(site + "/ui/places")
    page.get_by_role("link", name="Baghdad", exact=True).first.click()
    page.locator("section[aria-labelledby=h-stories] a").first.click()
    page.wait_for_url(re.compile(r"/ui/stories/\d+$"))
    box = page.locator("svg.map-svg").get_attribute("viewBox") or ""
    width = float(box.split()[2])
    assert width < 120  # Iraq and its neighbours, not the world (1000)
    assert page.locator("svg.map-svg a.marker").count() >= 2


@pytest.mark.parametrize("path", ["/ui/places", "/ui/entities", "/ui/entities?type=LOC"])
def test_phone_width_does_not_overflow(site: str, browser: Any, path: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800})
    pg = context.new_page()
    try:
        pg.goto(site + path)
        assert pg.evaluate("document.documentElement.scrollWidth") <= 375
        if path == "/ui/places":
            box = pg.locator("svg.map-svg").bounding_box()
            assert box is not None and box["width"] <= 375 and box["height"] > 100
            dot = pg.locator('a.marker[aria-label^="Basrah"] .dot').bounding_box()
            assert dot is not None and dot["width"] < 16  # small on a phone, but...
            x, y = dot["x"] + dot["width"] / 2 + 10, dot["y"] + dot["height"] / 2
            hit = pg.evaluate(f"document.elementFromPoint({x}, {y}).closest('a.marker')"
                              "?.getAttribute('aria-label')")
            assert hit and hit.startswith("Basrah")  # ...a finger-sized target
            screenshot(pg, "map-phone")
    finally:
        context.close()


def test_place_and_entity_pages_fit_a_phone(site: str, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800})
    pg = context.new_page()
    try:
        pg.goto(site + "/ui/entities?q=haddad")
        pg.get_by_role("link", name="Karim Haddad").click()
        pg.wait_for_url(re.compile(r"/ui/entities/\d+$"))
        assert pg.evaluate("document.documentElement.scrollWidth") <= 375
        pg.goto(site + "/ui/places?country=IQ")
        pg.locator("table.places a").first.click()
        pg.wait_for_url(re.compile(r"/ui/places/\d+$"))
        assert pg.evaluate("document.documentElement.scrollWidth") <= 375
    finally:
        context.close()


class _Tiles(BaseHTTPRequestHandler):
    """A tile server on 127.0.0.1: a small SVG for every tile, and a list of requests."""

    seen: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - the handler's name
        type(self).seen.append(self.path)
        body = b'<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256"/>'
        self.send_response(200)
        self.send_header("Content-Type", "image/svg+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_: Any) -> None:
        pass


def test_a_tile_layer_is_drawn_under_the_outlines_when_set(
        tmp_path_factory: pytest.TempPathFactory, page: Any) -> None:
    db = str(tmp_path_factory.mktemp("tiles") / "map.db")
    with newsweave.open(db, settings={"fetch_linked_pages": False}) as nw:
        nw.ingest([str(DATA / "news.jsonl")])
    tiles = ThreadingHTTPServer(("127.0.0.1", 0), _Tiles)
    threading.Thread(target=tiles.serve_forever, daemon=True).start()
    template = f"http://127.0.0.1:{tiles.server_address[1]}/{{z}}/{{x}}/{{y}}.svg"
    try:
        with serve(db, web_tile_url=template) as url:
            _Tiles.seen.clear()
            page.goto(url + "/ui/places")
            images = page.locator("svg.map-svg g.tiles image")
            assert images.count() > 0
            page.wait_for_load_state("networkidle")
            hrefs = {h.split(str(tiles.server_address[1]), 1)[1]
                     for h in images.evaluate_all("els => els.map(e => e.getAttribute('href'))")}
            assert set(_Tiles.seen) == hrefs  # the policy let every tile in
            assert all(re.fullmatch(r"/\d+/\d+/\d+\.svg", p) for p in _Tiles.seen)
            assert page.locator("svg.map-svg g.land.over-tiles").count() == 1
    finally:
        tiles.shutdown()


def test_the_seed_stories_maps(tmp_path_factory: pytest.TempPathFactory, page: Any) -> None:
    """Issue 15's seed scenario, on the map itself: Baghdad is a marker on the talks'
    story; 002's map frames Iraq and names Diyala, Kirkuk, Anbar and Nineveh."""
    seeds = shared_path("seeds")
    db = str(tmp_path_factory.mktemp("seed-maps") / "seeds.db")
    with newsweave.open(db, settings={"fetch_linked_pages": False}) as nw:
        assert nw.ingest([str(seeds)])["new"] == 3
        stories = {Path(a["source"]).name[:3]: a["story"] for a in nw.articles()}
    with serve(db) as url:
        page.goto(f"{url}/ui/stories/{stories['000']}")
        labels = page.locator("svg.map-svg a.marker").evaluate_all(
            "els => els.map(e => e.getAttribute('aria-label'))")
        assert any("Baghdad" in label for label in labels), labels
        page.goto(f"{url}/ui/stories/{stories['002']}")
        width = float((page.locator("svg.map-svg").get_attribute("viewBox") or "").split()[2])
        assert width < 120, width  # Iraq and its neighbours
        labels = " ".join(page.locator("svg.map-svg a.marker").evaluate_all(
            "els => els.map(e => e.getAttribute('aria-label'))"))
        for name in ("Diyala", "Kirkuk", "Anbar", "Ninawa"):
            assert name in labels, labels
