"""HTML pages to article text and metadata.

The main text, title, author and site name come from trafilatura, which removes
navigation, cookie bars and share buttons on the pages we measured. Two of its
habits are corrected here:

* **Site name.** Without ``og:site_name`` trafilatura reports the page title as the
  site name; a site name equal to the title is dropped.
* **Dates.** trafilatura (through htmldate) falls back to guessing from visible text,
  and turns an Italian byline "Pubblicato il 27 gennaio 2024" into 2024-01-01. A wrong
  date is worse than none (stories are ordered and windowed by it), so trafilatura's
  date is *not used at all*. We read only explicit, machine-readable metadata
  ourselves, in this order: ``<meta>`` publication properties
  (``article:published_time``, ``datePublished``, ``date``, ``DC.date.issued``...),
  JSON-LD ``datePublished``, then the first ``<time datetime>``. A value is accepted
  only with at least day precision (``YYYY-MM-DD``); without a timezone it is taken
  as UTC (``published_source`` ``html-meta``).

  When the metadata gives no date, or gives the first of January (often a year-only
  value padded out by a CMS, the same pitfall), the page's own byline is read
  (:mod:`newsweave.ingest.bylines`): in the extracted text, then publication cues
  ("Publié le …") in the text of the whole page, where bylines often sit outside
  the main text. A byline date replaces a first-of-January metadata date only when
  it is of the same year (``published_source`` ``byline``).

:func:`html_to_text` is a small, dependency-free converter for HTML fragments (feed
summaries), where trafilatura's page heuristics would discard short content.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from typing import Any

from ..errors import Reason, SkipError

# <meta> names/properties that state the publication time, strongest first.
_META_DATE_KEYS: tuple[str, ...] = (
    "article:published_time", "og:article:published_time", "datepublished",
    "publishdate", "publish_date", "pubdate", "publication_date", "dc.date.issued",
    "dcterms.issued", "dc.date", "dcterms.date", "date", "sailthru.date", "parsely-pub-date",
)
_ISO_DAY = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")


@dataclass(slots=True)
class Extracted:
    """What one HTML page gave: main text plus whatever metadata it states."""

    text: str
    title: str | None = None
    author: str | None = None
    site: str | None = None
    url: str | None = None
    published: datetime | None = None
    published_source: str | None = None  # html-meta | byline


def parse_iso_date(value: str | None) -> datetime | None:
    """Parse an ISO 8601 date or date-time with at least day precision, as aware UTC.

    ``"2024-01-27"`` becomes midnight UTC; ``"2024-01-27T10:00:00+01:00"`` becomes
    09:00 UTC; ``"2024"``, ``"27/01/2024"`` or garbage give ``None``.
    """
    if not value or not _ISO_DAY.match(value):
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        try:
            parsed = datetime.fromisoformat(text[:10])
        except ValueError:
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


class _MetaScanner(HTMLParser):
    """Collects ``<meta>`` dates, JSON-LD blocks and ``<time datetime>`` values."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.times: list[str] = []
        self.jsonld: list[str] = []
        self._in_jsonld = False
        self._buffer: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (values.get("property") or values.get("name") or values.get("itemprop") or "")
            if key and values.get("content"):
                self.meta.setdefault(key.strip().lower(), values["content"])
        elif tag == "time" and values.get("datetime"):
            self.times.append(values["datetime"])
        elif tag == "script" and "ld+json" in values.get("type", "").lower():
            self._in_jsonld, self._buffer = True, []

    def handle_data(self, data: str) -> None:
        if self._in_jsonld:
            self._buffer.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._in_jsonld:
            self._in_jsonld = False
            self.jsonld.append("".join(self._buffer))


def _jsonld_dates(block: str) -> Iterator[str]:
    try:
        data = json.loads(block)
    except ValueError:
        return
    stack: list[Any] = [data]
    while stack:
        item = stack.pop(0)
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            value = item.get("datePublished")
            if isinstance(value, str):
                yield value
            stack.extend(v for v in item.values() if isinstance(v, list | dict))


def explicit_date(html: str) -> datetime | None:
    """The publication date stated in machine-readable metadata, or ``None``."""
    scanner = _MetaScanner()
    try:
        scanner.feed(html)
        scanner.close()
    except (AssertionError, ValueError):  # HTMLParser on pathological markup
        pass
    candidates = [scanner.meta[k] for k in _META_DATE_KEYS if k in scanner.meta]
    for block in scanner.jsonld:
        candidates.extend(_jsonld_dates(block))
    candidates.extend(scanner.times[:1])
    for value in candidates:
        parsed = parse_iso_date(value)
        if parsed is not None:
            return parsed
    return None


def extract_html(html: str, url: str | None = None) -> Extracted:
    """Extract the main text and metadata of a page; ``SkipError(BAD_HTML)`` if none."""
    import trafilatura  # imported on first use: heavy, and no work at import time

    try:
        doc = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=True,
            # no guessing from visible text: slow (dateparser loads every locale, ~7 s
            # on first use) and its date is not used anyway (see the module docstring)
            date_extraction_params={"extensive_search": False, "original_date": True})
    except (ValueError, TypeError, AttributeError):  # lxml on markup it cannot parse
        doc = None
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if not text:
        raise SkipError(Reason.BAD_HTML)
    title = _clean(getattr(doc, "title", None))
    site = _clean(getattr(doc, "sitename", None))
    if site and title and site.casefold() == title.casefold():
        site = None  # trafilatura's stand-in when the page has no og:site_name
    published, published_source = page_date(html, text)
    return Extracted(text=text, title=title, author=_clean(getattr(doc, "author", None)),
                     site=site, url=_clean(getattr(doc, "url", None)),
                     published=published, published_source=published_source)


def page_date(html: str, text: str) -> tuple[datetime | None, str | None]:
    """A page's publication date and its source (``html-meta`` or ``byline``).

    Metadata first; a byline when there is none, or when the metadata says the
    first of January and the byline gives another day of the same year.
    """
    meta = explicit_date(html)
    if meta is not None and (meta.month, meta.day) != (1, 1):
        return meta, "html-meta"
    found = _page_byline(html, text)
    if found is not None and (meta is None or (found.year == meta.year and found != meta.date())):
        return datetime(found.year, found.month, found.day, tzinfo=UTC), "byline"
    return (meta, "html-meta") if meta is not None else (None, None)


def _page_byline(html: str, text: str) -> date | None:
    """The byline date of the extracted text, else a publication cue in the whole page."""
    from .bylines import byline_date, default_reader

    found = byline_date(text)
    if found is not None:
        return found.day
    cued = [b for b in default_reader().candidates(html_to_text(html)) if b.kind == "published"]
    return cued[0].day if cued else None


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


_BLOCK_TAGS = frozenset({
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
    "pre", "tr", "table", "section", "article", "header", "footer", "figure", "figcaption",
    "hr", "dd", "dt", "dl",
})
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "head"})


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment: block elements become lines, tags and scripts go."""
    raw = fragment
    if "<" in fragment or "&" in fragment:
        parser = _TextParser()
        try:
            parser.feed(fragment)
            parser.close()
        except (AssertionError, ValueError):
            pass
        raw = "".join(parser.parts)
    lines = (" ".join(line.split()) for line in raw.splitlines())
    return "\n".join(line for line in lines if line).strip()
