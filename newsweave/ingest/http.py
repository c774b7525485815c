"""The network seam: the only code in newsweave that opens a connection.

Everything that needs a web page or a feed goes through :class:`Fetcher`, so tests
can point it at a loopback server and a caller can swap in its own object with the
same ``fetch`` method (a cache, a rate limiter, a recorder). Errors come back as
:class:`FetchError` whose message is one plain line ("connection refused",
"HTTP 404 Not Found", "timed out after 5 s"), ready to become a skip reason.

Two clocks bound a fetch: ``fetch_timeout`` for each wait on the socket, and
``fetch_deadline`` for the whole fetch. The second is needed because a server that
sends one byte every few seconds never lets a per-read timeout fire; a timer shuts
the connection's socket down when the deadline passes, which wakes the blocked read.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass
from http.client import HTTPException
from urllib.parse import urlsplit

from ..errors import FetchError
from ..settings import Settings

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
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

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


def _opener(deadline: _Deadline) -> urllib.request.OpenerDirector:
    """urllib's opener, with connections whose sockets ``deadline`` watches."""

    class Connection(http.client.HTTPConnection):
        def connect(self) -> None:
            super().connect()
            deadline.watch(self.sock)

    class SecureConnection(http.client.HTTPSConnection):
        def connect(self) -> None:
            super().connect()
            deadline.watch(self.sock)

    class Handler(urllib.request.HTTPHandler):
        def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(Connection, req)

    class SecureHandler(urllib.request.HTTPSHandler):
        def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(SecureConnection, req)

    return urllib.request.build_opener(Handler(), SecureHandler())


class Fetcher:
    """Fetches http(s) URLs with a timeout, a deadline, a size cap and our User-Agent.

    ``settings.fetch_timeout`` bounds each socket operation, ``settings.fetch_deadline``
    the whole fetch, ``settings.max_input_bytes`` the body (checked against
    ``Content-Length`` first, then while reading).
    """

    def __init__(self, settings: Settings) -> None:
        self.timeout = float(settings.fetch_timeout)
        self.deadline = float(settings.fetch_deadline)
        self.max_bytes = int(settings.max_input_bytes)
        self.user_agent = str(settings.user_agent)

    def fetch(self, url: str) -> Response:
        """GET ``url`` and return its body; raise :class:`FetchError` on any failure."""
        scheme = urlsplit(url).scheme.lower()
        if scheme not in ("http", "https"):
            raise FetchError(f"unsupported URL scheme {scheme or '(none)'!r}: only http and https")
        request = urllib.request.Request(url, headers={
            "User-Agent": self.user_agent,
            "Accept": "text/html,application/xhtml+xml,application/rss+xml,"
                      "application/atom+xml,application/xml;q=0.9,*/*;q=0.5",
        })
        with _Deadline(self.deadline) as deadline:
            try:
                response = self._get(request, deadline)
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

    def _get(self, request: urllib.request.Request, deadline: _Deadline) -> Response:
        try:
            with _opener(deadline).open(request, timeout=self.timeout) as reply:
                body = self._read(reply)
                return Response(url=reply.geturl(), status=reply.status,
                                content_type=reply.headers.get("Content-Type", ""), body=body)
        except urllib.error.HTTPError as exc:
            exc.close()
            raise FetchError(f"HTTP {exc.code} {exc.reason}".strip()) from None
        except urllib.error.URLError as exc:
            raise FetchError(self.describe(exc.reason)) from None
        except TimeoutError:
            raise FetchError(f"timed out after {self.timeout:g} s") from None
        except (HTTPException, OSError) as exc:
            raise FetchError(self.describe(exc)) from None

    def _read(self, reply: object) -> bytes:
        length = reply.headers.get("Content-Length")  # type: ignore[attr-defined]
        if length and length.isdigit() and int(length) > self.max_bytes:
            raise FetchError(f"body of {length} bytes exceeds max_input_bytes={self.max_bytes}")
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = reply.read(_CHUNK)  # type: ignore[attr-defined]
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
