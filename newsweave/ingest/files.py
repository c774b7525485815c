"""One input's bytes to documents: format detection and dispatch.

The format comes from the file name first (``.html``, ``.jsonl.gz``...) and is then
checked against the content, because names lie: a ``.txt`` saved from a browser may
be HTML, a ``.xml`` may be a feed or not, and a file with no extension may be
anything. The same path serves files on disk and bodies fetched over HTTP (where the
Content-Type gives the hint instead of the name).

Order of checks, each failing with a one-line :class:`SkipError`:
size (before reading) → gzip → WARC → binary magic → format sniffing → decoding →
the format's reader.
"""

from __future__ import annotations

import io
import json
import os
import re
import stat
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import Reason, SkipError
from ..models import RawDocument, Skipped
from .decode import binary_kind, decode_bytes, gunzip, is_gzip
from .feeds import PageFetcher, read_feed
from .html import extract_html
from .tabular import read_csv, read_json, read_jsonl
from .warc import read_warc

Item = RawDocument | Skipped

_BY_EXTENSION: dict[str, str] = {
    ".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
    ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".tsv": "tsv",
    ".rss": "feed", ".atom": "feed", ".rdf": "feed", ".xml": "xml", ".warc": "warc",
}
# Text files that are certainly not articles: refused rather than read as prose.
_NOT_ARTICLES = frozenset({
    ".py", ".pyc", ".js", ".mjs", ".ts", ".css", ".scss", ".sh", ".bash", ".bat", ".ps1",
    ".c", ".h", ".cc", ".cpp", ".hpp", ".java", ".go", ".rs", ".rb", ".php", ".pl",
    ".yaml", ".yml", ".toml", ".ini", ".cfg", ".conf", ".lock", ".sql", ".svg", ".map",
})
_RECORD_FORMATS = frozenset({"jsonl", "csv", "tsv"})
_FEED_ROOT = re.compile(r"<(?:rss|feed|rdf:rdf)[\s>/]")
_HTML_START = re.compile(r"<(?:!doctype\s+html|html|head|body|article|meta|title)[\s>/]")
_HTML_ANY = re.compile(r"<(?:html|body|div|p|article|h1|h2)[\s>/]")
_META_CHARSET = re.compile(r"<meta[^>]+charset\s*=\s*[\"']?([\w.:-]+)")
# The opening of an ATX heading; the rest of the line is trimmed in Python, because
# a regex for "text, then optional closing #s, then spaces" backtracks quadratically
# on a heading padded with many spaces.
_MARKDOWN_HEADING = re.compile(r" {0,3}#{1,6}[ \t]+")
_SPECIAL_FILES = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
                  (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                  (stat.S_ISDIR, "a folder"))


@dataclass(frozen=True, slots=True)
class ReadContext:
    """What readers need from the settings and the loop: size cap and page fetcher."""

    max_bytes: int
    fetch_page: PageFetcher | None = None


def hint_from_name(name: str) -> tuple[str | None, str]:
    """The format a file name suggests (``None``: sniff) and its extension for messages.

    A trailing ``.gz`` is looked through: ``news.jsonl.gz`` suggests ``jsonl``.
    """
    lower = name.lower()
    if lower.endswith(".gz"):
        lower = lower[:-3]
    ext = os.path.splitext(lower)[1]
    if ext in _NOT_ARTICLES:
        return "unsupported", ext
    return _BY_EXTENSION.get(ext), ext


def special_kind(mode: int) -> str | None:
    """What a file that is not a regular file is ("a named pipe (FIFO)"), else None."""
    if stat.S_ISREG(mode):
        return None
    return next((kind for test, kind in _SPECIAL_FILES if test(mode)), "a special file")


def read_file(path: Path, source: str, ctx: ReadContext) -> Iterator[Item]:
    """Documents in the file at ``path``; its size is checked before any byte is read.

    Only regular files are read. The file is opened without blocking and checked
    after opening (``fstat``), so a FIFO, a socket or a device (``/dev/zero``) is
    skipped even when it replaced a regular file since the folder was listed: reading
    one could wait forever or never end.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        kind = special_kind(info.st_mode)
        if kind is not None:
            raise SkipError(Reason.NOT_REGULAR, kind=kind)
        if info.st_size > ctx.max_bytes:
            raise SkipError(Reason.TOO_LARGE, size=info.st_size, limit=ctx.max_bytes)
        data = handle.read(ctx.max_bytes + 1)
    if len(data) > ctx.max_bytes:  # it grew since stat()
        raise SkipError(Reason.TOO_LARGE, size=f"{ctx.max_bytes + 1}+", limit=ctx.max_bytes)
    hint, ext = hint_from_name(path.name)
    yield from read_bytes(data, source, hint, ext, ctx)


def read_bytes(data: bytes, source: str, hint: str | None, ext: str, ctx: ReadContext,
               charset: str | None = None, url: str | None = None) -> Iterator[Item]:
    """Documents in ``data``. ``hint`` is the format the name or Content-Type suggests."""
    if not data.strip():
        raise SkipError(Reason.EMPTY)
    if hint == "unsupported":
        raise SkipError(Reason.UNSUPPORTED, ext=ext)
    if hint == "warc" or data.startswith(b"WARC/1.") or (is_gzip(data) and _gz_warc(data)):
        yield from read_warc(io.BytesIO(data), source, len(data), ctx.max_bytes)
        return
    if is_gzip(data):
        yield from _read_gzip(data, source, hint, ext, ctx, url)
        return
    kind = binary_kind(data)
    if kind is not None:
        raise SkipError(Reason.BINARY, kind=kind)
    fmt = _resolve_format(hint, _peek(data), ext)
    if fmt == "feed":
        yield from read_feed(data, source, ctx.fetch_page)
        return
    if charset is None and fmt in ("html", "xml"):
        found = _META_CHARSET.search(_peek(data))
        charset = found.group(1) if found else None
    text = decode_bytes(data, charset).text
    if not text.strip():
        raise SkipError(Reason.EMPTY)
    yield from _read_text(text, fmt, source, ctx, url)


def _gz_warc(data: bytes) -> bool:
    """True when a gzip stream holds a WARC (a ``.warc.gz`` under another name)."""
    try:
        return zlib.decompressobj(wbits=31).decompress(data[:4096], 16).startswith(b"WARC/")
    except zlib.error:
        return False


def _read_gzip(data: bytes, source: str, hint: str | None, ext: str, ctx: ReadContext,
               url: str | None) -> Iterator[Item]:
    """Decompress and read; on a truncated stream keep the complete records before it."""
    unzipped = gunzip(data, ctx.max_bytes)
    if unzipped.error is None:
        yield from read_bytes(unzipped.data, source, hint, ext, ctx, url=url)
        return
    if hint in _RECORD_FORMATS:
        complete = unzipped.data[: unzipped.data.rfind(b"\n") + 1]
        try:
            yield from read_bytes(complete, source, hint, ext, ctx, url=url)
        except SkipError:
            pass  # the readable part was itself unusable: the gzip error says why
    raise SkipError(Reason.BAD_GZIP, detail=unzipped.error)


def _peek(data: bytes) -> str:
    """The start of ``data`` as lower-case text, good enough to recognise markup."""
    head = data[:4096]
    for codec, bom in (("utf-16", b"\xff\xfe"), ("utf-16", b"\xfe\xff")):
        if head.startswith(bom):
            return head.decode(codec, errors="ignore").lstrip("\ufeff \t\r\n").lower()
    return head.decode("latin-1").lstrip("\ufeff\xef\xbb\xbf \t\r\n").lower()


def _resolve_format(hint: str | None, peek: str, ext: str) -> str:
    """Settle the format from the name's hint and the content's first bytes."""
    looks_feed = peek.startswith("<") and bool(_FEED_ROOT.search(peek[:2048]))
    looks_html = bool(_HTML_START.search(peek[:1024]))
    if hint == "html" and looks_feed:
        return "feed"  # feeds are often served as text/html
    if hint in ("json", "jsonl", "csv", "tsv", "md", "html", "feed"):
        return hint
    if hint == "xml":
        if looks_feed:
            return "feed"
        if looks_html:
            return "html"
        raise SkipError(Reason.UNSUPPORTED, ext=f"{ext} (XML that is not an RSS/Atom feed)")
    if looks_feed:
        return "feed"
    if peek.startswith("<") and (looks_html or _HTML_ANY.search(peek[:2048])):
        return "html"
    if hint is None and peek[:1] in ("{", "["):
        return "json-or-jsonl"
    return "txt"


def _read_text(text: str, fmt: str, source: str, ctx: ReadContext,
               url: str | None) -> Iterator[Item]:
    if fmt == "json-or-jsonl":
        fmt = _json_kind(text)
    if fmt == "json":
        yield from read_json(text, source)
    elif fmt == "jsonl":
        yield from read_jsonl(text.split("\n"), source)  # not splitlines: U+2028 is valid JSON
    elif fmt in ("csv", "tsv"):
        yield from read_csv(text, source, ctx.max_bytes, "\t" if fmt == "tsv" else ",")
    elif fmt == "html":
        page = extract_html(text, url)
        yield RawDocument(source=source, text=page.text, title=page.title,
                          url=url or page.url, published=page.published,
                          published_source=page.published_source, author=page.author,
                          site=page.site, fmt="html", needs_cleaning=False)
    elif fmt == "md":
        yield RawDocument(source=source, text=strip_markdown_headings(text), url=url, fmt="md")
    else:
        yield RawDocument(source=source, text=text, url=url, fmt="txt")


def _json_kind(text: str) -> str:
    """``json`` when the whole text is one JSON value, ``jsonl`` when its lines are."""
    try:
        json.loads(text)
        return "json"
    except (ValueError, RecursionError):
        pass
    first = next((line for line in text.splitlines() if line.strip()), "")
    try:
        json.loads(first)
        return "jsonl"
    except RecursionError:
        return "jsonl"  # a valid but too deep first line: skip it, read the rest
    except ValueError:
        return "json"  # neither: report the JSON error with its line


def strip_markdown_headings(text: str) -> str:
    """Turn ATX headings (``# Title #``) into plain lines, so a title line reads as one.

    Linear in the length of the text, however the heading is padded.
    """
    return "\n".join(_heading_text(line) for line in text.split("\n"))


def _heading_text(line: str) -> str:
    """The text of an ATX heading line without its marks; other lines unchanged."""
    opening = _MARKDOWN_HEADING.match(line)
    if opening is None:
        return line
    body = line[opening.end():].rstrip(" \t")
    before_closing = body.rstrip("#")
    if before_closing != body and before_closing[-1:] in (" ", "\t"):
        return before_closing.rstrip(" \t")  # "# Title ##": a closing sequence
    return body
