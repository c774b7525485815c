"""Per-language cue words for the rule-based recogniser.

Each language has a JSON file in ``newsweave/data/lexicon/`` (titles that precede a
person's name, organisation and place head words, prepositions that introduce
places, name particles, capitalised words that are never names, months and
weekdays). A language without a file still gets the universal cues below, so the
recogniser works for any language written with capitals.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources

from ...stories.terms import fold

# Cues that hold across many languages; the per-language files add to them.
UNIVERSAL_PARTICLES = frozenset(
    "al el ad an ar as at ash az ibn bin bint ben abu abou von van der den de di da du del "
    "della dos das do la le ter ten".split())
UNIVERSAL_TITLES = frozenset(
    "ayatollah sheikh sheik emir imam mullah pope president premier general colonel "
    "minister".split())
ROMAN_NUMERALS = frozenset("II III IV V VI VII VIII IX X XI XII".split())
NAME_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr."})

FIELDS = ("person_titles", "honorifics", "org_heads", "org_suffixes", "loc_heads",
          "loc_preps", "person_verbs", "name_particles", "stop_capitalised", "months",
          "weekdays")


@dataclass(frozen=True, slots=True)
class Lexicon:
    """The cue words of one language, folded (lowercase, no accents)."""

    lang: str
    person_titles: frozenset[str] = frozenset()
    honorifics: frozenset[str] = frozenset()
    org_heads: frozenset[str] = frozenset()
    org_suffixes: frozenset[str] = frozenset()
    loc_heads: frozenset[str] = frozenset()
    loc_preps: frozenset[str] = frozenset()
    person_verbs: tuple[str, ...] = ()
    name_particles: frozenset[str] = frozenset()
    stop_capitalised: frozenset[str] = frozenset()
    months: frozenset[str] = frozenset()
    weekdays: frozenset[str] = frozenset()
    titles: frozenset[str] = field(default=frozenset())  # person_titles | honorifics

    def is_title(self, word: str) -> bool:
        w = fold(word)
        return w in self.titles or w.rstrip(".") in self.titles or w in UNIVERSAL_TITLES

    def is_stop(self, word: str) -> bool:
        """A capitalised word that is not a name (determiner, adverb, month, ...)."""
        w = fold(word)
        return w in self.stop_capitalised or w in self.months or w in self.weekdays

    def is_calendar(self, word: str) -> bool:
        w = fold(word).rstrip(".")
        return w in self.months or w in self.weekdays

    def is_particle(self, word: str) -> bool:
        w = fold(word)
        return w in self.name_particles or w in UNIVERSAL_PARTICLES


class LexiconSet:
    """Lexicons by language, loaded lazily from the package data; state on the object."""

    def __init__(self) -> None:
        self._cache: dict[str, Lexicon] = {}
        self._available = {p.name.removesuffix(".json") for p in _data_dir().iterdir()
                           if p.name.endswith(".json")} if _data_dir().is_dir() else set()

    @property
    def languages(self) -> frozenset[str]:
        return frozenset(self._available)

    def get(self, lang: str | None) -> Lexicon:
        key = lang if lang in self._available else "_"
        if key not in self._cache:
            self._cache[key] = _load(key) if key != "_" else Lexicon(lang="_")
        return self._cache[key]


def _data_dir():  # noqa: ANN202 - a Traversable
    return resources.files("newsweave") / "data" / "lexicon"


def _load(lang: str) -> Lexicon:
    raw = json.loads((_data_dir() / f"{lang}.json").read_text(encoding="utf-8"))
    sets = {name: frozenset(fold(w) for w in raw.get(name, ())) for name in FIELDS
            if name != "person_verbs"}
    verbs = tuple(sorted({fold(v) for v in raw.get("person_verbs", ())}, key=len, reverse=True))
    titles = frozenset(w.rstrip(".") for w in sets["person_titles"] | sets["honorifics"])
    return Lexicon(lang=lang, person_verbs=verbs, titles=titles, **sets)
