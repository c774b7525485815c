"""What the search endpoints share across requests: one embedder and one language
identifier, loaded on the first search (a server that is never asked to search never
loads the model), and the settings in force on the database."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..enrich.embed import Embedder, make_embedder
from ..enrich.language import LanguageIdentifier
from ..library import settings_for
from ..store.base import StoreAPI


class OneAtATime:
    """An embedder behind a lock: FastAPI runs searches in a thread pool, and the
    engine is one model with its own threads."""

    def __init__(self, inner: Embedder) -> None:
        self._inner, self._lock = inner, threading.Lock()
        self.model_name, self.dim = inner.model_name, inner.dim

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            return self._inner.embed_passages(texts)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            return self._inner.embed_queries(texts)


@dataclass(frozen=True)
class SearchTools:
    """The embedder (for the query vector), the language identifier (for the query's
    language) and the longest query the settings allow."""

    embedder: Embedder
    identifier: LanguageIdentifier
    max_query_chars: int

    @classmethod
    def load(cls, store: StoreAPI) -> SearchTools:
        """Built from the settings in force on ``store`` (its embedder, its limits)."""
        settings = settings_for(store)
        embedder = make_embedder(settings.embedder, settings.embed_max_tokens,
                                 settings.embed_batch_size)
        return cls(OneAtATime(embedder), LanguageIdentifier(), settings.search_max_query_chars)
