"""Screenshots of every page of the web UI, for the README: ``make screenshots``.

Builds a database from the demo corpus (``newsweave/data/demo``: our own fictional
articles) in a temporary folder, serves it on 127.0.0.1 with a write token, and has
Debian's Chromium (``/usr/bin/chromium`` or ``$NEWSWEAVE_CHROMIUM``, driven by
Playwright) save a PNG of each page under ``docs/screenshots/`` (or the folder given):
the feed, a story, an article, an entity, the map, a place, a search and the ingest
form. Offline: nothing is fetched.

    python tools/screenshots.py [OUT_DIR]
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

import newsweave

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the browser tests' live server and Chromium settings
from tests.web.live import CHROMIUM_ARGS, LiveServer, chromium_path  # noqa: E402

TOKEN = "screenshots-only-token-0123456789"
SEARCH = "earthquake Valmora"
VIEWPORT = {"width": 1280, "height": 900}


def build(db: str) -> dict[str, Any]:
    """Ingest the demo corpus into ``db``; the ids of the records each page shows."""
    with as_file(files("newsweave").joinpath("data/demo/corpus")) as corpus, \
            newsweave.open(db, settings={"fetch_linked_pages": False}) as nw:
        report = nw.ingest([str(corpus)])
        print(f"demo corpus: {report['new']} articles", file=sys.stderr)
        story = max(nw.stories(limit=100), key=lambda s: (s["size"], -s["id"]))
        article = nw.articles(story=story["id"], limit=1)[0]
        people = [e for e in nw.entities(limit=200) if e["type"] == "PER"]
        place = nw.places(limit=1)[0]
    return {"story": story["id"], "article": article["id"],
            "entity": (people or nw.entities(limit=1))[0]["id"], "place": place["id"]}


def pages(ids: dict[str, Any]) -> list[tuple[str, str]]:
    """``(name, path)`` of each page to take."""
    return [("feed", "/ui/"), ("story", f"/ui/stories/{ids['story']}"),
            ("article", f"/ui/articles/{ids['article']}"),
            ("entity", f"/ui/entities/{ids['entity']}"), ("map", "/ui/places"),
            ("place", f"/ui/places/{ids['place']}"),
            ("search", "/ui/search?q=" + SEARCH.replace(" ", "+")),
            ("ingest", "/ui/ingest")]


def shoot(base: str, todo: list[tuple[str, str]], out: Path) -> None:
    """Save a PNG of each page; a page that does not answer 200 stops the run."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        executable = chromium_path()
        if executable is None:
            sys.exit("no Chromium: apt-get install chromium (or set NEWSWEAVE_CHROMIUM)")
        browser = pw.chromium.launch(executable_path=executable, headless=True,
                                     args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport=VIEWPORT).new_page()
            for name, path in todo:
                response = page.goto(base + path)
                if response is None or response.status != 200:
                    sys.exit(f"{path} answered {response.status if response else 'nothing'}")
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(out / f"{name}.png"))
                print(f"{out / f'{name}.png'}  {path}", file=sys.stderr)
        finally:
            browser.close()


def main(argv: list[str]) -> None:
    out = Path(argv[0]) if argv else ROOT / "docs" / "screenshots"
    tmp = tempfile.mkdtemp(prefix="newsweave-shots-")
    try:
        db = str(Path(tmp) / "demo.db")
        ids = build(db)
        with LiveServer(db, token=TOKEN) as base:
            shoot(base, pages(ids), out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
