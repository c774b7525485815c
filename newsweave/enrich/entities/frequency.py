"""How common a word is as an ordinary word of its language.

A capitalised run nothing else explains ("Gran Premio", "World Cup", "Stato
Maggiore") is usually made of everyday words, while an unknown person's name
("Helmuth Köcher", "Chokri Belaid") is not. The Zipf frequencies of the ``wordfreq``
package (word counts over subtitles, Wikipedia, news and web text in 40+ languages,
shipped inside the package: nothing is fetched) tell the two apart. Zipf is
log10 of occurrences per billion words: 7 for "the", 5 for "premio" in Italian,
below 3 for most surnames.
"""

from __future__ import annotations

from importlib import metadata

# Bounded memo: the same few thousand capitalised words recur in every article.
MEMO_LIMIT = 100_000


class WordFrequency:
    """Zipf frequencies by language, memoised on the object. Without ``wordfreq``
    installed, or for a language it does not cover, every word scores 0 (unknown):
    the rules that use it then stay as they were."""

    def __init__(self) -> None:
        self._memo: dict[tuple[str, str], float] = {}
        try:
            import wordfreq
        except ImportError:  # an optional speed-up of precision, never a hard failure
            self._zipf = None
            self._languages: frozenset[str] = frozenset()
            self.version = "no-wordfreq"
        else:
            self._zipf = wordfreq.zipf_frequency
            self._languages = frozenset(wordfreq.available_languages())
            self.version = f"wordfreq-{metadata.version('wordfreq')}"

    def zipf(self, word: str, lang: str | None) -> float:
        """Zipf frequency of ``word`` (any case) in ``lang``; 0 when unknown."""
        if self._zipf is None or lang not in self._languages:
            return 0.0
        key = (word.lower(), lang)
        found = self._memo.get(key)
        if found is None:
            if len(self._memo) > MEMO_LIMIT:
                self._memo.clear()
            try:
                found = self._zipf(key[0], lang)
            except ImportError:
                # wordfreq reads Chinese, Japanese and Korean through tokenisers it
                # does not install (jieba, MeCab): without them the language is
                # unknown here, as if wordfreq did not cover it.
                self._languages = self._languages - {lang}
                return 0.0
            self._memo[key] = found
        return found
