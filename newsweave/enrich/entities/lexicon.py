"""Per-language cue words for the rule-based recogniser.

Each language has a JSON file in ``newsweave/data/lexicon/`` (titles that precede a
person's name, organisation and place head words, prepositions that introduce
places, name particles, capitalised words that are never names, months and
weekdays). A language without a file still gets the universal cues below, so the
recogniser works for any language written with capitals.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from importlib import resources

from ...clean.fold import fold  # memoised for words: halves the stage's time

# Cues that hold across many languages; the per-language files add to them.
UNIVERSAL_PARTICLES = frozenset(
    "al el ad an ar as at ash az ibn bin bint ben abu abou von van der den de di da du del "
    "della dos das do la le ter ten".split())
UNIVERSAL_TITLES = frozenset(
    "ayatollah sheikh sheik emir imam mullah pope president premier general colonel "
    "minister".split())
# Acronyms of things, not of organisations, places or people: time zones, formats and
# protocols, diseases and substances, taxes and economic measures, roles. A lone
# acronym is otherwise taken for an organisation ("UTC", "URL", "IVA" were KIND's
# most frequent false organisations).
NON_NAME_ACRONYMS = frozenset(w.lower() for w in """
    UTC GMT CET CEST EET EEST EST EDT CST CDT PST PDT BST MSK IST JST AEST WET
    URL URI HTTP HTTPS HTML XML PDF GPS GPX SMS MMS USB DVD CD LED LCD TV HD HDTV IP VPN
    WIFI PC CPU GPU API DNS RSS FAQ PIN ISBN ISSN QR SIM SUV UFO DIY
    DNA RNA HIV AIDS SARS MERS COVID LSD MRI TAC PCR BSE ADHD
    GDP PIL IVA VAT IMU IRPEF TASI PMI IPO CEO CFO CTO COO MVP VIP DJ
    GP KO OK ELO AM FM NB PS CV
    ET SOS IQ QI GPL LPG TFR IRAP IRES ISEE EPO DRM TBC LGBT ADSL FTTH IPTV VHF UHF LTE GSM
    GPRS UMTS NFC RAM ROM SSD OGM GMO""".split())
ROMAN_NUMERALS = frozenset("II III IV V VI VII VIII IX X XI XII".split())
NAME_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr."})

# Languages that capitalise every noun: there a capitalised word after an article or
# an inflected adjective is a common noun unless something else says it is a name.
NOUN_DETERMINERS = {
    "de": frozenset("der die das den dem des ein eine einen einem einer eines kein keine "
                    "keinen keinem keiner dieser diese dieses diesen diesem jeder jede jedes "
                    "jeden jedem alle allen im am zum zur vom beim ins ans aufs seine seinen "
                    "seiner seinem sein ihre ihren ihrer ihrem ihr unser unsere unseren "
                    "mein meine meinen welche welcher welches manche mehrere viele wenige "
                    "einige".split()),
}
ADJECTIVE_ENDINGS = {"de": ("e", "en", "er", "es", "em")}
# English: an unexplained single capitalised word after an article is seldom a person
# or a place ("the Mesolithic", "the Mongols"); measured on WikiNEuRal (+0.009 F1 en).
# The same with Romance and Dutch articles lost as much as it won: "la Cina".
SINGLE_BLOCKERS = {"en": frozenset({"the", "a", "an"})}
# Languages whose place words open a name ("Monte Rosa", "Corso Italia", "Costa Rica"):
# their own place words closing a name are surnames ("Mario Monti", "Simone Corsi",
# "Gino Strada"); only the English ones close one ("Oxford Street", "Charles River").
HEADS_LEAD = frozenset({"it", "es", "fr", "pt", "ro", "ca"})

# Files of the lexicon folder that hold one list for every language, not a language.
SHARED_FILES = frozenset({"given_names.json", "concepts.json"})

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
    noun_determiners: frozenset[str] = frozenset()
    adjective_endings: tuple[str, ...] = ()
    single_blockers: frozenset[str] = frozenset()

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
        return w in self.titles or w.rstrip(".") in self.titles or w in UNIVERSAL_TITLES

    def is_stop(self, word: str) -> bool:
        """A capitalised word that is not a name (determiner, adverb, month, ...)."""
        w = fold(word)
        return (w in self.stop_capitalised or w in self.months or w in self.weekdays
                or (w in NON_NAME_ACRONYMS and word.isupper()))

    def is_calendar(self, word: str) -> bool:
        w = fold(word).rstrip(".")
        return w in self.months or w in self.weekdays

    def is_particle(self, word: str) -> bool:
        """A name particle of this language, or a Latin-script one of any ("von",
        "al-"); a Cyrillic "до" is not the Portuguese "do" however it transliterates."""
        w = fold(word)
        return w in self.name_particles or (w in UNIVERSAL_PARTICLES and is_latin(word))


class LexiconSet:
    """Lexicons by language, loaded lazily from the package data; state on the object."""

    def __init__(self) -> None:
        self._cache: dict[str, Lexicon] = {}
        self._given: frozenset[str] | None = None
        self._own_given: frozenset[str] | None = None
        self._surnames: frozenset[str] | None = None
        self._concepts: frozenset[str] | None = None
        self._available = {p.name.removesuffix(".json") for p in _data_dir().iterdir()
                           if p.name.endswith(".json") and p.name not in SHARED_FILES
                           } if _data_dir().is_dir() else set()

    @property
    def languages(self) -> frozenset[str]:
        return frozenset(self._available)

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
            path = _data_dir() / "given_names.json"
            names = json.loads(path.read_text(encoding="utf-8"))["names"] if path.is_file() \
                else {}
            self._own_given = frozenset(fold(n) for lst in names.values() for n in lst)
        return self._own_given

    @property
    def concepts(self) -> frozenset[str]:
        """Religions, scriptures, ideologies and doctrines of every language, folded
        (``data/lexicon/concepts.json``): common nouns the press capitalises ("el Islam",
        "la Sharia") that are never a person, whatever the name lists say."""
        if self._concepts is None:
            path = _data_dir() / "concepts.json"
            words = json.loads(path.read_text(encoding="utf-8"))["words"] if path.is_file() \
                else {}
            self._concepts = frozenset(fold(w) for lst in words.values() for w in lst)
        return self._concepts

    def get(self, lang: str | None) -> Lexicon:
        """The lexicon of ``lang``; organisation heads and suffixes, and place heads,
        also include the English ones, since English names turn up in every language's
        press ("Wikimedia Foundation", "Goldman Sachs Group Inc", "Charles River";
        place heads: KIND +0.002)."""
        key = lang if lang in self._available else "_"
        if key not in self._cache:
            own = _load(key) if key != "_" else Lexicon(lang="_")
            if key != "en" and "en" in self._available:
                en = self.get("en")
                tails = en.loc_heads if key in HEADS_LEAD else own.loc_heads | en.loc_heads
                own = replace(own, org_heads=own.org_heads | en.org_heads,
                              org_suffixes=own.org_suffixes | en.org_suffixes,
                              loc_heads=own.loc_heads | en.loc_heads, loc_tails=tails)
            self._cache[key] = own
        return self._cache[key]


def _data_dir():  # noqa: ANN202 - a Traversable
    return resources.files("newsweave") / "data" / "lexicon"


def _load(lang: str) -> Lexicon:
    raw = json.loads((_data_dir() / f"{lang}.json").read_text(encoding="utf-8"))
    sets = {name: frozenset(fold(w) for w in raw.get(name, ())) for name in FIELDS
            if name != "person_verbs"}
    verbs = tuple(sorted({fold(v) for v in raw.get("person_verbs", ())}, key=len, reverse=True))
    titles = frozenset(w.rstrip(".") for w in sets["person_titles"] | sets["honorifics"])
    function_words = sets["stop_capitalised"] | sets["loc_preps"] | sets["name_particles"]
    return Lexicon(lang=lang, person_verbs=verbs, titles=titles,
                   cased_titles=titles & function_words,
                   noun_determiners=NOUN_DETERMINERS.get(lang, frozenset()),
                   adjective_endings=ADJECTIVE_ENDINGS.get(lang, ()),
                   single_blockers=SINGLE_BLOCKERS.get(lang, frozenset()),
                   loc_tails=sets["loc_heads"], **sets)


def is_latin(word: str) -> bool:
    """Whether every letter of ``word`` is Latin (with its accents)."""
    return all(ord(c) < 0x250 for c in word if c.isalpha())
