"""GeoNews, the project's own geoparsing set: it loads, its offsets and countries are
right, and the JSONL is what the sources build. No resolver, no gazetteer, no shared data.
"""

from __future__ import annotations

from collections import Counter

import pytest

from benchmarks.bench_geo import load_geonews
from benchmarks.geonews import (
    LANGS,
    MAX_WORDS,
    MIN_WORDS,
    Block,
    Gloss,
    SourceError,
    load,
    problems,
    records,
    toponyms,
)


@pytest.mark.parametrize("lang", LANGS)
def test_language_loads_with_balanced_splits(lang: str) -> None:
    recs = load([lang])
    assert len(recs) >= 25
    assert {r["lang"] for r in recs} == {lang}
    splits = Counter(r["split"] for r in recs)
    assert abs(splits["dev"] - splits["holdout"]) <= 1
    assert len({r["id"] for r in recs}) == len(recs)
    assert all(MIN_WORDS <= len(r["text"].split()) <= MAX_WORDS for r in recs)


@pytest.mark.parametrize("lang", LANGS)
def test_offsets_kinds_and_countries_validate(lang: str) -> None:
    found = [p for rec in load([lang]) for p in problems(rec)]
    assert found == []


@pytest.mark.parametrize("lang", LANGS)
def test_jsonl_is_built_from_the_sources(lang: str) -> None:
    built, errors = records(lang)
    assert errors == []
    assert built == load([lang])


def test_splits_partition_the_set() -> None:
    dev, holdout = load(split="dev"), load(split="holdout")
    assert len(dev) + len(holdout) == len(load())
    assert {r["id"] for r in dev}.isdisjoint(r["id"] for r in holdout)


def test_homonyms_keep_their_own_countries() -> None:
    by_id = {r["id"]: r for r in load()}

    def countries(rid: str, surface: str) -> set[str | None]:
        return {t["country"] for t in by_id[rid]["toponyms"] if t["text"] == surface}

    assert countries("es-03", "Trípoli") == {"LY"}
    assert countries("es-04", "Trípoli") == {"LB"}
    assert countries("es-07", "CÓRDOBA") == {"AR"}
    assert countries("es-08", "CÓRDOBA") == {"ES"}
    assert countries("it-05", "Monaco di Baviera") == {"DE"}
    assert countries("it-06", "Monaco") == {"MC"}


def test_organisations_named_after_places_are_not_toponyms() -> None:
    rec = next(r for r in load(["es"]) if r["id"] == "es-20")
    madrid = [t for t in rec["toponyms"] if t["text"] == "Madrid"]
    assert madrid, "Madrid the city is annotated"
    for t in madrid:
        assert rec["text"][max(0, t["start"] - 5):t["start"]] != "Real "


def test_block_offsets_longest_first_and_exclusions() -> None:
    text = "En el golfo de México y en México. El Real Madrid viajó a Madrid. Aude, Aude."
    block = Block("x", "dev", "2020-01-01", "t", text, [
        Gloss("México", "Mexico", "MX", 23.0, -102.0, "country", 1),
        Gloss("golfo de México", "Gulf of Mexico", None, 25.0, -90.0, "water", 2),
        Gloss("Madrid", "Madrid", "ES", 40.4, -3.7, "city", 3),
        Gloss("Aude#2", "Aude", "FR", 43.1, 2.4, "admin", 4)], ["Real Madrid"])
    tops = toponyms(block)
    assert [(t["text"], t["name"]) for t in tops] == [
        ("golfo de México", "Gulf of Mexico"), ("México", "Mexico"), ("Madrid", "Madrid"),
        ("Aude", "Aude")]
    assert all(text[t["start"]:t["end"]] == t["text"] for t in tops)
    assert tops[-1]["start"] == text.rindex("Aude")


def test_a_gloss_missing_from_the_text_is_an_error() -> None:
    block = Block("x", "dev", "2020-01-01", "t", "Nada aquí.",
                  [Gloss("Lima", "Lima", "PE", -12.0, -77.0, "city", 7)])
    with pytest.raises(SourceError, match="'Lima' \\(line 7\\) not in the text"):
        toponyms(block)


def test_problems_catch_bad_offsets_and_wrong_countries() -> None:
    text = " ".join(["palabra"] * 130) + " Lima"
    start = text.index("Lima")
    rec = {"id": "x", "lang": "es", "split": "dev", "title": "t", "text": text,
           "published": "2020-01-01", "toponyms": [
               {"start": start, "end": start + 4, "text": "Lima", "name": "Lima",
                "country": "FR", "lat": -12.05, "lon": -77.04, "kind": "city"},
               {"start": 0, "end": 4, "text": "Lima", "name": "Lima", "country": "PE",
                "lat": -12.05, "lon": -77.04, "kind": "town"}]}
    found = problems(rec)
    assert any("outside FR" in p for p in found)
    assert any("the text there is 'pala'" in p for p in found)
    assert any("kind 'town'" in p for p in found)
    assert any("out of order" in p for p in found)


def test_bench_geo_reads_the_set_by_language() -> None:
    docs = load_geonews("dev")
    assert set(docs) == set(LANGS)
    for lang, items in docs.items():
        assert items and all(d.lang == lang for d in items)
        assert all(t.country is None or len(t.country) == 2
                   for d in items for t in d.toponyms)
