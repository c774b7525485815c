"""A story's timeline: the dates its articles state, each once, with every source.

Built when a story is read, from the temporal expressions its articles keep (the
``dates`` stage). One entry per date: the same date stated by several articles, in
any language, is one entry that lists them all, with the sentence of the first
article that stated it. Durations and sets ("for three years", "every week") are not
points in time and stay out. A date whose year is unknown ("il 7 ottobre" in an
undated article, ``XXXX-10-07``) keeps its place in the timeline as it was written:
marked relative, listed after the dated entries, never given a guessed year.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

POINT_TYPES = ("DATE", "TIME")
MAX_TEXT = 400  # characters of a sentence shown in an entry
# A known year (2014, 2020-01, 2024-W03), or an unknown year with a known month.
PLACEABLE = re.compile(r"\d{4}(?:$|-)|XXXX-\d{2}(?:$|-)")


def build_timeline(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """``[{date, granularity, relative, text, sources, languages}]`` ordered by date.

    ``rows``: temporal expressions in stream order, each with ``type``, ``value``,
    ``granularity``, ``relative``, ``article_id``, ``lang`` and ``sentence_text``.
    """
    entries: dict[str, dict[str, Any]] = {}
    for row in rows:
        if row["type"] not in POINT_TYPES:
            continue
        date = _day_or_coarser(str(row["value"]))
        if not PLACEABLE.match(date):
            continue  # PAST_REF, a weekday of an unknown week: no point on a timeline
        entry = entries.get(date)
        if entry is None:
            entry = entries[date] = {
                "date": date, "granularity": _granularity(date, row.get("granularity")),
                "relative": "X" in date, "text": _sentence(row), "sources": [],
                "languages": []}
        if row["article_id"] not in entry["sources"]:
            entry["sources"].append(row["article_id"])
        lang = row.get("lang")
        if lang and lang not in entry["languages"]:
            entry["languages"].append(lang)
    return sorted(entries.values(), key=lambda e: (e["relative"], e["date"]))


def _day_or_coarser(value: str) -> str:
    """A TIME's date part (``2024-01-24T10:00`` → ``2024-01-24``); other values as they are."""
    return value.split("T", 1)[0]


def _granularity(date: str, given: str | None) -> str:
    """The stored granularity, except for a TIME folded to its day."""
    if given in (None, "", "hour", "minute", "second", "time", "part-of-day"):
        return {4: "year", 7: "month", 10: "day"}.get(len(date), given or "day")
    return given


def _sentence(row: Mapping[str, Any]) -> str:
    text = " ".join(str(row.get("sentence_text") or row.get("text") or "").split())
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT - 1].rstrip() + "…"
