"""Numbered schema migrations, each applied in its own transaction.

Each migration is a named function; ``PRAGMA user_version`` records how far a
database has got. Never edit a released migration: add the next one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from ..clean.searchtext import index_text, indexed_part
from ..errors import StoreError


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


def m002_entities(conn: sqlite3.Connection) -> None:
    """Sentences, mentions, canonical entities with their aliases, places, and which
    model version enriched each article."""
    _run_script(
        conn,
        """
        CREATE TABLE sentences (
            article_id INTEGER NOT NULL REFERENCES articles(id),
            idx INTEGER NOT NULL,
            char_start INTEGER NOT NULL,
            char_end INTEGER NOT NULL,
            PRIMARY KEY (article_id, idx)
        ) WITHOUT ROWID;

        CREATE TABLE places (
            id TEXT PRIMARY KEY,                      -- cc:IQ | a1:IQ.10 | gn:98182
            name TEXT NOT NULL,
            feature TEXT NOT NULL,                    -- country | admin1 | city
            country TEXT,                             -- ISO 3166-1 alpha-2
            admin1 TEXT,
            lat REAL NOT NULL,
            lon REAL NOT NULL,
            population INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID;

        CREATE TABLE entities (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,                 -- kb:… | cc:… | a1:… | gn:… | new:TYPE:name
            type TEXT NOT NULL,                       -- PER | ORG | LOC
            name TEXT NOT NULL,
            place_id TEXT REFERENCES places(id),
            mentions INTEGER NOT NULL DEFAULT 0,
            articles INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX entities_articles ON entities(articles DESC);

        CREATE TABLE entity_aliases (
            entity_id INTEGER NOT NULL REFERENCES entities(id),
            alias TEXT NOT NULL,                      -- the surface form as written
            norm TEXT NOT NULL,                       -- folded, punctuation-free
            how TEXT NOT NULL,                        -- mention | acronym | coref
            count INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (entity_id, alias)
        ) WITHOUT ROWID;
        CREATE INDEX entity_aliases_norm ON entity_aliases(norm);

        CREATE TABLE mentions (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id),
            sentence INTEGER NOT NULL,
            char_start INTEGER NOT NULL,
            char_end INTEGER NOT NULL,
            text TEXT NOT NULL,
            type TEXT NOT NULL,                       -- PER | ORG | LOC | demonym
            entity_id INTEGER NOT NULL REFERENCES entities(id),
            place_id TEXT REFERENCES places(id),
            source TEXT NOT NULL,                     -- which recogniser
            confidence REAL NOT NULL
        );
        CREATE INDEX mentions_article ON mentions(article_id);
        CREATE INDEX mentions_entity ON mentions(entity_id, article_id);

        CREATE TABLE enrichments (
            article_id INTEGER NOT NULL REFERENCES articles(id),
            stage TEXT NOT NULL,                      -- entities
            model TEXT NOT NULL,                      -- what produced it, with versions
            at TEXT NOT NULL,
            PRIMARY KEY (article_id, stage)
        ) WITHOUT ROWID;
        """
    )


def m003_entity_variants(conn: sqlite3.Connection) -> None:
    """Spelling-variant keys of multi-word names, for linking across articles
    ("Qassem Soleimani" / "Qasem Soleimani" / "Kassem Soleimani")."""
    _run_script(
        conn,
        """
        CREATE TABLE entity_variants (
            variant TEXT NOT NULL,
            entity_id INTEGER NOT NULL REFERENCES entities(id),
            PRIMARY KEY (variant, entity_id)
        ) WITHOUT ROWID;
        """
    )


def m004_published_source(conn: sqlite3.Connection) -> None:
    """Where each article's date came from: input | html-meta | byline | path | cli.

    Articles stored before this migration could only be dated by their input's own
    field or by a page's metadata, and are marked so. Safe to run twice (it may be
    renumbered when branches merge).
    """
    columns = {row[1] for row in conn.execute("PRAGMA table_info(articles)")}
    if "published_source" in columns:
        return
    conn.execute("ALTER TABLE articles ADD COLUMN published_source TEXT")
    conn.execute("UPDATE articles SET published_source = CASE WHEN fmt IN ('html', 'warc') "
                 "THEN 'html-meta' ELSE 'input' END WHERE published IS NOT NULL")


def m005_line_sightings(conn: sqlite3.Connection) -> None:
    """Which documents of a source carried which lines: boilerplate by recurrence."""
    _run_script(
        conn,
        """
        CREATE TABLE line_sightings (
            scope TEXT NOT NULL,       -- the source: a site, a feed's host, or '' for files
            line INTEGER NOT NULL,     -- 63-bit key of the line's normalised form
            doc INTEGER NOT NULL,      -- 63-bit key of the document (source, id, raw text)
            PRIMARY KEY (scope, line, doc)
        ) WITHOUT ROWID;
        """
    )


def m006_settings(conn: sqlite3.Connection) -> None:
    """Settings chosen for this database with ``--set`` (by ``ingest`` or ``recluster``),
    reused by every later command on it; the value is JSON of the typed value."""
    _run_script(
        conn,
        """
        CREATE TABLE settings (
            name TEXT PRIMARY KEY,
            value TEXT NOT NULL,                      -- JSON: 0.45, true, "st:/models/x"
            command TEXT NOT NULL,                    -- the command that set it: ingest | ...
            set_at TEXT NOT NULL
        ) WITHOUT ROWID;
        """
    )


def m007_surname_memory(conn: sqlite3.Connection) -> None:
    """The annotator's memory of surnames, stream state kept with the database so that
    a later ingest or a resume knows the people named in full before it. A database
    made before starts with an empty memory, as every new process used to."""
    _run_script(
        conn,
        """
        CREATE TABLE surname_memory (
            lang TEXT NOT NULL,        -- the language the full name was read in
            word TEXT NOT NULL,        -- the surname, folded
            tick INTEGER NOT NULL,     -- the learning that last touched it: oldest go first
            PRIMARY KEY (lang, word)
        ) WITHOUT ROWID;
        """
    )


def m008_facts(conn: sqlite3.Connection) -> None:
    """What each article says and when: temporal expressions (TIMEX3), quotes with
    their speakers, and quantities (the claims compared across sources). Each row
    keeps its sentence and offsets; which rules made them is in ``enrichments``."""
    _run_script(
        conn,
        """
        CREATE TABLE time_expressions (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id),
            sentence INTEGER NOT NULL,
            char_start INTEGER NOT NULL,
            char_end INTEGER NOT NULL,
            text TEXT NOT NULL,
            type TEXT NOT NULL,                       -- DATE | TIME | DURATION | SET
            value TEXT NOT NULL,                      -- TIMEX3: 2014, 2020-01, XXXX-10-07, P3Y
            granularity TEXT,                         -- year | month | day | week | ...
            relative INTEGER NOT NULL                 -- 1: relative to an anchor
        );
        CREATE INDEX time_expressions_article ON time_expressions(article_id);

        CREATE TABLE quotes (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id),
            sentence INTEGER NOT NULL,
            char_start INTEGER NOT NULL,              -- the quoted words only
            char_end INTEGER NOT NULL,
            text TEXT NOT NULL,
            direct INTEGER NOT NULL,                  -- 1: inside quotation marks
            cue_start INTEGER,                        -- the reporting verb or phrase
            cue_end INTEGER,
            speaker_start INTEGER,                    -- the speaker as written
            speaker_end INTEGER,
            speaker_text TEXT,
            speaker_entity_id INTEGER REFERENCES entities(id)
        );
        CREATE INDEX quotes_article ON quotes(article_id);
        CREATE INDEX quotes_speaker ON quotes(speaker_entity_id);

        CREATE TABLE quantities (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id),
            sentence INTEGER NOT NULL,
            char_start INTEGER NOT NULL,
            char_end INTEGER NOT NULL,
            text TEXT NOT NULL,
            value REAL,                               -- null for a range with no point value
            low REAL,
            high REAL,
            approx INTEGER NOT NULL,
            unit TEXT,
            counted TEXT,                             -- what is counted, in English: troops
            place_id TEXT,                            -- where, as the sentence says: cc:IQ
            time_value TEXT                           -- when, as TIMEX3: 2024-01
        );
        CREATE INDEX quantities_article ON quantities(article_id);
        CREATE INDEX quantities_counted ON quantities(counted);
        """
    )


def m009_full_text(conn: sqlite3.Connection) -> None:
    """The full-text index of hybrid search: an FTS5 table over each article's search
    words (title, body; see :mod:`newsweave.store.search`), filled for the articles
    already stored."""
    conn.execute("CREATE VIRTUAL TABLE article_fts USING fts5(title, body, "
                 "tokenize = 'unicode61 remove_diacritics 2')")
    last = 0
    while True:
        rows = conn.execute("SELECT id, title, text FROM articles WHERE id > ? ORDER BY id "
                            "LIMIT 500", (last,)).fetchall()
        if not rows:
            return
        conn.executemany("INSERT INTO article_fts(rowid, title, body) VALUES (?, ?, ?)",
                         [(r[0], index_text(indexed_part(r[1])), index_text(indexed_part(r[2])))
                          for r in rows])
        last = rows[-1][0]


def m010_language_counts(conn: sqlite3.Connection) -> None:
    """The number of articles per language, kept at insert (in the article's
    transaction): search reads the store's main languages on every query, and a count
    over ``articles`` would scan the whole table each time."""
    conn.execute("CREATE TABLE language_counts (lang TEXT PRIMARY KEY, "
                 "articles INTEGER NOT NULL)")
    conn.execute("INSERT INTO language_counts(lang, articles) "
                 "SELECT lang, count(*) FROM articles GROUP BY lang")


def m011_search_terms(conn: sqlite3.Connection) -> None:
    """Nothing on SQLite: PostgreSQL's migration 11 keeps each full-text word's
    document frequency in a table, which FTS5 keeps in its own index. Here so that
    both backends stay at the same schema version."""
    del conn


def m012_feed_indexes(conn: sqlite3.Connection) -> None:
    """Indexes of the web UI's story feed: a story's articles by time (its activity,
    its articles in the growth window), the stories of a language, and the stories in
    the feed's two stored orders (newest, largest), so a page reads its rows off an
    index instead of sorting every story. Safe to run twice."""
    conn.execute("CREATE INDEX IF NOT EXISTS articles_story_published "
                 "ON articles(story_id, published, duplicate_of)")
    conn.execute("CREATE INDEX IF NOT EXISTS articles_lang_story ON articles(lang, story_id)")
    conn.execute("CREATE INDEX IF NOT EXISTS stories_recency "
                 "ON stories(coalesce(last_seen, 0) DESC, id)")
    conn.execute("CREATE INDEX IF NOT EXISTS stories_size "
                 "ON stories(size DESC, coalesce(last_seen, 0) DESC, id)")


def _run_script(conn: sqlite3.Connection, script: str) -> None:
    """Execute statements one by one (``executescript`` would commit our transaction)."""
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            conn.execute(pending)
            pending = ""


MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (m001_initial, m002_entities,
                                                                 m003_entity_variants,
                                                                 m004_published_source,
                                                                 m005_line_sightings,
                                                                 m006_settings,
                                                                 m007_surname_memory,
                                                                 m008_facts,
                                                                 m009_full_text,
                                                                 m010_language_counts,
                                                                 m011_search_terms,
                                                                 m012_feed_indexes)


def schema_version(conn: sqlite3.Connection, where: str) -> int:
    """The database's schema version; a :class:`StoreError` when it is newer than the
    last migration this code knows (a newer newsweave wrote it: opening it here could
    misread it, and writing could damage it)."""
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version > len(MIGRATIONS):
        raise StoreError(f"{where} was written by a newer newsweave (schema {version}; "
                         f"this one knows {len(MIGRATIONS)}): upgrade newsweave to open it")
    return version


def migrate(conn: sqlite3.Connection, where: str = "the database") -> int:
    """Bring the database up to the latest schema; returns the new version."""
    version = schema_version(conn, where)
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
