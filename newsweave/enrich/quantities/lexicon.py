"""The quantity word files: their fields, and reading them with a check.

Every word the quantity finder reads lives in ``newsweave/data/quantities/``: one
``<lang>.json`` per language (number words, scales, vague plurals, cues for
approximations, bounds and ranges, units, and what is counted, to a canonical English
key) and ``universal.json`` (currency signs, unit symbols, scale abbreviations that
stick to a number). Code names fields; supporting a new language is adding one file.

:data:`FIELDS` is the one table of a language file's fields. Reading a file checks it
against the table: a malformed file or a field of the wrong type is refused with a
:class:`~newsweave.enrich.lexicon_files.LexiconError` that names the file and the
field. Month names come from the entity lexicon (``data/lexicon/<lang>.json``), so
they are written once. Nothing is read at import time.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from ..lexicon_files import LexiconError, lexicon_dir, read_language_file

# Kinds of field.
WORDS = "words"  # a list of words or phrases, matched folded (lowercase, NFC)
TEXT = "text"  # one string
FLAG = "flag"  # true or false
MAP = "map"  # word or phrase -> string
NUMBERS = "numbers"  # word or phrase -> number
RANGES = "ranges"  # word or phrase -> [low, high]


@dataclass(frozen=True, slots=True)
class Field:
    """One field of a quantity word file."""

    name: str
    kind: str
    help: str


FIELDS: tuple[Field, ...] = (
    Field("decimal", TEXT, "the decimal separator, \",\" or \".\"; the other one and "
          "no-break spaces group thousands"),
    Field("space_groups", FLAG, "a plain space also groups thousands (\"2 500\")"),
    Field("months_capitalised", FLAG, "month names are written capitalised (English "
          "\"May\"): a lowercase one is another word (\"may\")"),
    Field("number_words", NUMBERS, "number words, alone or inside a written-out number"),
    Field("number_morphemes", NUMBERS, "pieces found only inside a one-word compound "
          "number (Italian \"vent\" in \"ventuno\", German \"und\")"),
    Field("multiplier_words", WORDS, "number words that multiply what precedes them "
          "(\"dozen\")"),
    Field("bare_multipliers", WORDS, "\"hundred\", \"thousand\" words that stand for "
          "a number alone (\"mille soldati\"); others need a number before them "
          "(\"a million\", not \"million\")"),
    Field("article_ones", WORDS, "words for one that are also articles: a number only "
          "before another number word (\"un milione\", \"a hundred\")"),
    Field("number_joiners", WORDS, "words inside a written-out number (\"vingt et un\")"),
    Field("scales", NUMBERS, "words after a number that multiply it (\"2,5 milioni\")"),
    Field("vague", RANGES, "vague plurals, each a range [low, high] (\"migliaia\")"),
    Field("approx_before", WORDS, "approximation cues before a number (\"circa\")"),
    Field("approx_after", WORDS, "approximation cues after a number (\"or so\")"),
    Field("lower_before", WORDS, "lower-bound cues before a number (\"more than\")"),
    Field("lower_after", WORDS, "lower-bound cues after a number (\"or more\")"),
    Field("upper_before", WORDS, "upper-bound cues before a number (\"up to\")"),
    Field("range_openers", WORDS, "words opening a range (\"between\", \"tra\")"),
    Field("range_links", WORDS, "words between the two ends of an opened range "
          "(\"and\", \"e\")"),
    Field("range_bare_links", WORDS, "words between two numbers that make a range on "
          "their own (\"to\", \"-\")"),
    Field("units", MAP, "unit words after a number, to a canonical unit (\"euro\": "
          "\"EUR\")"),
    Field("counted", MAP, "nouns for what is counted, to a canonical English key "
          "(\"soldati\": \"troops\")"),
    Field("counted_verbs", MAP, "verbs that say what happened to what is counted "
          "(\"uccise\": \"killed\")"),
    Field("lookback_links", WORDS, "words just before a number after which what it counts "
          "may stand earlier in the clause (\"the death toll rose to 45\")"),
    Field("counted_links", WORDS, "words between a number and what it counts "
          "(\"di\", \"of\")"),
    Field("place_prepositions", WORDS, "prepositions before the place a claim is "
          "about (\"in\", \"nel\")"),
    Field("date_links", WORDS, "words between a day and its month (\"7 de octubre\", "
          "\"7th of May\")"),
    Field("time_after", WORDS, "words after a number that make it a clock time "
          "(\"Uhr\", \"p.m.\")"),
    Field("time_before", WORDS, "words before a small number that make it a clock "
          "time (\"alle ore\")"),
    Field("ordinal_before", WORDS, "words before \"3.\" that make it an ordinal "
          "(German \"der\")"),
    Field("label_words", WORDS, "nouns before a number that make it a label, not a "
          "quantity (\"article 5\", \"legge 194\", \"flight 370\")"),
    Field("and_words", WORDS, "\"and\": a verb across it belongs to another clause "
          "(\"murieron y 30 resultaron heridas\")"),
    Field("ordinal_suffixes", WORDS, "endings stuck to a number that make it an "
          "ordinal (\"th\", \"°\")"),
)
UNIVERSAL_FIELDS: tuple[Field, ...] = (
    Field("units_before", MAP, "currency signs before a number (\"$\": \"USD\")"),
    Field("units_after", MAP, "unit symbols after a number, in every language"),
    Field("attached_scales", NUMBERS, "scale abbreviations stuck to a number (\"5bn\")"),
    Field("currencies", WORDS, "the canonical units that are money: a claim about an "
          "amount may say what it counts after it (\"$5 million in aid\")"),
    Field("generic_counted", WORDS, "canonical keys that a verb replaces (\"people\" "
          "killed: \"killed\"); other keys take the verb after them (\"troops killed\")"),
)
_BY_NAME = {f.name: f for f in FIELDS}
_SCALARS = ("lang", "decimal", "space_groups", "months_capitalised")


def fold(text: str) -> str:
    """Lowercase, NFC, typographic apostrophes made plain: how words are compared.
    Words recur from sentence to sentence: short ones are memoised."""
    return _fold_memo(text) if len(text) <= 32 else _fold(text)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).lower().replace("’", "'")


_fold_memo = lru_cache(maxsize=1 << 16)(_fold)


@dataclass(slots=True)
class QuantityWords:
    """One language's quantity words, folded, with the universal symbols merged in."""

    lang: str
    decimal: str = "."
    space_groups: bool = False
    months_capitalised: bool = False
    lists: dict[str, Any] = field(default_factory=dict)
    months: frozenset[str] = frozenset()

    def words(self, name: str) -> Any:  # noqa: ANN401 - a list, map or flag by field
        """The folded value of field ``name`` (empty when the file lacks it)."""
        return self.lists.get(name, {} if _kind(name) in (MAP, NUMBERS, RANGES) else ())


def _kind(name: str) -> str:
    spec = _BY_NAME.get(name) or next((f for f in UNIVERSAL_FIELDS if f.name == name), None)
    return spec.kind if spec else WORDS


def data_dir() -> Traversable:
    """The package's quantity word folder."""
    return resources.files("newsweave") / "data" / "quantities"


def languages(folder: Traversable | Path | None = None) -> list[str]:
    """The languages that have a quantity word file."""
    folder = data_dir() if folder is None else folder
    return sorted(p.name.removesuffix(".json") for p in folder.iterdir()
                  if p.name.endswith(".json") and p.name != "universal.json")


def load_words(lang: str, folder: Traversable | Path | None = None) -> QuantityWords | None:
    """``lang``'s quantity words, checked, or None when there is no file for it."""
    folder = data_dir() if folder is None else folder
    path = folder / f"{lang}.json"
    if not path.is_file():
        return None
    raw = _read(path, FIELDS, lang)
    universal = _read(folder / "universal.json", UNIVERSAL_FIELDS, None)
    lists = {name: _folded(value) for name, value in {**universal, **raw}.items()
             if not name.startswith("_") and name not in _SCALARS}
    if raw.get("decimal") not in (",", "."):
        raise LexiconError(f"{path.name}: field 'decimal' must be \",\" or \".\", not "
                           f"{raw.get('decimal')!r}")
    return QuantityWords(lang, raw["decimal"], bool(raw.get("space_groups", False)),
                         bool(raw.get("months_capitalised", False)), lists, _months(lang))


def _months(lang: str) -> frozenset[str]:
    """Month names and abbreviations of ``lang`` from the entity lexicon."""
    path = lexicon_dir() / f"{lang}.json"
    if not path.is_file():
        return frozenset()
    return frozenset(fold(m).rstrip(".") for m in read_language_file(path).get("months", []))


def _folded(value: Any) -> Any:  # noqa: ANN401 - JSON
    if isinstance(value, dict):
        return {fold(k): v for k, v in value.items()}
    if isinstance(value, list):
        return tuple(fold(v) for v in value)
    return value


def _read(path: Traversable | Path, fields: tuple[Field, ...], lang: str | None
          ) -> dict[str, Any]:
    """A word file's object, every field checked against ``fields``."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise LexiconError(f"{path.name}: not valid JSON at line {exc.lineno}, column "
                           f"{exc.colno}: {exc.msg}") from None
    if not isinstance(raw, dict):
        raise LexiconError(f"{path.name}: must hold a JSON object")
    if lang is not None and raw.get("lang") != lang:
        raise LexiconError(f"{path.name}: field 'lang' must be {lang!r}, not "
                           f"{raw.get('lang')!r}")
    known = {f.name: f for f in fields}
    for name, value in raw.items():
        if name in ("lang", "_about"):
            continue
        if name not in known:
            raise LexiconError(f"{path.name}: unknown field {name!r}; the fields are "
                               "listed in docs/claims.md")
        check(path.name, known[name], value)
    return raw


def check(file: str, spec: Field, value: Any) -> None:  # noqa: ANN401 - JSON
    """Refuse ``value`` unless it is what ``spec``'s kind says."""
    where = f"{file}: field {spec.name!r}"
    if spec.kind == FLAG:
        ok = isinstance(value, bool)
    elif spec.kind == TEXT:
        ok = isinstance(value, str) and bool(value)
    elif spec.kind == WORDS:
        ok = isinstance(value, list) and all(_word(v) for v in value)
    else:
        ok = isinstance(value, dict) and all(_word(k) for k in value) \
            and all(_value_ok(spec.kind, v) for v in value.values())
    if not ok:
        raise LexiconError(f"{where} must be {_EXPECTED[spec.kind]}")


def _word(v: Any) -> bool:  # noqa: ANN401 - JSON
    return isinstance(v, str) and bool(v.strip()) and v == v.strip()


def _value_ok(kind: str, v: Any) -> bool:  # noqa: ANN401 - JSON
    if kind == MAP:
        return _word(v)
    if kind == NUMBERS:
        return isinstance(v, int | float) and not isinstance(v, bool) and v >= 0
    return (isinstance(v, list) and len(v) == 2
            and all(isinstance(x, int | float) and not isinstance(x, bool) for x in v)
            and 0 <= v[0] <= v[1])


_EXPECTED = {
    FLAG: "true or false",
    TEXT: "a non-empty string",
    WORDS: "a list of non-blank strings without surrounding spaces",
    MAP: "an object of word: non-blank string",
    NUMBERS: "an object of word: number (0 or more)",
    RANGES: "an object of word: [low, high] with 0 <= low <= high",
}
