"""The project's exceptions and its catalogue of skip reasons.

Every reason a user can see lives here as a coded template, so messages stay
consistent across the CLI, the API and the ``skipped`` table (spaCy keeps its
errors the same way). ``SkipError`` is raised inside a source reader and turned
into a :class:`newsweave.models.Skipped` record by the ingest loop: one bad input
never stops the batch.
"""

from __future__ import annotations

from enum import StrEnum


class NewsweaveError(Exception):
    """Base class: a problem we can explain to the user in one line."""


class ConfigError(NewsweaveError):
    """A setting has an invalid value."""


class StoreError(NewsweaveError):
    """The database cannot be opened or is not a newsweave database."""


class NotFound(NewsweaveError):
    """A requested record does not exist."""


class BadCursor(NewsweaveError):
    """A page cursor that is not one this listing gave out (damaged, or another's)."""


class BadFilter(NewsweaveError, ValueError):
    """A filter or query value no query can use: a NUL character or a lone surrogate in
    it, not text, or not one of the values the filter takes."""


class FetchError(NewsweaveError):
    """A URL could not be fetched (network error, HTTP error, bad content)."""


class FetchRefused(FetchError):
    """A URL newsweave will not fetch: a scheme other than http(s), or an address that
    is not public and that the setting ``fetch_allow_hosts`` does not name."""


class Reason(StrEnum):
    """Skip reasons: ``E###`` codes with message templates."""

    EMPTY = "E001 empty input: no text after decoding"
    BINARY = "E002 binary content ({kind}): not a text, HTML, feed, JSON, CSV or WARC file"
    TOO_LARGE = "E003 too large: {size} bytes exceeds max_input_bytes={limit}"
    UNSUPPORTED = "E004 unsupported file type '{ext}'"
    DECODE = "E005 undecodable text: {detail}"
    BAD_HTML = "E006 malformed HTML: no article text could be extracted"
    BAD_FEED = "E007 malformed feed: {detail}"
    BAD_WARC = "E008 malformed WARC: {detail}"
    BAD_GZIP = "E009 truncated or corrupt gzip: {detail}"
    BAD_JSON = "E010 malformed JSON at line {line}: {detail}"
    BAD_CSV = "E011 malformed CSV: {detail}"
    BAD_RECORD = "E012 invalid record {where}: {detail}"
    NO_TEXT = "E013 record has no text"
    FETCH = "E014 could not fetch URL: {detail}"
    NOT_FOUND = "E015 no such file or directory"
    NO_MATCH = "E016 glob matched no files"
    TOO_SHORT = "E017 too short: {chars} characters of text (min_text_chars={limit})"
    TOO_DEEP = "E018 folder too deep: more than max_depth={limit} levels"
    TOO_MANY = "E019 too many records: more than max_records_per_source={limit}"
    PERMISSION = "E020 permission denied"
    NO_ARTICLES = "E023 no articles: {detail}"
    BOILERPLATE_ONLY = ("E030 nothing but boilerplate: all {lines} non-empty lines were page "
                        "furniture (see the reasons with --json)")
    NOT_REGULAR = ("E040 not a regular file but {kind}: not opened, reading it could block "
                   "or never end")
    LINK_LOOP = "E041 symbolic link loop: {detail}; not followed"
    TOO_LARGE_RECORD = ("E042 record too large: more than max_input_bytes={limit} bytes on "
                        "one line")
    TOO_NESTED = "E043 nested too deeply to parse (arrays, objects or elements inside each other)"
    REFUSED = "E044 URL refused: {detail}"
    UNEXPECTED = "E099 unexpected error while reading ({detail}); please report it"

    def format(self, **kwargs: object) -> str:  # type: ignore[override]
        """Fill the template; the code prefix stays so users can search for it."""
        return self.value.format(**kwargs)


class SkipError(NewsweaveError):
    """Raised by a reader for an input it cannot use; carries the user-facing reason."""

    def __init__(self, reason: Reason, **kwargs: object) -> None:
        self.reason = reason
        self.message = reason.format(**kwargs)
        super().__init__(self.message)
