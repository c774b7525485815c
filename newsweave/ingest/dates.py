"""Each input's publication date, and where it came from.

Readers set ``RawDocument.published`` from what the input states itself and name
the origin in ``published_source``: ``input`` (a JSON, JSON Lines or CSV
``published`` field, a feed entry's date), ``html-meta`` (a page's machine-readable
metadata) or ``byline`` (a byline or dateline in a page's text, see
:mod:`newsweave.ingest.html`). :func:`assign_date` then applies the caller's
:class:`DatePolicy`, strongest first:

1. ``cli``: ``ingest --published DATE`` gives that date to every input of the call,
   whatever the input states: the user names the date outright.
2. what the input states itself (``input``, ``html-meta``, ``byline`` from a page).
3. ``path``: with ``--date-from-path``, a date in the file's path or the URL's path
   (:func:`path_date`); a fallback for inputs that state none.
4. ``byline``: a byline or dateline in the text (:mod:`newsweave.ingest.bylines`).

A file's modification time is never used: it says when a copy was made, not when
the article was published. An input with none of these stays undated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

from ..models import RawDocument
from .bylines import BylineReader, byline_date

_DAY_IN_SEGMENT = re.compile(r"(?<!\d)((?:19|20)\d\d)([-_.])(\d\d)\2(\d\d)(?!\d)")
_COMPACT_DAY = re.compile(r"(?<!\d)((?:19|20)\d\d)(\d\d)(\d\d)(?!\d)")
_YEAR, _MONTH_OR_DAY = re.compile(r"^(?:19|20)\d\d$"), re.compile(r"^\d{1,2}$")


@dataclass(frozen=True, slots=True)
class DatePolicy:
    """How one ingest call dates its inputs (see the module docstring for precedence).

    ``published``: one date for every input (``--published``); ``from_path``: take
    a date from the path (``--date-from-path``); ``from_text``: read bylines and
    datelines of inputs that state no date.
    """

    published: datetime | None = None
    from_path: bool = False
    from_text: bool = True


def parse_cli_date(value: str) -> datetime:
    """A ``--published`` value as aware UTC; ``ValueError`` with the reason otherwise.

    Accepts ``2011-02-11`` (midnight UTC) or an ISO 8601 date-time
    (``2011-02-11T14:00:00+01:00``; without a zone, UTC).
    """
    from .html import parse_iso_date

    parsed = parse_iso_date(value)
    if parsed is None:
        raise ValueError(f"{value!r} is not a date: give YYYY-MM-DD or an ISO 8601 date-time "
                         "(2011-02-11 or 2011-02-11T14:00:00+01:00), a real calendar day")
    return parsed


def path_date(path: str) -> date | None:
    """The date a path holds, or ``None``: the deepest (last) one wins.

    Recognised in a folder or file name: ``2011-02-11`` (also ``_`` or ``.`` between
    the parts), ``20110211``, also inside a name (``2011-02-11_story.txt``); and three
    folders in a row ``2011/02/11``. Impossible days (``2011-02-30``) are not dates.
    For a URL, only its path is read.
    """
    if "://" in path:
        path = urlsplit(path).path
    parts = [p for p in re.split(r"[/\\]", path) if p]
    best: tuple[int, int, date] | None = None  # (segment index, position, day)
    for index, part in enumerate(parts):
        for pattern in (_DAY_IN_SEGMENT, _COMPACT_DAY):
            for m in pattern.finditer(part):
                groups = [g for g in m.groups() if g.isdigit()]
                day = _day(*groups)
                if day is not None and (best is None or (index, m.start()) > best[:2]):
                    best = (index, m.start(), day)
        if index >= 2 and _YEAR.match(parts[index - 2]) and _MONTH_OR_DAY.match(parts[index - 1]):
            leaf = re.match(r"^(\d{1,2})(?!\d)", part)
            day = _day(parts[index - 2], parts[index - 1], leaf.group(1)) if leaf else None
            if day is not None and (best is None or (index, -1) > best[:2]):
                best = (index, -1, day)
    return best[2] if best else None


def _day(year: str, month: str, day: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def assign_date(doc: RawDocument, policy: DatePolicy,
                reader: BylineReader | None = None) -> RawDocument:
    """Set ``doc.published`` and ``doc.published_source`` by ``policy``; returns ``doc``."""
    if policy.published is not None:
        doc.published, doc.published_source = policy.published, "cli"
        return doc
    if doc.published is not None:
        doc.published_source = doc.published_source or "input"
        return doc
    if policy.from_path:
        day = path_date(doc.url if doc.source.startswith(("http://", "https://")) and doc.url
                        else doc.source)
        if day is not None:
            doc.published, doc.published_source = _midnight(day), "path"
            return doc
    if policy.from_text:
        found = byline_date(doc.text, reader)
        if found is not None:
            doc.published, doc.published_source = _midnight(found.day), "byline"
    return doc
