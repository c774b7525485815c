"""Fetching safely: the address policy, redirects, and the caps on size, hops and time.

The policy is checked on its own first (no sockets), then against loopback servers the
tests start: loopback is not public, so it is refused unless a test names it in
``fetch_allow_hosts``. Refused hosts are never connected to, so the cloud metadata
address can be named in a test without any traffic leaving the machine.
"""

from __future__ import annotations

import json
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from ipaddress import ip_address
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsweave.cli import main
from newsweave.errors import ConfigError, FetchError
from newsweave.ingest import Fetcher
from newsweave.ingest.netpolicy import NetPolicy, address_kind
from tests.ingest_helpers import PARAGRAPHS, Route, article_html, collect, local_server, settings

REFUSED_TAIL = ("only public addresses are fetched unless the setting fetch_allow_hosts "
                "names the host or its network")


def loopback_name_resolves() -> bool:
    try:
        infos = socket.getaddrinfo("localhost", 80, type=socket.SOCK_STREAM)
    except OSError:
        return False
    return bool(infos) and all(ip_address(i[4][0]).is_loopback for i in infos)


needs_localhost = pytest.mark.skipif(not loopback_name_resolves(),
                                     reason="'localhost' does not resolve to loopback here")


# --- the policy on its own -------------------------------------------------------------

@pytest.mark.parametrize(("address", "kind"), [
    ("127.0.0.1", "loopback"), ("127.8.9.10", "loopback"), ("::1", "loopback"),
    ("10.1.2.3", "private"), ("172.16.0.1", "private"), ("192.168.1.1", "private"),
    ("fc00::1", "private"),
    ("169.254.169.254", "cloud metadata"), ("fd00:ec2::254", "cloud metadata"),
    ("100.100.100.200", "cloud metadata"),
    ("169.254.1.1", "link-local"), ("fe80::1", "link-local"),
    ("0.0.0.0", "unspecified"), ("::", "unspecified"),
    ("224.0.0.1", "multicast"), ("ff02::1", "multicast"),
    ("240.0.0.1", "reserved"), ("100.64.0.1", "non-public"),
    ("::ffff:127.0.0.1", "loopback"), ("::ffff:169.254.169.254", "cloud metadata"),
    ("2002:7f00:1::", "loopback"), ("64:ff9b::a00:1", "private"),
    ("8.8.8.8", None), ("2001:4860:4860::8888", None), ("::ffff:8.8.8.8", None),
    ("64:ff9b::808:808", None),
])
def test_address_kinds(address: str, kind: str | None) -> None:
    assert address_kind(ip_address(address)) == kind


def test_allow_list_names_hosts_domains_and_networks() -> None:
    policy = NetPolicy.parse("Intranet.Example., *.corp.example 10.1.0.0/16,[::1]")
    assert policy.names("intranet.example") and policy.names("wiki.corp.example")
    assert not policy.names("corp.example") and not policy.names("evilcorp.example")
    assert policy.refusal("x.example", ip_address("10.1.2.3")) is None
    assert policy.refusal("x.example", ip_address("::ffff:10.1.2.3")) is None
    assert policy.refusal("x.example", ip_address("::1")) is None
    assert policy.refusal("x.example", ip_address("10.2.0.1")) == (
        f"x.example resolves to 10.2.0.1, a private address; {REFUSED_TAIL}")
    assert policy.refusal("0.0.0.0", ip_address("0.0.0.0")) == (
        f"0.0.0.0 is an unspecified address; {REFUSED_TAIL}")


@pytest.mark.parametrize("value", ["10.0.0.0/33", "bad host!", "http://intranet.example",
                                   "intra_net/8"])
def test_a_bad_allow_list_is_a_config_error(value: str) -> None:
    with pytest.raises(ConfigError, match="setting fetch_allow_hosts: .* is not"):
        settings(fetch_allow_hosts=value)


def test_a_negative_redirect_cap_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="fetch_max_redirects must not be negative"):
        settings(fetch_max_redirects=-1)


# --- against loopback servers ----------------------------------------------------------

def page_routes() -> dict[str, Route]:
    return {"/story": Route(article_html("Ferry strike ends").encode())}


@pytest.mark.network
def test_loopback_is_refused_by_default_and_never_connected_to() -> None:
    with local_server(page_routes()) as server:
        docs, skips = collect([server.url("/story")])
    assert not docs and server.requested == []
    assert skips[0].reason == f"E044 URL refused: 127.0.0.1 is a loopback address; {REFUSED_TAIL}"


@pytest.mark.network
@pytest.mark.parametrize(("host", "shown"), [
    ("2130706433", "2130706433 resolves to 127.0.0.1, a loopback"),
    ("0x7f000001", "0x7f000001 resolves to 127.0.0.1, a loopback"),
    ("0177.0.0.1", "0177.0.0.1 resolves to 127.0.0.1, a loopback"),
    ("127.1", "127.1 resolves to 127.0.0.1, a loopback"),
    ("[::ffff:127.0.0.1]", "::ffff:127.0.0.1 is a loopback"),
    ("0.0.0.0", "0.0.0.0 is an unspecified"),
    ("169.254.169.254", "169.254.169.254 is a cloud metadata"),
    ("[fd00:ec2::254]", "fd00:ec2::254 is a cloud metadata"),
    pytest.param("localhost", "localhost resolves to 127.0.0.1, a loopback",
                 marks=needs_localhost),
])
def test_every_spelling_of_an_internal_address_is_refused(host: str, shown: str) -> None:
    with local_server(page_routes()) as server:
        _, skips = collect([f"http://{host}:{server.port}/story"])
    assert skips[0].reason == f"E044 URL refused: {shown} address; {REFUSED_TAIL}"
    assert server.requested == []


@pytest.mark.network
@pytest.mark.parametrize(("allow", "host"), [
    ("127.0.0.1", "127.0.0.1"), ("127.0.0.0/8", "127.0.0.1"),
    ("127.0.0.1", "2130706433"),  # the address is allowed, however it is spelt
    pytest.param("localhost", "localhost", marks=needs_localhost),
])
def test_an_internal_host_is_fetched_when_named(allow: str, host: str) -> None:
    with local_server(page_routes()) as server:
        docs, skips = collect([server.url("/story", host)],
                              config=settings(fetch_allow_hosts=allow))
    assert not skips and docs[0].title == "Ferry strike ends"
    assert server.hosts == [f"{host}:{server.port}"]  # the name, not the pinned address


@pytest.mark.network
def test_the_connection_goes_to_the_address_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    """DNS rebinding: a second lookup could answer differently; there is none."""
    real = socket.getaddrinfo
    lookups: list[str] = []

    def rebinding_dns(host: str, port: object, *args: object, **kwargs: object) -> list:
        if host != "news.example":
            return real(host, port, *args, **kwargs)
        lookups.append(host)
        answer = "127.0.0.1" if len(lookups) == 1 else "10.0.0.1"  # allowed, then not
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answer, port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding_dns)
    with local_server(page_routes()) as server:
        docs, skips = collect([server.url("/story", "news.example")],
                              config=settings(fetch_allow_hosts="127.0.0.1"))
    assert not skips and docs[0].title == "Ferry strike ends"
    assert lookups == ["news.example"] and server.hosts == [f"news.example:{server.port}"]


@pytest.mark.network
@needs_localhost
@pytest.mark.parametrize(("target", "reason"), [
    ("http://127.0.0.1:{port}/secret",
     f"127.0.0.1 is a loopback address; {REFUSED_TAIL}"),
    ("http://169.254.169.254/latest/meta-data/",
     f"169.254.169.254 is a cloud metadata address; {REFUSED_TAIL}"),
    ("ftp://127.0.0.1/etc/passwd",
     "redirect to ftp://127.0.0.1/etc/passwd: only http and https are followed"),
    ("file:///etc/passwd", "redirect to file:///etc/passwd: only http and https are followed"),
])
def test_every_redirect_is_checked(target: str, reason: str) -> None:
    with local_server({}) as server:
        server.routes["/go"] = Route(b"", status=302, location=target.format(port=server.port))
        server.routes["/secret"] = Route(article_html("Internal memo").encode())
        docs, skips = collect([server.url("/go", "localhost")],
                              config=settings(fetch_allow_hosts="localhost"))
    assert not docs and skips[0].reason == f"E044 URL refused: {reason}"
    assert server.requested == ["/go"]


@pytest.mark.network
def test_redirects_are_followed_within_the_cap() -> None:
    with local_server(page_routes()) as server:
        server.routes["/old"] = Route(b"", status=301, location="/newer")
        server.routes["/newer"] = Route(b"", status=307, location=server.url("/story"))
        docs, skips = collect([server.url("/old")],
                              config=settings(fetch_allow_hosts="127.0.0.1"))
    assert not skips and docs[0].url == server.url("/story")
    assert server.requested == ["/old", "/newer", "/story"]


@pytest.mark.network
def test_too_many_redirects() -> None:
    with local_server({"/loop": Route(b"", status=302, location="/loop")}) as server:
        _, skips = collect([server.url("/loop")], config=settings(
            fetch_allow_hosts="127.0.0.1", fetch_max_redirects=3))
    assert skips[0].reason == "E014 could not fetch URL: more than fetch_max_redirects=3 redirects"
    assert server.requested == ["/loop"] * 4


@contextmanager
def endless_server() -> Iterator[tuple[int, list[int]]]:
    """A server that answers with a body without length that never ends; yields its
    port and a list that gets the number of bytes it managed to send."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(4)
    sent: list[int] = []

    def serve() -> None:
        try:
            conn, _ = sock.accept()
        except OSError:
            return
        with conn:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n")
            total = 0
            try:
                while total < 1_000_000_000:
                    total += conn.send(b"x" * 65536)
            except OSError:
                pass
            sent.append(total)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield sock.getsockname()[1], sent
    finally:
        sock.close()
        thread.join(timeout=10)


@pytest.mark.network
def test_an_endless_body_is_cut_at_the_size_cap() -> None:
    config = settings(fetch_allow_hosts="127.0.0.1", max_input_bytes=100_000)
    started = time.perf_counter()
    with endless_server() as (port, sent):
        _, skips = collect([f"http://127.0.0.1:{port}/big"], config=config)
    assert skips[0].reason == "E014 could not fetch URL: body exceeds max_input_bytes=100000"
    assert time.perf_counter() - started < 10
    assert sent and sent[0] < 50_000_000  # the reader stopped; nothing like the whole


@pytest.mark.network
def test_the_deadline_covers_every_redirect() -> None:
    routes = {f"/r{i}": Route(b"", status=302, location=f"/r{i + 1}", delay=0.4)
              for i in range(5)}
    config = settings(fetch_allow_hosts="127.0.0.1", fetch_timeout=5.0, fetch_deadline=1.0)
    with local_server(routes) as server:
        started = time.perf_counter()
        _, skips = collect([server.url("/r0")], config=config)
        elapsed = time.perf_counter() - started
    assert skips[0].reason == ("E014 could not fetch URL: gave up after fetch_deadline=1 s "
                               "(the server sends too slowly)")
    assert elapsed < 3 and len(server.requested) <= 3


def feed_xml(links: list[str]) -> bytes:
    """An RSS feed with one teaser entry per link."""
    body = "".join(f"<item><title>Entry {n}</title><link>{link}</link><guid>g{n}</guid>"
                   f"<description>Teaser {n}.</description></item>"
                   for n, link in enumerate(links, 1))
    return (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
            f"<title>Porto Vento Daily</title>{body}</channel></rss>").encode()


@pytest.mark.network
@needs_localhost
def test_a_feed_entry_linking_inward_is_skipped_and_the_rest_go_on() -> None:
    with local_server({}) as server:
        secret = server.url("/secret")
        server.routes["/feed"] = Route(feed_xml(
            [server.url("/breakwater", "localhost"), secret, server.url("/gone", "localhost")]),
            "application/rss+xml")
        server.routes["/breakwater"] = Route(article_html("Breakwater finished early").encode())
        server.routes["/secret"] = Route(article_html("Internal memo").encode())
        feed = server.url("/feed", "localhost")
        docs, skips = collect([feed], config=settings(fetch_allow_hosts="localhost"))
    assert [d.title for d in docs] == ["Entry 1", "Entry 3"]
    assert PARAGRAPHS[0] in docs[0].text  # the linked page replaced the teaser
    assert docs[1].text == "Teaser 3."  # a failed fetch (404) still keeps the teaser
    assert [s.source for s in skips] == [f"{feed}#entry 2"]
    assert skips[0].reason == (f"E044 URL refused: entry links to {secret}: 127.0.0.1 is a "
                               f"loopback address; {REFUSED_TAIL}")
    assert "/secret" not in server.requested


def test_a_refusal_is_one_skip_and_the_batch_goes_on(tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("The harbour of Porto Vento reopened on Monday.", encoding="utf-8")
    docs, skips = collect(["http://10.0.0.1/story", str(note)])
    assert [s.source for s in skips] == ["http://10.0.0.1/story"]
    assert skips[0].reason.startswith("E044 URL refused: 10.0.0.1 is a private address")
    assert [d.source for d in docs] == [str(note)]


def test_the_cli_reports_a_refusal_without_a_traceback(tmp_path: Path) -> None:
    db = str(tmp_path / "news.db")
    result = CliRunner().invoke(main, ["ingest", "http://127.0.0.1:9/feed", "--db", db,
                                       "--no-progress", "--json"])
    assert result.exit_code == 0 and "Traceback" not in result.output
    rows = json.loads(CliRunner().invoke(main, ["skipped", "--db", db, "--json"]).output)
    assert rows[0]["reason"].startswith("E044 URL refused: 127.0.0.1 is a loopback address")


def test_a_bad_allow_list_stops_the_cli_before_anything_is_made(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    result = CliRunner().invoke(main, ["ingest", "http://127.0.0.1:9/feed", "--db", str(db),
                                       "--set", "fetch_allow_hosts=10.0.0.0/33"])
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert "fetch_allow_hosts: '10.0.0.0/33' is not" in result.output and not db.exists()


@pytest.mark.network
@needs_localhost
@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")
def test_tls_still_checks_the_host_name_over_the_pinned_address(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-keyout", str(key), "-out", str(cert), "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost"], check=True, capture_output=True)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # trust our certificate, and only it
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    with local_server(page_routes(), tls=context) as server:
        fetcher = Fetcher(settings(fetch_allow_hosts="localhost 127.0.0.1"))
        page = fetcher.fetch(f"https://localhost:{server.port}/story")
        with pytest.raises(FetchError, match=r"TLS error \(CERTIFICATE_VERIFY_FAILED\)"):
            fetcher.fetch(f"https://127.0.0.1:{server.port}/story")  # not the certificate's name
    assert b"Ferry strike ends" in page.body and server.hosts[0] == f"localhost:{server.port}"
