"""The seed scenario (../shared/docs/SCENARIO.md), checked through the CLI's JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsweave.cli import main


def run(*args: str) -> object:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def seeded(new_db: Callable[[str], str], seeds: Path) -> tuple[str, list[dict]]:
    """The seeds ingested through the CLI into a database of each backend."""
    db = new_db("seeds.db")
    run("ingest", str(seeds), "--db", db, "--no-progress")
    articles = json.loads(run("articles", "--db", db, "--json").output)
    return db, sorted(articles, key=lambda a: Path(a["source"]).name)


def test_three_articles_with_languages(seeded: tuple[str, list[dict]]) -> None:
    _, articles = seeded
    assert [a["lang"] for a in articles] == ["it", "it", "en"]
    assert all(a["title"].strip() for a in articles)
    assert all(a["published"] is None for a in articles)
    assert all(a["duplicate_of"] is None for a in articles)


def test_navigation_lines_removed(seeded: tuple[str, list[dict]]) -> None:
    db, articles = seeded
    text = json.loads(run("article", str(articles[2]["id"]), "--db", db, "--json").output)["text"]
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert lines[0].lower() != "skip to main content"
    assert "skip to Main Content" not in text
    assert not text.rstrip().endswith("Back To Top")
    assert "Caggins" in text


def test_stories_and_related(seeded: tuple[str, list[dict]]) -> None:
    db, articles = seeded
    s000, s001, s002 = (a["story"] for a in articles)
    assert s000 == s001, "000 and 001 report the same talks: one story"
    assert s002 != s000, "002 is a different event two years earlier"
    story = json.loads(run("story", str(s000), "--db", db, "--json").output)
    assert s002 in story["related"], "002 shares actors with the talks: related"
    assert story["size"] == 2 and story["languages"] == ["it"]
    other = json.loads(run("story", str(s002), "--db", db, "--json").output)
    assert s000 in other["related"]


def test_reingest_adds_nothing(seeded: tuple[str, list[dict]], seeds: Path) -> None:
    db, articles = seeded
    result = run("ingest", str(seeds), "--db", db, "--no-progress")
    assert "0 new articles" in result.output
    assert "3 already ingested" in result.output
    again = json.loads(run("articles", "--db", db, "--json").output)
    assert len(again) == 3
    stories = json.loads(run("stories", "--db", db, "--json").output)
    assert sum(s["size"] for s in stories) == 3
