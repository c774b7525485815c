"""What keeps the pages safe: a strict Content-Security-Policy on every page and
static file, and CSRF tokens on every form.

- **CSP.** Scripts and styles come from this server's own files only: no inline
  script or style, no ``eval``, no other origin (a tile server named by the
  ``web_tile_url`` setting is the one exception, for images). Pages cannot be framed.
- **CSRF.** A form carries a token that must equal the ``nw_csrf`` cookie (a random
  value set with ``SameSite=Strict``, so another site's page can neither read it nor
  send it), and a cross-origin ``Origin`` header is refused outright.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response

CSRF_COOKIE = "nw_csrf"
CSRF_FIELD = "csrf_token"
Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]],
                   Awaitable[None]]


def content_security_policy(tile_url: str = "") -> str:
    """The CSP header's value; ``tile_url`` (a tile layer's URL template) adds its
    origin to the allowed image sources."""
    images = ["'self'", "data:"]
    origin = _tile_origin(tile_url)
    if origin:
        images.append(origin)
    return "; ".join([
        "default-src 'none'", "script-src 'self'", "style-src 'self'",
        f"img-src {' '.join(images)}", "font-src 'self'", "connect-src 'self'",
        "form-action 'self'", "base-uri 'none'", "frame-ancestors 'none'",
    ])


def _tile_origin(tile_url: str) -> str | None:
    """The origin of a tile URL template (``https://{s}.tile.example/{z}/{x}/{y}.png``
    gives ``https://*.tile.example``), or None when it is not an http(s) URL."""
    parts = urlsplit(tile_url.replace("{s}", "SUBDOMAIN"))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return f"{parts.scheme}://{parts.netloc.replace('SUBDOMAIN', '*')}"


class SecurityHeaders:
    """ASGI middleware: the CSP and its companions on every response under ``prefix``
    (the REST API's Swagger pages, which need inline script, are left alone)."""

    def __init__(self, app: ASGIApp, prefix: str, csp: str) -> None:
        self.app, self.prefix = app, prefix
        self.headers = [
            (b"content-security-policy", csp.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"same-origin"),
            (b"x-frame-options", b"DENY"),
            (b"cross-origin-opener-policy", b"same-origin"),
        ]

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.prefix):
            await self.app(scope, receive, send)
            return

        async def with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + [
                    h for h in self.headers if h[0] not in names]
            await send(message)

        await self.app(scope, receive, with_headers)


def csrf_token(request: Request) -> str:
    """The request's CSRF token: its cookie's, or a new one that :func:`set_csrf_cookie`
    must then set on the response."""
    token = request.cookies.get(CSRF_COOKIE, "")
    if len(token) < 32:
        token = request.state.__dict__.setdefault("new_csrf", secrets.token_urlsafe(32))
    return token


def set_csrf_cookie(request: Request, response: Response) -> None:
    """Set the cookie of a token made by :func:`csrf_token` for this request."""
    token = request.state.__dict__.get("new_csrf")
    if token:
        response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict",
                            secure=request.url.scheme == "https", path="/ui")


def csrf_problem(request: Request, submitted: str) -> str | None:
    """Why a form post is refused (a cross-origin ``Origin``, no cookie, a token that
    is not the cookie's), or None when it may go on."""
    origin = request.headers.get("origin")
    if origin and origin != "null":
        if urlsplit(origin).netloc != request.headers.get("host", ""):
            return "the form was sent from another site"
    cookie = request.cookies.get(CSRF_COOKIE, "")
    if len(cookie) < 32:
        return "the form's security cookie is missing: reload the page and send it again"
    if not hmac.compare_digest(cookie.encode(), (submitted or "").encode()):
        return "the form's security token does not match: reload the page and send it again"
    return None
