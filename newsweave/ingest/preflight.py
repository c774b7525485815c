"""Checks made before an ingest touches the database: do the sources exist, and how
many documents will they give (for a progress bar with a total and an ETA)?

Both only look at names and file sizes (and, for JSON Lines, count lines), so they
cost a fraction of the ingest itself. Counting is capped: past ``limit`` files or
``byte_budget`` bytes of JSON Lines, or for inputs whose record count cannot be
known without parsing them (URLs, stdin, CSV, JSON, WARC, gzip), the total is
unknown and the bar shows a count and a rate instead. JSON Lines records are counted
as non-blank lines and feed entries as ``<item>``/``<entry>`` tags.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from ..models import Skipped
from .files import hint_from_name, special_kind
from .sources import PathExpander, is_url

_GLOB_CHARS = frozenset("*?[")
# One document per file: what a file of these formats gives (or one skip reason).
_SINGLE = frozenset({"txt", "md", "html", None})
_COUNTABLE_RECORDS = frozenset({"jsonl", "feed", "xml"})
_FEED_ENTRY = re.compile(rb"<(?:item|entry)[\s>]")


def missing_sources(sources: Iterable[str]) -> list[str]:
    """The sources that name nothing: a path with no file or folder there, or a glob
    that matches nothing. ``-`` (stdin) and URLs are never missing here."""
    missing = []
    for source in sources:
        if source == "-" or is_url(source):
            continue
        try:
            path = Path(source).expanduser()
            if path.exists() or path.is_symlink():
                continue
        except (OSError, ValueError):  # a NUL byte, a name too long: nothing can be there
            missing.append(source)
            continue
        if _GLOB_CHARS & set(source) and PathExpander(32).glob_matches(source):
            continue
        missing.append(source)
    return missing


def count_documents(sources: Iterable[str], max_depth: int, limit: int = 100_000,
                    byte_budget: int = 256_000_000) -> int | None:
    """How many documents and skip records ``sources`` will give, or None when that
    cannot be known cheaply (see the module docstring)."""
    expander = PathExpander(max_depth)
    total = 0
    budget = byte_budget
    for source in sources:
        if source == "-" or is_url(source):
            return None
        for item in expander.expand(source):
            if isinstance(item, Skipped):
                total += 1
                continue
            count, used = _documents_in(item, budget)
            if count is None:
                return None
            total += count
            budget -= used
            if total > limit or budget < 0:
                return None
    return total


def _documents_in(path: Path, budget: int) -> tuple[int | None, int]:
    """(documents in the file at ``path`` or None when unknown, bytes read to count)."""
    hint, _ext = hint_from_name(path.name)
    if hint in _SINGLE or hint == "unsupported":
        return 1, 0
    if hint not in _COUNTABLE_RECORDS or path.name.lower().endswith(".gz"):
        return None, 0
    try:
        info = path.stat()
        if special_kind(info.st_mode) is not None:
            return 1, 0  # a FIFO or device is never opened: the reader skips it (E040)
        size = info.st_size
        if size > budget:
            return None, size
        with path.open("rb") as fh:
            if hint == "jsonl":
                count = sum(1 for line in fh if line.strip())
            else:
                count = len(_FEED_ENTRY.findall(fh.read()))
    except OSError:
        return 1, 0  # the reader will report it as one skip
    return max(count, 1), size
