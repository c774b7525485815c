"""The ingest page (``/ui/ingest``): the same token as the write API."""

from __future__ import annotations

from fastapi import Request
from starlette.responses import Response

from ..render import page
from . import page_router

router = page_router()


@router.get("/ingest")
def ingest_form(request: Request) -> Response:
    """The upload form (writes need the server's token)."""
    return page(request, "ingest.html", {"report": None, "problem": None})
