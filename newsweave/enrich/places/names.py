"""How place names are compared: folded keys, article stripping, loose keys.

A name is looked up by its *key*, never by its raw spelling, so that "Khānaqīn",
"KHANAQIN" and "Khanaqin" meet, and "Al-Miqdādīyah", "al Miqdadiyah" too. Three
levels, from strict to loose; the gazetteer indexes every name at all three and the
resolver trusts a match less the looser it is:

1. :func:`place_key` — NFKD, accents and other combining marks dropped, a few letters
   that do not decompose mapped (ø, ł, đ, æ, ı, ...), casefolded; dots inside
   abbreviations removed ("U.S." → "us"); every other punctuation mark, hyphen or
   apostrophe becomes a space; spaces collapsed. Arabic letters with several written
   forms (alef with hamza, ta marbuta, alef maqsura) are reduced to one.
2. :func:`strip_article` — the Arabic article at the start (al/el/ad/an/ar/as/at/
   az/ash/ath/adh/ad-... then a space; "ال" in Arabic script): "al miqdadiyah" →
   "miqdadiyah". Press English drops the article far more often than GeoNames does.
3. :func:`loose` — a light transliteration normalisation for names romanised from
   Arabic, Persian, Kurdish or Turkish: article stripped, apostrophes and spaces
   dropped, ``q``→``k``, ``ou``→``u``, doubled letters single, "-iyah/-iyyah/-iyya"
   endings → "-iya", a final "h" after a vowel dropped. "Miqdadiya" and
   "Al Miqdādīyah" share the loose key "mikdadiya".

No fuzzy or substring matching exists anywhere: a name either has one of these keys
in common with a gazetteer name, or it is unknown.
"""

from __future__ import annotations

import re
import unicodedata

# Letters NFKD leaves whole; mapped by hand so that Scandinavian, Polish, Turkish,
# Vietnamese and Icelandic spellings fold to their usual ASCII forms.
_LETTERS = str.maketrans({
    "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ð": "d", "Ð": "d",
    "þ": "th", "Þ": "th", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ı": "i",
    "ħ": "h", "Ħ": "h", "ŧ": "t", "ß": "ss", "ʻ": "'", "ʼ": "'", "ʿ": "'", "ʾ": "'",
    "‘": "'", "’": "'", "`": "'", "´": "'",
    # Arabic: hamza-carrying alefs, ta marbuta, alef maqsura, tatweel.
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ـ": "",
})
_ABBREV_DOT = re.compile(r"(?<=\b\w)\.(?=\w\b)")  # U.S.A. -> U.SA. -> ... (repeated)
_NON_WORD = re.compile(r"[\W_]+")
_ARTICLE = re.compile(r"^(?:al|el|ad|adh|an|ar|as|ash|at|ath|az|ud|ul)\s+(?=\S)")
_AR_ARTICLE = re.compile(r"^ال(?=\S{2,})")
_IYA = re.compile(r"(?:iyyah|iyah|iyya|iyyeh|iyeh)$")
_DOUBLE = re.compile(r"(.)\1+")
_FINAL_H = re.compile(r"(?<=[aeiou])h$")


def place_key(name: str) -> str:
    """The strict lookup key of a name (see the module docstring); "" if none."""
    text = name.translate(_LETTERS)
    while True:  # "U.S.A." needs two passes: each dot only between single letters
        joined = _ABBREV_DOT.sub("", text)
        if joined == text:
            break
        text = joined
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.casefold().translate(_LETTERS)
    return _NON_WORD.sub(" ", text).strip()


def strip_article(key: str) -> str | None:
    """``key`` without a leading Arabic article, or None if it has none."""
    stripped = _ARTICLE.sub("", key, count=1)
    if stripped == key:
        stripped = _AR_ARTICLE.sub("", key, count=1)
    return stripped if stripped != key and stripped else None


def loose(key: str) -> str:
    """The loose key of a folded key: transliteration variants collapsed."""
    key = strip_article(key) or key
    words = []
    for word in key.split():
        word = word.replace("q", "k").replace("ou", "u")
        word = _IYA.sub("iya", word)
        word = _DOUBLE.sub(r"\1", word)
        words.append(_FINAL_H.sub("", word))
    return "".join(words)


def keys(name: str) -> tuple[str, str | None, str]:
    """All three keys of a name: (folded, article-stripped or None, loose)."""
    key = place_key(name)
    return key, strip_article(key), loose(key)


# -- which alternate names are worth keeping ------------------------------------------
_SCRIPT_RANGES = (
    (0x0041, 0x024F),  # Latin, Latin-1, Extended A/B
    (0x1E00, 0x1EFF),  # Latin Extended Additional (Vietnamese)
    (0x0370, 0x03FF), (0x1F00, 0x1FFF),  # Greek, polytonic
    (0x0400, 0x052F),  # Cyrillic
    (0x0600, 0x06FF), (0x0750, 0x077F), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF),  # Arabic
)


def _in_kept_script(ch: str) -> bool:
    code = ord(ch)
    return any(lo <= code <= hi for lo, hi in _SCRIPT_RANGES)


def keep_alternate(name: str) -> bool:
    """Whether a GeoNames alternate name is a usable surface form.

    Kept: names written in Latin, Cyrillic, Greek or Arabic script. Dropped: names
    in other scripts (the text side has no recogniser for them yet), all-lowercase
    names (GeoNames' machine romanisations such as "ji er ku ke" or "krkwk"), 2-4
    letter all-capital codes (airport codes such as "BGW"), names with digits, and
    names of over 64 characters.
    """
    if not name or len(name) > 64 or any(ch.isdigit() for ch in name):
        return False
    name = name.translate(_LETTERS)  # ayn and hamza marks are letters to Python
    letters = [ch for ch in name if ch.isalpha()]
    if not letters or not all(_in_kept_script(ch) for ch in letters):
        return False
    cased = [ch for ch in letters if ch.lower() != ch.upper()]
    if cased and all(ch.islower() for ch in cased):
        return False
    compact = name.replace(" ", "")
    return not (2 <= len(compact) <= 4 and compact.isascii() and compact.isupper())
