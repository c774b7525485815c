"""RSS and Atom feeds: one document per entry.

feedparser does the parsing (RSS 0.9x/1.0/2.0, Atom 0.3/1.0, broken XML included).
Per entry: the title, the link as ``url``, the entry id as ``external_id``, the
publication (else update) time as an aware UTC datetime, and as text the entry's
full content, else its summary, as plain text. An entry with a headline only keeps
the headline as its text: it is still news, and the story stage can place it.

Many feeds give only a teaser. When the summary is shorter than
:data:`SHORT_SUMMARY` characters and the caller supplies ``fetch_page`` (the ingest
loop does when ``settings.fetch_linked_pages`` is on), the linked page is fetched and
extracted instead; if that fails the summary version is kept, so an entry is never
lost to a network problem. A link the address policy refuses (a loopback or private
address, see :mod:`newsweave.ingest.netpolicy`) is different: it points into the
operator's network, the mark of a crafted feed, so that entry is skipped with reason
E044 and the other entries go on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from time import struct_time
from typing import Any

from ..errors import FetchRefused, NewsweaveError, Reason, SkipError
from ..models import RawDocument, Skipped
from .html import Extracted, html_to_text

log = logging.getLogger(__name__)

SHORT_SUMMARY = 400
"""Summaries shorter than this (in characters) are treated as teasers."""

PageFetcher = Callable[[str], Extracted]
"""Fetches and extracts a linked page; raises a NewsweaveError when it cannot."""

Item = RawDocument | Skipped


def _utc(value: struct_time | None) -> datetime | None:
    """feedparser's ``*_parsed`` values are UTC struct_times."""
    if not value:
        return None
    try:
        return datetime(*value[:6], tzinfo=UTC)
    except (TypeError, ValueError):
        return None


def _entry_text(entry: Any) -> str:
    """Full content if the entry has it, else the summary, as plain text."""
    for content in entry.get("content") or []:
        text = html_to_text(content.get("value") or "")
        if text:
            return text
    return html_to_text(entry.get("summary") or "")


def _language(feed: Any) -> str | None:
    lang = (feed.get("language") or "").strip().lower()
    return lang.replace("_", "-").split("-")[0] or None


def read_feed(data: bytes, source: str, fetch_page: PageFetcher | None = None) -> Iterator[Item]:
    """Parse feed bytes into documents.

    A feed that is not XML, or has no entries, raises ``SkipError(BAD_FEED)``. A
    damaged feed (truncated, not well-formed) yields the entries read before the damage
    and then raises ``SkipError(BAD_FEED)``, so the loss is reported.
    """
    import feedparser  # imported on first use: no work at import time

    parsed = feedparser.parse(data)
    entries = parsed.get("entries") or []
    broken = _xml_error(parsed)
    if not entries:
        if parsed.get("bozo"):
            detail = str(parsed.get("bozo_exception") or "not a feed").strip()
            raise SkipError(Reason.BAD_FEED, detail=detail.splitlines()[0][:200])
        if not parsed.get("version"):
            raise SkipError(Reason.BAD_FEED, detail="no RSS or Atom root element")
        raise SkipError(Reason.NO_ARTICLES, detail="the feed has no entries")
    fmt = "atom" if str(parsed.get("version", "")).startswith("atom") else "rss"
    feed = parsed.get("feed") or {}
    site = " ".join((feed.get("title") or "").split()) or None
    good = 0
    for number, entry in enumerate(entries, 1):
        try:
            doc = _entry_document(entry, source, fmt, fetch_page)
        except SkipError as exc:
            yield Skipped(f"{source}#entry {number}", exc.message)
            continue
        if doc is None:
            if not broken:  # in a damaged feed, an empty entry is debris of the damage
                yield Skipped(f"{source}#entry {number}", SkipError(Reason.NO_TEXT).message)
            continue
        doc.site = doc.site or site
        doc.lang = _language(feed)
        good += 1
        yield doc
    if broken:
        raise SkipError(Reason.BAD_FEED, detail=f"{broken} (after {good} readable entries)")


def _xml_error(parsed: Any) -> str | None:
    """The XML well-formedness error of a damaged feed (truncated, cut tags), if any.

    feedparser also flags harmless oddities (a charset that differs from the one
    declared, a text/plain content type); those do not count as damage.
    """
    from xml.sax import SAXException

    error = parsed.get("bozo_exception")
    if parsed.get("bozo") and isinstance(error, SAXException):
        return (str(error).strip().splitlines() or ["not well-formed XML"])[0][:200]
    return None


def _entry_document(entry: Any, source: str, fmt: str,
                    fetch_page: PageFetcher | None) -> RawDocument | None:
    title = " ".join((entry.get("title") or "").split()) or None
    text = _entry_text(entry)
    link = (entry.get("link") or "").strip() or None
    published = _utc(entry.get("published_parsed") or entry.get("updated_parsed"))
    doc = RawDocument(
        source=source, text=text or title or "", external_id=entry.get("id") or None,
        title=title, url=link, published=published,
        published_source="input" if published else None,
        author=" ".join((entry.get("author") or "").split()) or None, fmt=fmt,
        needs_cleaning=True,
    )
    if not doc.text:
        return None
    if (fetch_page is not None and link and len(text) < SHORT_SUMMARY
            and link.lower().startswith(("http://", "https://"))):
        _use_linked_page(doc, link, fetch_page)
    return doc


def _use_linked_page(doc: RawDocument, link: str, fetch_page: PageFetcher) -> None:
    """Replace a teaser with the linked page's text; keep the teaser when the fetch
    fails, raise ``SkipError(REFUSED)`` when the address policy refuses the link."""
    try:
        page = fetch_page(link)
    except FetchRefused as exc:
        raise SkipError(Reason.REFUSED, detail=f"entry links to {link}: {exc}") from None
    except NewsweaveError as exc:
        log.warning("%s: kept the feed summary, linked page %s failed: %s", doc.source, link, exc)
        return
    if len(page.text) <= len(doc.text):
        return
    doc.text = page.text
    doc.needs_cleaning = False  # trafilatura already removed the page's boilerplate
    doc.title = doc.title or page.title
    if doc.published is None and page.published is not None:
        doc.published, doc.published_source = page.published, page.published_source
    doc.author = doc.author or page.author
    doc.site = page.site
