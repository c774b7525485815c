"""Per-language cue lexicons (newsweave/data/lexicon/<lang>.json): schema, hygiene, and
what a new language file does.

The entity recogniser matches these lists against case-folded words, so every entry
must be a lowercase string with no surrounding spaces, and a list with a duplicate
or a well-known name in ``stop_capitalised`` would silently cost recall. Every file is
checked against the one table of fields (``lexicon_files.FIELDS``) when it is read:
a malformed one is refused with a message that names the file and the field.
"""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
from pathlib import Path

import pytest

from newsweave.enrich.entities.annotator import Annotator
from newsweave.enrich.entities.lexicon import LexiconSet
from newsweave.enrich.lexicon_files import (
    FIELDS,
    FORMS,
    SHARED_FILES,
    UNIVERSAL_FIELDS,
    WORDS,
    LexiconError,
    press_countries,
    read_language_file,
)

ROOT = Path(__file__).resolve().parents[1]
LEXICON_DIR = ROOT / "newsweave" / "data" / "lexicon"
# The cue lists every full lexicon has (a language file may hold fewer).
KEYS = ("person_titles", "honorifics", "org_heads", "org_suffixes", "loc_heads", "loc_preps",
        "person_verbs", "name_particles", "stop_capitalised", "months", "weekdays")
REQUIRED = ("en", "it", "fr", "es", "de", "pt", "nl", "pl", "ru", "uk", "el", "tr", "ar", "sl")
# Names that a frequency-derived stop list is likely to swallow: none may be a stop word.
FAMOUS = ("roma", "paris", "washington", "rossi", "müller", "biden", "putin", "iraq")
FILES = sorted(p for p in LEXICON_DIR.glob("*.json") if p.name not in SHARED_FILES)
# The modules whose word tables moved into the lexicon files (issue 12): none may hold
# a table keyed by language again.
NO_WORD_TABLES = ("enrich/entities/annotator.py", "enrich/entities/decide.py",
                  "enrich/entities/institutions.py", "enrich/entities/lexicon.py",
                  "enrich/entities/link.py", "enrich/entities/recognise.py",
                  "enrich/entities/shapes.py", "enrich/entities/teams.py",
                  "enrich/places/resolver.py")


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def bare(word: str) -> str:
    """Lowercase without accents: the recogniser may fold this far (Romanian "puțin"
    must not become a stop word that blocks "Putin")."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def test_required_languages_present() -> None:
    present = {p.stem for p in FILES}
    assert not set(REQUIRED) - present, sorted(set(REQUIRED) - present)


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_lexicon_shape(path: Path) -> None:
    lex = read_language_file(path)  # the schema check
    assert lex["lang"] == path.stem
    assert set(KEYS) <= set(lex)
    for field in FIELDS:
        entries = lex.get(field.name, [])
        if field.kind not in (WORDS, FORMS):
            continue
        if field.kind == WORDS:
            assert all(e == e.lower() for e in entries), (field.name, entries)
        dupes = sorted({e for e in entries if entries.count(e) > 1})
        assert not dupes, (field.name, dupes)
    for key in ("person_titles", "org_heads", "loc_heads", "stop_capitalised", "months",
                "weekdays"):
        assert lex[key], f"{path.stem}: {key} is empty"


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_stop_words_are_not_names_or_cues(path: Path) -> None:
    lex = load(path)
    stop = {bare(w) for w in lex["stop_capitalised"]}
    famous = {bare(w) for w in FAMOUS}
    assert not stop & famous, sorted(stop & famous)
    # A word that starts names ("Banca", "Lago") must not also be dismissed as a non-name.
    cues = {bare(w) for w in lex["org_heads"] + lex["loc_heads"]}
    assert not stop & cues, sorted(stop & cues)[:20]
    # Suffixes only exactly: Polish "są" and Romanian "să" fold to "sa" (S.A.) and stay.
    assert not set(lex["stop_capitalised"]) & set(lex["org_suffixes"])
    assert len(stop) >= 200


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the package's lexicon folder, to break or extend."""
    return Path(shutil.copytree(LEXICON_DIR, tmp_path / "lexicon"))


def edit(path: Path, **fields: object) -> None:
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw.update(fields)
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")


@pytest.mark.parametrize(("fields", "says"), [
    ({"thing_words": "uragano"}, "field 'thing_words' must be a list of strings, not str"),
    ({"thing_words": ["uragano", 3]}, "field 'thing_words': every entry must be"),
    ({"office_bodies": ["repubblica"]}, "field 'office_bodies' must be an object"),
    ({"nationality_after_noun": "yes"}, "field 'nationality_after_noun' must be true or false"),
    ({"press_country": "Italy"}, "field 'press_country' must be a two-letter ISO"),
    ({"sport_cues": ["batt(e"]}, "field 'sport_cues': 'batt(e' is not a regular expression"),
    ({"thing_word": ["uragano"]}, "unknown field 'thing_word'"),
    ({"lang": "en"}, "field 'lang' must be 'it'"),
])
def test_malformed_file_is_refused_naming_file_and_field(folder: Path, fields: dict,
                                                          says: str) -> None:
    edit(folder / "it.json", **fields)
    with pytest.raises(LexiconError, match=re.escape(f"it.json: {says}")):
        LexiconSet(folder).get("it")


def test_unreadable_files_are_refused_with_where(folder: Path) -> None:
    (folder / "it.json").write_text('{"lang": "it",\n "months": [}', encoding="utf-8")
    with pytest.raises(LexiconError, match=r"it\.json: not valid JSON at line 2"):
        LexiconSet(folder).get("en")  # every file is read and checked at once
    (folder / "it.json").write_text("[]", encoding="utf-8")
    with pytest.raises(LexiconError, match="it.json: must hold a JSON object, not list"):
        LexiconSet(folder).get("it")
    edit(folder / "universal.json", particles="al")
    (folder / "it.json").unlink()
    with pytest.raises(LexiconError, match="universal.json: field 'particles' must be a list"):
        LexiconSet(folder).get("en")


def test_a_new_language_is_one_file(folder: Path, annotator: Annotator) -> None:
    """A minimal file for a language the package lacks is picked up: its own fields in
    its texts, its fields of scope "any" in every language's."""
    (folder / "xx.json").write_text(json.dumps({
        "lang": "xx", "person_titles": ["zorp"], "source_words": ["wedle"],
        "conjunctions": ["og"], "press_country": "DK"}), encoding="utf-8")
    lexicons = LexiconSet(folder)
    assert "xx" in lexicons.languages and lexicons.press_countries["xx"] == "DK"
    assert press_countries(folder) == {"it": "IT", "xx": "DK"}  # the place resolver's
    xx = lexicons.get("xx")
    assert xx.is_title("Zorp") and not lexicons.get("it").is_title("Zorp")
    assert "wedle" in lexicons.get("it").source_words  # scope "any"
    assert xx.list_glue.match(" og ") and not lexicons.get("it").list_glue.match(" og ")
    assert xx.org_heads >= lexicons.get("en").org_heads  # English heads, as every language
    text = "Ieri il zorp Qwzenko ha parlato alla folla riunita davanti al palazzo."
    before = {m.text: m.type for m in annotator.annotate(text, "xx")}
    after = {m.text: m.type for m in Annotator(annotator.kb, None, lexicons).annotate(text, "xx")}
    assert before.get("Qwzenko") != "PER" and after["Qwzenko"] == "PER"


def test_every_field_is_documented() -> None:
    """docs/entities.md's reference lists every field of a language file."""
    doc = (ROOT / "docs" / "entities.md").read_text(encoding="utf-8")
    section = doc[doc.index("## The lexicon files"):]
    missing = [f.name for f in (*FIELDS, *UNIVERSAL_FIELDS) if f"`{f.name}`" not in section]
    assert not missing, missing


@pytest.mark.parametrize("module", NO_WORD_TABLES)
def test_no_language_keyed_word_table_in_code(module: str) -> None:
    source = (ROOT / "newsweave" / module).read_text(encoding="utf-8")
    tables = re.findall(r'\{\s*"(?:it|en|es|fr|de|pt|nl|ro|ca)"\s*:', source)
    assert not tables, f"{module}: a word table keyed by language belongs in data/lexicon"


def test_every_data_file_ships_in_the_wheel() -> None:
    """pyproject's package-data globs cover every file under newsweave/data (a new
    lexicon file included), so an installed newsweave reads what the repository does."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["newsweave"]
    package = ROOT / "newsweave"
    shipped = {p for pattern in patterns for p in package.glob(pattern) if p.is_file()}
    data = {p for p in (package / "data").rglob("*")
            if p.is_file() and "__pycache__" not in p.parts}
    assert not data - shipped, sorted(str(p.relative_to(package)) for p in data - shipped)
