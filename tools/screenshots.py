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

import os
import shutil
import socket
import sys
import tempfile
import threading
import time
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

import uvicorn

import newsweave
from newsweave.api import ServeConfig, create_app

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
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


class Server:
    """The app on a free loopback port, in a thread."""

    def __init__(self, db: str) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        app = create_app(ServeConfig(db=db, token=TOKEN))
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port,
                                                    log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the server did not start")
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


def chromium() -> str:
    path = os.environ.get("NEWSWEAVE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        sys.exit("no Chromium: apt-get install chromium (or set NEWSWEAVE_CHROMIUM)")
    return path


def shoot(base: str, todo: list[tuple[str, str]], out: Path) -> None:
    """Save a PNG of each page; a page that does not answer 200 stops the run."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium(), headless=True,
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
        with Server(db) as base:
            shoot(base, pages(ids), out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
