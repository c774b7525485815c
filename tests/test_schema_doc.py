"""docs/schema.md describes the SQLite schema as it is: every table and column of a
freshly made database, and nothing that is not there."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from newsweave.store.sqlite import Store

DOC = Path(__file__).resolve().parents[1] / "docs" / "schema.md"


def documented() -> dict[str, dict[str, str]]:
    """``{table: {column: type}}`` from the page's ``### `table` `` sections."""
    out: dict[str, dict[str, str]] = {}
    table = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        heading = re.fullmatch(r"### `(\w+)`", line.strip())
        if heading:
            table = heading[1]
            out[table] = {}
        elif line.startswith("## "):
            table = None
        elif table and (row := re.match(r"\| `(\w+)` \| (\w+|—) \|", line)):
            out[table][row[1]] = row[2]
    return out


def actual(path: Path) -> dict[str, dict[str, str]]:
    with Store(path):
        pass
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' "
                            "AND name NOT LIKE 'sqlite_%' ORDER BY name").fetchall()
        # an FTS5 table keeps its index in shadow tables of its own (name_data, _idx,
        # _content, _docsize, _config): SQLite's, not ours, so not on the page
        fts = [name for name, sql in rows if "USING fts5" in (sql or "")]
        tables = [name for name, _ in rows
                  if not any(name.startswith(f + "_") for f in fts)]
        return {t: {r[1]: r[2] or "—" for r in conn.execute(f"PRAGMA table_info({t})")}
                for t in tables}
    finally:
        conn.close()


def test_every_table_and_column_is_documented_with_its_type(tmp_path: Path) -> None:
    doc, schema = documented(), actual(tmp_path / "s.db")
    assert sorted(doc) == sorted(schema), "tables in docs/schema.md differ from the schema"
    for table, columns in schema.items():
        assert doc[table] == columns, f"docs/schema.md: columns of {table} differ"


def test_the_parser_sees_the_page() -> None:
    doc = documented()
    assert "articles" in doc and doc["articles"]["text"] == "TEXT"
