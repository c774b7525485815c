"""The ingest command's contract with the user: where `--db` may go, missing paths,
settings stored with the database, and the progress bar's total."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsweave.cli import main
from newsweave.ingest.preflight import count_documents, missing_sources

SHORT = "Brisola harbour reopens."  # 24 characters: below min_text_chars=40


def invoke(*args: str, env: dict[str, str] | None = None) -> object:
    return CliRunner().invoke(main, list(args), env=env)


@pytest.fixture
def short_file(tmp_path: Path) -> Path:
    path = tmp_path / "in" / "short.txt"
    path.parent.mkdir()
    path.write_text(SHORT + "\n", encoding="utf-8")
    return path


# -- --db before or after the command -------------------------------------------------
@pytest.mark.parametrize("where", ["before", "after", "env"])
def test_db_before_after_or_from_the_environment(tmp_path: Path, short_file: Path,
                                                 where: str) -> None:
    db = str(tmp_path / f"{where}.db")
    ingest = ["ingest", str(short_file), "--no-progress", "--set", "min_text_chars=40"]
    args, env = {"before": (["--db", db, *ingest], None),
                 "after": ([*ingest, "--db", db], None),
                 "env": (ingest, {"NEWSWEAVE_DB": db})}[where]
    result = invoke(*args, env=env)
    assert result.exit_code == 0, result.output
    assert Path(db).exists()
    for listing in (["--db", db, "skipped", "--json"], ["skipped", "--db", db, "--json"]):
        rows = json.loads(invoke(*listing).output)
        assert rows[0]["reason"].startswith("E017"), rows


def test_two_different_dbs_are_refused(tmp_path: Path, short_file: Path) -> None:
    result = invoke("--db", str(tmp_path / "a.db"), "ingest", str(short_file),
                    "--db", str(tmp_path / "b.db"))
    assert result.exit_code == 2 and "--db given twice" in result.output
    demo = invoke("--db", str(tmp_path / "a.db"), "demo", "--db", str(tmp_path / "b.db"))
    assert demo.exit_code == 2 and "--db given twice" in demo.output
    assert not list(tmp_path.glob("*.db*"))


# -- missing paths ----------------------------------------------------------------------
@pytest.mark.parametrize("present", [False, True], ids=["all-missing", "some-missing"])
def test_missing_path_is_an_error_and_creates_nothing(tmp_path: Path, short_file: Path,
                                                      present: bool) -> None:
    db = tmp_path / "x.db"
    sources = [str(tmp_path / "nope.txt"), str(tmp_path / "gone" / "*.md")]
    if present:
        sources.insert(1, str(short_file))
    result = invoke("ingest", *sources, "--db", str(db), "--no-progress")
    assert result.exit_code == 1
    assert "nope.txt" in result.output and "gone/*.md" in result.output  # every one named
    assert "nothing was ingested" in result.output and "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]  # no db, no lock file


def test_missing_sources_ignores_stdin_urls_and_matching_globs(tmp_path: Path,
                                                               short_file: Path) -> None:
    sources = ["-", "https://example.invalid/feed.xml", str(short_file),
               str(short_file.parent / "*.txt"), str(short_file.parent),
               str(tmp_path / "no*.txt"), "bad\x00name"]
    assert missing_sources(sources) == [str(tmp_path / "no*.txt"), "bad\x00name"]


# -- settings stored with the database ---------------------------------------------------
def _settings(db: Path, env: dict[str, str] | None = None) -> dict[str, dict]:
    result = invoke("settings", "--db", str(db), "--json", env=env)
    assert result.exit_code == 0, result.output
    return {r["name"]: r for r in json.loads(result.output)}


def _skips(db: Path) -> list[str]:
    return [r["reason"][:4] for r in json.loads(invoke("skipped", "--db", str(db),
                                                       "--json").output)]


def test_set_is_stored_and_reused(tmp_path: Path, short_file: Path) -> None:
    db = tmp_path / "s.db"
    args = ["ingest", str(short_file), "--db", str(db), "--no-progress"]
    assert invoke(*args, "--set", "min_text_chars=40").exit_code == 0
    row = _settings(db)["min_text_chars"]
    assert (row["value"], row["origin"], row["stored"]["command"]) == (40, "stored", "ingest")
    assert _settings(db)["story_threshold"]["origin"] == "default"
    # A later ingest without --set uses the stored value: the new short file is skipped.
    other = short_file.with_name("other.txt")
    other.write_text("Brisola ferry resumes.\n", encoding="utf-8")
    assert invoke("ingest", str(other), "--db", str(db), "--no-progress").exit_code == 0
    assert _skips(db) == ["E017", "E017"]
    # The stored value beats the environment; an explicit --set beats both and is stored.
    env_row = _settings(db, env={"NEWSWEAVE_MIN_TEXT_CHARS": "3"})["min_text_chars"]
    assert (env_row["value"], env_row["origin"]) == (40, "stored")
    assert invoke(*args, "--set", "min_text_chars=30").exit_code == 0
    assert _settings(db)["min_text_chars"]["value"] == 30


def test_settings_shows_origins_and_forgets(tmp_path: Path, short_file: Path) -> None:
    db = tmp_path / "o.db"
    invoke("ingest", str(short_file), "--db", str(db), "--no-progress",
           "--set", "min_text_chars=40")
    rows = _settings(db, env={"NEWSWEAVE_NEAR_DUP_THRESHOLD": "0.7"})
    assert (rows["near_dup_threshold"]["value"], rows["near_dup_threshold"]["origin"]) == \
        (0.7, "env")
    text = invoke("settings", "--db", str(db)).output
    assert "min_text_chars = 40 (stored)" in text
    result = invoke("settings", "--db", str(db), "--unset", "min_text_chars")
    assert result.exit_code == 0 and "min_text_chars: forgotten" in result.output
    assert _settings(db)["min_text_chars"]["origin"] == "default"


def test_settings_without_a_database_lists_defaults(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no ./newsweave.db here
    result = invoke("settings", "--json", env={"NEWSWEAVE_DB": ""})
    rows = json.loads(result.output)
    assert {r["origin"] for r in rows} <= {"default", "env", "file"}
    missing = invoke("settings", "--db", str(tmp_path / "none.db"))
    assert missing.exit_code == 1 and "no database at" in missing.output


def test_a_bad_set_creates_nothing(tmp_path: Path, short_file: Path) -> None:
    result = invoke("ingest", str(short_file), "--db", str(tmp_path / "b.db"),
                    "--set", "min_text_chars=many")
    assert result.exit_code == 1 and "expected int" in result.output
    assert not (tmp_path / "b.db").exists()


# -- progress --------------------------------------------------------------------------
def test_count_documents(tmp_path: Path) -> None:
    folder = tmp_path / "news"
    (folder / "a").mkdir(parents=True)
    for name in ("one.txt", "two.md", "a/three.html", "a/script.py", ".hidden.txt"):
        (folder / name).write_text("x", encoding="utf-8")
    (folder / "a" / "recs.jsonl").write_text('{"text": "a"}\n\n{"text": "b"}\n{"text": "c"}\n',
                                             encoding="utf-8")
    assert count_documents([str(folder)], max_depth=8) == 4 + 3  # four files, three records
    assert count_documents([str(folder / "*.txt")], max_depth=8) == 1
    assert count_documents([str(folder), "-"], max_depth=8) is None
    assert count_documents(["https://example.invalid/"], max_depth=8) is None
    (folder / "table.csv").write_text("text\nx\n", encoding="utf-8")
    assert count_documents([str(folder)], max_depth=8) is None  # CSV rows: not counted
    assert count_documents([str(folder / "a")], max_depth=8, limit=2) is None


def test_progress_moves_per_article(make_pipeline: Callable, tmp_path: Path) -> None:
    folder = tmp_path / "p"
    folder.mkdir()
    for i, town in enumerate(("Brisola", "Valdoria", "Zaretsk")):
        (folder / f"{i}.txt").write_text(
            f"News from {town}\n\nThe council of {town} met on Monday and approved a new "
            f"budget for the harbour of {town}, the mayor said.\n", encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    steps: list[int] = []
    make_pipeline().ingest([str(folder)], progress=steps.append)
    assert sum(steps) == 4 == count_documents([str(folder)], max_depth=8)
    assert steps.count(1) >= 3  # one tick per article, not one per batch


def test_count_documents_counts_feed_entries(tmp_path: Path) -> None:
    feed = tmp_path / "feed.rss"
    feed.write_text("<rss><channel><title>T</title>" + "<item><title>a</title></item>" * 3
                    + "</channel></rss>", encoding="utf-8")
    assert count_documents([str(feed)], max_depth=8) == 3


def test_recluster_stores_its_set(tmp_path: Path) -> None:
    data = Path(__file__).resolve().parent / "data" / "pipeline"
    db = tmp_path / "r.db"
    assert invoke("ingest", str(data / "chess_es.txt"), str(data / "chess_fr.txt"),
                  "--db", str(db), "--no-progress").exit_code == 0
    result = invoke("recluster", "--db", str(db), "--set", "story_threshold=0.45")
    assert result.exit_code == 0, result.output
    row = _settings(db)["story_threshold"]
    assert (row["value"], row["origin"], row["stored"]["command"]) == \
        (0.45, "stored", "recluster")


@pytest.mark.parametrize("args", [["recluster"], ["settings", "--unset", "min_text_chars"]])
def test_writing_commands_other_than_ingest_create_no_database(tmp_path: Path,
                                                               args: list[str]) -> None:
    result = invoke(*args, "--db", str(tmp_path / "none.db"))
    assert result.exit_code == 1 and "no database at" in result.output
    assert not list(tmp_path.iterdir())


def test_settings_with_an_unmade_env_database_lists_defaults(tmp_path: Path) -> None:
    result = invoke("settings", "--json", env={"NEWSWEAVE_DB": str(tmp_path / "later.db")})
    assert result.exit_code == 0, result.output
    assert all(r["origin"] != "stored" for r in json.loads(result.output))
    assert not (tmp_path / "later.db").exists()
