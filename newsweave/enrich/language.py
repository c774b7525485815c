"""Language identification: which language an article is written in.

The default model is py3langid (a fork of langid.py: byte n-gram naive Bayes over
97 ISO 639-1 languages plus regional varieties, ~1,000 documents a second, ~90 MB).
``docs/language.md`` has the benchmark behind that choice. Four things are added on
top of the raw model, the first three fixing weaknesses measured on short texts
(headlines), the fourth one of long ones:

1. **Script shortcuts.** Where a writing system belongs to one language (Greek,
   Hangul, kana, Hebrew, Thai, Armenian, Georgian, ...), the script decides and
   the model is not asked. Cyrillic, Arabic, Han, Devanagari and Latin are shared
   by many languages and go to the model.
2. **A news-oriented label set.** Only labels with an ISO 639-1 code are kept,
   plus regional varieties folded into their macrolanguage (Cantonese and Wu into
   ``zh``, Egyptian and Moroccan Arabic into ``ar``, Southern Uzbek into ``uz``).
   Labels such as Nigerian Pidgin or Extremaduran otherwise win many English and
   Spanish headlines.
3. **A prior.** Regional, classical and constructed languages that share most of
   their vocabulary with a bigger neighbour (Aragonese, Galician, Frisian, Latin,
   ...) get a lower prior weight. On long texts the model's probabilities are so
   peaked that the prior changes nothing; on a headline it breaks near-ties in
   favour of the language a news feed is far more likely to carry.
4. **The running text's script.** In a long text that mixes scripts the letters of
   the minority scripts are left out before the model scores it: a quoted Arabic
   passage is two or three bytes a letter and would outvote a Spanish body.

The text is cleaned before it is scored (URLs, e-mail addresses and digits carry no
language) and cut to a window of the title plus the first ~2,000 characters, which
is plenty for the model and keeps long articles cheap. Results are deterministic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from typing import Any

WINDOW_CHARS = 2000
# Below this the model's best guess is noise (a lone word, a brand name): on 9,700
# real headlines the few answers under 0.05 were all wrong. Such texts get none.
MIN_CONFIDENCE = 0.05

# Scripts that identify one language (among those a news pipeline meets). Each entry:
# code, character class. Checked in order; the first script holding at least half of
# the text's letters decides.
_SCRIPT_LANGS: tuple[tuple[str, str], ...] = (
    ("el", "\u0370-\u03ff\u1f00-\u1fff"),  # Greek and polytonic Greek
    ("ko", "\uac00-\ud7af\u1100-\u11ff\u3130-\u318f"),  # Hangul
    ("he", "\u0590-\u05ff\ufb1d-\ufb4f"),  # Hebrew (Yiddish is not in the label set)
    ("th", "\u0e00-\u0e7f"),  # Thai
    ("hy", "\u0530-\u058f"),  # Armenian
    ("ka", "\u10a0-\u10ff\u2d00-\u2d2f"),  # Georgian
    ("km", "\u1780-\u17ff"),  # Khmer
    ("lo", "\u0e80-\u0eff"),  # Lao
    ("si", "\u0d80-\u0dff"),  # Sinhala
    ("gu", "\u0a80-\u0aff"),  # Gujarati
    ("pa", "\u0a00-\u0a7f"),  # Gurmukhi
    ("ta", "\u0b80-\u0bff"),  # Tamil
    ("te", "\u0c00-\u0c7f"),  # Telugu
    ("kn", "\u0c80-\u0cff"),  # Kannada
    ("ml", "\u0d00-\u0d7f"),  # Malayalam
    ("or", "\u0b00-\u0b7f"),  # Odia
    ("my", "\u1000-\u109f"),  # Myanmar
)
_KANA = "\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9d"
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Japanese prose is roughly 30-40% kana; Chinese text carries at most a stray
# kana in a brand name. A tenth of the CJK letters being kana means Japanese.
_MIN_KANA_SHARE = 0.1

# Scripts the model reads, and that a long text may mix: Latin, Cyrillic, Arabic,
# Devanagari, and Han with kana. The one holding most of the letters is the running
# text's; letters of the others are a quotation or a name (see _main_script).
_MODEL_SCRIPTS = (
    "A-Za-z\u00c0-\u024f\u1e00-\u1eff",
    "\u0400-\u052f",
    "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff",
    "\u0900-\u097f",
    _HAN + _KANA,
)
# What one character of each script weighs: a Han or kana character carries about a
# word, three Latin letters' worth (measured on SemEval-2022's Chinese article heads,
# which name many people and places in Latin script).
_SCRIPT_WEIGHTS = (1, 1, 1, 1, 3)
# Fewer letters than this and a text is left whole, scripts and all: a headline that
# mixes scripts is too short to tell a quotation from the running text.
MIN_MIXED_LETTERS = 200

# Model labels without an ISO 639-1 code that belong to a macrolanguage that has one.
_FOLD = {"yue": "zh", "wuu": "zh", "arz": "ar", "ary": "ar", "uzs": "uz"}

# Prior weight (relative to 1.0 for every other label) of languages that are rare in
# news and close to a bigger neighbour, or classical/constructed.
_MINOR_WEIGHT = 0.3
_MINOR = frozenset({
    "an", "br", "eo", "fo", "fy", "gd", "ga", "gl", "ht", "ig", "la", "lb", "lg",
    "nn", "oc", "qu", "rw", "sa", "se", "sn", "st", "vo", "wa", "xh", "zu",
})

_URL = r"(?:https?://|www\.)\S+"
# Starts only where a run of address characters starts: tried inside a long word, it
# would rescan the word from every letter (quadratic time on a 100,000-letter title).
_EMAIL = r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"


@dataclass(frozen=True, slots=True)
class LanguageResult:
    """The language of one text: ISO 639-1 code, confidence in [0, 1] and the
    model that decided, with its version, so a stored label can be traced and
    recomputed. ``lang`` is ``None`` (confidence 0) when the text has no letters, or
    too few for the model to tell (best guess under ``MIN_CONFIDENCE``, e.g. "ok");
    the caller stores that as ``und``."""

    lang: str | None
    confidence: float
    model: str


class LanguageIdentifier:
    """Identify the language of article texts with py3langid plus script rules.

    Nothing is loaded when the object is built: the model (~0.5 s, ~125 MB) is read
    on the first call to :meth:`identify`, so importing or constructing is free.
    """

    def __init__(self) -> None:
        self._model: Any = None
        self._model_name: str | None = None
        self._noise = re.compile(rf"{_URL}|{_EMAIL}|\d+")
        self._letter = re.compile(r"[^\W\d_]")
        # one pass finds every letter of a script we have a rule for; Latin and
        # Cyrillic text (most news) yields nothing and costs one scan
        special = "".join(chars for _, chars in _SCRIPT_LANGS)
        self._special = re.compile(f"[{special}{_KANA}{_HAN}]")
        self._scripts = [(lang, re.compile(f"[{chars}]")) for lang, chars in _SCRIPT_LANGS]
        self._kana = re.compile(f"[{_KANA}]")
        self._groups = [re.compile(f"[{chars}]+") for chars in _MODEL_SCRIPTS]

    @property
    def model_name(self) -> str:
        """Model and version, e.g. ``"py3langid 0.4.0"`` (does not load the model)."""
        if self._model_name is None:
            try:
                ver = version("py3langid")
            except PackageNotFoundError:
                ver = "unknown"
            self._model_name = f"py3langid {ver}"
        return self._model_name

    @property
    def languages(self) -> list[str]:
        """Every code :meth:`identify` can return, sorted (loads the model)."""
        labels = {_FOLD.get(label, label) for label in self._load().nb_classes
                  if len(label) == 2 or label in _FOLD}
        labels.update(lang for lang, _ in _SCRIPT_LANGS)
        return sorted(labels)

    def identify(self, text: str, title: str | None = None) -> LanguageResult:
        """Language of ``title`` + ``text`` (the title helps short items)."""
        window = self.prepare(text, title)
        letters = "".join(self._letter.findall(window))
        if not letters:
            return LanguageResult(None, 0.0, self.model_name)
        by_script = self._by_script(letters)
        if by_script is not None:
            return LanguageResult(by_script[0], by_script[1], self.model_name)
        lang, confidence = self._by_model(self._main_script(window, letters))
        return LanguageResult(lang, confidence, self.model_name)

    def identify_batch(self, texts: list[str]) -> list[LanguageResult]:
        """:meth:`identify` for each text, in order."""
        return [self.identify(text) for text in texts]

    def prepare(self, text: str, title: str | None = None) -> str:
        """The window actually scored: title and text head, without URLs, e-mail
        addresses and digits, whitespace collapsed."""
        head = text[:WINDOW_CHARS]
        if title and not head.startswith(title):
            head = f"{title}\n{head}"
        return " ".join(self._noise.sub(" ", head).split())

    def _by_script(self, text: str) -> tuple[str, float] | None:
        """(language, share of letters) when one script settles it, else None.

        ``text`` holds only the window's letters (combining marks excluded)."""
        letters = len(text)
        found = "".join(self._special.findall(text))
        if len(found) * 2 < letters:
            return None
        for lang, pattern in self._scripts:
            n = len(pattern.findall(found))
            if n * 2 >= letters:
                return lang, round(n / letters, 4)
        cjk = len(found) - sum(len(p.findall(found)) for _, p in self._scripts)
        kana = len(self._kana.findall(found))
        if cjk * 2 >= letters and kana >= _MIN_KANA_SHARE * cjk:
            return "ja", round(cjk / letters, 4)
        return None

    def _main_script(self, window: str, letters: str) -> str:
        """The window without the letters of its minority scripts, when it is long
        and one script holds most of its letters.

        The model scores byte n-grams, and a letter of Arabic, Cyrillic or Han is two
        or three bytes where a Latin one is one: a Spanish article quoting an Arabic
        passage (1,159 Latin letters, 421 Arabic) came out Arabic with confidence 0.99.
        The running text's script is the one with most of the weight (characters of
        the script's block, vowel signs included, a Han or kana character counting as
        three: a Chinese article naming "Simon Coveney" and "Stormont" has more Latin
        letters than Han characters); a quoted passage in another script does not
        decide. Short texts (headlines mixing a brand name and Chinese characters)
        are left whole."""
        if len(letters) < MIN_MIXED_LETTERS:
            return window
        counts = [(weight * sum(map(len, pattern.findall(window))), k)
                  for k, (pattern, weight) in enumerate(zip(self._groups, _SCRIPT_WEIGHTS,
                                                            strict=True))]
        total = sum(n for n, _ in counts)
        top, main = max(counts)
        if top * 2 <= total or top == total:
            return window
        others = [p for k, p in enumerate(self._groups) if k != main]
        for pattern in others:
            window = pattern.sub(" ", window)
        return " ".join(window.split())

    def _by_model(self, window: str) -> tuple[str | None, float]:
        """Best label by the model's normalised probabilities times the prior;
        (None, 0.0) when even the best has less than ``MIN_CONFIDENCE``."""
        scores: dict[str, float] = {}
        for label, prob in self._load().rank(window):
            if len(label) != 2 and label not in _FOLD:
                continue  # outside the news label set (renormalised away below)
            lang = _FOLD.get(label, label)
            weight = _MINOR_WEIGHT if lang in _MINOR else 1.0
            scores[lang] = scores.get(lang, 0.0) + prob * weight
        total = sum(scores.values())
        if total <= 0.0:
            return None, 0.0
        # ties broken by code so the result never depends on dict order
        lang, score = max(sorted(scores.items()), key=lambda item: item[1])
        confidence = min(1.0, round(score / total, 4))
        if confidence < MIN_CONFIDENCE:
            return None, 0.0
        return lang, confidence

    def _load(self) -> Any:
        """The py3langid model with normalised probabilities (loaded once).

        The label set is narrowed in :meth:`_by_model` rather than with the model's
        ``set_languages``, which copies its table into a slower memory layout;
        renormalising over the kept labels gives the same probabilities."""
        if self._model is None:
            from py3langid import langid

            cls = langid.LanguageIdentifier
            if hasattr(cls, "from_model_file"):  # py3langid >= 0.4
                self._model = cls.from_model_file(langid.MODEL_FILE, norm_probs=True)
            else:  # py3langid 0.3
                self._model = cls.from_pickled_model(langid.MODEL_FILE, norm_probs=True)
        return self._model
