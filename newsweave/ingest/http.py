"""The network seam: the only code in newsweave that opens a connection.

Everything that needs a web page or a feed goes through :class:`Fetcher`, so tests
can point it at a loopback server and a caller can swap in its own object with the
same ``fetch`` method (a cache, a rate limiter, a recorder). Errors come back as
:class:`FetchError` whose message is one plain line ("connection refused",
"HTTP 404 Not Found", "timed out after 5 s"), ready to become a skip reason.

Every hop of a fetch (the URL, then each redirect) is checked after DNS resolution by
the address policy of :mod:`newsweave.ingest.netpolicy` and then connected to the very
addresses checked; a refusal is a :class:`~newsweave.errors.FetchRefused`. Redirects
are followed here, never by a library, and only to http(s).

Two clocks bound a fetch: ``fetch_timeout`` for each wait on the socket, and
``fetch_deadline`` for the whole fetch, redirects included. The second is needed
because a server that sends one byte every few seconds never lets a per-read timeout
fire; a timer shuts the connection's socket down when the deadline passes, which
wakes the blocked read.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from http.client import HTTPException
from urllib.parse import quote, urljoin, urlsplit

from ..errors import FetchError, FetchRefused
from ..settings import Settings
from .netpolicy import NetPolicy, Pinned, normal_host

_CHUNK = 65_536


@dataclass(frozen=True, slots=True)
class Response:
    """A fetched body. ``url`` is the final URL after redirects."""

    url: str
    status: int
    content_type: str
    body: bytes

    @property
    def mime(self) -> str:
        """The media type without parameters, lower-cased (``text/html``)."""
        return self.content_type.split(";", 1)[0].strip().lower()


class _Deadline:
    """Shuts down every socket of one fetch once ``seconds`` have passed."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._ends = time.monotonic() + seconds
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def remaining(self) -> float:
        """Seconds left before the deadline (never below a millisecond)."""
        return max(self._ends - time.monotonic(), 0.001)

    def watch(self, sock: socket.socket) -> None:
        """Cut ``sock`` off at the deadline (at once when it has already passed)."""
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed


_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_ACCEPT = ("text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
           "application/xml;q=0.9,*/*;q=0.5")
_PATH_SAFE = "/%:@!$&'()*+,;=-._~?"


@dataclass(frozen=True, slots=True)
class _Target:
    """One hop's URL taken apart: what to connect to and what to ask for."""

    url: str
    https: bool
    host: str
    port: int
    path: str

    @classmethod
    def parse(cls, url: str) -> _Target:
        """Split ``url``; only http and https are fetched (:class:`FetchRefused`)."""
        try:
            parts = urlsplit(url)
        except ValueError as exc:  # "http://[": an unclosed IPv6 address
            raise FetchError(f"invalid URL {url}: {exc}") from None
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            raise FetchRefused(f"unsupported URL scheme {scheme or '(none)'!r}: "
                               "only http and https are fetched")
        try:
            port = parts.port or (443 if scheme == "https" else 80)
        except ValueError:
            raise FetchError(f"invalid port in {url}") from None
        if not parts.hostname:
            raise FetchError(f"no host name in {url}")
        path = quote(parts.path or "/", safe=_PATH_SAFE)
        if parts.query:
            path += "?" + quote(parts.query, safe=_PATH_SAFE)
        return cls(url, scheme == "https", normal_host(parts.hostname), port, path)


def _connection(target: _Target, pinned: list[Pinned], timeout: float,
                deadline: _Deadline) -> http.client.HTTPConnection:
    """A connection to ``target`` that dials only the addresses in ``pinned``.

    The Host header and TLS (server name, certificate check) still use the host name;
    only the lookup is replaced, by the one the policy already checked.
    """
    base = http.client.HTTPSConnection if target.https else http.client.HTTPConnection

    class Connection(base):  # type: ignore[valid-type,misc]
        def connect(self) -> None:
            super().connect()
            deadline.watch(self.sock)  # the TLS socket, when there is one

    def dial(_address: object, wait: float | None = None, _source: object = None
             ) -> socket.socket:
        error: OSError = OSError("no address to connect to")
        for family, sockaddr in pinned:
            sock = socket.socket(family, socket.SOCK_STREAM)
            deadline.watch(sock)
            try:
                sock.settimeout(wait)
                sock.connect(sockaddr)
                return sock
            except OSError as exc:
                sock.close()
                error = exc
        raise error

    connection = Connection(target.host, target.port, timeout=timeout)
    connection._create_connection = dial  # the one seam http.client offers for dialling
    return connection


class Fetcher:
    """Fetches http(s) URLs safely: public addresses only, with caps on time and size.

    Every hop, the first and each redirect, is checked by the address policy
    (:class:`~newsweave.ingest.netpolicy.NetPolicy`, setting ``fetch_allow_hosts``)
    after DNS resolution, and the connection goes to the addresses checked. Redirects
    are followed here, not by a library, at most ``settings.fetch_max_redirects``
    times and only to http(s). ``settings.fetch_timeout`` bounds each wait on the
    network, ``settings.fetch_deadline`` the whole fetch with its redirects, and
    ``settings.max_input_bytes`` the body (checked against ``Content-Length`` first,
    then while reading, which stops at the cap). Environment proxies are not used: a
    proxy would resolve names where the policy cannot check them.
    """

    def __init__(self, settings: Settings) -> None:
        self.timeout = float(settings.fetch_timeout)
        self.deadline = float(settings.fetch_deadline)
        self.max_bytes = int(settings.max_input_bytes)
        self.max_redirects = int(settings.fetch_max_redirects)
        self.user_agent = str(settings.user_agent)
        self.policy = NetPolicy.parse(str(settings.fetch_allow_hosts))

    def fetch(self, url: str) -> Response:
        """GET ``url`` and return its body; raise :class:`FetchError` on any failure
        (:class:`FetchRefused` when the policy forbids a hop)."""
        with _Deadline(self.deadline) as deadline:
            try:
                response = self._follow(url, deadline)
            except FetchRefused:
                raise
            except FetchError:
                if deadline.expired:
                    raise self._late() from None
                raise
        if deadline.expired:  # the cut-off read may have looked like a normal end
            raise self._late()
        return response

    def _late(self) -> FetchError:
        return FetchError(f"gave up after fetch_deadline={self.deadline:g} s "
                          "(the server sends too slowly)")

    def _follow(self, url: str, deadline: _Deadline) -> Response:
        """Fetch ``url``, following redirects ourselves so each hop is checked."""
        for _ in range(self.max_redirects + 1):
            target = _Target.parse(url)
            response = self._hop(target, deadline)
            if isinstance(response, Response):
                return response
            url = urljoin(url, response)
            scheme = urlsplit(url).scheme.lower()
            if scheme not in ("http", "https"):
                raise FetchRefused(f"redirect to {url}: only http and https are followed")
        raise FetchError(f"more than fetch_max_redirects={self.max_redirects} redirects")

    def _hop(self, target: _Target, deadline: _Deadline) -> Response | str:
        """One request: the response, or the Location of a redirect."""
        try:
            pinned = self.policy.resolve(target.host, target.port,
                                         min(self.timeout, deadline.remaining()))
            connection = _connection(target, pinned, self.timeout, deadline)
            try:
                connection.request("GET", target.path, headers={
                    "User-Agent": self.user_agent, "Accept": _ACCEPT})
                reply = connection.getresponse()
                location = reply.getheader("Location")
                if reply.status in _REDIRECTS and location:
                    return location.strip()
                if not 200 <= reply.status < 300:
                    raise FetchError(f"HTTP {reply.status} {reply.reason}".strip())
                return Response(url=target.url, status=reply.status,
                                content_type=reply.getheader("Content-Type", ""),
                                body=self._read(reply))
            finally:
                connection.close()
        except TimeoutError:
            raise FetchError(f"timed out after {self.timeout:g} s") from None
        except (HTTPException, OSError, UnicodeError) as exc:
            raise FetchError(self.describe(exc)) from None

    def _read(self, reply: http.client.HTTPResponse) -> bytes:
        length = reply.getheader("Content-Length")
        if length and length.isdigit() and int(length) > self.max_bytes:
            raise FetchError(f"body of {length} bytes exceeds max_input_bytes={self.max_bytes}")
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = reply.read(_CHUNK)
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchError(f"body exceeds max_input_bytes={self.max_bytes}")
            chunks.append(chunk)

    def describe(self, reason: object) -> str:
        """Turn a low-level network error into a short phrase."""
        if isinstance(reason, socket.gaierror):
            return f"DNS lookup failed ({reason.strerror or reason})"
        if isinstance(reason, ConnectionRefusedError):
            return "connection refused"
        if isinstance(reason, ConnectionResetError):
            return "connection reset by the server"
        if isinstance(reason, TimeoutError):
            return f"timed out after {self.timeout:g} s"
        if isinstance(reason, ssl.SSLError):
            return f"TLS error ({reason.reason or reason})"
        if isinstance(reason, OSError) and reason.strerror:
            return reason.strerror
        return str(reason) or type(reason).__name__
