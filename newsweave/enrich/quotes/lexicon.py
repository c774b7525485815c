"""The reporting words of each language, read from ``newsweave/data/quotes/<lang>.json``.

Code names fields; the words are data, so supporting a new language means adding one
file (docs/quotes.md lists the fields). Each file is checked against :data:`FIELDS`
when it is read, as the entity lexicons are (``newsweave/enrich/lexicon_files.py``):
an unknown field, a field of the wrong kind, bad JSON or a ``lang`` that is not the
file's name is refused with a :class:`~newsweave.enrich.lexicon_files.LexiconError`
naming the file and the field. Words are matched case-folded and without accents.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from ...clean.fold import fold
from ..lexicon_files import FLAG, MAP, WORDS, Field, LexiconError, _check, read_named_file

FIELDS: tuple[Field, ...] = (
    Field("verbs", WORDS, "own", "reporting verbs and phrases, every form written out "
          "(\"said\", \"ha affermato\", \"erklärte\"); the cue of a quote"),
    Field("object_verbs", WORDS, "own", "reporting verbs whose addressee comes before the "
          "reported words (\"told Reuters that\")"),
    Field("auxiliaries", WORDS, "own", "auxiliaries and adverbs that may stand between the "
          "speaker and the verb (\"has\", \"also\", \"ha\", \"anche\"); part of neither"),
    Field("according", WORDS, "own", "phrases before a source (\"according to\", "
          "\"secondo\", \"selon\", \"laut\", \"según\")"),
    Field("according_after", WORDS, "own", "words after a source (\"dem Minister zufolge\")"),
    Field("source_after_comma", WORDS, "own", "words that open the source after a comma "
          "at the end of a sentence (\", so der Sprecher.\")"),
    Field("complementizers", WORDS, "own", "\"that\" after the verb: the reported words "
          "start after it (\"che\", \"dass\", \"que\")"),
    Field("pronouns", MAP, "own", "subject pronouns to their gender: m, f or p (plural), "
          "matched in lowercase with their accents (\"él\" is no \"el\"); a pronoun "
          "speaker is resolved to the nearest compatible person"),
    Field("role_nouns", WORDS, "own", "nouns that name a speaker by role (\"spokesman\", "
          "\"il portavoce\", \"l'ufficio\", \"the official\")"),
    Field("body_nouns", WORDS, "own", "nouns of bodies and documents that speak (\"the "
          "union\", \"il governo\", \"the report\"): a speaker, never a person named before"),
    Field("bare_verbs", WORDS, "own", "verbs whose reported words may follow without "
          "\"that\" (\"said the plan would fail\"); other verbs need it, a colon or marks"),
    Field("clause_openers", WORDS, "own", "subject words that open a clause right after "
          "any reporting verb, with no \"that\" (\"vowed he would\", \"announced they "
          "had\"); the reported words start there"),
    Field("comma_clause", FLAG, "own", "the reported words may follow the verb after a "
          "comma (German \"erklärte, die Stadt müsse ...\")"),
    Field("of_words", WORDS, "own", "\"of\" between a role noun and whose it is (\"the "
          "spokesman for the coalition\", \"l'ufficio di al-Sudani\")"),
    Field("prepositions", WORDS, "own", "prepositions that open a phrase to skip between "
          "the verb and a speaker after it (\"ha affermato in una nota l'ufficio\")"),
    Field("definite_articles", WORDS, "own", "articles of a definite role noun (\"the "
          "spokesman\"), which refers back to someone already named"),
    Field("non_content_starts", WORDS, "own", "words after a verb that show it reports no "
          "statement (\"confirmed this\", \"said so\")"),
    Field("participles", WORDS, "own", "reporting verbs after a comma whose subject is "
          "the sentence's (\"..., saying that\", \"dichiarando\"); also listed in verbs"),
    Field("conjunctions", WORDS, "own", "words that join two clauses (\"and\", \"but\", "
          "\"mentre\"): the speaker of a verb after one is the first clause's subject"),
    Field("subjunctive_markers", WORDS, "own", "verb forms of reported speech (German "
          "Konjunktiv I: \"sei\", \"habe\", \"müsse\"): a sentence with one and no cue, "
          "right after a quote, goes on reporting its speaker"),
    Field("pro_drop", FLAG, "own", "the language drops subject pronouns (\"ha aggiunto.\"): "
          "a verb with no subject keeps the speaker of the quote before"),
)
_BY_NAME = {f.name: f for f in FIELDS}


def quotes_dir() -> Traversable:
    """The package's folder of reporting-word files."""
    return resources.files("newsweave") / "data" / "quotes"


@dataclass(frozen=True, slots=True)
class QuoteLexicon:
    """One language's reporting words, folded: phrases as tuples of words."""

    lang: str
    verbs: frozenset[tuple[str, ...]]
    object_verbs: frozenset[str]
    auxiliaries: frozenset[str]
    according: frozenset[tuple[str, ...]]
    according_after: frozenset[str]
    source_after_comma: frozenset[str]
    complementizers: frozenset[str]
    pronouns: Mapping[str, str]
    role_nouns: frozenset[str]
    body_nouns: frozenset[str]
    bare_verbs: frozenset[tuple[str, ...]]
    clause_openers: frozenset[str]
    comma_clause: bool
    of_words: frozenset[str]
    prepositions: frozenset[str]
    definite_articles: frozenset[str]
    non_content_starts: frozenset[str]
    conjunctions: frozenset[str]
    participles: frozenset[str]
    subjunctive_markers: frozenset[str]
    pro_drop: bool
    longest_phrase: int = 1  # words in the longest verb or source phrase
    first_words: frozenset[str] = frozenset()  # the words a verb or source phrase opens with


def read_quote_file(path: Traversable | Path) -> dict[str, Any]:
    """A language file's fields, checked against :data:`FIELDS`."""
    raw = read_named_file(path, _BY_NAME, "quotes", "docs/quotes.md")
    for name, value in raw.items():
        if name in _BY_NAME:
            _check(path.name, _BY_NAME[name], value)
    if any(v not in ("m", "f", "p") for v in raw.get("pronouns", {}).values()):
        raise LexiconError(f"{path.name}: field 'pronouns' maps a pronoun to m, f or p")
    return raw


def _phrases(words: list[str]) -> frozenset[tuple[str, ...]]:
    return frozenset(tuple(fold(w).replace("'", " ").replace("’", " ").split())
                     for w in words)


def build(raw: Mapping[str, Any], lang: str) -> QuoteLexicon:
    """The folded lexicon of a checked file's fields (missing fields are empty), with
    the longest phrase and the phrases' first words worked out once, for the cue scan."""
    def words(name: str) -> frozenset[str]:
        return frozenset(fold(w) for w in raw.get(name, []))
    verbs, according = _phrases(raw.get("verbs", [])), _phrases(raw.get("according", []))
    phrases = [p for p in verbs | according if p]
    return QuoteLexicon(
        lang=lang, verbs=verbs, object_verbs=words("object_verbs"),
        auxiliaries=words("auxiliaries"), according=according,
        according_after=words("according_after"),
        source_after_comma=words("source_after_comma"),
        complementizers=words("complementizers"),
        pronouns={k.lower(): v for k, v in raw.get("pronouns", {}).items()},
        role_nouns=words("role_nouns"), body_nouns=words("body_nouns"),
        bare_verbs=_phrases(raw.get("bare_verbs", [])),
        clause_openers=words("clause_openers"),
        comma_clause=bool(raw.get("comma_clause", False)), of_words=words("of_words"),
        prepositions=words("prepositions"), definite_articles=words("definite_articles"),
        non_content_starts=words("non_content_starts"),
        conjunctions=words("conjunctions"), participles=words("participles"),
        subjunctive_markers=words("subjunctive_markers"),
        pro_drop=bool(raw.get("pro_drop", False)),
        longest_phrase=max((len(p) for p in phrases), default=1),
        first_words=frozenset(p[0] for p in phrases))


def load_lexicons(folder: Traversable | Path | None = None) -> dict[str, QuoteLexicon]:
    """Every language file of ``folder`` (the package's by default), checked and folded."""
    folder = quotes_dir() if folder is None else folder
    if not folder.is_dir():
        return {}
    out: dict[str, QuoteLexicon] = {}
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        if path.name.endswith(".json"):
            lang = path.name.removesuffix(".json")
            out[lang] = build(read_quote_file(path), lang)
    return out
