"""Shared factories for the ingest tests: settings, a loopback HTTP server, WARC bytes.

Fixtures are built here rather than committed, so no binary file lives in the repo.
"""

from __future__ import annotations

import gzip
import io
import socket
import ssl
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from newsweave.ingest import iter_documents
from newsweave.models import RawDocument, Skipped
from newsweave.settings import Settings

DATA = Path(__file__).resolve().parent / "data" / "ingest"

# An invented article, long enough for trafilatura to call it the main text.
PARAGRAPHS = (
    "The harbour authority of Porto Vento confirmed on Tuesday that the new breakwater "
    "will be finished before the winter storms, two months ahead of the original plan.",
    "Engineers said the structure, built from recycled concrete blocks, should protect "
    "the fishing fleet and the ferry terminal from waves of up to six metres.",
    "Local fishermen welcomed the news but asked for a second mooring area, saying the "
    "current one is too small for the boats that arrive during the summer season.",
)


def settings(**overrides: object) -> Settings:
    """Settings with defaults only (no environment), plus ``overrides``."""
    return Settings(overrides, environ={})


def collect(sources: Iterable[str], **kwargs: object) -> tuple[list[RawDocument], list[Skipped]]:
    """Run ingest and split its output into documents and skips."""
    config = kwargs.pop("config", None) or settings(fetch_linked_pages=False)
    items = list(iter_documents(list(sources), config, **kwargs))  # type: ignore[arg-type]
    docs = [i for i in items if isinstance(i, RawDocument)]
    skips = [i for i in items if isinstance(i, Skipped)]
    assert len(docs) + len(skips) == len(items)
    return docs, skips


def article_html(title: str = "Breakwater finished early", head: str = "",
                 paragraphs: Iterable[str] = PARAGRAPHS, byline: str = "") -> str:
    """A small news page with navigation and a footer around the article."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
        f"{head}</head><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>{title}</h1>{byline}{body}</article>"
        "<footer>Back to top. Copyright 2024 Porto Vento Daily.</footer></body></html>"
    )


def warc_bytes(pages: Iterable[tuple[str, str]], compress: bool = False) -> bytes:
    """A WARC file holding one request/response pair per ``(url, html)`` page."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=compress)
    writer.write_record(writer.create_warcinfo_record("test.warc", {"software": "tests"}))
    for url, html in pages:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                   protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            url, "response", payload=io.BytesIO(html.encode("utf-8")), http_headers=headers))
    return buffer.getvalue()


def gz(data: bytes) -> bytes:
    """gzip-compress ``data`` deterministically."""
    return gzip.compress(data, mtime=0)


@dataclass
class Route:
    """One canned response of the test server (``location``: a redirect's target;
    ``delay``: seconds to wait before answering)."""

    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    location: str | None = None
    delay: float = 0.0


@dataclass
class LocalServer:
    """A loopback HTTP server with canned routes; records the paths requested."""

    routes: dict[str, Route]
    port: int = 0
    requested: list[str] = field(default_factory=list)
    user_agents: list[str] = field(default_factory=list)
    hosts: list[str] = field(default_factory=list)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"


@contextmanager
def local_server(routes: dict[str, Route], tls: ssl.SSLContext | None = None
                 ) -> Iterator[LocalServer]:
    """Serve ``routes`` on 127.0.0.1 (any free port) for the duration of the block;
    over HTTPS when ``tls`` is a server context."""
    state = LocalServer(routes)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # the name http.server dispatches to
            state.requested.append(self.path)
            state.user_agents.append(self.headers.get("User-Agent", ""))
            state.hosts.append(self.headers.get("Host", ""))
            route = state.routes.get(self.path)
            if route is None:
                self.send_error(404, "Not Found")
                return
            time.sleep(route.delay)
            try:
                self.send_response(route.status)
                if route.location is not None:
                    self.send_header("Location", route.location)
                self.send_header("Content-Type", route.content_type)
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                self.wfile.write(route.body)
            except OSError:
                pass  # the client gave up (a deadline or a size cap): not a server error

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.port = server.server_address[1]
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def free_port() -> int:
    """A loopback port with nothing listening on it (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def silent_server() -> Iterator[int]:
    """A port that accepts connections and never answers: for timeouts."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    try:
        yield sock.getsockname()[1]
    finally:
        sock.close()
