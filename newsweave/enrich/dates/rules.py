"""The words of temporal expressions, one data file per language, read with a check.

``newsweave/data/dates/<lang>.json`` holds a language's words: number words, time
units, "last" and "next", "yesterday", "ago", "every", parts of the day, seasons and
the cues that make a bare number a year. Month and weekday names are not repeated
there: they come from ``words.json``, which the byline reader
(:mod:`newsweave.ingest.bylines`) shares. Supporting a new language means adding its
months and weekdays to ``words.json`` and one ``<lang>.json`` file; no code changes.

:data:`FIELDS` is the table of a language file's fields, its kind and meaning; the
reference in docs/dates.md follows it. Reading checks every file against the table: a
malformed file, an unknown field or a value of the wrong kind is refused with a
:class:`DateRulesError` naming the file and the field. Nothing is read at import time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from ...errors import NewsweaveError
from ..lexicon_files import _read_object as read_object
from ..lexicon_files import read_named_file

# Kinds of field.
WORDS = "words"  # list of words or phrases, matched case-insensitively
NUMBERS = "numbers"  # object: word -> number (or "X" for an unknown count)
CODES = "codes"  # object: word -> short code string (a unit, a shift, a value)
SHIFTS = "shifts"  # object: word -> -1, 0 or 1
FLAG = "flag"  # true or false
PATTERNS = "patterns"  # list of regular-expression fragments

SHARED_FILE = "words.json"
UNIT_CODES = frozenset({"Y", "M", "W", "D", "H", "MIN", "S", "DE", "CE", "Q", "WE", "2W"})
DAY_PART_CODES = frozenset({"MO", "AF", "EV", "NI", "12:00", "24:00"})
SEASON_CODES = frozenset({"SP", "SU", "FA", "WI"})
_DEICTIC = re.compile(r"^(?:[-+]?\d+D(?:MO|AF|EV|NI)?|PRESENT_REF|PAST_REF|FUTURE_REF)$")
_SET_VALUE = re.compile(r"^(?:PT?\d+(?:Y|M|W|D|H|Q)|XXXX-WXX-[1-7])$")


class DateRulesError(NewsweaveError, ValueError):
    """A date words file is malformed; the message names the file and the field."""


@dataclass(frozen=True, slots=True)
class Field:
    """One field of a language's date file."""

    name: str
    kind: str
    help: str
    codes: frozenset[str] | re.Pattern[str] | None = None


FIELDS: tuple[Field, ...] = (
    Field("capitalised_names", FLAG, "month and weekday names count only when written "
          "with a capital (English \"May\", \"March\")"),
    Field("capitalised_nouns", FLAG, "nouns are capitalised (German): a bare number before "
          "a capitalised word counts things (\"2000 Soldaten\"), before a lowercase one it "
          "may be a year (\"1998 eröffnet\")"),
    Field("month_day", FLAG, "dates may put the month before the day (\"March 3, 2020\")"),
    Field("lowercase_only", WORDS, "words that count only in lowercase (German \"morgen\", "
          "tomorrow, against \"Morgen\", morning)"),
    Field("numbers", NUMBERS, "number words before a unit (\"tre\", \"a\", \"une dizaine de\"); "
          "\"X\" for an unknown count"),
    Field("vague", WORDS, "words of an unknown count (\"alcuni\", \"several\"): \"several "
          "years\" is PXY"),
    Field("units", CODES, "time units to their code: Y M W D H MIN S DE (decade) CE "
          "(century) Q (quarter) WE (weekend) 2W (fortnight)", UNIT_CODES),
    Field("half_after", WORDS, "\"and a half\" after a unit (\"un anno e mezzo\" P1.5Y)"),
    Field("ordinals", NUMBERS, "ordinals before a quarter (\"terzo trimestre\") or a run of "
          "units (\"il terzo mese consecutivo\")"),
    Field("consecutive", WORDS, "\"consecutive\", \"in a row\": an ordinal and a unit with "
          "it are a span (\"the third straight month\" P3M)"),
    Field("period_edges", WORDS, "\"the end of\", \"le début de\", \"Ende des\" before a "
          "unit: that unit around the publication date (\"the end of the year\")"),
    Field("articles", WORDS, "articles and demonstratives that open a relative expression "
          "and belong to its span (\"l'\" in \"l'anno scorso\")"),
    Field("relative", SHIFTS, "\"last\" (-1), \"this\" (0), \"next\" (1) before or after a "
          "unit, weekday, month or season; counted from the publication date"),
    Field("deictic", CODES, "words for a day counted from the publication date (\"ieri\": "
          "-1D, \"stasera\": 0DEV) or a reference (\"now\": PRESENT_REF)", _DEICTIC),
    Field("ago_before", WORDS, "\"ago\" written before the amount (\"il y a\", \"hace\", "
          "\"vor\")"),
    Field("ago_after", WORDS, "\"ago\" written after the amount (\"fa\", \"ago\")"),
    Field("ahead_before", WORDS, "\"in\" before an amount of time to come (\"dans trois "
          "jours\", \"tra due settimane\", \"in drei Tagen\"): a date after publication"),
    Field("ahead_after", WORDS, "the same written after the amount (\"two weeks from now\")"),
    Field("duration_relative", WORDS, "those of \"relative\" that after an article make a "
          "span of one unit, not a date (\"the past year\" P1Y, \"l'ultimo anno\")"),
    Field("later", WORDS, "\"later\" after an amount: counted from the expression the text "
          "has just named (\"tre anni dopo\")"),
    Field("earlier", WORDS, "\"earlier\" after an amount, counted the same way"),
    Field("prepositions", WORDS, "those of \"later\" and \"earlier\" that are also "
          "prepositions: before a noun they make the amount a duration (\"tre anni dopo "
          "l'invasione\" is P3Y, not a date)"),
    Field("following", SHIFTS, "\"the following\" (1) or \"the previous\" (-1) beside a "
          "unit (\"l'anno successivo\"), counted from the expression just named"),
    Field("from_previous", CODES, "a day counted from the date the text has just named "
          "(\"la veille\": -1D, \"le lendemain\": +1D)", re.compile(r"^[-+]\d+D(?:MO|AF|EV|NI)?$")),
    Field("day_words", WORDS, "\"day\" before a day of the month alone (\"el pasado día "
          "12\"): that day of the publication's month"),
    Field("holidays", CODES, "holidays on a fixed day, to their month and day (\"natale\": "
          "12-25); read like a day without a year", re.compile(r"^(?:0[1-9]|1[0-2])-[0-3]\d$")),
    Field("every", WORDS, "\"every\" before a unit or weekday: a set (\"ogni settimana\")"),
    Field("set_adverbs", CODES, "words and phrases of a set, to its period (\"weekly\": "
          "P1W)", _SET_VALUE),
    Field("day_parts", CODES, "parts of the day (\"ieri sera\", \"Sonntagabend\"): MO AF "
          "EV NI, or 12:00 and 24:00 for noon and midnight",
          DAY_PART_CODES),
    Field("day_part_glue", WORDS, "words between a day and its part (\"por la\", \"in the\")"),
    Field("seasons", CODES, "seasons: SP SU FA WI", SEASON_CODES),
    Field("decade_words", WORDS, "words before a decade (\"anni '90\", \"années 1990\")"),
    Field("decade_suffixes", WORDS, "endings after a decade (\"1990s\", \"1990er Jahre\")"),
    Field("time_cues", WORDS, "words before a clock time (\"alle\", \"at\", \"um\")"),
    Field("clock_suffixes", CODES, "words after a clock time: am or pm, or empty for a "
          "24-hour clock (\"Uhr\", \"h\")", frozenset({"", "am", "pm"})),
    Field("connectors", WORDS, "words between a day, a month and a year (\"de\", \"of\")"),
    Field("year_cues", WORDS, "words right before a bare four-digit number that make it a "
          "year (\"nel\", \"in\", \"depuis\")"),
    Field("year_words", WORDS, "the word \"year\" before a number (\"l'anno 2014\")"),
    Field("future_cues", PATTERNS, "a sentence with one of these speaks of the future: its "
          "weekdays and months are the next ones, not the last"),
)
FIELD_BY_NAME = {f.name: f for f in FIELDS}


def dates_dir() -> Traversable:
    """The package's folder of date words."""
    return resources.files("newsweave") / "data" / "dates"


def read_language_file(path: Traversable | Path) -> dict[str, Any]:
    """A language's date file, checked against :data:`FIELDS`; missing fields are empty."""
    raw = read_named_file(path, FIELD_BY_NAME, "date", "docs/dates.md", DateRulesError)
    out: dict[str, Any] = {"lang": raw["lang"]}
    for field in FIELDS:
        value = raw.get(field.name, _empty(field))
        _check(path.name, field, value)
        out[field.name] = value
    return out


def read_shared(folder: Traversable | Path | None = None) -> dict[str, Any]:
    """``words.json``: month names to numbers and weekday names to ISO numbers, by
    language, checked."""
    path = (dates_dir() if folder is None else folder) / SHARED_FILE
    raw = read_object(path, DateRulesError)
    for key, top in (("months", 12), ("weekdays", 7)):
        table = raw.get(key)
        if not isinstance(table, dict):
            raise DateRulesError(f"{SHARED_FILE}: field {key!r} must be an object of "
                                 "language: {word: number}")
        for lang, words in table.items():
            if not isinstance(words, dict) or not all(
                    isinstance(w, str) and isinstance(n, int) and 1 <= n <= top
                    for w, n in words.items()):
                raise DateRulesError(f"{SHARED_FILE}: field {key}.{lang} must map words to "
                                     f"numbers 1-{top}")
    return raw


def language_files(folder: Traversable | Path | None = None) -> dict[str, dict[str, Any]]:
    """Every language's date file of ``folder`` (the package's by default), by language."""
    folder = dates_dir() if folder is None else folder
    paths = sorted((p for p in folder.iterdir()
                    if p.name.endswith(".json") and p.name != SHARED_FILE),
                   key=lambda p: p.name)
    return {p.name.removesuffix(".json"): read_language_file(p) for p in paths}


def _empty(field: Field) -> Any:  # noqa: ANN401 - JSON
    if field.kind == FLAG:
        return False
    return [] if field.kind in (WORDS, PATTERNS) else {}


def _check(file: str, field: Field, value: Any) -> None:  # noqa: ANN401 - JSON
    """Refuse ``value`` unless it is what ``field``'s kind says."""
    where = f"{file}: field {field.name!r}"
    if field.kind == FLAG:
        if not isinstance(value, bool):
            raise DateRulesError(f"{where} must be true or false, not {value!r}")
        return
    if field.kind in (WORDS, PATTERNS):
        if not isinstance(value, list):
            raise DateRulesError(f"{where} must be a list of strings")
        _strings(where, value)
        if field.kind == PATTERNS:
            for fragment in value:
                try:
                    re.compile(fragment)
                except re.error as exc:
                    raise DateRulesError(f"{where}: {fragment!r} is not a regular "
                                         f"expression ({exc})") from None
        return
    if not isinstance(value, dict):
        raise DateRulesError(f"{where} must be an object of word: value")
    _strings(where, value.keys())
    for word, v in value.items():
        if not _value_ok(field, v):
            raise DateRulesError(f"{where}: {word!r} has the value {v!r}, which is not "
                                 f"{_expected(field)}")


def _value_ok(field: Field, v: Any) -> bool:  # noqa: ANN401 - JSON
    if field.kind == NUMBERS:
        return v == "X" or (isinstance(v, int | float) and not isinstance(v, bool) and v > 0)
    if field.kind == SHIFTS:
        return v in (-1, 0, 1) and not isinstance(v, bool)
    if not isinstance(v, str):
        return False
    if isinstance(field.codes, frozenset):
        return v in field.codes
    return field.codes is None or bool(field.codes.match(v))


def _expected(field: Field) -> str:
    if field.kind == NUMBERS:
        return "a positive number or \"X\""
    if field.kind == SHIFTS:
        return "-1, 0 or 1"
    if isinstance(field.codes, frozenset):
        return "one of " + ", ".join(sorted(repr(c) for c in field.codes))
    return f"a code matching {field.codes.pattern}" if field.codes else "a string"


def _strings(where: str, values: Iterable[Any]) -> None:
    for v in values:
        if not isinstance(v, str) or not v.strip() or v != v.strip():
            raise DateRulesError(f"{where}: every entry must be a non-blank string without "
                                 f"surrounding spaces, not {v!r}")
