"""Open the store a ``--db`` value names: a SQLite file, or a PostgreSQL URL."""

from __future__ import annotations

from pathlib import Path

from .base import StoreAPI
from .postgres import PostgresStore, is_postgres_url
from .sqlite import Store


def open_store(db: str | Path, readonly: bool = False) -> StoreAPI:
    """The database at ``db``: ``postgresql://…`` (or ``postgres://…``) opens a
    PostgreSQL database with pgvector, anything else a SQLite file."""
    if is_postgres_url(db):
        return PostgresStore(str(db), readonly=readonly)
    return Store(db, readonly=readonly)
