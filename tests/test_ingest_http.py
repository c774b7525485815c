"""The network seam against real loopback servers: pages, feeds, linked pages, failures."""

from __future__ import annotations

import socket

import pytest

from newsweave.errors import FetchError
from newsweave.ingest import Fetcher
from tests.ingest_helpers import (
    DATA,
    PARAGRAPHS,
    Route,
    article_html,
    collect,
    free_port,
    local_server,
    settings,
    silent_server,
)

pytestmark = pytest.mark.network

LOOPBACK = "127.0.0.1"
"""The test servers' address: not public, so every test names it in fetch_allow_hosts."""


def loopback(**overrides: object):
    """Settings that allow fetching from the loopback test servers (and nothing else
    that is not public), without linked pages unless asked."""
    return settings(**{"fetch_linked_pages": False, "fetch_allow_hosts": LOOPBACK,
                       **overrides})


def feed_xml(base: str) -> bytes:
    """An RSS feed whose teaser entries link to pages on the same server."""
    items = [
        ("Breakwater finished early", f"{base}/breakwater", "The breakwater is done."),
        ("Pier repairs delayed", f"{base}/missing", "Repairs to the pier are delayed."),
        ("Full story in the feed", f"{base}/full", "x " * 300),
    ]
    body = "".join(
        f"<item><title>{title}</title><link>{link}</link><guid>{link}</guid>"
        f"<description>{summary}</description></item>" for title, link, summary in items)
    return (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
            f"<title>Porto Vento Daily</title>{body}</channel></rss>").encode()


def test_feed_url_with_linked_pages():
    with local_server({}) as server:
        server.routes["/feed"] = Route(feed_xml(server.url("")), "application/rss+xml")
        server.routes["/breakwater"] = Route(article_html("Breakwater finished early").encode())
        config = loopback(fetch_linked_pages=True)
        docs, skips = collect([server.url("/feed")], config=config)
    assert not skips
    fetched, kept, full = docs
    assert PARAGRAPHS[0] in fetched.text and not fetched.needs_cleaning
    assert fetched.url == server.url("/breakwater") and fetched.source == server.url("/feed")
    assert kept.text == "Repairs to the pier are delayed."  # its page is a 404: teaser kept
    assert full.text.startswith("x x x")  # a long summary is not replaced
    assert server.requested == ["/feed", "/breakwater", "/missing"]


def test_linked_pages_are_not_fetched_when_disabled():
    with local_server({}) as server:
        server.routes["/feed"] = Route(feed_xml(server.url("")), "application/rss+xml")
        docs, _ = collect([server.url("/feed")], config=loopback())
    assert docs[0].text == "The breakwater is done." and server.requested == ["/feed"]


def test_page_url():
    with local_server({"/story": Route(article_html("Ferry strike ends").encode())}) as server:
        docs, skips = collect([server.url("/story")], config=loopback())
    assert not skips and docs[0].title == "Ferry strike ends" and docs[0].fmt == "html"
    assert docs[0].url == server.url("/story")


def test_feed_served_as_html_is_sniffed():
    routes = {"/rss": Route((DATA / "feed.rss").read_bytes(), "text/html")}
    with local_server(routes) as server:
        docs, _ = collect([server.url("/rss")], config=loopback())
    assert [d.fmt for d in docs] == ["rss"] * 3


def test_jsonl_url():
    routes = {"/export": Route((DATA / "records.jsonl").read_bytes(), "application/x-ndjson")}
    with local_server(routes) as server:
        docs, skips = collect([server.url("/export")], config=loopback())
    assert [d.external_id for d in docs] == ["j1", "j2", "j5"] and len(skips) == 2


def test_http_404():
    with local_server({}) as server:
        _, skips = collect([server.url("/gone")], config=loopback())
    assert skips[0].reason == "E014 could not fetch URL: HTTP 404 Not Found"


def test_connection_refused():
    url = f"http://127.0.0.1:{free_port()}/feed"
    _, skips = collect([url], config=loopback())
    assert skips[0].source == url
    assert skips[0].reason == "E014 could not fetch URL: connection refused"


def test_timeout():
    with silent_server() as port:
        config = loopback(fetch_timeout=0.3)
        _, skips = collect([f"http://127.0.0.1:{port}/slow"], config=config)
    assert skips[0].reason == "E014 could not fetch URL: timed out after 0.3 s"


def test_oversize_body():
    with local_server({"/big": Route(b"x" * 5_000, "text/plain")}) as server:
        with pytest.raises(FetchError, match="exceeds max_input_bytes=1000"):
            Fetcher(loopback(max_input_bytes=1_000)).fetch(server.url("/big"))


def test_fetcher_response_and_user_agent():
    with local_server({"/a": Route(b"hello", "text/plain; charset=utf-8")}) as server:
        response = Fetcher(loopback(user_agent="nw-test/1")).fetch(server.url("/a"))
    assert (response.status, response.mime, response.body) == (200, "text/plain", b"hello")
    assert response.url == server.url("/a") and server.user_agents == ["nw-test/1"]


@pytest.mark.parametrize(("error", "message"), [
    (socket.gaierror(-2, "Name or service not known"),
     "DNS lookup failed (Name or service not known)"),
    (ConnectionRefusedError(111, "Connection refused"), "connection refused"),
    (TimeoutError(), "timed out after 20 s"),
])
def test_network_errors_read_plainly(error, message):
    assert Fetcher(settings()).describe(error) == message


def test_only_http_schemes():
    with pytest.raises(FetchError, match="unsupported URL scheme 'file'"):
        Fetcher(settings()).fetch("file:///etc/passwd")
