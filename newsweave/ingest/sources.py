"""Source strings to inputs, and the loop that turns every input into documents.

A source is a file, a folder (walked recursively in sorted order, hidden entries
skipped, at most ``settings.max_depth`` levels deep), a glob (``data/*.html``,
``**`` for any depth), ``-`` for JSON Lines on standard input, or an http(s) URL of
a page or a feed. Only regular files are opened: a FIFO, socket or device gets a
reason instead (:data:`Reason.NOT_REGULAR`), and so does a symbolic link loop.

:class:`Ingestor` runs each input's reader inside a guard: a :class:`SkipError`
raised by a reader (even after it yielded some documents) becomes one
:class:`Skipped`, operating-system errors become skips too, and the count of
records per input is capped at ``settings.max_records_per_source``. One bad input
never stops the batch. Every item leaves with names and text that UTF-8 can store:
undecodable bytes of a file name are shown as ``\\xNN``
(:func:`~newsweave.ingest.decode.printable_name`), and lone surrogates in a text
become U+FFFD.
"""

from __future__ import annotations

import dataclasses
import errno
import fnmatch
import functools
import glob
import logging
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from ..errors import FetchError, FetchRefused, Reason, SkipError
from ..models import RawDocument, Skipped
from ..settings import Settings
from .dates import DatePolicy, assign_date
from .decode import charset_of, decode_bytes, printable_name, scrub_surrogates
from .files import ReadContext, hint_from_name, read_bytes, read_file, special_kind
from .html import Extracted, extract_html
from .http import Fetcher, Response
from .tabular import read_jsonl_stream

log = logging.getLogger(__name__)

Item = RawDocument | Skipped
STDIN_SOURCE = "<stdin>"
_GLOB_CHARS = frozenset("*?[")
_MIME_HINTS: dict[str, str] = {
    "text/html": "html", "application/xhtml+xml": "html", "application/rss+xml": "feed",
    "application/atom+xml": "feed", "application/rdf+xml": "feed", "application/xml": "xml",
    "text/xml": "xml", "application/json": "json", "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl", "text/csv": "csv", "text/tab-separated-values": "tsv",
    "text/markdown": "md", "application/warc": "warc",
}


def skipped(source: str, reason: Reason, **kwargs: object) -> Skipped:
    """A :class:`Skipped` with the formatted message of ``reason``."""
    return Skipped(source, SkipError(reason, **kwargs).message)


def is_url(source: str) -> bool:
    """True for ``http://`` and ``https://`` sources (also a malformed one, such as
    ``http://[``: the fetcher then says what is wrong with it)."""
    try:
        scheme = urlsplit(source).scheme
    except ValueError:
        scheme = source.partition("://")[0]
    return scheme.lower() in ("http", "https")


def os_error_reason(exc: OSError) -> str:
    """The skip message for an operating-system error met while reading an input."""
    if isinstance(exc, PermissionError):
        return SkipError(Reason.PERMISSION).message
    if isinstance(exc, FileNotFoundError | NotADirectoryError):
        return SkipError(Reason.NOT_FOUND).message
    if exc.errno == errno.ELOOP:
        return SkipError(Reason.LINK_LOOP, detail="too many levels of symbolic links").message
    return SkipError(Reason.BAD_RECORD, where="(read error)",
                     detail=exc.strerror or str(exc)).message


class PathExpander:
    """Expands a path, folder or glob source into files, in a deterministic order."""

    def __init__(self, max_depth: int) -> None:
        self.max_depth = max_depth

    def expand(self, source: str) -> Iterator[Path | Skipped]:
        """Files named by ``source``, or Skipped for what cannot be followed."""
        path = Path(source).expanduser()
        if path.is_dir():
            yield from self.walk(path)
        elif path.exists() or path.is_symlink():
            yield path
        elif _GLOB_CHARS & set(source):
            yield from self._glob(source)
        else:
            yield skipped(source, Reason.NOT_FOUND)

    def _glob(self, pattern: str) -> Iterator[Path | Skipped]:
        matches = self.glob_matches(pattern)
        if not matches:
            yield skipped(pattern, Reason.NO_MATCH)
            return
        seen: set[str] = set()
        for match in matches:
            if isinstance(match, Skipped) or not os.path.isdir(match):
                found: Iterator[Path | Skipped] = iter([match])
            else:
                found = self.walk(match)
            for item in found:
                key = item.source if isinstance(item, Skipped) else os.path.abspath(item)
                if key not in seen:
                    seen.add(key)
                    yield item

    def glob_matches(self, pattern: str) -> list[Path | Skipped]:
        """What ``pattern`` matches, sorted. ``**`` is expanded by our own walk, not by
        :func:`glob.glob`, which follows symbolic links into loops (``sub/up -> ..``
        beside ``sub/self -> .`` makes it list paths without end)."""
        expanded = os.path.expanduser(pattern)
        if "**" not in expanded:
            return sorted(Path(m) for m in glob.glob(expanded))
        parts = Path(expanded).parts
        fixed = next(i for i, part in enumerate(parts) if glob.has_magic(part))
        root, wanted = Path(*parts[:fixed]) if fixed else Path("."), parts[fixed:]
        if not root.is_dir():
            return []
        found = (item for item in self.walk(root)
                 if _glob_match(root, item.source if isinstance(item, Skipped) else item,
                                wanted))
        return sorted(found, key=lambda i: str(i.source if isinstance(i, Skipped) else i))

    def walk(self, root: Path) -> Iterator[Path | Skipped]:
        """Files under ``root``: sorted by name, hidden entries skipped, depth-limited.

        Symbolic links to folders are followed once; a link back to a folder already
        being walked is not (it would loop forever).
        """
        yield from self._walk(root, 0, {os.path.realpath(root)})

    def _walk(self, folder: Path, depth: int, active: set[str]) -> Iterator[Path | Skipped]:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            yield Skipped(str(folder), os_error_reason(exc))
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue  # hidden files and folders (.git, .DS_Store) are never articles
            try:  # one odd entry (a link loop, a vanished file) never ends the walk
                yield from self._entry(entry, depth, active)
            except OSError as exc:
                yield Skipped(entry.path, os_error_reason(exc))

    def _entry(self, entry: os.DirEntry, depth: int, active: set[str]
               ) -> Iterator[Path | Skipped]:
        """One folder entry: a file to read, a folder to walk, or a reason."""
        path = Path(entry.path)
        if entry.is_dir():
            real = os.path.realpath(path)
            if real in active:
                yield skipped(str(path), Reason.LINK_LOOP,
                              detail=f"links back to {real}, a folder being walked")
            elif depth + 1 > self.max_depth:
                yield skipped(str(path), Reason.TOO_DEEP, limit=self.max_depth)
            else:
                yield from self._walk(path, depth + 1, active | {real})
        elif entry.is_file() or entry.is_symlink():
            yield path  # a broken link is reported by the reader as not found
        else:
            kind = special_kind(entry.stat().st_mode) or "a special file"
            yield skipped(str(path), Reason.NOT_REGULAR, kind=kind)


class Ingestor:
    """Reads sources into documents; holds the settings, the fetcher and stdin.

    ``fetcher`` is the network seam: pass any object with ``fetch(url) -> Response``.
    When it is ``None`` a :class:`Fetcher` is made from the settings at once, so a bad
    ``fetch_allow_hosts`` fails the run before any input is read, not input by input.
    """

    def __init__(self, settings: Settings, fetcher: Fetcher | None = None,
                 stdin: IO[str] | None = None, dates: DatePolicy | None = None) -> None:
        self.settings = settings
        self.dates = dates or DatePolicy()
        self._fetcher = fetcher if fetcher is not None else Fetcher(settings)
        self._stdin = stdin
        self.paths = PathExpander(int(settings.max_depth))
        fetch_page = self.fetch_page if settings.fetch_linked_pages else None
        self.context = ReadContext(int(settings.max_input_bytes), fetch_page)

    @property
    def fetcher(self) -> Fetcher:
        """The fetcher given, or the default one."""
        return self._fetcher

    def documents(self, sources: Iterable[str]) -> Iterator[Item]:
        """Every document (dated by :attr:`dates`) and every skip, source after source."""
        for source in sources:
            for item in self.read_source(source):
                item = storable(item)
                yield assign_date(item, self.dates) if isinstance(item, RawDocument) else item

    def read_source(self, source: str) -> Iterator[Item]:
        """Documents and skips for one source string."""
        if source == "-":
            stdin = self._stdin if self._stdin is not None else sys.stdin
            # records handed over in memory (the Python and REST APIs) name their origin
            name = getattr(stdin, "source_name", STDIN_SOURCE)
            yield from self._guard(name, lambda: read_jsonl_stream(
                stdin, name, self.context.max_bytes))
        elif is_url(source):
            url, fields = str(source), getattr(source, "fields", None)
            items = self._guard(url, lambda: self._read_url(url))
            yield from (overlay(item, fields) for item in items) if fields else items
        else:
            for target in self._expand(source):
                if isinstance(target, Skipped):
                    yield target
                    continue
                name = os.path.abspath(target)
                yield from self._guard(name, lambda t=target, n=name: read_file(t, n,
                                                                                 self.context))

    def _expand(self, source: str) -> Iterator[Path | Skipped]:
        """The expander's output, with errors on the source itself turned into a skip."""
        try:
            yield from self.paths.expand(source)
        except OSError as exc:  # e.g. stat() refused on a path inside an unreadable folder
            yield Skipped(source, os_error_reason(exc))
        except ValueError:  # a path with a NUL byte cannot exist
            yield skipped(source, Reason.NOT_FOUND)

    def _guard(self, source: str, make: Callable[[], Iterator[Item]]) -> Iterator[Item]:
        """Run a reader; turn its errors into one Skipped and cap its record count."""
        limit = int(self.settings.max_records_per_source)
        count = 0
        reader: Iterator[Item] | None = None
        try:
            reader = make()
            for item in reader:
                if count >= limit:
                    yield skipped(source, Reason.TOO_MANY, limit=limit)
                    return
                count += 1
                yield item
        except SkipError as exc:
            yield Skipped(source, exc.message)
        except OSError as exc:
            yield Skipped(source, os_error_reason(exc))
        except RecursionError:
            yield skipped(source, Reason.TOO_NESTED)
        except Exception as exc:  # a library failing on odd input must not stop the batch
            log.debug("unexpected error reading %s", source, exc_info=True)
            yield skipped(source, Reason.UNEXPECTED,
                          detail=f"{type(exc).__name__}: {exc}"[:300])
        finally:
            close = getattr(reader, "close", None)
            if close is not None:
                close()

    def _read_url(self, url: str) -> Iterator[Item]:
        try:
            response = self.fetcher.fetch(url)
        except FetchRefused as exc:
            raise SkipError(Reason.REFUSED, detail=str(exc)) from None
        except FetchError as exc:
            raise SkipError(Reason.FETCH, detail=str(exc)) from None
        hint, ext = _hint_from_response(response)
        yield from read_bytes(response.body, url, hint, ext, self.context,
                              charset=charset_of(response.content_type), url=response.url)

    def fetch_page(self, url: str) -> Extracted:
        """Fetch a web page and extract its article (a feed entry's linked page)."""
        response = self.fetcher.fetch(url)
        if response.mime not in ("text/html", "application/xhtml+xml", ""):
            raise FetchError(f"{url} is {response.mime}, not an HTML page")
        text = decode_bytes(response.body, charset_of(response.content_type)).text
        return extract_html(text, response.url)


class FetchURL(str):
    """A URL to fetch as ``newsweave ingest URL`` fetches it, that came as a record
    giving a ``url`` and no text (the REST and Python APIs, :func:`~newsweave.library.
    record_sources`). It is the URL string itself, so it travels wherever a source
    does; ``fields`` are the record's other fields
    (:func:`~newsweave.ingest.tabular.record_fields`), laid over every document read
    from the URL by :func:`overlay`."""

    fields: dict[str, Any]

    def __new__(cls, url: str, fields: Mapping[str, Any]) -> FetchURL:
        made = super().__new__(cls, url)
        made.fields = dict(fields)
        return made


def overlay(item: Item, fields: Mapping[str, Any]) -> Item:
    """``item`` with the ``fields`` a record gave (those not None) in place of what the
    page stated; the address stays the one fetched (after redirects)."""
    given = {name: value for name, value in fields.items()
             if value is not None and name != "url"}
    if isinstance(item, Skipped) or not given:
        return item
    return dataclasses.replace(item, **given)


def _glob_match(root: Path, found: str | Path, wanted: tuple[str, ...]) -> bool:
    """Whether ``found`` (under ``root``) or a folder above it matches ``wanted``, the
    pattern's parts after ``root``; ``**`` stands for any number of folders."""
    parts = Path(found).relative_to(root).parts

    @functools.cache
    def match(i: int, j: int) -> bool:
        if j == len(wanted):
            return True  # a folder that matched: everything under it is in
        if wanted[j] == "**":
            return any(match(k, j + 1) for k in range(i, len(parts) + 1))
        return i < len(parts) and fnmatch.fnmatchcase(parts[i], wanted[j]) and match(i + 1, j + 1)

    return match(0, 0)


_TEXT_FIELDS = ("text", "external_id", "title", "url", "author", "site", "lang")


def storable(item: Item) -> Item:
    """``item`` with names and text that UTF-8 (and so SQLite) can store.

    A file name with bytes that are not UTF-8 keeps them as ``\\xNN``; a lone
    surrogate in a text (a JSON ``"\\ud800"`` escape) becomes U+FFFD. Without this,
    one such input would fail the whole batch's transaction.
    """
    if isinstance(item, Skipped):
        return Skipped(printable_name(item.source), printable_name(item.reason))
    changes: dict[str, str] = {}
    if printable_name(item.source) != item.source:
        changes["source"] = printable_name(item.source)
    for name in _TEXT_FIELDS:
        value = getattr(item, name)
        if isinstance(value, str) and scrub_surrogates(value) != value:
            changes[name] = scrub_surrogates(value)
    return dataclasses.replace(item, **changes) if changes else item


def _hint_from_response(response: Response) -> tuple[str | None, str]:
    """Format hint from the Content-Type, else from the URL's path."""
    hint = _MIME_HINTS.get(response.mime)
    if hint is not None:
        return hint, response.mime
    if response.mime == "text/plain" or not response.mime:
        name_hint, ext = hint_from_name(urlsplit(response.url).path)
        return name_hint or ("txt" if response.mime else None), ext or response.mime
    return hint_from_name(urlsplit(response.url).path)


def iter_documents(sources: Iterable[str], settings: Settings, fetcher: Fetcher | None = None,
                   stdin: IO[str] | None = None, dates: DatePolicy | None = None
                   ) -> Iterator[Item]:
    """Yield a :class:`RawDocument` per article and a :class:`Skipped` per bad input.

    ``dates`` says how inputs are dated (:mod:`newsweave.ingest.dates`); by default
    from what the input states, else from its byline.

    Never raises for a problem with the inputs: each becomes a Skipped with a coded
    reason (see :class:`newsweave.errors.Reason`) and the batch goes on.
    """
    if isinstance(sources, str):  # one source given bare: not its characters
        sources = [sources]
    yield from Ingestor(settings, fetcher, stdin, dates).documents(sources)


__all__ = ["FetchURL", "Ingestor", "PathExpander", "iter_documents", "is_url", "overlay",
           "skipped"]
