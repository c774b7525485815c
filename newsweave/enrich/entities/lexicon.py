"""Per-language cue words for the rule-based recogniser, folded and ready to match.

Each language has a JSON file in ``newsweave/data/lexicon/`` (titles that precede a
person's name, organisation and place head words, prepositions that introduce
places, name particles, capitalised words that are never names, months and
weekdays, and the words around a name that say what it names: "secondo", "l'uragano",
"la società", "presidente della"); :mod:`newsweave.enrich.lexicon_files` reads and
checks them. A language without a file still gets the words of every language's
fields of scope "any" and of ``universal.json``, so the recogniser works for any
language written with capitals.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from newsweave.enrich.lexicon_files import (
    ANY,
    FIELD_BY_NAME,
    FIELDS,
    OWN,
    SHARED_FILES,  # noqa: F401 - re-exported
    WORDS,
    language_files,
    read_shared,
    read_universal,
)

from ...clean.fold import fold  # memoised for words: halves the stage's time

# Fields read from a language file as sets of folded words, the rest of the Lexicon's
# fields being derived from them, from the other files or kept as written.
_FOLDED = tuple(f.name for f in FIELDS if f.kind == WORDS and f.name != "person_verbs")
# The sport cues' language-independent part: a match score ("3-1", not "1-2-3" or a date).
_SCORE = r"(?<![\d.,/-])\d{1,2} ?- ?\d{1,2}(?![\d.,/-])"


@dataclass(frozen=True, slots=True)
class Lexicon:
    """The cue words of one language, folded (lowercase, no accents) unless a field's
    kind says otherwise (docs/entities.md, "The lexicon files"). Fields of scope "any"
    hold every language's words, and a language without a file (``lang`` "_") has
    only those."""

    lang: str
    person_titles: frozenset[str] = frozenset()
    honorifics: frozenset[str] = frozenset()
    org_heads: frozenset[str] = frozenset()
    org_suffixes: frozenset[str] = frozenset()
    loc_heads: frozenset[str] = frozenset()
    loc_tails: frozenset[str] = frozenset()  # place words that may close a name
    loc_preps: frozenset[str] = frozenset()
    person_verbs: tuple[str, ...] = ()
    name_particles: frozenset[str] = frozenset()
    stop_capitalised: frozenset[str] = frozenset()
    months: frozenset[str] = frozenset()
    weekdays: frozenset[str] = frozenset()
    titles: frozenset[str] = field(default=frozenset())  # person_titles | honorifics
    # Titles spelt like a function word of the language match only in capitals: the
    # Italian "AD" (amministratore delegato), never the preposition "ad Alcamo".
    cased_titles: frozenset[str] = frozenset()
    inflects_place_names: bool = False
    split_at_town: bool = False
    own_heads: frozenset[str] = frozenset()
    club_articles: frozenset[str] = frozenset()
    noun_determiners: frozenset[str] = frozenset()
    adjective_endings: tuple[str, ...] = ()
    single_blockers: frozenset[str] = frozenset()
    name_titles: frozenset[str] = frozenset()  # exact case: "Don"
    surname_prefixes: frozenset[str] = frozenset()
    surname_particles: frozenset[str] = frozenset()  # with the surname prefixes
    thing_words: frozenset[str] = frozenset()
    org_words_before: frozenset[str] = frozenset()
    office_bodies: dict[str, str] = field(default_factory=dict, hash=False)
    list_glue: re.Pattern[str] | None = None  # ", " or " and " between two names
    lowercase_tail_endings: tuple[str, ...] = ()
    place_heads_lead: bool = False
    place_words_before: frozenset[str] = frozenset()  # street, feature and division words
    institution_nouns: dict[str, str] = field(default_factory=dict, hash=False)
    generic_institution_nouns: frozenset[str] = frozenset()
    nationality_after_noun: bool = False
    definite_articles: frozenset[str] = frozenset()
    press_country: str | None = None
    sport_cues: re.Pattern[str] | None = None
    # scope "any": every language's words
    source_words: frozenset[str] = frozenset()
    government_words: frozenset[str] = frozenset()
    articles: frozenset[str] = frozenset()
    bodies: frozenset[str] = frozenset()
    connectors: frozenset[str] = frozenset()
    org_connectors: frozenset[str] = frozenset()
    split_connectors: frozenset[str] = frozenset()  # with the org connectors
    articled_of: frozenset[str] = frozenset()  # exact form: "del"
    saints: frozenset[str] = frozenset()
    compass_first: frozenset[str] = frozenset()
    compass_last: frozenset[str] = frozenset()
    compass_before_country: frozenset[str] = frozenset()
    and_words: frozenset[str] = frozenset()
    place_prefixes: frozenset[str] = frozenset()
    admin_prefixes: frozenset[str] = frozenset()
    town_words: frozenset[str] = frozenset()  # street words of a town's streets, buildings
    for_prepositions: frozenset[str] = frozenset()
    state_heads: frozenset[str] = frozenset()
    compass_adjectives: frozenset[str] = frozenset()
    tail_connectors: frozenset[str] = frozenset()
    off_map_words: frozenset[str] = frozenset()  # every language's street_words
    # universal.json
    universal_particles: frozenset[str] = frozenset()
    universal_titles: frozenset[str] = frozenset()
    non_name_acronyms: frozenset[str] = frozenset()
    roman_numerals: frozenset[str] = frozenset()  # exact case: "II"
    name_suffixes: frozenset[str] = frozenset()

    def marks_common_noun(self, previous: str) -> bool:
        """In a noun-capitalising language, whether the word before a capitalised word
        makes it a common noun ("die Regierung", "neue Pläne")."""
        if not self.noun_determiners:
            return False
        w = fold(previous)
        return w in self.noun_determiners or (
            previous[:1].islower() and len(w) > 3 and w.endswith(self.adjective_endings))

    def is_title(self, word: str) -> bool:
        w = fold(word)
        if w in self.cased_titles:
            return word.isupper()
        return w in self.titles or w.rstrip(".") in self.titles or w in self.universal_titles

    def is_stop(self, word: str) -> bool:
        """A capitalised word that is not a name (determiner, adverb, month, ...)."""
        w = fold(word)
        return (w in self.stop_capitalised or w in self.months or w in self.weekdays
                or (w in self.non_name_acronyms and word.isupper()))

    def is_calendar(self, word: str) -> bool:
        w = fold(word).rstrip(".")
        return w in self.months or w in self.weekdays

    def is_particle(self, word: str) -> bool:
        """A name particle of this language, or a Latin-script one of any ("von",
        "al-"); a Cyrillic "до" is not the Portuguese "do" however it transliterates."""
        w = fold(word)
        return w in self.name_particles or (w in self.universal_particles and is_latin(word))


class LexiconSet:
    """Lexicons by language, read from the lexicon files the first time one is asked
    for (every file at once, checked: see :mod:`newsweave.enrich.lexicon_files`), and
    kept on the object. ``folder`` is the package's lexicon folder unless given."""

    def __init__(self, folder: Traversable | Path | None = None) -> None:
        self._folder = folder
        self._files: dict[str, dict[str, Any]] | None = None
        self._shared: Lexicon | None = None
        self._cache: dict[str, Lexicon] = {}
        self._given: frozenset[str] | None = None
        self._own_given: frozenset[str] | None = None
        self._surnames: frozenset[str] | None = None
        self._concepts: frozenset[str] | None = None

    @property
    def files(self) -> dict[str, dict[str, Any]]:
        """Every language file's fields as written, checked, by language."""
        if self._files is None:
            self._files = language_files(self._folder)
        return self._files

    @property
    def languages(self) -> frozenset[str]:
        return frozenset(self.files)

    @property
    def press_countries(self) -> dict[str, str]:
        """Language → the country whose press writes nearly all of its news."""
        return {lang: raw["press_country"] for lang, raw in self.files.items()
                if raw.get("press_country")}

    @property
    def given_names(self) -> frozenset[str]:
        """Common first names of every language, folded: a capitalised run that starts
        with one is a person ("Flavio Carboni"). One set for all languages, since
        names travel ("Ajay Banga" in a German text): our own list (``own_given_names``)
        widened with Faker's (names.py), which the recogniser trusts only where the
        name is not also an everyday word of the text's language."""
        if self._given is None:
            from .names import borrowed_given_names

            self._given = self.own_given_names | {fold(n) for n in borrowed_given_names()}
        return self._given

    @property
    def surnames(self) -> frozenset[str]:
        """Common surnames of 86 locales (Faker's lists, names.py), folded."""
        if self._surnames is None:
            from .names import faker_names

            self._surnames = frozenset(fold(n) for n in faker_names()[1])
        return self._surnames

    @property
    def own_given_names(self) -> frozenset[str]:
        """Our hand-checked list (``data/lexicon/given_names.json``), folded."""
        if self._own_given is None:
            names = read_shared(self._folder, "given_names.json", "names")
            self._own_given = frozenset(fold(n) for lst in names.values() for n in lst)
        return self._own_given

    @property
    def concepts(self) -> frozenset[str]:
        """Religions, scriptures, ideologies and doctrines of every language, folded
        (``data/lexicon/concepts.json``): common nouns the press capitalises ("el Islam",
        "la Sharia") that are never a person, whatever the name lists say."""
        if self._concepts is None:
            words = read_shared(self._folder, "concepts.json", "words")
            self._concepts = frozenset(fold(w) for lst in words.values() for w in lst)
        return self._concepts

    def get(self, lang: str | None) -> Lexicon:
        """The lexicon of ``lang``; organisation heads and suffixes, and place heads,
        also include the English ones, since English names turn up in every language's
        press ("Wikimedia Foundation", "Goldman Sachs Group Inc", "Charles River";
        place heads: KIND +0.002)."""
        key = lang if lang in self.files else "_"
        if key not in self._cache:
            own = _build(key, self.files[key], self.shared) if key != "_" else self.shared
            if key != "en" and "en" in self.files:
                en = self.get("en")
                tails = en.loc_heads if own.place_heads_lead else own.loc_heads | en.loc_heads
                own = replace(own, org_heads=own.org_heads | en.org_heads,
                              org_suffixes=own.org_suffixes | en.org_suffixes,
                              loc_heads=own.loc_heads | en.loc_heads, loc_tails=tails)
            self._cache[key] = own
        return self._cache[key]

    @property
    def shared(self) -> Lexicon:
        """The lexicon of a language without a file: the fields of scope "any" (every
        file's words) and universal.json; the other languages start from it."""
        if self._shared is None:
            anys = {f.name: frozenset((fold(w) if f.kind == WORDS else w)
                                      for raw in self.files.values()
                                      for w in raw.get(f.name, ()))
                    for f in FIELDS if f.scope == ANY}
            anys["split_connectors"] |= anys["org_connectors"]
            off_map = frozenset(fold(w) for raw in self.files.values()
                                for w in raw.get("street_words", ()))
            every = {w for raw in self.files.values() for w in raw.get("conjunctions", ())}
            universal = read_universal(self._folder)
            self._shared = Lexicon(
                lang="_", **anys, off_map_words=off_map, list_glue=glue(sorted(every)),
                universal_particles=_folded(universal["particles"]),
                universal_titles=_folded(universal["titles"]),
                non_name_acronyms=_folded(universal["non_name_acronyms"]),
                roman_numerals=frozenset(universal["roman_numerals"]),
                name_suffixes=_folded(universal["name_suffixes"]))
        return self._shared


def universal_particles() -> frozenset[str]:
    """The package's universal name particles (universal.json), folded."""
    return universal_words("particles")


@lru_cache(maxsize=16)
def universal_words(name: str) -> frozenset[str]:
    """A list of the package's universal.json, folded, read once: for the functions
    that compare names without a :class:`LexiconSet` (linking, the store's name
    tables), whatever the language."""
    return _folded(read_universal()[name])


def _folded(words: Iterable[str]) -> frozenset[str]:
    return frozenset(fold(w) for w in words)


def _build(lang: str, raw: dict[str, Any], shared: Lexicon) -> Lexicon:
    """The lexicon of ``lang`` from its file's fields ``raw``, on top of ``shared``."""
    sets = {name: _folded(raw.get(name, ())) for name in _FOLDED
            if FIELD_BY_NAME[name].scope == OWN}
    verbs = tuple(sorted({fold(v) for v in raw.get("person_verbs", ())}, key=len, reverse=True))
    titles = frozenset(w.rstrip(".") for w in sets["person_titles"] | sets["honorifics"])
    function_words = sets["stop_capitalised"] | sets["loc_preps"] | sets["name_particles"]
    place_words = sets.pop("street_words") | sets.pop("division_words")
    sets["surname_particles"] |= sets["surname_prefixes"]
    own_glue = raw.get("conjunctions")
    sport = raw.get("sport_cues")
    return replace(
        shared, lang=lang, person_verbs=verbs, titles=titles,
        cased_titles=titles & function_words, loc_tails=sets["loc_heads"],
        adjective_endings=tuple(raw.get("adjective_endings", ())),
        name_titles=frozenset(raw.get("name_titles", ())),
        office_bodies={fold(k): fold(v) for k, v in raw.get("office_bodies", {}).items()},
        institution_nouns={fold(k): v for k, v in raw.get("institution_nouns", {}).items()},
        list_glue=glue(own_glue) if own_glue else shared.list_glue,
        lowercase_tail_endings=tuple(raw.get("lowercase_tail_endings", ())),
        place_heads_lead=raw.get("place_heads_lead", False),
        inflects_place_names=raw.get("inflects_place_names", False),
        split_at_town=raw.get("split_at_town", False),
        place_words_before=place_words,
        nationality_after_noun=raw.get("nationality_after_noun", False),
        press_country=raw.get("press_country"),
        sport_cues=re.compile(rf"(?:{_SCORE}|\b(?:{'|'.join(sport)})\b)", re.IGNORECASE)
        if sport else None, **sets)


def glue(conjunctions: Sequence[str]) -> re.Pattern[str]:
    """", ", "; ", " / ", " and ", ", and " between two names. The space before the
    word is asserted behind it rather than matched, so that a long run of spaces is
    not split between two quantifiers in every possible way (quadratic time)."""
    conj = "|".join(re.escape(c) for c in conjunctions)
    return re.compile(rf"^\s*(?:,|;|/|(?<=\s)(?:{conj})\s|,\s+(?:{conj})\s)\s*$", re.I)


def is_latin(word: str) -> bool:
    """Whether every letter of ``word`` is Latin (with its accents)."""
    return all(ord(c) < 0x250 for c in word if c.isalpha())
