"""A real uvicorn server on 127.0.0.1 in a thread, for the browser tests."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from typing import Any

import uvicorn

from newsweave.api import ServeConfig, create_app

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


def chromium_path() -> str | None:
    """Debian's Chromium, or ``$NEWSWEAVE_CHROMIUM``; None when neither is there."""
    given = os.environ.get("NEWSWEAVE_CHROMIUM")
    if given:
        return given if os.path.exists(given) else None
    for candidate in ("/usr/bin/chromium", shutil.which("chromium") or ""):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """``with LiveServer(db, token=...) as url:`` serves the app at ``url``."""

    def __init__(self, db: str, **config: Any) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        app = create_app(ServeConfig(db=db, **config))
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port,
                                                    log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        return self.url

    def __exit__(self, *_: Any) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)
