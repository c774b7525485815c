"""Given names and surnames from the ``faker`` package's person providers.

Faker (MIT licence) ships, for 86 locales, the first names and surnames its fake
people are drawn from: common names by country, collected by its contributors.
They widen our own list of given names (``data/lexicon/given_names.json``) from a
few hundred per language to thousands, and give a list of common surnames. The
package is imported lazily and only its data tuples are read; without it the
recogniser falls back to our list alone.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable
from functools import lru_cache
from importlib import metadata

FIRST_FIELDS = ("first_names", "first_names_male", "first_names_female",
                "first_names_nonbinary")
LAST_FIELDS = ("last_names", "last_names_male", "last_names_female")
# A borrowed first name that is also a very common word ("Rosa", "Stella", "Pace" in
# some locale) would start false person names; ours were chosen by hand and stay.
# Measured on KIND and WikiNEuRal: no filter 0.662 / 0.693, Zipf 5.0 0.665 / 0.694.
MAX_ZIPF = 5.0
EVERYDAY_LANGUAGES = ("en", "it", "fr", "es", "de", "pt", "nl")


def faker_version() -> str | None:
    try:
        return metadata.version("faker")
    except metadata.PackageNotFoundError:
        return None


# Both lists are pure functions of the installed packages: read once per process (a memo,
# not a registry), since every Annotator would otherwise spend two seconds on them.
@lru_cache(maxsize=1)
def faker_names() -> tuple[frozenset[str], frozenset[str]]:
    """(first names, surnames) of every Faker locale, as written; empty without Faker."""
    try:
        providers = importlib.import_module("faker.providers.person")
    except ImportError:
        return frozenset(), frozenset()
    first: set[str] = set()
    last: set[str] = set()
    for module in pkgutil.iter_modules(providers.__path__):
        provider = getattr(importlib.import_module(f"{providers.__name__}.{module.name}"),
                           "Provider", None)
        first.update(_names(provider, FIRST_FIELDS))
        last.update(_names(provider, LAST_FIELDS))
    return frozenset(first), frozenset(last)


@lru_cache(maxsize=1)
def borrowed_given_names() -> frozenset[str]:
    """Faker's first names less those that are very common words in a major European
    language (Zipf ≥ ``MAX_ZIPF``, when ``wordfreq`` is installed)."""
    first = faker_names()[0]
    try:
        from wordfreq import get_frequency_dict
    except ImportError:
        return first
    floor = 10 ** MAX_ZIPF / 1e9  # Zipf is log10 of occurrences per billion words
    tables = [get_frequency_dict(lang) for lang in EVERYDAY_LANGUAGES]
    return frozenset(n for n in first
                     if all(table.get(n.lower(), 0.0) < floor for table in tables))


def _names(provider: object, fields: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for name in fields:
        value = getattr(provider, name, None)
        if not isinstance(value, (tuple, list, dict, set, frozenset)):
            continue  # some providers compute names in properties: nothing to read
        out.update(n for n in value if isinstance(n, str) and " " not in n and len(n) > 1)
    return out
