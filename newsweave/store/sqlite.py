"""The SQLite store: one file, WAL mode, numbered migrations, one writer.

The default backend of the store interface (:class:`newsweave.store.base.StoreAPI`):
its parts (``stories``, ``entities``, ``lines``, ``queries``, ``exports``) are
modules of portable SQL beside this one, and every statement passes through
:meth:`Store.execute` and its siblings.

Every lookup the ingest loop makes per article goes through an index (ingest key,
content hash, MinHash band key, story id), so the cost of adding an article does
not grow with the size of the store. Writes happen inside :meth:`Store.batch`, one
transaction per batch of articles: a crash or Ctrl-C leaves the database as it was
after the last finished batch, and re-running resumes from there.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import numpy as np

from ..errors import StoreError
from ..models import Article, Skipped
from .entities import EntityTables
from .exports import ExportReads
from .facts import FactTables
from .lines import LineTables
from .migrations import MIGRATIONS, migrate, schema_version
from .queries import Queries
from .search import SearchTables
from .stories import StoryTables
from .surnames import SurnameTables
from .values import from_blob, to_blob, utcnow
from .vectors import VectorIndex

SCHEMA_APP_ID = 0x6E777631  # "nwv1": marks a file as a newsweave database
# Most values bound in one ``IN (?, ...)`` list. SQLite caps the variables of one
# statement (999 before 3.32, 32,766 after, or what the build chose), and a list
# built from an input (the distinct words of a 250,000-word record) may be longer:
# :meth:`Store.select_in` splits it into statements of this many.
MAX_IN_VALUES = 500
# The columns an article's row is written with (:func:`article_values`), in order.
ARTICLE_COLUMNS = ("seq", "run_id", "ingest_key", "content_hash", "source", "external_id",
                   "url", "fmt", "title", "text", "published", "author", "site", "lang",
                   "lang_confidence", "lang_model", "duplicate_of", "duplicate_kind",
                   "duplicate_score", "story_id", "removed_lines", "ingested_at",
                   "published_source")


def article_values(a: Article, seq: int, run_id: int | None) -> tuple[Any, ...]:
    """The values of :data:`ARTICLE_COLUMNS` for storing ``a``: one place for what an
    article's row holds, for the insert and for a benchmark's bulk load (``COPY``)."""
    published = a.published.isoformat() if a.published else None
    return (seq, run_id, a.ingest_key, a.content_hash, a.source, a.external_id, a.url, a.fmt,
            a.title, a.text, published, a.author, a.site, a.lang or "und", a.lang_confidence,
            a.lang_model, a.duplicate_of, a.duplicate_kind, a.duplicate_score, a.story_id,
            json.dumps(a.removed_lines, ensure_ascii=False) if a.removed_lines else None,
            utcnow(), a.published_source if published else None)


class Store:
    """A newsweave database on disk. Not thread-safe: one writer per file."""

    def __init__(self, path: str | Path, readonly: bool = False) -> None:
        self.path = Path(path)
        self.location = str(self.path)
        # The file itself, through any symbolic links: the writer lock and the vector
        # index beside the database are keyed on it, so two names for one database
        # (a link, a relative and an absolute path) share one lock and one index.
        self.real_path = Path(os.path.realpath(self.path))
        if readonly and not self.path.exists():
            raise StoreError(f"no database at {self.path}: run `newsweave ingest` first")
        self._lock = None if readonly else self._take_writer_lock()
        try:
            self.conn = self._connect(readonly)
        except sqlite3.DatabaseError as exc:
            self._release_lock()
            raise StoreError(f"cannot open {self.path} as a database: {exc}") from None
        except StoreError:
            self._release_lock()
            raise
        self._in_batch = False
        self._owner = threading.get_ident()
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []  # other threads' connections
        self._attach_parts()

    def _attach_parts(self) -> None:
        """The store's parts, each a module of SQL over this store's connection."""
        self.stories = StoryTables(self)
        self.lines = LineTables(self)
        self.surnames = SurnameTables(self)
        self.entities = EntityTables(self)
        self.facts = FactTables(self)
        self.queries = Queries(self)
        self.exports = ExportReads(self)
        self.search = SearchTables(self)

    def _take_writer_lock(self) -> IO[bytes] | None:
        """One writer per database: the vector index beside it is rebuilt by one process.

        Readers (listings, the API) take no lock: SQLite's WAL lets them read while
        the writer works.
        """
        import fcntl

        if not self.path.parent.exists():
            raise StoreError(f"folder {self.path.parent} does not exist")
        lock_path = self.real_path.with_name(self.real_path.name + ".lock")
        try:
            handle = open(lock_path, "wb")  # noqa: SIM115
        except OSError as exc:
            raise StoreError(f"cannot create the lock file {lock_path}: "
                             f"{exc.strerror or exc}") from None
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            raise StoreError(f"another newsweave process is writing to {self.path}; "
                             "wait for it to finish") from None
        return handle

    def _release_lock(self) -> None:
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def _connect(self, readonly: bool) -> sqlite3.Connection:
        if not readonly and self.path.parent and not self.path.parent.exists():
            raise StoreError(f"folder {self.path.parent} does not exist")
        uri = f"file:{self.path}?mode=ro" if readonly else f"file:{self.path}"
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=30)
        conn.row_factory = sqlite3.Row
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        has_tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if has_tables and app_id != SCHEMA_APP_ID:
            conn.close()
            raise StoreError(f"{self.path} is a SQLite file but not a newsweave database")
        try:
            if not readonly:
                self._prepare_writer(conn)
            elif has_tables and schema_version(conn, self.location) < len(MIGRATIONS):
                conn.close()
                self._upgrade()
                return self._connect(readonly)
        except BaseException:
            conn.close()
            raise
        conn.execute("PRAGMA foreign_keys=ON")
        return conn

    def _prepare_writer(self, conn: sqlite3.Connection) -> None:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        # 64 MiB page cache: the index pages touched per article stay in memory as
        # the store grows (the default 2 MiB made commits slower at 100k articles).
        conn.execute("PRAGMA cache_size=-65536")
        conn.execute(f"PRAGMA application_id={SCHEMA_APP_ID}")
        migrate(conn, self.location)

    def _upgrade(self) -> None:
        """Upgrade an older database in place before reading it.

        A reader's queries name the tables and columns of the latest schema, which a
        database written by an earlier release lacks; the upgrade is the one a writer
        makes on open (the same migrations, under the writer lock), so the first
        command after installing a new release, whichever it is, finds the file ready.
        """
        try:
            Store(self.path).close()
        except StoreError as exc:
            probe = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
            try:
                version = int(probe.execute("PRAGMA user_version").fetchone()[0])
            finally:
                probe.close()
            if version < len(MIGRATIONS):  # not upgraded by another writer meanwhile
                raise StoreError(f"{self.path} has schema {version}, older than this "
                                 f"newsweave's {len(MIGRATIONS)}, and upgrading it in place "
                                 f"failed: {exc}") from None

    def _thread_conn(self) -> sqlite3.Connection:
        """The store's own connection in the thread that opened it; in any other thread
        (a server's request threads) a read-only connection of that thread's own."""
        if threading.get_ident() == self._owner:
            return self.conn
        conn = getattr(self._local, "conn", None)
        if conn is None:
            # used by its thread only; closed by the store at close (another thread)
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30,
                                   check_same_thread=False)
            conn.row_factory = sqlite3.Row
            self._local.conn = conn
            self._readers.append(conn)
        return conn

    def close(self) -> None:
        for reader in self._readers:
            reader.close()
        self.conn.close()
        self._release_lock()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions ------------------------------------------------------
    @contextmanager
    def batch(self) -> Iterator[None]:
        """One write transaction; rolled back whole on any error or interrupt."""
        if self._in_batch:
            yield
            return
        self.conn.execute("BEGIN IMMEDIATE")
        self._in_batch = True
        try:
            yield
            self.conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            self._rollback()
            error = self._write_error(exc)
            if error is None:
                raise
            raise error from None
        except BaseException:
            self._rollback()
            raise
        finally:
            self._in_batch = False

    def _rollback(self) -> None:
        try:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass  # SQLite rolls back itself when a write fails this way

    def _write_error(self, exc: sqlite3.OperationalError) -> StoreError | None:
        """A :class:`StoreError` for a disk that is full or failing, else None."""
        code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
        if code in (sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_READONLY,
                    sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM):
            return StoreError(f"cannot write to {self.path}: {exc}; the last batch was not "
                              "saved, the ones before it are (run the command again once "
                              "the problem is fixed)")
        return None

    # -- statements ----------------------------------------------------------
    # Every SQL statement of the store, in this module and in the table modules beside
    # it, passes through these four methods, written with ``?`` placeholders and
    # portable SQL (``INSERT ... ON CONFLICT``, no SQLite-only functions), so a server
    # backend changes the spelling in one place: :meth:`statement`.
    def statement(self, sql: str) -> str:
        """The backend's spelling of a portable statement: SQLite takes it as written
        (a PostgreSQL backend would turn ``?`` into ``%s`` here)."""
        return sql

    def in_transaction(self) -> bool:
        """Whether this thread's connection is inside a write transaction (whose rows
        may yet be rolled back)."""
        return self._thread_conn().in_transaction

    def execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        """Run one statement; its rows read by name or by position."""
        return self._thread_conn().execute(self.statement(sql), params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Run one statement once per row of parameters."""
        self._thread_conn().executemany(self.statement(sql), rows)

    def insert(self, sql: str, params: Sequence[Any]) -> int:
        """Run one ``INSERT`` of one row into a table with an ``id`` key; the new id
        (SQLite's ``lastrowid``; a server backend appends ``RETURNING id``)."""
        return int(self.execute(sql, params).lastrowid)

    def select_in(self, sql: str, values: Iterable[Any],
                  before: Sequence[Any] = ()) -> Iterator[sqlite3.Row]:
        """Rows of ``sql`` for all ``values``, however many, one chunk at a time.

        ``sql`` holds one ``{marks}`` placeholder, the inside of an ``IN (...)`` list;
        ``before`` are the parameters that precede it. Only for queries whose rows each
        belong to one value (no LIMIT, and any ORDER BY within a value's rows), so that
        running them chunk by chunk returns what one statement would.
        """
        values = list(values)
        for at in range(0, len(values), MAX_IN_VALUES):
            chunk = values[at:at + MAX_IN_VALUES]
            yield from self.execute(sql.format(marks=",".join("?" * len(chunk))),
                                    (*before, *chunk))

    # -- meta and runs -----------------------------------------------------
    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        self.execute("INSERT INTO meta(key, value) VALUES (?, ?) "
                          "ON CONFLICT(key) DO UPDATE SET value=excluded.value", (key, value))

    def start_run(self, sources: Sequence[str]) -> int:
        return self.insert("INSERT INTO runs(started_at, sources) VALUES (?, ?)",
                           (utcnow(), json.dumps(list(sources))))

    def finish_run(self, run_id: int, status: str, counts: dict[str, Any]) -> None:
        self.execute("UPDATE runs SET finished_at=?, status=?, counts=? WHERE id=?",
                          (utcnow(), status, json.dumps(counts), run_id))

    # -- articles ----------------------------------------------------------
    def has_ingest_key(self, key: str) -> bool:
        row = self.execute("SELECT 1 FROM articles WHERE ingest_key=?", (key,)).fetchone()
        return row is not None

    def original_by_hash(self, content_hash: str) -> int | None:
        """The first stored article with this normalised text, if any."""
        row = self.execute(
            "SELECT coalesce(duplicate_of, id) FROM articles WHERE content_hash=? "
            "ORDER BY id LIMIT 1", (content_hash,)).fetchone()
        return int(row[0]) if row else None

    def next_seq(self) -> int:
        row = self.execute("SELECT coalesce(max(seq), 0) + 1 FROM articles").fetchone()
        return int(row[0])

    def insert_article(self, a: Article, seq: int, run_id: int | None) -> int:
        """Store an article, index its words for search and count it in its language
        (one transaction)."""
        article_id = self._insert_article_row(a, seq, run_id)
        self.search.add(article_id, a.title, a.text, a.lang or "und")
        self.execute("INSERT INTO language_counts(lang, articles) VALUES (?, 1) "
                     "ON CONFLICT(lang) DO UPDATE SET articles = language_counts.articles + 1",
                     (a.lang or "und",))
        return article_id

    def _insert_article_row(self, a: Article, seq: int, run_id: int | None) -> int:
        marks = ",".join("?" * len(ARTICLE_COLUMNS))
        return self.insert(f"INSERT INTO articles({', '.join(ARTICLE_COLUMNS)}) "
                           f"VALUES ({marks})", article_values(a, seq, run_id))

    def set_article_story(self, article_id: int, story_id: int) -> None:
        self.execute("UPDATE articles SET story_id=? WHERE id=?", (story_id, article_id))

    def article_story(self, article_id: int) -> int | None:
        row = self.execute("SELECT story_id FROM articles WHERE id=?",
                                (article_id,)).fetchone()
        return row[0] if row else None

    def count(self, table: str) -> int:
        if table not in {"articles", "stories", "skipped", "vectors"}:
            raise ValueError(table)
        return int(self.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    # -- near-duplicates ---------------------------------------------------
    def add_minhash(self, article_id: int, signature: np.ndarray, keys: Iterable[int]) -> None:
        self.execute("INSERT INTO minhash(article_id, signature) VALUES (?, ?)",
                          (article_id, to_blob(signature, np.uint64)))
        self.executemany("INSERT INTO minhash_bands(key, article_id) VALUES (?, ?)",
                              [(k, article_id) for k in keys])

    def minhash_candidates(self, keys: Sequence[int], limit: int = 50) -> list[tuple[int, bytes]]:
        """Articles sharing at least one band key, most shared first, with signatures."""
        if not keys:
            return []
        marks = ",".join("?" * len(keys))
        rows = self.execute(
            f"""SELECT b.article_id, m.signature, count(*) AS shared
                FROM minhash_bands b JOIN minhash m ON m.article_id = b.article_id
                WHERE b.key IN ({marks}) GROUP BY b.article_id, m.signature
                ORDER BY shared DESC, b.article_id LIMIT ?""", (*keys, limit)).fetchall()
        return [(int(r[0]), r[1]) for r in rows]

    # -- vectors -----------------------------------------------------------
    # How a vector is written and read back is the backend's (float32 BLOBs here,
    # pgvector columns in PostgreSQL); the statements below are shared.
    def vector_param(self, vec: np.ndarray) -> Any:
        """A vector as a statement parameter."""
        return to_blob(vec)

    def vector_value(self, stored: Any) -> np.ndarray:
        """A stored vector as float32 numpy."""
        return from_blob(stored)

    def put_vector(self, article_id: int, model: str, vec: np.ndarray, cvec: np.ndarray) -> None:
        self.execute(
            "INSERT INTO vectors(article_id, model, dim, vector, cvector) VALUES (?,?,?,?,?)",
            (article_id, model, int(vec.shape[0]), self.vector_param(vec),
             self.vector_param(cvec)))

    def cvectors(self, ids: Sequence[int]) -> dict[int, np.ndarray]:
        rows = self.select_in(
            "SELECT article_id, cvector FROM vectors WHERE article_id IN ({marks})", ids)
        return {int(r[0]): self.vector_value(r[1]) for r in rows}

    def iter_vectors(self, after_id: int = 0) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
        """(article id, raw vector, centred vector) in id order, for index rebuilds."""
        cur = self.execute("SELECT article_id, vector, cvector FROM vectors "
                                "WHERE article_id > ? ORDER BY article_id", (after_id,))
        for r in cur:
            yield int(r[0]), self.vector_value(r[1]), self.vector_value(r[2])

    def set_cvector(self, article_id: int, cvec: np.ndarray) -> None:
        """Replace an article's normalised vector (``recluster`` renormalises)."""
        self.execute("UPDATE vectors SET cvector = ? WHERE article_id = ?",
                     (self.vector_param(cvec), article_id))

    def iter_originals(self, page: int = 500) -> Iterator[dict[str, Any]]:
        """Non-duplicate articles with their raw vectors, by ``seq``, a page at a time:
        ``{id, seq, title, text, lang, published, vector}``, the vector as float32."""
        last = 0
        while True:
            rows = self.execute(
                "SELECT a.id, a.seq, a.title, a.text, a.lang, a.published, v.vector "
                "FROM articles a JOIN vectors v ON v.article_id = a.id "
                "WHERE a.duplicate_of IS NULL AND a.seq > ? ORDER BY a.seq LIMIT ?",
                (last, page)).fetchall()
            if not rows:
                return
            for row in rows:
                yield {**dict(zip(row.keys(), row, strict=True)),
                       "vector": self.vector_value(row["vector"])}
            last = rows[-1]["seq"]

    def vector_ids(self) -> list[int]:
        return [int(r[0]) for r in self.execute("SELECT article_id FROM vectors")]

    # -- skipped -----------------------------------------------------------
    def record_skip(self, item: Skipped, run_id: int | None) -> None:
        self.execute("INSERT INTO skipped(run_id, source, reason, at) VALUES (?,?,?,?)",
                          (run_id, item.source, item.reason, utcnow()))

    # -- nearest neighbours ----------------------------------------------------
    def vector_index(self, dim: int) -> VectorIndex:
        """The HNSW index file beside the database, opened and in step with the rows."""
        index = VectorIndex(self.real_path.with_name(self.real_path.name + ".hnsw"), dim)
        index.open(self)
        return index
