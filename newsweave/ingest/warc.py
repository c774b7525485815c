"""WARC archives (plain or gzip-compressed): the HTML pages a crawler stored.

Each ``response`` record with HTTP status 200 and an HTML content type (and each
``resource`` record of HTML) is extracted like a web page: ``url`` is the record's
``WARC-Target-URI``, ``external_id`` its ``WARC-Record-ID``. The ``WARC-Date`` is the
capture time, not the publication time, so it is never used as ``published``.
Requests, metadata, images and redirects are part of every crawl and are passed over.

warcio is lenient with damaged files: it stops quietly at a truncated record, parses
arbitrary text as an old ARC header, and can fail with ``AttributeError`` on a cut
header. So this module checks what warcio does not: a record shorter than its
``Content-Length``, bytes left unread after the last record, and a non-WARC format
all become :data:`Reason.BAD_WARC` (:data:`Reason.BAD_GZIP` when the file is
compressed), after the complete records before the damage have been yielded.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import IO, Any

from ..errors import Reason, SkipError
from ..models import RawDocument, Skipped
from .decode import charset_of, decode_bytes
from .html import extract_html

Item = RawDocument | Skipped
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def _is_html(content_type: str | None) -> bool:
    return (content_type or "").split(";", 1)[0].strip().lower() in _HTML_TYPES


def _damaged(compressed: bool, detail: str) -> SkipError:
    if compressed:
        return SkipError(Reason.BAD_GZIP, detail=detail)
    return SkipError(Reason.BAD_WARC, detail=detail)


def read_warc(stream: IO[bytes], source: str, total: int, max_bytes: int) -> Iterator[Item]:
    """Yield one document per HTML page in the WARC ``stream`` of ``total`` bytes."""
    from warcio.archiveiterator import ArchiveIterator  # imported on first use

    compressed = stream.read(2) == b"\x1f\x8b"
    stream.seek(0)
    iterator = ArchiveIterator(stream)
    pages = records = 0
    try:
        for record in iterator:
            records += 1
            if record.format != "warc":
                raise SkipError(Reason.BAD_WARC, detail="not a WARC file (no WARC/1.x header)")
            item = _record_item(record, source, max_bytes)
            _drain(record.raw_stream)
            if getattr(record.raw_stream, "limit", 0) > 0:  # ended before its Content-Length
                raise _damaged(compressed, f"record {records} is truncated")
            if item is not None:
                pages += 1
                yield item
    except SkipError:
        raise
    except (zlib.error, EOFError) as exc:
        raise _damaged(True, f"after record {records}: {exc}") from None
    except Exception as exc:  # warcio fails with bare errors on damaged input
        raise _damaged(compressed, f"unreadable after record {records} "
                                   f"({type(exc).__name__}: {exc})") from None
    if iterator.offset < total:
        raise _damaged(compressed, f"unreadable data after record {records} "
                                   f"(byte {iterator.offset} of {total})")
    if records == 0:
        raise SkipError(Reason.BAD_WARC, detail="no WARC records")
    if pages == 0:
        raise SkipError(Reason.NO_ARTICLES, detail="no HTML response records in the WARC")


def _drain(stream: Any) -> None:
    """Read what is left of a record, so a short one shows as truncated."""
    while stream.read(65_536):
        pass


def _record_item(record: Any, source: str, max_bytes: int) -> Item | None:
    """A document for an HTML page record, a Skipped for a bad one, None for the rest."""
    headers = record.rec_headers
    uri = headers.get_header("WARC-Target-URI")
    if record.rec_type == "response":
        http = record.http_headers
        if http is None or http.get_statuscode() != "200":
            return None
        content_type = http.get_header("Content-Type")
    elif record.rec_type == "resource":
        content_type = headers.get_header("Content-Type")
    else:
        return None
    if not _is_html(content_type):
        return None
    where = f"{source}#{uri or headers.get_header('WARC-Record-ID')}"
    body = record.content_stream().read(max_bytes + 1)
    if len(body) > max_bytes:
        return Skipped(where, SkipError(Reason.TOO_LARGE, size=f"{max_bytes + 1}+",
                                        limit=max_bytes).message)
    try:
        page = extract_html(decode_bytes(body, charset_of(content_type)).text, uri)
    except SkipError as exc:
        return Skipped(where, exc.message)
    return RawDocument(
        source=source, text=page.text, external_id=headers.get_header("WARC-Record-ID"),
        title=page.title, url=uri or page.url, published=page.published,
        published_source=page.published_source, author=page.author,
        site=page.site, fmt="warc", needs_cleaning=False,
    )
