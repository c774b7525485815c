"""Folding: the one form in which words are compared across spellings and scripts.

Case is folded, accents and other combining marks are dropped, and Cyrillic and
Greek letters are transliterated to Latin, so "Caggins", "CAGGINS" and "Каггинс"
meet, and "Città" meets "citta". Story terms (:mod:`newsweave.stories.terms`), the
recogniser's word lists and the entity keys (:mod:`newsweave.enrich.entities`) all
fold with this function, so a word folded in one place matches it folded in another.
Place names have a stricter key of their own (:func:`newsweave.enrich.places.names.
place_key`), which also drops punctuation and maps letters NFKD leaves whole.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_CYRILLIC = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґ",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p",
     "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya",
     "i", "yi", "ye", "g"], strict=True))
_GREEK = dict(zip(
    "αβγδεζηθικλμνξοπρσςτυφχψω",
    ["a", "v", "g", "d", "e", "z", "i", "th", "i", "k", "l", "m", "n", "x", "o", "p", "r",
     "s", "s", "t", "y", "f", "ch", "ps", "o"], strict=True))
_TRANSLIT = {**_CYRILLIC, **_GREEK}

# Words and names are folded again and again (the same few thousand recur in every
# article): they are memoised, in a bounded memo. Longer texts (a story lead) rarely
# recur and would only fill it.
MEMO_CHARS = 64


def fold(text: str) -> str:
    """Case-fold, strip accents and transliterate Cyrillic and Greek letters."""
    if len(text) <= MEMO_CHARS:
        return _fold_memo(text)
    return _fold(text)


def _fold(text: str) -> str:
    if text.isascii():
        return text.lower()  # nothing to decompose or transliterate
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    if plain.isascii():
        return plain
    plain = plain.replace("ου", "u")  # Greek digraph: Λουμέρα -> lumera
    return "".join(_TRANSLIT.get(c, c) for c in plain)


_fold_memo = lru_cache(maxsize=1 << 17)(_fold)
