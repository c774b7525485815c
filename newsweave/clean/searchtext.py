"""Search words: the one tokenisation that full-text indexing and queries share.

Both the text put into the full-text index and the words of a query go through
:func:`search_words`, so the index and the query always agree, whatever the script
and whatever the backend's own tokenizer does with what it is given:

- words are folded (:func:`newsweave.clean.fold.fold`): case, accents and other
  combining marks (Arabic short vowels too) go, Cyrillic and Greek are transliterated,
  so "Caggins", "CAGGINS" and "Каггинс" are one word, and "Città" meets "citta";
- a word is a run of letters and digits; everything else separates words (so the
  characters of a query language, ``"`` ``*`` ``-`` ``:`` ``(``, are never operators);
- Chinese and Japanese, written without spaces, are cut into single characters, and a
  query searches them as overlapping two-character phrases (the usual bigram search
  for CJK), see :func:`query_units`.
"""

from __future__ import annotations

import re

from .fold import fold

# Han ideographs, Hiragana, Katakana: one token per character.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+")
_IS_CJK = re.compile(rf"[{_CJK}]")
# A quoted phrase in a query: straight or typographic double quotes.
_PHRASE = re.compile(r"[\"“”„«»]([^\"“”„«»]*)[\"“”„«»]")


def search_words(text: str) -> list[str]:
    """The folded words of ``text`` in order (CJK characters one by one)."""
    return _TOKEN.findall(fold(text))


# The full-text index reads an article's first characters only: PostgreSQL refuses a
# tsvector over 1 MB (a 3 MB page of distinct words made the whole batch fail), and
# both backends must index the same words. 100,000 characters hold any news article.
INDEXED_CHARS = 100_000


def indexed_part(text: str) -> str:
    """The part of an article's text the full-text index reads (cut at a space)."""
    if len(text) <= INDEXED_CHARS:
        return text
    cut = text.rfind(" ", INDEXED_CHARS // 2, INDEXED_CHARS)
    return text[:cut if cut > 0 else INDEXED_CHARS]


def index_text(text: str) -> str:
    """``text`` as the full-text index stores it: its search words, space-separated."""
    return " ".join(search_words(text))


def query_units(words: list[str]) -> list[tuple[str, ...]]:
    """What a query searches for: each word alone, except that a run of CJK
    characters becomes its overlapping pairs (a lone CJK character stays one unit)."""
    units: list[tuple[str, ...]] = []
    run: list[str] = []
    for word in [*words, ""]:
        if word and _IS_CJK.fullmatch(word):
            run.append(word)
            continue
        if len(run) == 1:
            units.append((run[0],))
        units += [(a, b) for a, b in zip(run, run[1:], strict=False)]
        run = []
        if word:
            units.append((word,))
    return list(dict.fromkeys(units))


def split_query(query: str) -> tuple[list[list[str]], list[str]]:
    """``(phrases, words)``: the words of each double-quoted phrase (which a result
    must contain, in order), and the words of the rest of the query."""
    phrases = [search_words(m.group(1)) for m in _PHRASE.finditer(query)]
    rest = _PHRASE.sub(" ", query)
    return [p for p in phrases if p], search_words(rest)
