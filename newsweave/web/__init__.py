"""The web UI: server-rendered pages over the service layer, served by ``newsweave serve``.

The pages are a thin layer, as the REST API is: every figure on a page comes from
:mod:`newsweave.service` (or a store query named there), rendered by Jinja2 with
autoescaping always on, under ``/ui/``. The app's ``/`` sends a browser there. See
docs/web.md.

- ``app``: mounting the pages, static files, errors, and the security headers;
- ``security``: the Content-Security-Policy and the forms' CSRF tokens;
- ``render``: the Jinja2 environment and its filters;
- ``charts``: small SVG charts (sparklines, bars) drawn on the server;
- ``pages/``: one module per page group, each an ``APIRouter``.
"""

from .app import mount

__all__ = ["mount"]
