"""Synthetic news for scale tests: a stream of short articles about invented events,
and an embedder that costs nothing.

The words are invented (random syllables) apart from a few dozen function words per
language, written here, so the language identifier has something to recognise.
Articles of one event share its names, numbers and headline words and have similar
vectors, so stories form as they would on real news; two articles never share a
run of five words by chance, so they are not near-duplicates.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

FUNCTION_WORDS = {
    "en": "the of and to in is that for on with as was by at from has have will are it "
          "this but not after".split(),
    "it": "il di che e la per un una non con del della sono anche come dopo alla nel "
          "questo ha hanno sulla".split(),
    "es": "el de que y la en los del las por un una con para como pero sus fue este "
          "desde han tras".split(),
    "fr": "le de la et les des que un une pour dans est sur par pas avec qui ont cette "
          "mais selon apres".split(),
    "de": "der die und das ist nicht mit den von auf dem sich des eine ein auch nach "
          "wird hat sind".split(),
}
SYLLABLES = ("ka", "lo", "mi", "ren", "tas", "vo", "lin", "dar", "pe", "su", "gor", "bel",
             "ni", "tra", "os", "mun", "zel", "ira", "hak", "fe", "qui", "dom", "sar", "ule")


class SyntheticEmbedder:
    """Unit vectors from hashes: an event's base vector plus per-article noise.

    The base is seeded by the passage's first three words (the synthetic headline
    opens with its event's words), the noise by the whole passage, so reports of one
    event are close (cosine about 0.7) and different events are not. Deterministic.
    """

    model_name = "synthetic"

    def __init__(self, dim: int = 384, noise: float = 0.6) -> None:
        self.dim = dim
        self.noise = noise

    def _vector(self, key: str) -> np.ndarray:
        seed = int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "little")
        return np.random.default_rng(seed).standard_normal(self.dim)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for k, text in enumerate(texts):
            v = self._vector(" ".join(text.split()[:3])) + self.noise * self._vector(text)
            out[k] = v / np.linalg.norm(v)
        return out


class SyntheticNews:
    """An endless, deterministic stream of article records, in time order.

    About ``per_day`` articles a day; each joins a live event (1 to 3 days long) or,
    with probability ``p_new``, starts a new one.
    """

    def __init__(self, seed: int = 7, per_day: int = 600, p_new: float = 0.3,
                 start: datetime = datetime(2020, 1, 1, tzinfo=UTC)) -> None:
        self.rng = np.random.default_rng(seed)
        self.vocab = {lang: self._words(1500) for lang in FUNCTION_WORDS}
        self.names = [w.capitalize() for w in self._words(4000)]
        self.langs = list(FUNCTION_WORDS)
        self.step = timedelta(days=1) / per_day
        self.p_new = p_new
        self.now = start
        self.count = 0
        self.events: list[dict[str, Any]] = []

    def _words(self, n: int) -> list[str]:
        words: set[str] = set()
        while len(words) < n:
            words.add("".join(self.rng.choice(SYLLABLES, size=int(self.rng.integers(2, 5)))))
        return sorted(words)

    def _event(self) -> dict[str, Any]:
        rng = self.rng
        names = [self.names[k] for k in rng.choice(len(self.names), size=4, replace=False)]
        lang = self.langs[int(rng.integers(len(self.langs)))]
        words = self.vocab[lang]
        return {"head": [*names[:2], words[int(rng.integers(len(words)))]],
                "terms": names + [str(int(n)) for n in rng.integers(10, 5000, size=2)],
                "until": self.now + timedelta(days=float(rng.uniform(1, 3)))}

    def _pick_event(self) -> dict[str, Any]:
        self.events = [e for e in self.events if e["until"] > self.now]
        if not self.events or self.rng.random() < self.p_new:
            self.events.append(self._event())
            return self.events[-1]
        return self.events[int(self.rng.integers(len(self.events)))]

    def record(self) -> dict[str, Any]:
        """The next article: ``{id, title, text, published}``."""
        rng, event = self.rng, self._pick_event()
        lang = self.langs[int(rng.integers(len(self.langs)))]
        words, function, terms = self.vocab[lang], FUNCTION_WORDS[lang], event["terms"]
        title = " ".join([*event["head"], *(words[k] for k in rng.integers(len(words), size=4))])
        n = int(rng.integers(50, 110))
        rolls, picks = rng.random(n), rng.random(n)
        body = [function[int(p * len(function))] if r < 0.4 else
                terms[int(p * len(terms))] if r < 0.5 else words[int(p * len(words))]
                for r, p in zip(rolls.tolist(), picks.tolist(), strict=True)]
        self.count += 1
        self.now += self.step
        sentence = " ".join(body)
        text = f"{title}\n{sentence[:1].upper()}{sentence[1:]}."
        return {"id": f"syn-{self.count}", "title": title, "text": text,
                "published": self.now.isoformat()}

    def records(self, n: int) -> list[dict[str, Any]]:
        return [self.record() for _ in range(n)]
