"""Given-name list (newsweave/data/lexicon/given_names.json): shape and hygiene."""

from __future__ import annotations

import json
from pathlib import Path

PATH = Path(__file__).resolve().parents[1] / "newsweave" / "data" / "lexicon" / "given_names.json"
LANGS = ("en it fr es de pt nl pl ru uk el tr ar fa zh ja ko hi sl ro sv cs hu he sw").split()
# Places, countries and ordinary words that must never count as evidence of a person.
NEVER = {"Paris", "Georgia", "Jordan", "Chad", "Israel", "China", "Victoria", "Santiago",
         "Florence", "Will", "May", "Christian", "Washington", "Roma", "Italia", "Iran", "Iraq"}


def test_given_names() -> None:
    doc = json.loads(PATH.read_text(encoding="utf-8"))
    assert doc["_about"]
    names = doc["names"]
    assert set(names) == set(LANGS)
    for lang, entries in names.items():
        assert len(entries) >= 200, (lang, len(entries))
        assert all(isinstance(n, str) and n and n == n.strip() for n in entries), lang
        dupes = sorted({n for n in entries if entries.count(n) > 1})
        assert not dupes, (lang, dupes)
        assert not NEVER & set(entries), (lang, sorted(NEVER & set(entries)))
