"""The CLI: its JSON contract, its messages, and its errors (never tracebacks)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsweave.cli import main

DATA = Path(__file__).resolve().parent / "data" / "pipeline"
ARTICLE_KEYS = {"id", "external_id", "title", "lang", "source", "published", "duplicate_of",
                "story"}
STORY_KEYS = {"id", "title", "size", "languages", "first_seen", "last_seen", "related",
              "articles", "entities", "places"}
STORY_DETAIL_KEYS = {"language_counts", "sources", "related_stories", "timeline", "quotes",
                     "claims"}  # `story ID` only


def invoke(*args: str, input: str | None = None) -> object:
    return CliRunner().invoke(main, list(args), input=input)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("cli") / "cli.db")
    result = invoke("ingest", str(DATA), "--db", path, "--no-progress")
    assert result.exit_code == 0, result.output
    assert "6 new articles" in result.output and "1 skipped" in result.output
    return path


def test_articles_json_contract(db: str) -> None:
    rows = json.loads(invoke("articles", "--db", db, "--json").output)
    assert len(rows) == 7 and all(set(r) == ARTICLE_KEYS for r in rows)
    assert json.loads(invoke("articles", "--db", db, "--json", "--limit", "2").output)[1]["id"]
    assert len(json.loads(invoke("articles", "--db", db, "--json", "--limit", "2").output)) == 2


def test_article_json_has_text(db: str) -> None:
    row = json.loads(invoke("article", "1", "--db", db, "--json").output)
    assert ARTICLE_KEYS | {"text"} <= set(row) and row["text"]


def test_stories_json_contract(db: str) -> None:
    rows = json.loads(invoke("stories", "--db", db, "--json").output)
    assert rows and all(set(r) == STORY_KEYS for r in rows)
    for story in rows:
        assert story["size"] == len(story["articles"])
        assert all({"id", "title", "lang", "source"} <= set(a) for a in story["articles"])
    one = json.loads(invoke("story", str(rows[0]["id"]), "--db", db, "--json").output)
    assert set(one) == STORY_KEYS | STORY_DETAIL_KEYS
    assert {k: one[k] for k in STORY_KEYS} == rows[0]


def test_skipped_json(db: str) -> None:
    rows = json.loads(invoke("skipped", "--db", db, "--json").output)
    assert [set(r) for r in rows] == [{"source", "reason"}]
    assert rows[0]["reason"].startswith("E001")


def test_text_output_is_readable(db: str) -> None:
    out = invoke("stories", "--db", db).output
    assert "story " in out and "articles in" in out
    assert "duplicate" in invoke("articles", "--db", db).output


def test_stdin_jsonl(tmp_path: Path) -> None:
    path = str(tmp_path / "stdin.db")
    lines = "\n".join(json.dumps(r) for r in (
        {"id": "a1", "text": "Il consiglio comunale di Brisola ha approvato il bilancio."},
        {"id": "a2", "title": "No text here"},
    ))
    result = invoke("ingest", "-", "--db", path, "--no-progress", input=lines)
    assert result.exit_code == 0, result.output
    assert "1 new article;" in result.output and "E013" in result.output
    rows = json.loads(invoke("articles", "--db", path, "--json").output)
    assert rows[0]["external_id"] == "a1" and rows[0]["lang"] == "it"


@pytest.mark.parametrize("args, message", [
    (("article", "999"), "no article with id 999"),
    (("story", "999"), "no story with id 999"),
])
def test_missing_records_are_messages(db: str, args: tuple[str, ...], message: str) -> None:
    result = invoke(*args, "--db", db)
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output


def test_bad_setting_is_a_message(tmp_path: Path) -> None:
    result = invoke("ingest", str(DATA), "--db", str(tmp_path / "x.db"), "--set", "nope=1")
    assert result.exit_code == 1 and "unknown setting 'nope'" in result.output
    result = invoke("ingest", str(DATA), "--db", str(tmp_path / "x.db"),
                    "--set", "max_input_bytes=lots")
    assert result.exit_code == 1 and "expected int" in result.output


def test_foreign_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.commit()
    result = invoke("articles", "--db", str(path))
    assert result.exit_code == 1 and "not a newsweave database" in result.output


def test_missing_database_is_a_message(tmp_path: Path) -> None:
    result = invoke("stories", "--db", str(tmp_path / "none.db"))
    assert result.exit_code == 1 and "run `newsweave ingest` first" in result.output


def test_settings_command_lists_every_setting() -> None:
    from newsweave.settings import SETTINGS

    rows = json.loads(invoke("settings", "--json").output)
    assert [r["name"] for r in rows] == [s.name for s in SETTINGS]


def test_the_command_runs_as_a_module_with_every_command() -> None:
    """``python -m newsweave.cli`` (the package's ``__main__``) is the same group as the
    ``newsweave`` script, with every command of every module of newsweave/cli/."""
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(root), *filter(None, [os.environ.get("PYTHONPATH")])])}
    done = subprocess.run([sys.executable, "-m", "newsweave.cli", "--help"], env=env,
                          capture_output=True, text=True, check=False, cwd=root)
    assert done.returncode == 0, done.stderr
    listed = {line.split()[0] for line in done.stdout.split("Commands:")[1].splitlines()
              if line.strip()}
    assert listed == set(main.commands) == {
        "annotate", "article", "articles", "claims", "demo", "entities", "entity", "export",
        "ingest", "places", "quotes", "recluster", "search", "serve", "settings", "skipped",
        "stages", "stories", "story"}
