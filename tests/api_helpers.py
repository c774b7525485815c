"""Shared by the API tests: a small database of our own fixtures, made through the
Python API (``newsweave.open(...).ingest``) on either backend, once per module."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import newsweave

DATA = Path(__file__).resolve().parent / "data" / "pipeline"
TOKEN = "test-token-42-kessmark"


@contextmanager
def built_db(backend: str, tmp: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """A database of tests/data/pipeline (6 articles and a skipped empty file)."""
    server = request.getfixturevalue("pg_server") if backend == "postgres" else None
    db = server.create() if server else str(tmp / "api.db")
    try:
        with newsweave.open(db, settings={"fetch_linked_pages": False}) as nw:
            report = nw.ingest([str(DATA)])
        assert report["new"] == 6 and len(report["skipped"]) == 1, report
        yield db
    finally:
        if server is not None:
            server.drop(db)
