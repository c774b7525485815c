"""Claims: grouping across articles (corroborated, contradicted, single), independence
of sources (duplicates, one outlet, syndicated sentences), identity across languages,
where from place mentions, bad input, and the seed scenario (read at test time)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsweave.enrich.claims import (
    Claim,
    PlaceRef,
    claims_from_quantities,
    group_claims,
)
from newsweave.enrich.entities import Annotator
from newsweave.enrich.quantities import QuantityFinders, find_quantities, scan_quantities


@pytest.fixture(scope="module")
def finders() -> QuantityFinders:
    return QuantityFinders()


def claims_of(text: str, lang: str, article: int | str, finders: QuantityFinders, *,
              source: str | None = None, duplicate_of: int | str | None = None,
              places: tuple[PlaceRef, ...] = ()) -> list[Claim]:
    quantities = find_quantities(text, lang, finders=finders)
    return claims_from_quantities(quantities, text, article=article, lang=lang,
                                  source=source, duplicate_of=duplicate_of,
                                  places=places, finders=finders)


def place(text: str, name: str, pid: str) -> PlaceRef:
    start = text.index(name)
    return PlaceRef(start, start + len(name), pid)


SAME = -1.0  # low or high: the value itself


def claim(value: float | None, article: int, *, counted: str = "troops",
          low: float | None = SAME, high: float | None = SAME, approx: bool = False,
          where: str | None = "cc:IQ", source: str | None = None,
          duplicate_of: int | None = None, sentence: str | None = None,
          when: str | None = None, published: str | None = None) -> Claim:
    low = value if low == SAME else low
    high = value if high == SAME else high
    return Claim(counted, None, value, low, high, approx, article,
                 sentence or f"Sentence {article} says {value}.", str(value),
                 where=where, when=when, source=source, duplicate_of=duplicate_of,
                 published=published)


# -- grouping --------------------------------------------------------------------------
def test_two_independent_sources_corroborate() -> None:
    groups = group_claims([claim(2500, 1), claim(2500, 2, approx=True)])
    assert len(groups) == 1
    assert groups[0].status == "corroborated" and groups[0].sources == [1, 2]


def test_one_source_is_single() -> None:
    (group,) = group_claims([claim(2500, 1)])
    assert group.status == "single" and group.independent == 1


def test_different_values_for_the_same_quantity_contradict() -> None:
    groups = group_claims([claim(2500, 1), claim(3000, 2), claim(2500, 3)])
    assert [g.status for g in groups] == ["contradicted", "contradicted"]
    assert groups[0].sources == [1, 3] and groups[1].sources == [2]
    assert groups[0].contradicts == [1] and groups[1].contradicts == [0]


def test_approximations_and_ranges_agree_within_their_width() -> None:
    groups = group_claims([claim(2500, 1, approx=True), claim(2600, 2),
                           claim(None, 3, low=2000, high=3000)])
    assert len(groups) == 2  # a vague range never confirms an exact figure
    assert groups[0].status == "corroborated" and groups[0].sources == [1, 2]


def test_a_bound_agrees_with_a_value_inside_it() -> None:
    groups = group_claims([claim(45, 1, counted="killed", high=None), claim(50, 2,
                                                                           counted="killed")])
    assert len(groups) == 1 and groups[0].status == "corroborated"


def test_other_places_and_other_things_are_other_claims() -> None:
    groups = group_claims([claim(2500, 1), claim(900, 2, where="cc:SY"),
                           claim(2500, 3, counted="killed")])
    assert [g.status for g in groups] == ["single"] * 3


def test_an_unlocated_claim_never_contradicts_a_located_one() -> None:
    groups = group_claims([claim(2500, 1), claim(None, 2, low=200, high=999, where=None)])
    assert [g.status for g in groups] == ["single", "single"]


def test_unlocated_figures_contradict_nothing() -> None:
    """A day's toll and a war's toll, neither placed: different figures, no dispute."""
    groups = group_claims([claim(270, 1, counted="killed", where=None),
                           claim(10000, 2, counted="killed", where=None)])
    assert [g.status for g in groups] == ["single", "single"]


def test_figures_reported_days_apart_do_not_contradict() -> None:
    """A toll grows: Monday's 300 dead is no denial of Friday's 100, while two
    outlets' different tolls a day apart are a dispute."""
    apart = group_claims([claim(100, 1, counted="killed", published="2011-02-18"),
                          claim(300, 2, counted="killed", published="2011-02-21")])
    close = group_claims([claim(100, 1, counted="killed", published="2011-02-21"),
                          claim(300, 2, counted="killed", published="2011-02-22")])
    assert [g.status for g in apart] == ["single", "single"]
    assert [g.status for g in close] == ["contradicted", "contradicted"]


def test_one_sources_own_figures_do_not_contradict() -> None:
    """"6,000 dead, 3,000 of them in Tripoli": one report, two figures."""
    groups = group_claims([claim(6000, 1, counted="killed", source="Le Quotidien"),
                           claim(3000, 1, counted="killed", source="Le Quotidien")])
    assert [g.status for g in groups] == ["single", "single"]


def test_times_must_be_compatible() -> None:
    same = group_claims([claim(2500, 1, when="2024"), claim(2500, 2, when="2024-01")])
    apart = group_claims([claim(2500, 1, when="2020"), claim(3000, 2, when="2024")])
    assert same[0].status == "corroborated"
    assert [g.status for g in apart] == ["single", "single"]


# -- independence --------------------------------------------------------------------------
def test_a_duplicate_does_not_corroborate_its_original() -> None:
    (group,) = group_claims([claim(2500, 1), claim(2500, 2, duplicate_of=1)])
    assert group.status == "single" and group.sources == [1, 2] and group.independent == 1


def test_a_copy_of_a_copy_counts_as_the_original() -> None:
    (group,) = group_claims([claim(2500, 1), claim(2500, 2, duplicate_of=1),
                             claim(2500, 3, duplicate_of=2)])
    assert group.independent == 1


def test_one_outlet_counts_once() -> None:
    (group,) = group_claims([claim(2500, 1, source="example.org"),
                             claim(2500, 2, source="example.org")])
    assert group.status == "single"
    (group,) = group_claims([claim(2500, 1, source="example.org"),
                             claim(2500, 2, source="example.net")])
    assert group.status == "corroborated"


def test_the_same_wire_sentence_in_two_outlets_counts_once() -> None:
    wire = "The United States has about 2,500 troops in Iraq, officials said on Friday."
    (group,) = group_claims([claim(2500, 1, source="a.example", sentence=wire),
                             claim(2500, 2, source="b.example", sentence=wire)])
    assert group.status == "single"


def test_one_article_stating_a_claim_twice_is_one_source(finders: QuantityFinders) -> None:
    text = ("Ci sono circa 2.500 soldati in Iraq. Il governo discute. "
            "Attualmente ci sono circa 2.500 soldati in Iraq.")
    places = tuple(PlaceRef(i, i + 4, "cc:IQ") for i in
                   (text.index("Iraq"), text.rindex("Iraq")))
    claims = claims_of(text, "it", 1, finders, places=places)
    assert len(claims) == 1
    (group,) = group_claims(claims)
    assert group.status == "single"


# -- across languages, with places from the text ---------------------------------------
@pytest.mark.parametrize("lang, text", [
    ("en", "The United States has about 2,500 troops in Iraq."),
    ("de", "Die USA haben rund 2.500 Soldaten im Irak."),
    ("es", "Estados Unidos tiene unos 2.500 soldados en Irak."),
    ("fr", "Les États-Unis ont environ 2 500 soldats en Irak."),
])
def test_claim_identity_across_languages(lang: str, text: str,
                                         finders: QuantityFinders) -> None:
    it = "Gli Stati Uniti hanno 2.500 truppe in Iraq."
    ours = claims_of(it, "it", "it-1", finders, places=(place(it, "Iraq", "cc:IQ"),))
    name = "Irak" if "Irak" in text else "Iraq"
    theirs = claims_of(text, lang, f"{lang}-1", finders,
                       places=(place(text, name, "cc:IQ"),))
    (group,) = group_claims(ours + theirs)
    assert group.status == "corroborated" and group.where == "cc:IQ"
    assert group.counted == "troops" and group.sources == ["it-1", f"{lang}-1"]


def test_a_contradiction_across_languages_keeps_both_sides(finders: QuantityFinders) -> None:
    en = "About 3,000 US troops are in Iraq."
    it = "Gli Stati Uniti hanno 2.500 truppe in Iraq."
    claims = (claims_of(en, "en", "en-1", finders, places=(place(en, "Iraq", "cc:IQ"),))
              + claims_of(it, "it", "it-1", finders, places=(place(it, "Iraq", "cc:IQ"),)))
    groups = group_claims(claims)
    assert {g.status for g in groups} == {"contradicted"}
    assert sorted(g.to_dict()["sources"][0] for g in groups) == ["en-1", "it-1"]
    assert all(g.to_dict()["sentences"][0]["sentence"] in (en, it) for g in groups)


def test_where_is_the_place_behind_a_preposition(finders: QuantityFinders) -> None:
    text = "Gli Stati Uniti hanno 2.500 truppe in Iraq."
    (c,) = claims_of(text, "it", 1, finders, places=(place(text, "Stati Uniti", "cc:US"),
                                                     place(text, "Iraq", "cc:IQ")))
    assert (c.where, c.sentence, c.counted) == ("cc:IQ", text, "troops")


def test_quantities_without_a_counted_thing_are_no_claims(finders: QuantityFinders) -> None:
    assert claims_of("Il ponte è lungo 1,2 chilometri.", "it", 1, finders) == []


# -- bad input ----------------------------------------------------------------------------
def test_absurd_magnitudes_make_no_claim(finders: QuantityFinders) -> None:
    text = "Sono arrivati 1e400 soldati e 99999999999999999999999 soldati in Iraq."
    assert claims_of(text, "it", 1, finders) == []


def test_ten_thousand_numbers_do_not_flood_the_claims(finders: QuantityFinders) -> None:
    text = " ".join(f"Sono morte {n} persone." for n in range(1, 10_001))
    scan = scan_quantities(text, "it", finders=finders, max_quantities=500)
    claims = claims_from_quantities(scan.quantities, text, article=1, lang="it",
                                    finders=finders)
    assert scan.cut and len(claims) <= 500
    assert len(group_claims(claims)) <= 500


# -- the seed scenario ----------------------------------------------------------------------
def test_seed_troops_claim_is_one_claim_corroborated_by_000_and_001(
        seeds: Path, annotator: Annotator, finders: QuantityFinders) -> None:
    claims: list[Claim] = []
    for path in sorted(seeds.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        analysis = annotator.analyse(text, None)
        places = tuple(PlaceRef(m.start, m.end, m.place.id) for m in analysis.mentions
                       if m.place is not None and m.type == "LOC")
        quantities = find_quantities(text, analysis.lang, analysis.sentences,
                                     finders=finders)
        claims += claims_from_quantities(quantities, text, article=path.name[:3],
                                         lang=analysis.lang, sentences=analysis.sentences,
                                         places=places, finders=finders)
    troops = [g for g in group_claims(claims)
              if g.counted == "troops" and g.low <= 2500 <= g.high]
    assert len(troops) == 1, [g.to_dict() for g in troops]
    (group,) = troops
    assert group.status == "corroborated" and group.sources == ["000", "001"]
    assert group.where == "cc:IQ"
    assert all("2.500" in s["sentence"] for s in group.to_dict()["sentences"])
    # the English seed (002) states no figure: it makes no claim at all
    assert not [c for c in claims if c.article == "002"]
    assert {g.status for g in group_claims(claims)} <= {"corroborated", "single"}


# -- rows for the store and back -------------------------------------------------------
def test_rows_for_the_store_and_claims_back(finders: QuantityFinders) -> None:
    from newsweave.enrich.claims import claims_from_rows, quantity_rows

    texts = {1: "Gli Stati Uniti hanno 2.500 truppe in Iraq. Il ponte è lungo 2 km.",
             2: "About 2,500 US troops remain in Iraq."}
    stored = []
    for aid, text in texts.items():
        lang = "it" if aid == 1 else "en"
        qs = find_quantities(text, lang, finders=finders)
        rows = quantity_rows(qs, text, lang=lang, places=(place(text, "Iraq", "cc:IQ"),),
                             when="2024-01", finders=finders)
        assert {"sentence", "start", "end", "text", "value", "low", "high", "approx",
                "unit", "counted", "where", "when"} <= set(rows[0])
        # what store.facts.story_quantities gives back
        stored += [{"article_id": aid, "char_start": r["start"], "char_end": r["end"],
                    "text": r["text"], "value": r["value"], "low": r["low"],
                    "high": r["high"], "approx": int(r["approx"]), "unit": r["unit"],
                    "counted": r["counted"], "place_id": r["where"],
                    "time_value": r["when"], "sentence": r["sentence"],
                    "sentence_text": text, "site": None, "duplicate_of": None,
                    "lang": lang} for r in rows]
    claims = claims_from_rows(stored)
    assert [c.article for c in claims] == [1, 2]  # the bridge (km) counts nothing
    (group,) = group_claims(claims)
    assert group.status == "corroborated" and group.where == "cc:IQ" and group.when == "2024-01"
