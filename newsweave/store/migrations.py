"""Numbered schema migrations, each applied in its own transaction.

Each migration is a named function; ``PRAGMA user_version`` records how far a
database has got. Never edit a released migration: add the next one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable


def m001_initial(conn: sqlite3.Connection) -> None:
    """Articles, vectors, duplicates, stories, skipped inputs and ingest runs."""
    _run_script(
        conn,
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            status TEXT NOT NULL DEFAULT 'running',   -- running | done | interrupted | failed
            sources TEXT NOT NULL,                    -- JSON list of what the user asked for
            counts TEXT                               -- JSON summary
        );

        CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            seq INTEGER NOT NULL,                     -- order of arrival; stream order tiebreak
            run_id INTEGER REFERENCES runs(id),
            ingest_key TEXT NOT NULL UNIQUE,          -- source + external id + text: idempotency
            content_hash TEXT NOT NULL,               -- normalised text: exact duplicates
            source TEXT NOT NULL,
            external_id TEXT,
            url TEXT,
            fmt TEXT NOT NULL,
            title TEXT NOT NULL,
            text TEXT NOT NULL,
            published TEXT,                           -- ISO 8601 UTC, NULL when unknown
            author TEXT,
            site TEXT,
            lang TEXT NOT NULL,                       -- ISO 639-1, 'und' when unknown
            lang_confidence REAL,
            lang_model TEXT,
            duplicate_of INTEGER REFERENCES articles(id),
            duplicate_kind TEXT,                      -- exact | near
            duplicate_score REAL,
            story_id INTEGER REFERENCES stories(id),
            removed_lines TEXT,                       -- JSON list of boilerplate lines cut
            ingested_at TEXT NOT NULL
        );
        CREATE INDEX articles_seq ON articles(seq);
        CREATE INDEX articles_content_hash ON articles(content_hash);
        CREATE INDEX articles_story ON articles(story_id);
        CREATE INDEX articles_duplicate_of ON articles(duplicate_of);
        CREATE INDEX articles_published ON articles(published);

        CREATE TABLE vectors (
            article_id INTEGER PRIMARY KEY REFERENCES articles(id),
            model TEXT NOT NULL,                      -- embedder name and version
            dim INTEGER NOT NULL,
            vector BLOB NOT NULL,                     -- float32, unit norm: the model's output
            cvector BLOB NOT NULL                     -- language-centred copy used by stories
        );

        CREATE TABLE minhash (
            article_id INTEGER PRIMARY KEY REFERENCES articles(id),
            signature BLOB NOT NULL
        );
        CREATE TABLE minhash_bands (
            key INTEGER NOT NULL,                     -- band number mixed into a 64-bit key
            article_id INTEGER NOT NULL REFERENCES articles(id)
        );
        CREATE INDEX minhash_bands_key ON minhash_bands(key);

        CREATE TABLE stories (
            id INTEGER PRIMARY KEY,
            label_article_id INTEGER REFERENCES articles(id),
            label_score REAL,
            size INTEGER NOT NULL DEFAULT 0,          -- original (non-duplicate) members
            first_seen REAL,                          -- days since epoch, stream time
            last_seen REAL,
            last_seq INTEGER,                         -- arrival number of its latest article
            centroid BLOB NOT NULL,                   -- sum of members' centred vectors
            languages TEXT NOT NULL DEFAULT '[]',
            model TEXT NOT NULL                       -- clustering parameters' fingerprint
        );
        CREATE TABLE story_terms (
            story_id INTEGER NOT NULL REFERENCES stories(id),
            term TEXT NOT NULL,
            count INTEGER NOT NULL,
            PRIMARY KEY (story_id, term)
        ) WITHOUT ROWID;
        CREATE TABLE story_links (
            story_id INTEGER NOT NULL REFERENCES stories(id),
            related_id INTEGER NOT NULL REFERENCES stories(id),
            score REAL NOT NULL,
            PRIMARY KEY (story_id, related_id)
        ) WITHOUT ROWID;

        CREATE TABLE term_df (term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE lang_stats (
            lang TEXT PRIMARY KEY,
            n INTEGER NOT NULL,
            vsum BLOB NOT NULL                        -- float64 sum of raw vectors
        );

        CREATE TABLE stream_stats (                   -- running statistics of the stream
            name TEXT PRIMARY KEY,
            n INTEGER NOT NULL,
            data BLOB NOT NULL
        );

        CREATE TABLE skipped (
            id INTEGER PRIMARY KEY,
            run_id INTEGER REFERENCES runs(id),
            source TEXT NOT NULL,
            reason TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE INDEX skipped_source ON skipped(source);
        """
    )


def _run_script(conn: sqlite3.Connection, script: str) -> None:
    """Execute statements one by one (``executescript`` would commit our transaction)."""
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            conn.execute(pending)
            pending = ""


MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (m001_initial,)


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the database up to the latest schema; returns the new version."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    for number, migration in enumerate(MIGRATIONS[version:], start=version + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            migration(conn)
            conn.execute(f"PRAGMA user_version = {number}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    return len(MIGRATIONS)
