"""Matching terms: the words that let two reports of one event find each other.

Names, numbers and rare words survive translation far better than sentence
embeddings separate events: "Caggins", "Kirkuk", "2,500" are the same in Italian
and English. We keep folded word forms (:func:`newsweave.clean.fold.fold`: accents
removed, case folded, Cyrillic and Greek transliterated to Latin so names match
across scripts), and let inverse document frequency, learned from the stream itself,
decide which terms matter.
"""

from __future__ import annotations

import re

from ..clean.fold import fold

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_NUMBER = re.compile(r"\d+(?:[.,]\d{3})*(?:[.,]\d+)?")


# Terms are cut to this many characters: a cheap stem that joins inflected forms of a
# name across languages ("Olympics"/"Olympic", "Bagdad"/"Baghdad" still differ).
STEM_CHARS = 5


def extract_terms(title: str, text: str, lead_chars: int = 400) -> set[str]:
    """Terms of the title and lead: folded word stems of 3+ letters, and numbers.

    Numbers keep their digits only, so "2.500" (Italian) and "2,500" (English)
    both become "2500"; a bare one-digit number is too common to count.
    """
    lead = f"{title} {text[:lead_chars]}"
    terms: set[str] = set()
    for match in _NUMBER.finditer(lead):
        digits = re.sub(r"\D", "", match.group())
        if len(digits) >= 2:
            terms.add("#" + digits)
    for word in _WORD.findall(fold(_NUMBER.sub(" ", lead))):
        if len(word) >= 3:
            terms.add(word[:STEM_CHARS])
    return terms
