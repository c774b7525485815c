"""A database made by the previous release upgrades in place.

The fixture (tests/data/upgrade, see its README) was written by newsweave at
``e2bfe00``, schema 3, with that release's own code; ``expected.json`` is what that
release's CLI printed for it. Today's code opens a copy (through the CLI, whose first
command upgrades it, and through ``open_store``), reads back everything that release
stored and printed, ingests into it, and refuses a database newer than itself.
"""

from __future__ import annotations

import fcntl
import json
import lzma
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from newsweave import service
from newsweave.cli import main
from newsweave.errors import StoreError
from newsweave.store import pg_migrations
from newsweave.store.migrations import MIGRATIONS
from newsweave.store.open import open_store
from newsweave.store.postgres import require_extension
from newsweave.store.sqlite import SCHEMA_APP_ID, Store

DATA = Path(__file__).resolve().parent / "data" / "upgrade"
EXPECTED = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))
LATEST = len(MIGRATIONS)
# what the previous release's CLI printed (expected.json), and the command that reads it now
READS = {"stories": ["stories"], "entities": ["entities"], "places": ["places"],
         "articles": ["articles"], "skipped": ["skipped"], "story_1": ["story", "1"],
         "entity_1": ["entity", "1"]}


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def unpack(folder: Path) -> Path:
    """The release's database and its vector index, as that release left them."""
    db = folder / "release.db"
    db.write_bytes(lzma.decompress((DATA / "release.db.xz").read_bytes()))
    shutil.copy(DATA / "release.db.hnsw", folder / "release.db.hnsw")
    return db


@pytest.fixture
def release_db(tmp_path: Path) -> Path:
    return unpack(tmp_path)


def version(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


def kept(old: Any, new: Any, where: str = "") -> list[str]:
    """Where ``new`` no longer says what ``old`` said: every key the old release printed
    has the same value now (a later release may add keys, never change or drop one)."""
    if isinstance(old, dict) and isinstance(new, dict):
        return [d for k, v in old.items()
                for d in (kept(v, new[k], f"{where}.{k}") if k in new else [f"{where}.{k} gone"])]
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [d for i, (a, b) in enumerate(zip(old, new, strict=True))
                for d in kept(a, b, f"{where}[{i}]")]
    return [] if old == new else [f"{where}: {old!r:.200} became {new!r:.200}"]


def test_the_fixture_is_the_previous_release(release_db: Path) -> None:
    assert version(release_db) == EXPECTED["schema_version"] == 3 < LATEST


def test_cli_reads_an_old_database_as_its_release_did(release_db: Path) -> None:
    """The first command, a reader, upgrades the file in place; every listing and
    show command prints what the previous release printed."""
    for name, args in READS.items():
        result = invoke(*args, "--db", str(release_db), "--json")
        assert result.exit_code == 0, result.output
        assert not kept(EXPECTED[name], json.loads(result.output), name)
    assert version(release_db) == LATEST
    conn = sqlite3.connect(release_db)
    try:  # the upgrade counted the articles already stored, per language
        counted = conn.execute("SELECT lang, articles FROM language_counts ORDER BY lang")
        assert counted.fetchall() == conn.execute(
            "SELECT lang, count(*) FROM articles GROUP BY lang ORDER BY lang").fetchall()
    finally:
        conn.close()


def rows(db: Path, tables: list[str], columns: dict[str, list[str]]) -> dict[str, list]:
    """Every row of ``tables``, in key order, reduced to the given columns."""
    conn = sqlite3.connect(db)
    try:
        return {t: conn.execute(f"SELECT {', '.join(columns[t])} FROM {t} "
                                "ORDER BY 1, 2").fetchall() for t in tables}
    finally:
        conn.close()


def schema(db: Path) -> tuple[list[str], dict[str, list[str]]]:
    """The tables of a database and their columns."""
    conn = sqlite3.connect(db)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return tables, {t: [r[1] for r in conn.execute(f"PRAGMA table_info({t})")]
                        for t in tables}
    finally:
        conn.close()


def test_open_store_keeps_every_stored_row(tmp_path: Path) -> None:
    """Every row of every table of the old schema is there after the upgrade, with the
    same values in the old columns; the service reads the same listings."""
    (tmp_path / "original").mkdir()
    original = unpack(tmp_path / "original")
    upgraded = tmp_path / "release.db"
    shutil.copy(original, upgraded)
    tables, columns = schema(original)
    store = open_store(upgraded)
    try:
        assert store.count("articles") == 9 and store.count("stories") == 5
        assert store.count("skipped") == 1 and len(list(store.iter_vectors())) == 8
        assert not kept(EXPECTED["articles"], service.list_articles(store))
        assert not kept(EXPECTED["stories"], service.list_stories(store))
        assert not kept(EXPECTED["entities"], service.list_entities(store, min_articles=0))
        assert not kept(EXPECTED["places"], service.list_places(store))
        assert not kept(EXPECTED["entity_1"], service.get_entity(store, 1))
    finally:
        store.close()
    assert version(upgraded) == LATEST
    assert set(tables) <= set(schema(upgraded)[0])
    assert rows(upgraded, tables, columns) == rows(original, tables, columns)


def snapshot(db: Path) -> tuple[int, Any, dict[str, list]]:
    tables, columns = schema(db)
    conn = sqlite3.connect(db)
    try:
        sql = conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
    finally:
        conn.close()
    return version(db), sql, rows(db, tables, columns)


@pytest.mark.parametrize("reopen", [lambda db: open_store(db).close(),
                                    lambda db: open_store(db, readonly=True).close()],
                         ids=["writer", "reader"])
def test_upgrading_twice_changes_nothing(release_db: Path,
                                         reopen: Callable[[Path], None]) -> None:
    Store(release_db).close()
    first = snapshot(release_db)
    reopen(release_db)
    reopen(release_db)
    assert snapshot(release_db) == first and first[0] == LATEST


def test_a_new_article_joins_the_story_the_old_release_made(release_db: Path) -> None:
    """Ingest after the upgrade: the old vector index, statistics and entities carry
    on, so the Spanish report of the Genoa flood joins the release's story 1."""
    source = release_db.parent / "new_article.jsonl"
    shutil.copy(DATA / "new_article.jsonl", source)
    result = invoke("ingest", str(source), "--db", str(release_db), "--json", "--no-progress")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["new"] == 1 and report["new_stories"] == 0 and not report["skipped"]
    story = json.loads(invoke("story", "1", "--db", str(release_db), "--json").output)
    assert story["size"] == 5 and story["languages"] == ["en", "es", "fr", "it"]
    assert [a["id"] for a in story["articles"]][-1] == 10  # ids go on from the release's
    people = json.loads(invoke("entities", "--db", str(release_db), "--json").output)
    ferraris = next(e for e in people if e["name"] == "Lucia Ferraris")
    assert ferraris["id"] == 3 and ferraris["articles"] == [1, 2, 3, 4, 10]
    others = json.loads(invoke("stories", "--db", str(release_db), "--json").output)[1:]
    assert not kept(EXPECTED["stories"][1:], others)


def test_an_upgrade_that_cannot_write_says_why(release_db: Path) -> None:
    """A reader that finds an old schema while another process holds the writer lock
    (an old release still ingesting) cannot upgrade it: one line, no traceback."""
    with open(release_db.with_name("release.db.lock"), "wb") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = invoke("stories", "--db", str(release_db))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"has schema 3, older than this newsweave's {LATEST}" in result.output
    assert "another newsweave process is writing" in result.output
    assert version(release_db) == 3


def make_newer(db: Path) -> None:
    """A database as a later release would leave it: one schema version past ours."""
    Store(db).close()
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {LATEST + 1}")
    conn.close()


@pytest.mark.parametrize("args", [["stories"], ["ingest", "-"], ["recluster"]],
                         ids=["reader", "ingest", "recluster"])
def test_a_newer_database_is_refused(tmp_path: Path, args: list[str]) -> None:
    db = tmp_path / "newer.db"
    make_newer(db)
    result = CliRunner().invoke(main, [*args, "--db", str(db)], input="")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert (f"{db} was written by a newer newsweave (schema {LATEST + 1}; this one "
            f"knows {LATEST}): upgrade newsweave to open it") in result.output
    assert version(db) == LATEST + 1


def test_a_newer_database_is_refused_on_both_backends(new_db: Callable[[str], str]) -> None:
    """The store refuses it, for reading and for writing, on SQLite and PostgreSQL."""
    location = new_db("newer.db")
    store = open_store(location)
    try:
        mark_newer(store, location)
    finally:
        store.close()
    for readonly in (True, False):
        with pytest.raises(StoreError, match=r"written by a newer newsweave \(schema "
                                             f"{LATEST + 1}; this one knows {LATEST}"):
            open_store(location, readonly=readonly)


def mark_newer(store: Any, location: str) -> None:
    """Record one schema version past ours, as each backend records its version."""
    if location.startswith("postgresql"):
        store.execute("INSERT INTO schema_version(version) VALUES (?)", (LATEST + 1,))
    else:
        store.conn.execute(f"PRAGMA user_version = {LATEST + 1}")


def older_database(location: str) -> None:
    """An empty database of schema 6, the first both backends share (before
    ``m007_surname_memory`` and its twin ``p007``), made by the migrations alone."""
    if location.startswith("postgresql"):
        import psycopg

        with psycopg.connect(location, autocommit=True) as conn:
            require_extension(conn, "vector", location)
            conn.execute("CREATE TABLE schema_version (version BIGINT NOT NULL)")
            with conn.transaction():
                pg_migrations.p006_baseline(conn)
                conn.execute("INSERT INTO schema_version(version) VALUES (6)")
        return
    conn = sqlite3.connect(location, isolation_level=None)
    for number, step in enumerate(MIGRATIONS[:6], start=1):
        step(conn)
        conn.execute(f"PRAGMA user_version = {number}")
    conn.execute(f"PRAGMA application_id = {SCHEMA_APP_ID}")
    conn.close()


def test_a_reader_upgrades_an_older_schema_in_place(new_db: Callable[[str], str]) -> None:
    """A database of an older schema opened only to read is upgraded first, on both
    backends; what the later migrations add (the surname memory) starts empty."""
    location = new_db("older.db")
    older_database(location)
    reader = open_store(location, readonly=True)
    try:
        assert reader.surnames.load_surnames() == []
        assert service.list_stories(reader) == []
        assert schema_version_of(reader, location) == LATEST
    finally:
        reader.close()


def schema_version_of(store: Any, location: str) -> int:
    if location.startswith("postgresql"):
        return int(store.execute("SELECT max(version) FROM schema_version").fetchone()[0])
    return int(store.execute("PRAGMA user_version").fetchone()[0])
