"""Temporal expressions: dates, times, durations and sets, with TIMEX3 values.

``find_dates(text, lang, published, sentences)`` finds them in text of any language
that has a word file in ``newsweave/data/dates/`` (it, en, de, es, fr today) and
normalises each to a TIMEX3 value; see docs/dates.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from functools import lru_cache

from .finder import DEFAULT_MAX, DateFinder, DateFindings, TimeExpression, as_date
from .rules import FIELDS, DateRulesError

# What made a stored expression, for provenance: raise it when the rules or the word
# files change what is found.
RULES_VERSION = "dates-1"

__all__ = ["DEFAULT_MAX", "RULES_VERSION", "FIELDS", "DateFinder", "DateFindings", "DateRulesError",
           "TimeExpression", "as_date", "dates_json", "default_finder", "find_dates"]


@lru_cache(maxsize=1)
def default_finder() -> DateFinder:
    """The finder over the package's word files, built on first use."""
    return DateFinder()


def find_dates(text: str, lang: str | None, published: date | datetime | str | None = None,
               sentences: Sequence | None = None) -> list[TimeExpression]:
    """The temporal expressions of ``text`` in order, each with its TIMEX3 value.

    ``published``: the publication date that relative expressions count from (None:
    unknown, so they stay relative with ``X``). ``sentences``: objects with ``start``
    and ``end`` (the sentence splitter's), which give each expression its sentence.
    """
    return default_finder().find(text, lang, published, sentences).expressions


def dates_json(finder: DateFinder, text: str, lang: str | None, published: str | None,
               sentences: Sequence | None = None) -> tuple[list[dict], list[str]]:
    """``annotate``'s ``dates`` for one record, and warnings to show the user: a
    ``published`` that is no date (the dates then stay relative), or expressions left
    out by ``max_dates_per_article``."""
    warnings = []
    try:
        day = as_date(published)
    except ValueError as exc:
        warnings.append(f"{exc}; relative dates kept relative")
        day = None
    found = finder.find(text, lang, day, sentences)
    if found.cut:
        warnings.append(f"{found.cut} temporal expressions beyond max_dates_per_article="
                        f"{finder.max_expressions} left out")
    return [e.to_dict() for e in found.expressions], warnings
