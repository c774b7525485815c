"""`story ID` and `entity ID` for a person: what they show, how long lists are cut,
and how a mention is shown inside its sentence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsweave.cli import main
from newsweave.render import brackets, mention_line, mention_window, story_view

DATA = Path(__file__).resolve().parent / "data" / "pipeline"


def invoke(*args: str) -> object:
    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("show") / "show.db")
    result = invoke("ingest", str(DATA), "--db", path, "--no-progress")
    assert result.exit_code == 0, result.output
    return path


def _harbour_story(db: str) -> dict:
    stories = json.loads(invoke("stories", "--db", db, "--json").output)
    return next(s for s in stories if "Brisola" in s["title"] or "Sturmflut" in s["title"])


def test_story_text_shows_who_where_and_sources(db: str) -> None:
    story = _harbour_story(db)
    result = invoke("story", str(story["id"]), "--db", db)
    assert result.exit_code == 0, result.output
    out = result.output
    for label in ("languages: ", "sources: pipeline (4)", "people: ", "Ilaria Fenzi",
                  "places: ", "articles (4):"):
        assert label in out, (label, out)
    for section in ("  timeline:", "  quotes:", "  claims:"):  # found, or "none found"
        assert section in out, (section, out)
    assert "(duplicate of " in out


def test_story_json_has_the_detail_fields(db: str) -> None:
    story = _harbour_story(db)
    one = json.loads(invoke("story", str(story["id"]), "--db", db, "--json").output)
    assert sum(one["language_counts"].values()) == one["size"]
    assert one["sources"] == [{"name": "pipeline", "articles": 4}]
    assert isinstance(one["related_stories"], list)
    for r in one["related_stories"]:
        assert set(r) == {"id", "title", "size", "score"}
    assert any(p["country"] for p in one["places"]) or not one["places"]


def test_story_articles_are_collapsed(db: str) -> None:
    story = _harbour_story(db)
    out = invoke("story", str(story["id"]), "--db", db, "--articles", "1").output
    assert "… 3 more: `newsweave articles --story" in out
    assert out.count("\n  - ") == 1
    full = invoke("story", str(story["id"]), "--db", db, "--articles", "0").output
    assert full.count("\n  - ") == 4 and "more:" not in full


def test_a_500_article_story_fits_a_screen() -> None:
    arts = [{"id": i, "title": f"Report number {i}", "lang": "en", "source": "x",
             "published": None, "duplicate_of": None} for i in range(500)]
    ents = [{"id": i, "name": f"Person {i}", "type": "PER", "mentions": 3, "articles": 2}
            for i in range(300)]
    story = {"id": 1, "title": "A big story", "size": 500, "languages": ["en"],
             "first_seen": None, "last_seen": None, "related": [], "articles": arts,
             "entities": ents, "places": [], "sources": [{"name": f"s{i}", "articles": 5}
                                                         for i in range(100)],
             "related_stories": [], "language_counts": {"en": 500}}
    lines = story_view(story, 20)
    assert len(lines) < 40
    assert "… 480 more" in lines[-1] and "… 292 more" in "\n".join(lines)


def test_entity_shows_its_stories_and_marked_mentions(db: str) -> None:
    entities = json.loads(invoke("entities", "--db", db, "--json").output)
    fenzi = next(e for e in entities if e["name"] == "Ilaria Fenzi")
    data = json.loads(invoke("entity", str(fenzi["id"]), "--db", db, "--json").output)
    assert data["stories_list"] and set(data["stories_list"][0]) == {"id", "title", "size",
                                                                     "articles"}
    assert data["stories_list"][0]["id"] in data["stories"]
    first = data["mentions_list"][0]
    s0 = first["sentence_start"]
    assert first["sentence"][first["start"] - s0:first["end"] - s0] == first["text"]
    out = invoke("entity", str(fenzi["id"]), "--db", db).output
    assert f"story {data['stories_list'][0]['id']}: " in out
    assert "naming it)" in out
    assert "[Ilaria Fenzi]" in out  # not a terminal: brackets, no ANSI codes
    assert "\x1b[" not in out


LONG = ("According to the figures released late on Tuesday evening by the regional civil "
        "protection office, which had been collecting reports from every municipality in the "
        "valley since the early hours, the mayor of Valmora, Lucia Brandolini, asked for two "
        "hundred more tents and a field kitchen before nightfall.")


@pytest.mark.parametrize("name", ["According", "Lucia Brandolini", "nightfall", "valley"])
@pytest.mark.parametrize("width", [40, 80, 110])
def test_mention_window_is_centred_and_never_cuts_the_mention(name: str, width: int) -> None:
    start = LONG.index(name)
    before, mention, after = mention_window(LONG, start, start + len(name), width)
    assert mention == name
    shown = before + mention + after
    assert len(shown) <= max(width, len(name)) + 2
    assert shown.replace("…", "").strip() in LONG.replace("  ", " ")
    if start > width:  # a long sentence is cut before the mention, never the mention
        assert before.startswith("…")
    # centred: the shorter side is short only because the sentence ends there
    if before.startswith("…") and after.endswith("…"):
        assert abs(len(before) - len(after)) <= 14


def test_mention_window_keeps_a_short_sentence_whole() -> None:
    sentence = "Ilaria Fenzi said the wall held."
    assert mention_window(sentence, 0, 12) == ("", "Ilaria Fenzi", " said the wall held.")


def test_mention_line_marks_the_mention() -> None:
    body = "Intro sentence. " + LONG
    start = body.index("Lucia Brandolini")
    m = {"article": 7, "text": "Lucia Brandolini", "start": start, "end": start + 16,
         "sentence": LONG, "sentence_start": len("Intro sentence. ")}
    line = mention_line(m, brackets)
    assert line.startswith("    article 7: …") and "[Lucia Brandolini]" in line
    assert mention_line({**m, "sentence": None}, brackets).endswith("[Lucia Brandolini]")
