"""The seed scenario's entities and places (../shared/docs/SCENARIO.md), through the
CLI's JSON: ``entities``, ``entity ID``, ``places`` and ``story ID``."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsweave.cli import main


def cli_json(*args: str) -> object:
    result = CliRunner().invoke(main, [*args, "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> dict:
    from tests.conftest import shared_path

    seeds = shared_path("seeds")
    db = str(tmp_path_factory.mktemp("seeds") / "seeds.db")
    result = CliRunner().invoke(main, ["ingest", str(seeds), "--db", db, "--no-progress"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    articles = sorted(cli_json("articles", "--db", db), key=lambda a: Path(a["source"]).name)
    return {"db": db, "ids": [a["id"] for a in articles],
            "entities": cli_json("entities", "--db", db),
            "places": cli_json("places", "--db", db), "articles": articles}


def find(entities: list[dict], *aliases: str) -> dict:
    """The one entity that has every alias given."""
    hits = [e for e in entities if all(a in e["aliases"] for a in aliases)]
    assert len(hits) == 1, (aliases, [(e["name"], e["aliases"]) for e in entities
                                      if set(aliases) & set(e["aliases"])])
    return hits[0]


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 6371 * 2 * math.asin(math.sqrt(a))


def test_isis_is_one_entity_in_all_three(seeded: dict) -> None:
    isis = find(seeded["entities"], "Stato Islamico", "Isis", "ISIS", "ISIL", "Daesh", "IS")
    assert isis["type"] == "ORG"
    assert set(seeded["ids"]) <= set(isis["articles"])


@pytest.mark.parametrize("aliases", [
    ("Stati Uniti", "statunitensi"), ("Iraq",), ("Iran",), ("Siria",), ("Gaza",),
])
def test_countries_and_demonyms(seeded: dict, aliases: tuple[str, ...]) -> None:
    find(seeded["entities"], *aliases)


@pytest.mark.parametrize(("aliases", "type_"), [
    (("Mohammed Shia al-Sudani", "al-Sudani", "Al-Sudani"), "PER"),
    (("Qassem Soleimani",), "PER"), (("Abu Mahdi al-Muhandis",), "PER"),
    (("Saddam Hussein",), "PER"), (("Sabrin Singh",), "PER"),
    (("Myles B. Caggins II", "Caggins"), "PER"),
    (("Reuters",), "ORG"), (("Rudaw",), "ORG"), (("Pentagono",), "ORG"),
    (("Inherent Resolve",), "ORG"), (("ISF", "forze di sicurezza irachene"), "ORG"),
])
def test_people_and_organisations(seeded: dict, aliases: tuple[str, ...], type_: str) -> None:
    assert find(seeded["entities"], *aliases)["type"] == type_


def test_no_junk_from_sentence_initial_capitals(seeded: dict) -> None:
    names = {a for e in seeded["entities"] for a in e["aliases"]}
    for junk in ("Attualmente", "Gli", "Here", "Back To Top", "Back", "skip", "Main Content"):
        assert junk not in names


@pytest.mark.parametrize(("name", "lat", "lon", "within"), [
    ("Baghdad", 33.34, 44.40, 25), ("Khanaqin", 34.35, 45.39, 25),
    ("Miqdadiya", 33.98, 44.94, 25), ("Qara Tapa", 34.42, 44.92, 25),
    ("Kirkuk", 35.47, 44.39, 100),
    ("Diyala", 33.85, 45.0, 100), ("Anbar", 33.4, 42.0, 200), ("Nineveh", 36.2, 42.7, 100),
    ("Salahuddin", 34.5, 43.6, 100),
])
def test_places_on_the_map(seeded: dict, name: str, lat: float, lon: float, within: float) -> None:
    hits = [p for p in seeded["places"] if name in p["aliases"]]
    assert len(hits) == 1, name
    place = hits[0]
    assert place["country"] == "IQ"
    assert km(place["lat"], place["lon"], lat, lon) <= within, place


@pytest.mark.parametrize(("name", "country"), [
    ("Iraq", "IQ"), ("Siria", "SY"), ("Iran", "IR"), ("Gaza", "PS")])
def test_countries_on_the_map(seeded: dict, name: str, country: str) -> None:
    hits = [p for p in seeded["places"] if name in p["aliases"]]
    assert hits and hits[0]["country"] == country


def test_entity_shows_mentions_with_sentences(seeded: dict) -> None:
    isis = find(seeded["entities"], "Daesh")
    shown = cli_json("entity", str(isis["id"]), "--db", seeded["db"])
    assert shown["mentions_list"] and all(
        m["text"] in m["sentence"] for m in shown["mentions_list"])
    assert shown["stories"] and shown["co_occurring"]


def test_story_gains_entities_and_places(seeded: dict) -> None:
    story = cli_json("story", str(seeded["articles"][0]["story"]), "--db", seeded["db"])
    names = {e["name"] for e in story["entities"]}
    assert {"Iraq", "United States"} <= names
    assert any(p["country"] == "IQ" for p in story["places"])
