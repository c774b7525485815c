"""The lexicon files: what fields a language's file has, and reading them with a check.

Every word a rule reads lives in ``newsweave/data/lexicon/``: one ``<lang>.json`` per
language (``it.json``: titles, head words, place words, institution nouns, ...), and
shared files whose lists hold for every language (``universal.json``,
``given_names.json``, ``concepts.json``). Code names fields; the words are data, so
supporting a new language means adding one file.

:data:`FIELDS` is the one table of a language file's fields: its kind (how it is
written and read), its scope (read only in texts of the file's language, or in texts
of every language, as the union of all files) and what it is for; the reference in
docs/entities.md follows it. Reading a file checks it against the table, like the
knowledge base: a malformed file or a field of the wrong type is refused with a
:class:`LexiconError` that names the file and the field. Nothing is read at import
time; the entity stage's ``LexiconSet`` reads the files once and keeps them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from ..errors import NewsweaveError

# Kinds of field: how a value is written in the file.
WORDS = "words"  # a list of words, matched case-folded and without accents
FORMS = "forms"  # a list of strings matched exactly as written (case, accents, script)
MAP = "map"  # an object from a word (matched folded) to a string
TEXT = "text"  # one string
FLAG = "flag"  # true or false
PATTERNS = "patterns"  # a list of regular-expression fragments, matched case-insensitively
# Scopes: where a field is read.
OWN = "own"  # in texts of the file's language only
ANY = "any"  # in texts of every language: the union of every file's list

SHARED_FILES = frozenset({"given_names.json", "concepts.json", "universal.json"})
_ISO2 = re.compile(r"^[A-Z]{2}$")
_LANG = re.compile(r"^[a-z]{2,3}$")


class LexiconError(NewsweaveError, ValueError):
    """A lexicon file is malformed; the message names the file and the field."""


@dataclass(frozen=True, slots=True)
class Field:
    """One field of a language file."""

    name: str
    kind: str
    scope: str
    help: str


FIELDS: tuple[Field, ...] = (
    # -- names and their cues --------------------------------------------------------
    Field("person_titles", WORDS, OWN, "titles and offices before a person's name "
          "(\"presidente\", \"ministro\")"),
    Field("honorifics", WORDS, OWN, "honorifics before a name (\"sig.\", \"dott.\")"),
    Field("org_heads", WORDS, OWN, "words that head or close an organisation's name "
          "(\"Ministero\", \"Bank\"); English ones are read in every language"),
    Field("org_suffixes", WORDS, OWN, "legal forms closing a company's name (\"S.p.A.\"); "
          "English ones are read in every language"),
    Field("loc_heads", WORDS, OWN, "words that head a place's name (\"Lago\", \"Mount\"); "
          "English ones are read in every language"),
    Field("loc_preps", WORDS, OWN, "prepositions that introduce a place (\"a\", \"in\")"),
    Field("person_verbs", WORDS, OWN, "verbs after a name that make it a person's "
          "(\"ha detto\", \"said\")"),
    Field("name_particles", WORDS, OWN, "particles inside names (\"di\", \"van\")"),
    Field("stop_capitalised", WORDS, OWN, "capitalised words that are never names "
          "(determiners, adverbs, sentence openers)"),
    Field("months", WORDS, OWN, "month names and abbreviations"),
    Field("weekdays", WORDS, OWN, "weekday names and abbreviations"),
    Field("name_titles", FORMS, OWN, "titles written capitalised as part of a person's "
          "name (\"Don Abbondio\"), exact case"),
    Field("surname_prefixes", WORDS, OWN, "capitalised particles that open a surname "
          "mid-sentence (\"De Blasio\", \"Di Maio\")"),
    Field("surname_particles", WORDS, OWN, "besides the surname prefixes, capitalised "
          "particles that make the known word after them a surname (\"La Russa\")"),
    Field("source_words", WORDS, ANY, "\"according to\": the single name after it is a "
          "source, a person (\"secondo\", \"selon\")"),
    Field("government_words", WORDS, ANY, "\"government\" before its head's name "
          "(\"governo Letta\")"),
    Field("thing_words", WORDS, OWN, "nouns before a name that make it a thing's: a "
          "storm, a ship, an operation, a work (\"uragano\", \"album\")"),
    Field("org_words_before", WORDS, OWN, "lowercase nouns before a name that make it an "
          "organisation's (\"la società Luxottica\")"),
    Field("office_bodies", MAP, OWN, "the body of an office named alone after it, to the "
          "article it takes (\"presidente della Repubblica\": \"repubblica\": \"della\")"),
    Field("articles", WORDS, ANY, "articles, skipped in an apposition (\"Sandy, "
          "l'uragano\")"),
    Field("bodies", WORDS, ANY, "head words that name a body when capitalised alone "
          "mid-sentence (\"il Senato\", \"the Senate\")"),
    Field("conjunctions", FORMS, OWN, "\"and\" that joins a list of names, exact form "
          "(a language with none reads every language's)"),
    Field("and_words", WORDS, ANY, "\"and\": a lowercase word that never sits inside a "
          "name (\"Rubens e Correggio\", \"Bush and Kerry\" are two)"),
    Field("inflects_place_names", FLAG, OWN, "place names change with case (\"в Москве\"): "
          "the gazetteer, which holds the nominative, cannot vouch for a word"),
    Field("noun_determiners", WORDS, OWN, "in a language that capitalises nouns: words "
          "after which a capitalised word is a common noun (\"die Regierung\")"),
    Field("adjective_endings", FORMS, OWN, "in a language that capitalises nouns: endings "
          "of a lowercase adjective before a common noun (\"neue Pläne\")"),
    Field("single_blockers", WORDS, OWN, "words after which a lone unexplained capitalised "
          "word is no name (\"the Mesolithic\")"),
    # -- the shapes of names --------------------------------------------------------
    Field("connectors", WORDS, ANY, "function words inside a name (\"of\", \"della\")"),
    Field("org_connectors", WORDS, ANY, "connectors that mark an institution or a title "
          "inside a name, not a person (\"Bank of England\", \"Consiglio Superiore della "
          "Magistratura\"); \"de\", \"di\", \"von\" do not"),
    Field("split_connectors", WORDS, ANY, "besides the org connectors, connectors at which a "
          "run of capitalised words may split into two names (\"Presidente del | Consiglio\")"),
    Field("articled_of", FORMS, ANY, "\"of the\" inside a name with no other cue: a place's "
          "name, not a person's (\"Barberino del Mugello\"), exact form"),
    Field("saints", WORDS, ANY, "saints' titles: before a given name they make a place or an "
          "institution (\"San Francisco Chronicle\")"),
    Field("compass_first", WORDS, ANY, "compass words that make a place of the name they "
          "open (\"South Ossetia\", \"Middle East\")"),
    Field("compass_last", WORDS, ANY, "compass words that make a place of the name they "
          "close (\"Corea del Nord\"; English ones close people's names: \"Kanye West\")"),
    Field("compass_before_country", WORDS, ANY, "compass words before a country for a "
          "part of it (\"Nord Italia\", \"Centro Italia\")"),
    Field("for_prepositions", WORDS, ANY, "\"for\" inside an institution's name "
          "(\"Agenzia per ...\")"),
    Field("state_heads", WORDS, ANY, "words heading a state's name before a country "
          "(\"Repubblica di ...\"), which is then the country's own name"),
    Field("compass_adjectives", WORDS, ANY, "compass words after a country's name "
          "(\"Italia meridionale\")"),
    Field("lowercase_tail_endings", FORMS, OWN, "endings of the lowercase adjectives that "
          "continue an institution's name written with one capital (\"Corte costituzionale\")"),
    Field("tail_connectors", WORDS, ANY, "\"of\" that joins a lowercase noun to such a name "
          "(\"Camera dei deputati\") or a place word to its name (\"provincia di\")"),
    Field("place_heads_lead", FLAG, OWN, "the language's place words open a name (\"Monte "
          "Rosa\"): its own place words closing a name make a surname"),
    Field("place_prefixes", WORDS, ANY, "compound compass words and the like that open a "
          "place's name but no gazetteer entry's (\"Northeast Nebraska\", \"downtown\")"),
    Field("admin_prefixes", WORDS, ANY, "prefixes of official place names that no gazetteer "
          "entry carries (\"city of\": \"City of Paris\" is Paris)"),
    Field("split_at_town", FLAG, OWN, "a run closing with \"di\" and a town splits "
          "before it (\"Tribunale | di | Milano\"), unless its head is in own_heads"),
    Field("own_heads", WORDS, OWN, "heads of a town's own administration or a state, whose "
          "\"di\" and town stay in the name (\"Comune di Reggio Calabria\")"),
    Field("club_articles", WORDS, OWN, "articles before a city's name that make it its "
          "football club (\"il Napoli\", \"contro il Milan\"): cities take none"),
    Field("street_words", WORDS, OWN, "lowercase street and feature words that make one "
          "place name with the name after them (\"via Cina\"); such a place stays off "
          "the map, in every language"),
    Field("town_words", WORDS, ANY, "the street words of streets, squares, bridges and "
          "buildings (not water or mountains): such a place lies in the town the article "
          "is about (\"piazza Cordusio\", \"rue de Rivoli\")"),
    Field("division_words", WORDS, OWN, "lowercase division words that make one place "
          "name with the name after them (\"provincia di Nuoro\")"),
    # -- institutions, teams, places --------------------------------------------------
    Field("institution_nouns", MAP, OWN, "nouns of a country's institutions, to their "
          "kind in English (\"polizia\": \"police\"); with a nationality word they name "
          "one country's body"),
    Field("generic_institution_nouns", WORDS, OWN, "institution nouns that never stand "
          "for one body on their own (plurals, \"forze\")"),
    Field("nationality_after_noun", FLAG, OWN, "the nationality word follows the noun "
          "(\"governo tedesco\"), rather than preceding it"),
    Field("definite_articles", WORDS, OWN, "definite articles, alone or joined to a "
          "preposition, before a bare institution noun (\"la polizia\", \"dal governo\")"),
    Field("press_country", TEXT, OWN, "ISO code of the country whose press writes nearly "
          "all of the language's news (\"IT\"): its bare \"il governo\" is that country's"),
    Field("sport_cues", PATTERNS, OWN, "words only sport uses (regular-expression "
          "fragments): with a score they make a country in the sentence its national team"),
)
FIELD_BY_NAME: Mapping[str, Field] = {f.name: f for f in FIELDS}
# universal.json: lists read in every language, whatever the text's language.
UNIVERSAL_FIELDS: tuple[Field, ...] = (
    Field("particles", WORDS, ANY, "particles of Latin-script names (\"al\", \"bin\", "
          "\"von\")"),
    Field("titles", WORDS, ANY, "titles before a person's name (\"sheikh\", \"ayatollah\")"),
    Field("non_name_acronyms", WORDS, ANY, "acronyms of things, never of names (\"UTC\", "
          "\"PDF\", \"CEO\")"),
    Field("roman_numerals", FORMS, ANY, "Roman numerals that close a name (\"II\")"),
    Field("name_suffixes", WORDS, ANY, "suffixes that close a name (\"Jr.\")"),
    Field("spelling_particles", WORDS, ANY, "articles and particles that comparing two "
          "spellings of a name ignores (\"Al-Sudani\", \"Sudani\")"),
    Field("initials_skip", WORDS, ANY, "connectors that a name's initials skip (\"Iraqi "
          "Security Forces\" → ISF, \"Bank of England\" → BE)"),
)


def lexicon_dir() -> Traversable:
    """The package's lexicon folder."""
    return resources.files("newsweave") / "data" / "lexicon"


def language_files(folder: Traversable | Path | None = None) -> dict[str, dict[str, Any]]:
    """Every language file of ``folder`` (the package's by default), checked, by
    language; the shared files are not languages."""
    folder = lexicon_dir() if folder is None else folder
    if not folder.is_dir():
        return {}
    paths = sorted((p for p in folder.iterdir()
                    if p.name.endswith(".json") and p.name not in SHARED_FILES),
                   key=lambda p: p.name)
    return {p.name.removesuffix(".json"): read_language_file(p) for p in paths}


def read_language_file(path: Traversable | Path) -> dict[str, Any]:
    """A language file's fields, checked against :data:`FIELDS`."""
    raw = read_named_file(path, FIELD_BY_NAME, "language", "docs/entities.md, "
                          "'The lexicon files'")
    for name, value in raw.items():
        if name in FIELD_BY_NAME:
            _check(path.name, FIELD_BY_NAME[name], value)
    return raw


def read_named_file(path: Traversable | Path, fields: Iterable[str], kind: str, doc: str,
                    error: type[Exception] = LexiconError) -> dict[str, Any]:
    """A per-language data file (entity lexicon, quotes, dates) as a JSON object, its
    head checked: named by its ISO 639 code, ``lang`` the same, no field outside
    ``fields`` (``doc`` says where they are listed). Its fields' values are the
    caller's to check; every problem is an ``error`` naming the file."""
    raw = _read_object(path, error)
    lang = path.name.removesuffix(".json")
    if not _LANG.match(lang):
        raise error(f"{path.name}: a {kind} file is named by its ISO 639 code "
                    f"(\"it.json\"), not {lang!r}")
    if raw.get("lang") != lang:
        raise error(f"{path.name}: field 'lang' must be {lang!r} (the file's name), "
                    f"not {raw.get('lang')!r}")
    unknown = sorted(set(raw) - set(fields) - {"lang", "_about"})
    if unknown:
        raise error(f"{path.name}: unknown field {unknown[0]!r}; the fields are listed "
                    f"in {doc}")
    return raw


def read_universal(folder: Traversable | Path | None = None) -> dict[str, Any]:
    """``universal.json``, checked against :data:`UNIVERSAL_FIELDS` (empty lists where
    the file or a field is missing)."""
    path = (lexicon_dir() if folder is None else folder) / "universal.json"
    raw = _read_object(path) if path.is_file() else {}
    known = {f.name: f for f in UNIVERSAL_FIELDS}
    unknown = sorted(set(raw) - set(known) - {"_about"})
    if unknown:
        raise LexiconError(f"{path.name}: unknown field {unknown[0]!r}")
    for name, value in raw.items():
        if name in known:
            _check(path.name, known[name], value)
    return {name: raw.get(name, []) for name in known}


def read_shared(folder: Traversable | Path | None, name: str, key: str
                ) -> dict[str, list[str]]:
    """A shared per-language list file (``given_names.json``: ``{"names": {"it": [...]}}``),
    checked; empty when the file is missing."""
    path = (lexicon_dir() if folder is None else folder) / name
    if not path.is_file():
        return {}
    value = _read_object(path).get(key)
    if not isinstance(value, dict):
        raise LexiconError(f"{name}: field {key!r} must be an object of language: list of "
                           f"words, not {type(value).__name__}")
    for lang, words in value.items():
        _check(name, Field(f"{key}.{lang}", WORDS, ANY, ""), words)
    return value


def press_countries(folder: Traversable | Path | None = None) -> dict[str, str]:
    """Language → the country whose press writes nearly all of its news (``press_country``)."""
    return {lang: raw["press_country"] for lang, raw in language_files(folder).items()
            if raw.get("press_country")}


def _read_object(path: Traversable | Path, error: type[Exception] = LexiconError
                 ) -> dict[str, Any]:
    """A JSON object from ``path``; a clear ``error`` for bad JSON or another value."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise error(f"{path.name}: not valid JSON at line {exc.lineno}, column "
                    f"{exc.colno}: {exc.msg}") from None
    except UnicodeDecodeError as exc:
        raise error(f"{path.name}: not UTF-8 text ({exc.reason})") from None
    if not isinstance(raw, dict):
        raise error(f"{path.name}: must hold a JSON object, not {type(raw).__name__}")
    return raw


def _check(file: str, field: Field, value: Any) -> None:  # noqa: ANN401 - JSON
    """Refuse ``value`` unless it is what ``field``'s kind says."""
    where = f"{file}: field {field.name!r}"
    if field.kind == FLAG:
        if not isinstance(value, bool):
            raise LexiconError(f"{where} must be true or false, not {value!r}")
    elif field.kind == TEXT:
        if not isinstance(value, str) or (field.name == "press_country"
                                          and not _ISO2.match(value)):
            raise LexiconError(f"{where} must be a two-letter ISO country code, not "
                               f"{value!r}")
    elif field.kind == MAP:
        if not isinstance(value, dict):
            raise LexiconError(f"{where} must be an object of word: text, not "
                               f"{type(value).__name__}")
        _strings(where, value.keys())
        _strings(where, value.values())
    else:
        if not isinstance(value, list):
            raise LexiconError(f"{where} must be a list of strings, not "
                               f"{type(value).__name__}")
        _strings(where, value)
        if field.kind == PATTERNS:
            for fragment in value:
                try:
                    re.compile(fragment)
                except re.error as exc:
                    raise LexiconError(f"{where}: {fragment!r} is not a regular "
                                       f"expression ({exc})") from None


def _strings(where: str, values: Iterable[Any]) -> None:
    """Refuse anything but non-blank strings without surrounding spaces."""
    for v in values:
        if not isinstance(v, str) or not v.strip() or v != v.strip():
            raise LexiconError(f"{where}: every entry must be a non-blank string without "
                               f"surrounding spaces, not {v!r}")
