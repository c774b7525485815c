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


def test_the_troops_claim_is_one_claim_corroborated_by_000_and_001(
        seeded: tuple[str, list[dict]]) -> None:
    db, articles = seeded
    story = json.loads(run("story", str(articles[0]["story"]), "--db", db, "--json").output)
    troops = [c for c in story["claims"] if c["counted"] == "troops" and c["value"] == 2500]
    assert len(troops) == 1, story["claims"]
    assert troops[0]["status"] == "corroborated"
    assert sorted(troops[0]["sources"]) == sorted([articles[0]["id"], articles[1]["id"]])
    listed = json.loads(run("claims", "--db", db, "--json", "--status", "corroborated").output)
    assert [c["sources"] for c in listed] == [troops[0]["sources"]]


def test_the_timeline_has_the_years_and_keeps_unknown_ones(
        seeded: tuple[str, list[dict]]) -> None:
    db, articles = seeded
    story = json.loads(run("story", str(articles[0]["story"]), "--db", db, "--json").output)
    dates = {e["date"]: e for e in story["timeline"]}
    assert {"2003", "2011", "2014", "2020-01"} <= set(dates)
    assert dates["XXXX-10-07"]["relative"], "publication date unknown: no year guessed"
    assert sorted(dates["2014"]["sources"]) == sorted([articles[0]["id"], articles[1]["id"]])
    assert not [d for d in dates if "W" in d], "weekdays of an unknown week are no points"


def test_weekday_references_stay_relative(seeds: Path) -> None:
    texts = [{"id": p.name, "text": p.read_text(encoding="utf-8"), "lang": "it"}
             for p in sorted(seeds.glob("00[01]_*.txt"))]
    result = CliRunner().invoke(main, ["annotate", "-"], input="\n".join(
        json.dumps(t) for t in texts), catch_exceptions=False)
    found = [d for line in result.output.splitlines() for d in json.loads(line)["dates"]]
    weekdays = [d for d in found if d["value"].startswith("XXXX-WXX-")]
    assert weekdays and all(d["relative"] for d in weekdays)


def test_caggins_is_quoted_at_least_three_times_in_002(seeded: tuple[str, list[dict]]) -> None:
    db, articles = seeded
    s002 = articles[2]
    quotes = json.loads(run("quotes", "--db", db, "--json", "--story",
                            str(s002["story"])).output)
    caggins = [q for q in quotes if q["article"] == s002["id"] and q["speaker_entity"]
               and "Caggins" in q["speaker_entity"]["name"]]
    assert len(caggins) >= 3, quotes
    by_entity = json.loads(run("quotes", "--db", db, "--json", "--entity",
                               str(caggins[0]["speaker_entity"]["id"])).output)
    assert len(by_entity) == len(caggins)
    story = json.loads(run("story", str(s002["story"]), "--db", db, "--json").output)
    assert [q["text"] for q in story["quotes"] if q["article"] == s002["id"]] == \
        [q["text"] for q in quotes if q["article"] == s002["id"]]
