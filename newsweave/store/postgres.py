"""The PostgreSQL store: a server database with pgvector, behind the same interface.

Point newsweave at it with ``--db postgresql://user@host/dbname`` (or
``NEWSWEAVE_DB``). What differs from SQLite lives here, and only here:

- **connecting**: psycopg 3; the server must offer the ``vector`` extension
  (pgvector), else opening fails with an error that names it. The schema is created
  and upgraded by :mod:`newsweave.store.pg_migrations`;
- **statements**: the store's portable SQL is written with ``?`` placeholders; they
  become ``%s`` here (:meth:`PostgresStore.statement`), and an insert returns its id
  with ``RETURNING id``;
- **one writer**: a writing store holds a session advisory lock on the database; a
  second writer is refused at once, as with SQLite's lock file. Readers take none;
- **ids**: the sequences of id columns are kept at ``max(id) + 1`` (at open and after
  a rolled-back batch), so ids are handed out exactly as SQLite hands them out, and
  a crash and a resume give the same ids as one uninterrupted ingest;
- **vectors**: ``vector(384)`` columns, searched in the database through an HNSW
  index (:class:`newsweave.store.pgvectors.PgVectorIndex`);
- **rows** read by name or by position, as :class:`sqlite3.Row` reads them, and sums
  come back as ``int`` or ``float``, not ``Decimal``.

Each thread uses its own connection for reads (a server's request threads), made
when first needed.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import numpy as np

from ..errors import StoreError
from .pg_migrations import IDENTITY_TABLES, LATEST, VECTOR_DIM, migrate
from .sqlite import Store

URL_SCHEMES = ("postgresql://", "postgres://")
WRITER_LOCK = 0x6E77_7772  # advisory lock key: "nwwr"
REQUIRED_EXTENSION = "vector"
MIN_SERVER = 150000  # PostgreSQL 15 (server_version_num)
MIN_PGVECTOR = (0, 8)  # hnsw.iterative_scan


def is_postgres_url(db: str | Path) -> bool:
    """True when ``db`` names a PostgreSQL database rather than a SQLite file."""
    return str(db).startswith(URL_SCHEMES)


def redact(url: str) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))


class Row:
    """A result row read by position or by column name, like :class:`sqlite3.Row`."""

    __slots__ = ("_values", "_names")

    def __init__(self, values: Sequence[Any], names: dict[str, int]) -> None:
        self._values = tuple(values)
        self._names = names

    def __getitem__(self, key: int | str | slice) -> Any:
        if isinstance(key, str):
            return self._values[self._names[key]]
        return self._values[key]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def keys(self) -> list[str]:
        return list(self._names)

    def __repr__(self) -> str:
        return f"Row({dict(zip(self._names, self._values, strict=True))!r})"


def _row_factory(cursor: Any) -> Any:
    names = {col.name: i for i, col in enumerate(cursor.description or ())}
    return lambda values: Row(values, names)


def _number(value: Decimal | None) -> int | float | None:
    """A NUMERIC (PostgreSQL's sum of integers) as SQLite returns it."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _connect(url: str, autocommit: bool = True) -> Any:
    """A psycopg connection with our row type, numeric and vector adapters."""
    try:
        import psycopg
        from psycopg.types.numeric import NumericLoader
    except ImportError:
        raise StoreError("PostgreSQL support needs psycopg: pip install 'newsweave[postgres]'"
                         ) from None

    class Loader(NumericLoader):
        def load(self, data: Any) -> Any:
            return _number(super().load(data))

    try:
        conn = psycopg.connect(url, autocommit=autocommit, row_factory=_row_factory)
    except psycopg.Error as exc:
        raise StoreError(f"cannot connect to {redact(url)}: {str(exc).strip()}") from None
    conn.adapters.register_loader("numeric", Loader)
    return conn


def require_extension(conn: Any, name: str, url: str) -> None:
    """Create ``name`` in the database, or fail with a message that names it."""
    import psycopg

    available = conn.execute("SELECT 1 FROM pg_available_extensions WHERE name = %s",
                             (name,)).fetchone()
    if available is None:
        raise StoreError(f"the PostgreSQL server at {redact(url)} has no '{name}' extension: "
                         f"newsweave needs pgvector (0.5 or later) installed on the server "
                         f"(see docs/store.md)")
    try:
        conn.execute(f'CREATE EXTENSION IF NOT EXISTS "{name}"')
    except psycopg.Error as exc:
        raise StoreError(f"cannot enable the '{name}' extension in {redact(url)}: "
                         f"{str(exc).strip()} (a superuser can run CREATE EXTENSION {name})"
                         ) from None


def check_versions(conn: Any, url: str) -> None:
    """PostgreSQL 15 or later, pgvector 0.8 or later; else say which is too old."""
    server = int(conn.execute("SHOW server_version_num").fetchone()[0])
    if server < MIN_SERVER:
        raise StoreError(f"{redact(url)} runs PostgreSQL {server // 10000}; newsweave needs "
                         f"{MIN_SERVER // 10000} or later")
    row = conn.execute("SELECT extversion FROM pg_extension WHERE extname = %s",
                       (REQUIRED_EXTENSION,)).fetchone()
    version = tuple(int(p) for p in re.findall(r"\d+", row[0])[:2]) if row else (0, 0)
    if version < MIN_PGVECTOR:
        raise StoreError(f"{redact(url)} has pgvector {row[0] if row else 'none'}; newsweave "
                         f"needs {'.'.join(map(str, MIN_PGVECTOR))} or later "
                         "(ALTER EXTENSION vector UPDATE)")


class PostgresStore(Store):
    """A newsweave database on a PostgreSQL server with pgvector.

    The statements it runs are the SQLite store's own (they are portable); this class
    replaces how it connects, locks, spells statements, numbers ids and keeps vectors.
    """

    def __init__(self, url: str, readonly: bool = False) -> None:  # noqa: D107
        self.url = url
        self.location = redact(url)
        self.path = Path(self.location)
        self.real_path = self.path
        self.readonly = readonly
        self._local = threading.local()
        self._readers: list[Any] = []  # other threads' connections
        self._in_batch = False
        self._lock = None
        self.conn = self._open(readonly)
        self._local.conn = self.conn
        self._attach_parts()

    def _open(self, readonly: bool) -> Any:
        import pgvector.psycopg

        conn = _connect(self.url)
        try:
            if readonly:
                self._check_schema(conn)
            else:
                require_extension(conn, REQUIRED_EXTENSION, self.url)
                check_versions(conn, self.url)
                self._take_writer_lock(conn)
                migrate(conn, self.location)
                self._sync_ids(conn)
            pgvector.psycopg.register_vector(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    def _check_schema(self, conn: Any) -> None:
        """A reader needs a database that ``ingest`` has made, of a version we know."""
        exists = conn.execute("SELECT to_regclass('schema_version')").fetchone()[0]
        if exists is None:
            raise StoreError(f"no newsweave database at {self.location}: "
                             "run `newsweave ingest` first")
        version = conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] or 0
        if version > LATEST:
            raise StoreError(f"{self.location} was written by a newer newsweave "
                             f"(schema {version}; this one knows {LATEST}): upgrade "
                             "newsweave to open it")
        if version < LATEST:
            self._upgrade(conn, version)

    def _upgrade(self, conn: Any, version: int) -> None:
        """Upgrade an older database in place before reading it, as a writer would on
        open (the reader's queries name the latest schema's tables and columns); the
        migrations' advisory lock keeps it to one process."""
        import psycopg

        try:
            migrate(conn, self.location)
        except psycopg.Error as exc:
            raise StoreError(f"{self.location} has schema {version}, older than this "
                             f"newsweave's {LATEST}, and upgrading it in place failed: "
                             f"{str(exc).strip()}") from None

    def _take_writer_lock(self, conn: Any) -> None:
        got = conn.execute("SELECT pg_try_advisory_lock(%s)", (WRITER_LOCK,)).fetchone()[0]
        if not got:
            raise StoreError(f"another newsweave process is writing to {self.location}; "
                             "wait for it to finish")

    def _sync_ids(self, conn: Any, tables: Iterable[str] = IDENTITY_TABLES) -> None:
        """Set each id sequence to hand out max(id) + 1 next, as SQLite would."""
        for table in tables:
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)")

    def _attach_parts(self) -> None:
        """The SQLite store's parts, with PostgreSQL's own full-text search."""
        from .pgsearch import PgSearchTables

        super()._attach_parts()
        self.search = PgSearchTables(self)

    @property
    def _conn(self) -> Any:
        """This thread's connection: the store's own in its thread, a new one elsewhere."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            import pgvector.psycopg

            conn = _connect(self.url)
            pgvector.psycopg.register_vector(conn)
            self._local.conn = conn
            self._readers.append(conn)
        return conn

    def close(self) -> None:
        for reader in self._readers:
            reader.close()
        self.conn.close()  # ends the session: its advisory lock goes with it

    # -- transactions ------------------------------------------------------
    @contextmanager
    def batch(self) -> Iterator[None]:
        """One write transaction; rolled back whole on any error or interrupt."""
        if self._in_batch:
            yield
            return
        import psycopg

        self._in_batch = True
        try:
            with self.conn.transaction():
                yield
        except psycopg.OperationalError as exc:
            self._after_rollback()
            raise StoreError(f"cannot write to {self.location}: {str(exc).strip()}; the last "
                             "batch was not saved, the ones before it are (run the command "
                             "again once the problem is fixed)") from None
        except BaseException:
            self._after_rollback()
            raise
        finally:
            self._in_batch = False

    def _after_rollback(self) -> None:
        """Sequences do not roll back: hand the batch's ids out again, as SQLite does."""
        if not self.conn.closed and not self.readonly:
            self._sync_ids(self.conn)

    # -- statements ----------------------------------------------------------
    _MARK = re.compile(r"%|\?")

    def statement(self, sql: str) -> str:
        """``?`` placeholders become ``%s``; a literal ``%`` is doubled."""
        return self._MARK.sub(lambda m: "%s" if m.group() == "?" else "%%", sql)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        cursor = self._conn.execute(self.statement(sql), tuple(params))
        self._ids_after(sql)
        return cursor

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        rows = [tuple(r) for r in rows]
        if rows:
            with self._conn.cursor() as cur:
                cur.executemany(self.statement(sql), rows)
            self._ids_after(sql)

    _DELETE = re.compile(r"\s*DELETE\s+FROM\s+(\w+)", re.IGNORECASE)

    def _ids_after(self, sql: str) -> None:
        """After rows of a table with handed-out ids are deleted, its next id is
        max(id) + 1 again, as in SQLite, which reuses the ids of deleted last rows (a
        sequence never goes back): ``recluster`` deletes every story and numbers
        them from 1 again, re-annotating an article deletes and re-adds its mentions."""
        match = self._DELETE.match(sql)
        if match and match.group(1) in IDENTITY_TABLES:
            self._sync_ids(self._conn, (match.group(1),))

    def insert(self, sql: str, params: Sequence[Any]) -> int:
        return int(self.execute(sql.rstrip().rstrip(";") + " RETURNING id", params)
                   .fetchone()[0])

    # -- vectors: pgvector columns instead of float32 BLOBs ------------------
    def vector_param(self, vec: np.ndarray) -> np.ndarray:
        _check_dim(vec.shape[0])
        return np.asarray(vec, dtype=np.float32)

    def vector_value(self, stored: Any) -> np.ndarray:
        """pgvector reads a ``vector`` as its own type."""
        if hasattr(stored, "to_numpy"):
            stored = stored.to_numpy()
        return np.asarray(stored, dtype=np.float32)

    def vector_index(self, dim: int) -> Any:
        from .pgvectors import PgVectorIndex

        _check_dim(dim)
        return PgVectorIndex(self, dim)


def _check_dim(dim: int) -> None:
    if dim != VECTOR_DIM:
        raise StoreError(f"the PostgreSQL store keeps {VECTOR_DIM}-dimensional vectors; "
                         f"this embedder makes {dim}")
