"""Browser tests: Debian's Chromium driven by Playwright, against a real uvicorn
server on 127.0.0.1 that the test starts.

Chromium is ``/usr/bin/chromium`` (or ``$NEWSWEAVE_CHROMIUM``); ``make test``
installs it when it runs as root. Where it or Playwright is missing, these tests
skip and say so; CI runs as root, so CI runs them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.live import CHROMIUM_ARGS, LiveServer, chromium_path

SCREENSHOTS = Path(os.environ.get("NEWSWEAVE_SCREENSHOTS", "")) if os.environ.get(
    "NEWSWEAVE_SCREENSHOTS") else None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the session."""
    executable = chromium_path()
    if executable is None:
        pytest.skip("browser tests skipped: no Chromium at /usr/bin/chromium "
                    "($NEWSWEAVE_CHROMIUM); `make test` run as root installs it "
                    "(apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("browser tests skipped: the playwright package is not installed "
                    "(pip install -e '.[test]')")
    with sync_playwright() as pw:
        chrome = pw.chromium.launch(executable_path=executable, headless=True,
                                    args=CHROMIUM_ARGS)
        try:
            yield chrome
        finally:
            chrome.close()


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    """A fresh page (its own cookies) that fails the test on any script error or
    console error."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    pg.on("console", lambda msg: errors.append(f"console {msg.type}: {msg.text}")
          if msg.type == "error" else None)
    pg.errors = errors
    try:
        yield pg
    finally:
        context.close()
    assert not errors, errors


def serve(db: str, **config: Any) -> LiveServer:
    """A live server over ``db`` (use as a context manager)."""
    return LiveServer(db, **config)


def screenshot(pg: Any, name: str) -> None:
    """Save a screenshot under $NEWSWEAVE_SCREENSHOTS (docs/screenshots/ is made with
    ``make screenshots``); nothing when it is not set."""
    if SCREENSHOTS is not None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)


def have_chromium() -> bool:
    return chromium_path() is not None or shutil.which("chromium") is not None
