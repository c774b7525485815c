"""Per-language cue lexicons (newsweave/data/lexicon/<lang>.json): shape and hygiene.

The entity recogniser matches these lists against case-folded words, so every entry
must be a lowercase string with no surrounding spaces, and a list with a duplicate
or a well-known name in ``stop_capitalised`` would silently cost recall.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from newsweave.enrich.entities.lexicon import SHARED_FILES

LEXICON_DIR = Path(__file__).resolve().parents[1] / "newsweave" / "data" / "lexicon"
KEYS = ("person_titles", "honorifics", "org_heads", "org_suffixes", "loc_heads", "loc_preps",
        "person_verbs", "name_particles", "stop_capitalised", "months", "weekdays")
REQUIRED = ("en", "it", "fr", "es", "de", "pt", "nl", "pl", "ru", "uk", "el", "tr", "ar", "sl")
# Names that a frequency-derived stop list is likely to swallow: none may be a stop word.
FAMOUS = ("roma", "paris", "washington", "rossi", "müller", "biden", "putin", "iraq")
FILES = sorted(p for p in LEXICON_DIR.glob("*.json") if p.name not in SHARED_FILES)


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
    lex = load(path)
    assert lex["lang"] == path.stem
    assert set(lex) == {"lang", *KEYS}
    for key in KEYS:
        entries = lex[key]
        assert isinstance(entries, list), key
        for entry in entries:
            assert isinstance(entry, str) and entry, (key, entry)
            assert entry == entry.strip(), (key, entry)
            assert entry == entry.lower(), (key, entry)
        dupes = sorted({e for e in entries if entries.count(e) > 1})
        assert not dupes, (key, dupes)
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
