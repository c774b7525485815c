"""Quantities: the numbers a text states, normalised per locale, with what they count.

::

    finders = QuantityFinders()
    for q in find_quantities("Gli Stati Uniti hanno 2.500 truppe in Iraq.", "it",
                             finders=finders):
        q.to_dict()  # {start: 22, end: 27, text: "2.500", value: 2500, low: 2500,
                     #  high: 2500, approx: False, unit: None, counted: "troops"}

Words are data: ``newsweave/data/quantities/<lang>.json`` (see :mod:`.lexicon`); how
a quantity is read is in :mod:`.finder`, the numbers in :mod:`.numbers`. Two limits
keep bad input harmless, both settings: ``max_quantities_per_article`` (a scan stops
there and says so) and ``max_quantity_value`` (a larger number, "1e400", is no
quantity: left out and counted in the scan's notes). docs/claims.md says how it
works and what it does not do.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from importlib.resources.abc import Traversable
from pathlib import Path

from ...models import Sentence
from ..sentences import split_sentences
from .finder import QuantityFinder
from .lexicon import load_words
from .model import Quantity, QuantityScan

RULES_VERSION = "quantities-1"
FALLBACK = "und"  # the finder for languages with no word file
DEFAULT_MAX_QUANTITIES = 500
DEFAULT_MAX_VALUE = 1e15

__all__ = ["RULES_VERSION", "Quantity", "QuantityFinders", "QuantityScan",
           "find_quantities", "scan_quantities"]


class QuantityFinders:
    """One :class:`QuantityFinder` per language, built on first use and kept."""

    def __init__(self, folder: Traversable | Path | None = None) -> None:
        self.folder = folder
        self._finders: dict[str, QuantityFinder | None] = {}

    def get(self, lang: str | None) -> QuantityFinder | None:
        """The finder for ``lang``, or None when no word file covers it."""
        key = (lang or "").lower()
        if key not in self._finders:
            words = load_words(key, self.folder) if key.isalpha() else None
            self._finders[key] = QuantityFinder(words) if words else None
        return self._finders[key]

    def fallback(self) -> QuantityFinder | None:
        """For a language with no word file (or none detected): English words, and
        no locale's decimal separator ("2.500" and "2,500" are both 2500, "2,5" and
        "2.5" both 2.5), so digits are read right in most of the world's news."""
        if FALLBACK not in self._finders:
            words = load_words("en", self.folder)
            if words is not None:
                words.lang, words.decimal = FALLBACK, ""
            self._finders[FALLBACK] = QuantityFinder(words) if words else None
        return self._finders[FALLBACK]


def scan_quantities(text: str, lang: str | None, sentences: Sequence[Sentence] | None = None,
                    *, finders: QuantityFinders | None = None,
                    max_quantities: int = DEFAULT_MAX_QUANTITIES,
                    max_value: float = DEFAULT_MAX_VALUE) -> QuantityScan:
    """Every quantity of ``text`` in order, with notes on what was left out and why."""
    scan = QuantityScan()
    finders = finders or QuantityFinders()
    finder = finders.get(lang)
    if finder is None:
        finder = finders.fallback()
        scan.notes.append(f"no quantity words for language {lang!r}: numbers read with "
                          "neutral separators and English words")
    if finder is None:
        return scan
    limit = Decimal(str(max_value))
    for sentence in (split_sentences(text) if sentences is None else sentences):
        for q in finder.sentence(text, sentence.start, sentence.end, sentence.index):
            if _beyond(q, limit):
                scan.beyond_limit += 1
                continue
            if len(scan.quantities) >= max_quantities:
                scan.cut = True
                scan.notes.append(f"cut at {max_quantities} quantities "
                                  "(setting max_quantities_per_article); the rest of "
                                  f"the text, from character {q.start}, was not read")
                return _close(scan, max_value)
            scan.quantities.append(q)
    return _close(scan, max_value)


def find_quantities(text: str, lang: str | None, sentences: Sequence[Sentence] | None = None,
                    *, finders: QuantityFinders | None = None,
                    max_quantities: int = DEFAULT_MAX_QUANTITIES,
                    max_value: float = DEFAULT_MAX_VALUE) -> list[Quantity]:
    """The quantities of ``text`` (see :func:`scan_quantities` for the notes)."""
    return scan_quantities(text, lang, sentences, finders=finders,
                           max_quantities=max_quantities, max_value=max_value).quantities


def _beyond(q: Quantity, limit: Decimal) -> bool:
    return any(v is not None and Decimal(str(v)) > limit for v in (q.value, q.low, q.high))


def _close(scan: QuantityScan, max_value: float) -> QuantityScan:
    if scan.beyond_limit:
        scan.notes.append(f"{scan.beyond_limit} number(s) above {max_value:g} left out "
                          "(setting max_quantity_value)")
    return scan
