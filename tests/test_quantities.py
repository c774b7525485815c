"""Quantities: locale numbers, ranges, bounds, approximations, vague plurals, number
words, units and what is counted, per language; what is no quantity; bad input; the
word files' check; the ``annotate`` JSON. Sentences written for these tests."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsweave.cli import main
from newsweave.enrich.lexicon_files import LexiconError
from newsweave.enrich.quantities import (
    Quantity,
    QuantityFinders,
    find_quantities,
    scan_quantities,
)
from newsweave.enrich.quantities.lexicon import data_dir, languages, load_words
from newsweave.enrich.quantities.numbers import parse_digits

KEYS = {"start", "end", "text", "value", "low", "high", "approx", "unit", "counted"}


@pytest.fixture(scope="module")
def finders() -> QuantityFinders:
    return QuantityFinders()


def one(text: str, lang: str, finders: QuantityFinders) -> Quantity:
    found = find_quantities(text, lang, finders=finders)
    assert len(found) == 1, [q.to_dict() for q in found]
    q = found[0]
    assert text[q.start:q.end] == q.text
    return q


# -- numbers by locale ---------------------------------------------------------------
@pytest.mark.parametrize("chunk, decimal, value", [
    ("2.500", ",", 2500), ("2,500", ".", 2500), ("2,5", ",", 2.5), ("2.5", ".", 2.5),
    ("2.5", ",", 2.5), ("1.234.567", ",", 1234567), ("1,234,567", ".", 1234567),
    ("1.234,56", ",", 1234.56), ("1,234.56", ".", 1234.56), ("2\u202f500", ",", 2500),
    ("2\u00a0500", ",", 2500), ("0,250", ",", 0.25), ("1.125", ".", 1.125),
    ("1e400", ".", None),
])
def test_digits_by_locale(chunk: str, decimal: str, value: float | None) -> None:
    got = parse_digits(chunk, decimal)
    if value is None:
        assert got is not None and got > 10 ** 399
    else:
        assert got is not None and float(got) == value


def test_groups_of_the_wrong_size_are_no_number() -> None:
    assert parse_digits("192.168.1.2", ".") is None
    assert parse_digits("12.34.5", ",") is None


@pytest.mark.parametrize("lang, text, value", [
    ("it", "Gli Stati Uniti hanno 2.500 truppe in Iraq.", 2500),
    ("en", "The United States has 2,500 troops in Iraq.", 2500),
    ("fr", "Les États-Unis ont 2 500 soldats en Irak.", 2500),
    ("fr", "Les États-Unis ont 2\u202f500 soldats en Irak.", 2500),
    ("de", "Die USA haben 2.500 Soldaten im Irak.", 2500),
    ("es", "Estados Unidos tiene 2.500 soldados en Irak.", 2500),
    ("it", "Il tasso è salito al 2,5 per cento.", 2.5),
    ("en", "The rate rose to 2.5 percent.", 2.5),
    ("de", "Die Quote stieg auf 2,5 Prozent.", 2.5),
    ("es", "En México llegaron 2,500 soldados.", 2500),  # "," before three digits of a count
])
def test_the_same_number_in_every_locale(lang: str, text: str, value: float,
                                         finders: QuantityFinders) -> None:
    assert one(text, lang, finders).value == value


@pytest.mark.parametrize("lang, text, value, counted", [
    ("en", "Two million people fled the fighting.", 2_000_000, "people"),
    ("en", "Twenty-five soldiers were wounded.", 25, "troops injured"),
    ("it", "Sono arrivati tre soldati.", 3, "troops"),
    ("it", "Sono arrivati duemilacinquecento soldati.", 2500, "troops"),
    ("it", "Hanno ricevuto un milione di dosi.", 1_000_000, "doses"),
    ("de", "Es kamen drei Soldaten.", 3, "troops"),
    ("de", "Es kamen zweitausendfünfhundert Soldaten.", 2500, "troops"),
    ("de", "Es wurden fünfundzwanzig Soldaten verletzt.", 25, "troops injured"),
    ("es", "Llegaron veinticinco soldados.", 25, "troops"),
    ("es", "Llegaron doscientos cincuenta soldados.", 250, "troops"),
    ("fr", "Quatre-vingt-dix soldats sont arrivés.", 90, "troops"),
    ("fr", "Mille soldats sont arrivés.", 1000, "troops"),
])
def test_number_words(lang: str, text: str, value: int, counted: str,
                      finders: QuantityFinders) -> None:
    q = one(text, lang, finders)
    assert (q.value, q.counted) == (value, counted)


# -- ranges, bounds, approximations, vague plurals -------------------------------------
@pytest.mark.parametrize("lang, text, low, high", [
    ("en", "Between 2,000 and 3,000 protesters gathered.", 2000, 3000),
    ("en", "Some 2-3,000 protesters gathered.", 2000, 3000),
    ("en", "Two to three thousand troops could be sent.", 2000, 3000),
    ("en", "The plan costs $2-3 million.", 2_000_000, 3_000_000),
    ("it", "Tra 2.000 e 3.000 manifestanti erano in piazza.", 2000, 3000),
    ("it", "Da 2.000 a 3.000 manifestanti erano in piazza.", 2000, 3000),
    ("de", "Zwischen 2.000 und 3.000 Demonstranten kamen.", 2000, 3000),
    ("es", "Entre 2.000 y 3.000 manifestantes acudieron.", 2000, 3000),
    ("fr", "Entre 2 000 et 3 000 manifestants ont défilé.", 2000, 3000),
])
def test_ranges(lang: str, text: str, low: int, high: int, finders: QuantityFinders) -> None:
    q = one(text, lang, finders)
    assert (q.value, q.low, q.high) == (low, low, high)


@pytest.mark.parametrize("lang, text", [
    ("en", "More than 45 people were killed."), ("it", "Oltre 45 persone sono morte."),
    ("it", "Più di 45 persone sono morte."), ("de", "Mehr als 45 Menschen starben."),
    ("es", "Más de 45 personas murieron."), ("fr", "Plus de 45 personnes sont mortes."),
    ("en", "At least 45 people were killed."), ("fr", "Au moins 45 personnes sont mortes."),
])
def test_lower_bounds(lang: str, text: str, finders: QuantityFinders) -> None:
    q = one(text, lang, finders)
    assert (q.value, q.low, q.high, q.counted) == (45, 45, None, "killed")


@pytest.mark.parametrize("lang, text", [
    ("en", "Up to 800 workers could lose their jobs."),
    ("it", "Fino a 800 lavoratori potrebbero perdere il posto."),
    ("de", "Bis zu 800 Beschäftigte könnten ihre Stelle verlieren."),
    ("es", "Hasta 800 trabajadores podrían perder su empleo."),
    ("fr", "Jusqu'à 800 salariés pourraient perdre leur emploi."),
])
def test_upper_bounds(lang: str, text: str, finders: QuantityFinders) -> None:
    q = one(text, lang, finders)
    assert (q.value, q.low, q.high, q.counted) == (800, None, 800, "workers")


@pytest.mark.parametrize("lang, text", [
    ("en", "About 2,500 troops remain."), ("en", "Roughly 2,500 troops remain."),
    ("it", "Restano circa 2.500 soldati."), ("de", "Es bleiben etwa 2.500 Soldaten."),
    ("es", "Quedan unos 2.500 soldados."), ("fr", "Il reste environ 2 500 soldats."),
])
def test_approximations(lang: str, text: str, finders: QuantityFinders) -> None:
    q = one(text, lang, finders)
    assert (q.value, q.approx, q.counted) == (2500, True, "troops")


@pytest.mark.parametrize("lang, text, low, high", [
    ("en", "Thousands of people marched.", 2000, 9999),
    ("it", "Migliaia di persone hanno sfilato.", 2000, 9999),
    ("it", "Centinaia di persone hanno sfilato.", 200, 999),
    ("de", "Tausende Menschen zogen durch die Stadt.", 2000, 9999),
    ("es", "Miles de personas marcharon.", 2000, 9999),
    ("fr", "Des milliers de personnes ont défilé.", 2000, 9999),
    ("en", "Tens of thousands of people marched.", 20000, 99999),
    ("it", "Decine di migliaia di persone hanno sfilato.", 20000, 99999),
])
def test_vague_plurals_are_ranges(lang: str, text: str, low: int, high: int,
                                  finders: QuantityFinders) -> None:
    q = one(text, lang, finders)
    assert (q.value, q.low, q.high, q.counted) == (None, low, high, "people")


# -- units and what is counted --------------------------------------------------------
@pytest.mark.parametrize("lang, text, value, unit", [
    ("en", "The fund holds $4.5 billion.", 4_500_000_000, "USD"),
    ("en", "The deal is worth £350m.", 350_000_000, "GBP"),
    ("it", "Il governo stanzia 3,5 miliardi di euro.", 3_500_000_000, "EUR"),
    ("de", "Die Regierung gibt 1,2 Mrd. Euro aus.", 1_200_000_000, "EUR"),
    ("es", "El plan cuesta 5 millones de dólares.", 5_000_000, "USD"),
    ("fr", "L'État débloque 5 millions d'euros.", 5_000_000, "EUR"),
    ("fr", "Le chômage atteint 7,4 %.", 7.4, "percent"),
    ("it", "Il ponte è lungo 1,2 chilometri.", 1.2, "km"),
    ("en", "The road is 29km long.", 29, "km"),
])
def test_units(lang: str, text: str, value: float, unit: str,
               finders: QuantityFinders) -> None:
    q = one(text, lang, finders)
    assert (q.value, q.unit) == (value, unit)


@pytest.mark.parametrize("lang, word", [
    ("en", "troops"), ("en", "soldiers"), ("it", "soldati"), ("it", "truppe"),
    ("it", "militari"), ("de", "Soldaten"), ("fr", "soldats"), ("es", "tropas"),
    ("es", "soldados"),
])
def test_counted_things_share_one_key_across_languages(lang: str, word: str,
                                                       finders: QuantityFinders) -> None:
    assert one(f"Sono 300 {word}.", lang, finders).counted == "troops"


@pytest.mark.parametrize("lang, text", [
    ("en", "45 people were killed."), ("it", "Il bilancio è di 45 morti."),
    ("it", "Sono state uccise 45 persone."), ("de", "Es gab 45 Tote."),
    ("es", "Hubo 45 muertos."), ("fr", "On compte 45 morts."),
    ("en", "The death toll rose to 45."), ("fr", "L'attaque a tué 45 personnes."),
])
def test_the_dead_are_killed_in_every_language(lang: str, text: str,
                                               finders: QuantityFinders) -> None:
    assert one(text, lang, finders).counted == "killed"


# -- what is no quantity ----------------------------------------------------------------
@pytest.mark.parametrize("lang, text", [
    ("en", "The war began in 2003 and ended in 2011."),
    ("it", "Il 7 ottobre è iniziata la guerra."),
    ("en", "The talks start on May 7 at 10:30."),
    ("en", "The meeting is at 5 p.m. on Thursday."),
    ("de", "Am 3. Oktober um 15 Uhr beginnt das Fest."),
    ("de", "Der 3. Platz ging an Österreich."),
    ("it", "Ci vediamo alle 20.45 davanti allo stadio."),
    ("en", "The F-16 and the G7 summit made headlines."),
    ("en", "Article 5 was invoked after the attacks."),
    ("it", "La legge 194 è stata discussa in aula."),
    ("en", "Call +39 06 1234 5678 for details."),
    ("en", "He finished 3rd in the race."),
    ("en", "See https://example.org/page?id=2500 for details."),
])
def test_no_quantity(lang: str, text: str, finders: QuantityFinders) -> None:
    assert find_quantities(text, lang, finders=finders) == []


def test_a_year_then_a_number_split_at_the_space(finders: QuantityFinders) -> None:
    assert [q.value for q in find_quantities("En 2014 500 soldats sont arrivés.", "fr",
                                             finders=finders)] == [500]


def test_a_year_with_something_counted_is_a_count(finders: QuantityFinders) -> None:
    assert one("Sono arrivati 2000 soldati.", "it", finders).value == 2000


def test_to_dict_has_exactly_the_contract_keys(finders: QuantityFinders) -> None:
    q = one("About 2,500 US troops remain in Iraq.", "en", finders)
    assert q.to_dict() == {"start": 0, "end": 11, "text": "About 2,500", "value": 2500,
                           "low": 2500, "high": 2500, "approx": True, "unit": None,
                           "counted": "troops"}
    assert set(q.to_dict()) == KEYS


@pytest.mark.parametrize("lang", ["pt", None])
def test_a_language_without_words_is_read_neutrally_and_says_so(
        lang: str | None, finders: QuantityFinders) -> None:
    scan = scan_quantities("Há 2.500 soldados e 3,5% de inflação; 2,500 more troops.", lang,
                           finders=finders)
    assert [q.value for q in scan.quantities] == [2500, 3.5, 2500]
    assert "no quantity words" in scan.notes[0]


# -- bad input ------------------------------------------------------------------------
def test_absurd_magnitudes_are_left_out_and_counted(finders: QuantityFinders) -> None:
    text = "Il debito è di 1e400 euro, anzi 99999999999999999999999 euro, e 5 soldati."
    scan = scan_quantities(text, "it", finders=finders)
    assert [q.value for q in scan.quantities] == [5]
    assert scan.beyond_limit == 2 and "max_quantity_value" in scan.notes[0]


def test_ten_thousand_numbers_are_cut_quickly(finders: QuantityFinders) -> None:
    text = " ".join(f"{n} soldati." for n in range(10_000))
    started = time.perf_counter()
    scan = scan_quantities(text, "it", finders=finders, max_quantities=500)
    assert time.perf_counter() - started < 20
    assert scan.cut and len(scan.quantities) == 500
    assert "max_quantities_per_article" in scan.notes[0]


def test_a_wall_of_digits_does_not_hang(finders: QuantityFinders) -> None:
    text = "1" * 50_000 + " " + "2.5." * 5_000 + " " + "-" * 10_000 + "3"
    started = time.perf_counter()
    scan_quantities(text, "en", finders=finders)
    assert time.perf_counter() - started < 20


# -- the word files ----------------------------------------------------------------------
def test_every_language_file_loads() -> None:
    assert set(languages()) >= {"en", "it", "de", "es", "fr"}
    for lang in languages():
        words = load_words(lang)
        assert words is not None and words.decimal in (",", ".")


def test_a_malformed_word_file_is_refused_with_its_field(tmp_path: Path) -> None:
    folder = tmp_path / "quantities"
    shutil.copytree(str(data_dir()), folder)
    raw = json.loads((folder / "it.json").read_text(encoding="utf-8"))
    raw["vague"]["migliaia"] = [9999, 2000]
    (folder / "it.json").write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(LexiconError, match="it.json: field 'vague'"):
        load_words("it", folder)
    raw["vague"]["migliaia"] = [2000, 9999]
    raw["surprise"] = []
    (folder / "it.json").write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(LexiconError, match="unknown field 'surprise'"):
        load_words("it", folder)


# -- annotate ------------------------------------------------------------------------
def test_annotate_prints_quantities() -> None:
    lines = "\n".join(json.dumps(r) for r in [
        {"id": "a", "text": "Gli Stati Uniti hanno 2.500 truppe in Iraq.", "lang": "it"},
        {"id": "b", "text": "Il debito era di 1e400 euro.", "lang": "it"},
    ]) + "\n"
    result = CliRunner().invoke(main, ["annotate", "-"], input=lines)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows[0]["quantities"] == [{"start": 22, "end": 27, "text": "2.500", "value": 2500,
                                      "low": 2500, "high": 2500, "approx": False,
                                      "unit": None, "counted": "troops"}]
    assert "mentions" in rows[0] and rows[1]["quantities"] == []
    assert "b: quantities: 1 number(s) above" in result.stderr


def test_annotate_reports_the_cut() -> None:
    text = " ".join(f"{n} soldati." for n in range(50))
    result = CliRunner().invoke(
        main, ["annotate", "-", "--set", "max_quantities_per_article=10"],
        input=json.dumps({"id": "c", "text": text, "lang": "it"}) + "\n")
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["quantities"]) == 10
    assert "c: quantities: cut at 10" in result.stderr


# -- quality gate ---------------------------------------------------------------------
def test_quantity_quality_floor(finders: QuantityFinders) -> None:
    """Value, value + unit and counted F1 on the dev sentences of tests/data/quantities
    (the holdout third is scored by the benchmark only); floors in
    tests/quality/baseline.json."""
    from benchmarks.bench_quantities import LANGS, load_gold, predict, score
    from benchmarks.gate import floor, record

    items = [it for lang in LANGS for it in load_gold(lang) if it["split"] == "dev"]
    found = [f for lang in LANGS for f in predict(
        [it for it in load_gold(lang) if it["split"] == "dev"], lang, finders)]
    scores = score(items, found)
    for what in ("value", "unit", "counted"):
        name = f"quantities.dev.{what}_f1"
        record(name, scores[what]["f1"])
        assert scores[what]["f1"] >= floor(name), (name, scores[what])
