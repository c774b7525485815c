"""The network seam: the only code in newsweave that opens a connection.

Everything that needs a web page or a feed goes through :class:`Fetcher`, so tests
can point it at a loopback server and a caller can swap in its own object with the
same ``fetch`` method (a cache, a rate limiter, a recorder). Errors come back as
:class:`FetchError` whose message is one plain line ("connection refused",
"HTTP 404 Not Found", "timed out after 5 s"), ready to become a skip reason.
"""

from __future__ import annotations

import socket
import ssl
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


class Fetcher:
    """Fetches http(s) URLs with a timeout, a size cap and our User-Agent.

    ``settings.fetch_timeout`` bounds each socket operation, ``settings.max_input_bytes``
    the body (checked against ``Content-Length`` first, then while reading).
    """

    def __init__(self, settings: Settings) -> None:
        self.timeout = float(settings.fetch_timeout)
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
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as reply:
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
