"""Temporal expressions (newsweave.enrich.dates): each language, relative dates with and
without a publication date, the seed scenario, bad input, the word files, ``annotate``'s
``dates`` and the quality floor on our dev paragraphs.

Every text here was written for these tests.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from benchmarks.bench_timex import GOLD, score
from benchmarks.gate import floor, record
from newsweave.cli import main
from newsweave.enrich.dates import FIELDS, DateFinder, DateRulesError, find_dates
from newsweave.enrich.dates.rules import dates_dir
from newsweave.enrich.sentences import split_sentences
from tests.conftest import shared_path

PUB = "2024-01-24"  # a Wednesday


def values(text: str, lang: str, published: str | None = PUB) -> dict[str, str]:
    return {e.text: e.value for e in find_dates(text, lang, published)}


@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("it", "Il 7 ottobre 2023 e poi nel gennaio 2020, nel 2014 e il 24/01/2024.",
     {"7 ottobre 2023": "2023-10-07", "gennaio 2020": "2020-01", "2014": "2014",
      "24/01/2024": "2024-01-24"}),
    ("it", "Ieri il governo ha detto che l'anno scorso, mercoledì, la settimana scorsa.",
     {"Ieri": "2024-01-23", "l'anno scorso": "2023", "mercoledì": "2024-01-24",
      "la settimana scorsa": "2024-W03"}),
    ("it", "Le truppe sono rimaste per tre anni e tornano ogni settimana, tre anni fa.",
     {"tre anni": "P3Y", "ogni settimana": "P1W", "tre anni fa": "2021"}),
    ("en", "In 2003, last week, on Wednesday, March 3, 2020 and three years ago.",
     {"2003": "2003", "last week": "2024-W03", "Wednesday, March 3, 2020": "2020-03-03",
      "three years ago": "2021"}),
    ("en", "They meet every week and stayed for three years; the third quarter; at 3 p.m.",
     {"every week": "P1W", "three years": "P3Y", "the third quarter": "2024-Q3",
      "3 p.m.": "2024-01-24T15:00"}),
    ("de", "Am 7. Oktober 2023, letztes Jahr, vor drei Jahren und gestern Abend um 15 Uhr.",
     {"7. Oktober 2023": "2023-10-07", "letztes Jahr": "2023", "vor drei Jahren": "2021",
      "gestern Abend": "2024-01-23TEV", "15 Uhr": "2024-01-23T15:00"}),
    ("es", "El pasado 7 de octubre, el año pasado, hace tres años y cada semana en 2014.",
     {"pasado 7 de octubre": "2023-10-07", "el año pasado": "2023", "hace tres años": "2021",
      "cada semana": "P1W", "2014": "2014"}),
    ("fr", "Le 7 octobre, l'année dernière, il y a trois ans, mardi dernier et en 2014.",
     {"7 octobre": "2023-10-07", "l'année dernière": "2023", "il y a trois ans": "2021",
      "mardi dernier": "2024-01-23", "2014": "2014"}),
])
def test_languages(lang: str, text: str, expected: dict[str, str]) -> None:
    found = values(text, lang)
    for phrase, value in expected.items():
        assert found.get(phrase) == value, (phrase, found)


@pytest.mark.parametrize(("lang", "text", "phrase", "value"), [
    ("it", "Lo ha detto mercoledì.", "mercoledì", "XXXX-WXX-3"),
    ("it", "È successo prima del 7 ottobre.", "7 ottobre", "XXXX-10-07"),
    ("it", "Ne hanno parlato l'anno scorso.", "l'anno scorso", "XXXX"),
    ("en", "They met on Saturday in Baghdad.", "Saturday", "XXXX-WXX-6"),
    ("fr", "Il est parti hier.", "hier", "XXXX-XX-XX"),
])
def test_unknown_publication_stays_relative(lang: str, text: str, phrase: str,
                                            value: str) -> None:
    found = {e.text: e for e in find_dates(text, lang, None)}
    assert found[phrase].value == value
    assert found[phrase].relative and found[phrase].anchor == "publication"


def test_later_is_anchored_to_the_year_just_named() -> None:
    text = "Ritirò le truppe nel 2011, ma le rimandò tre anni dopo."
    for published in (None, PUB):
        e = {x.text: x for x in find_dates(text, "it", published)}["tre anni dopo"]
        assert (e.value, e.anchor, e.relative) == ("2014", "previous-expression", True)
    # "dopo" before a noun is a preposition: the amount is a duration
    assert values("Un decennio dopo il suo avvio.", "it", None) == {"Un decennio": "P1DE"}


def test_future_sentences_take_the_next_weekday() -> None:
    assert values("Il vertice si terrà sabato.", "it")["sabato"] == "2024-01-27"
    assert values("Il vertice si è tenuto sabato.", "it")["sabato"] == "2024-01-20"


@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("en", "He signed a three-year deal after a 10-day visit; a three-year-old boy.",
     {"three-year": "P3Y", "10-day": "P10D"}),
    ("fr", "Il est arrivé le 3 mars 2023. La veille, il pleuvait; le lendemain aussi.",
     {"3 mars 2023": "2023-03-03", "La veille": "2023-03-02", "le lendemain": "2023-03-03"}),
    ("es", "La reunión del pasado día 12 terminó tarde.", {"pasado día 12": "2024-01-12"}),
    ("de", "Der Umsatz stieg um 12 Prozent.", {}),
    ("fr", "Le traité a été signé en été.", {"été": "2023-SU"}),
    ("en", "Over the past year, unlike last year; two weeks from now.",
     {"the past year": "P1Y", "last year": "2023", "two weeks from now": "2024-W06"}),
    ("fr", "Dans trois jours, comme ces dernières années.",
     {"Dans trois jours": "2024-01-27", "dernières années": "PXY"}),
    ("es", "En el último trimestre de 2016.", {"el último trimestre de 2016": "2016-Q4"}),
    ("en", "By the end of the year, for the third straight month.",
     {"the end of the year": "2024", "the third straight month": "P3M"}),
    ("fr", "Depuis le début de l'année, pour le troisième mois consécutif.",
     {"le début de l'année": "2024", "le troisième mois consécutif": "P3M"}),
    ("en", "Profit for the third quarter of 2023 fell from a year earlier.",
     {"the third quarter of 2023": "2023-Q3", "a year earlier": "2022-Q3"}),
    ("es", "El nivel más bajo desde hace diez años.", {"hace diez años": "2014"}),
    ("fr", "En fin d'année, comme en début d'année.",
     {"fin d'année": "2024", "début d'année": "2024"}),
    ("fr", "Au XXe siècle, à Noël, en l'an 2000.",
     {"XXe siècle": "19", "Noël": "2023-12-25", "2000": "2000"}),
    ("en", "In the 21st century, on Christmas Eve 2019.",
     {"21st century": "20", "Christmas Eve 2019": "2019-12-24"}),
    ("en", "Talks resume Monday at 10 a.m. in Detroit.",
     {"Monday": "2024-01-22", "10 a.m.": "2024-01-22T10:00"}),
])
def test_general_mechanisms(lang: str, text: str, expected: dict[str, str]) -> None:
    assert values(text, lang) == expected


def test_to_dict_and_sentences() -> None:
    text = "Primo paragrafo senza date. Poi nel 2014 e ieri."
    found = find_dates(text, "it", PUB, split_sentences(text))
    d = found[0].to_dict()
    assert {"start", "end", "text", "type", "value", "granularity", "relative"} <= set(d)
    assert text[d["start"]:d["end"]] == d["text"] == "2014"
    assert [e.sentence for e in found] == [1, 1]
    assert found[1].type == "DATE" and found[1].granularity == "day"


def test_not_dates() -> None:
    assert values("Gli Stati Uniti hanno 2.500 truppe e 2000 soldati.", "it") == {}
    assert values("Sent 2000 soldiers; you may go; march on.", "en") == {}
    assert values("Es kamen 2000 Soldaten.", "de") == {}


# -- the seed scenario -------------------------------------------------------------
def _seed_dates(seeds: Path) -> dict[str, list[dict]]:
    out = {}
    for path in sorted(seeds.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        lang = "en" if path.name.startswith("002") else "it"
        out[path.name[:3]] = [e.to_dict() for e in find_dates(text, lang, None,
                                                              split_sentences(text))]
    return out


def test_seed_timeline() -> None:
    dates = _seed_dates(shared_path("seeds"))
    story = [d["value"] for k in ("000", "001") for d in dates[k]]
    for value in ("2003", "2011", "2014", "2020-01", "XXXX-10-07"):
        assert value in story, (value, story)
    later = [d for d in dates["000"] if d["text"] == "tre anni dopo"]
    assert later and later[0]["value"] == "2014"
    weekdays = [d for k in ("000", "001") for d in dates[k]
                if d["text"].lower() in ("mercoledì", "giovedì", "sabato")]
    assert len(weekdays) == 3
    assert all(d["relative"] and d["value"].startswith("XXXX-WXX-") for d in weekdays)
    assert all(d["value"].startswith("XXXX") for k in ("000", "001") for d in dates[k]
               if d["text"] in ("l’anno scorso", "l'anno scorso"))


def test_seed_dates_through_annotate(tmp_path: Path) -> None:
    seeds = shared_path("seeds")
    records = tmp_path / "seeds.jsonl"
    with records.open("w", encoding="utf-8") as fh:
        for path in sorted(seeds.glob("*.txt")):
            fh.write(json.dumps({"id": path.name[:3], "text": path.read_text(encoding="utf-8")})
                     + "\n")
    result = CliRunner().invoke(main, ["annotate", str(records)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    by_id = {r["id"]: {d["value"] for d in r["dates"]} for r in lines}
    assert {"2003", "2011", "2014"} <= by_id["000"]
    assert {"2020-01", "XXXX-10-07"} <= by_id["001"]


def test_annotate_dates_key_and_published(tmp_path: Path) -> None:
    records = tmp_path / "r.jsonl"
    records.write_text("\n".join(json.dumps(r) for r in [
        {"id": "a", "text": "Il vertice si è tenuto ieri a Roma.", "lang": "it",
         "published": PUB},
        {"id": "b", "text": "Il vertice si è tenuto ieri a Roma.", "lang": "it",
         "published": "not a date"},
    ]) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["annotate", str(records)])
    assert result.exit_code == 0
    a, b = (json.loads(line) for line in result.stdout.splitlines())
    assert list(a)[:3] == ["id", "lang", "mentions"] and "dates" in a
    assert {k: a["dates"][0][k] for k in ("text", "value", "type")} == {
        "text": "ieri", "value": "2024-01-23", "type": "DATE"}
    assert b["dates"][0]["value"] == "XXXX-XX-XX"
    assert "b: published 'not a date' is not an ISO date" in result.stderr


# -- bad input -----------------------------------------------------------------------
def test_absurd_years_do_not_crash() -> None:
    found = values("Il 7 ottobre 99999, nell'anno 99999 e il 31/02/2024.", "it")
    assert "99999" not in " ".join(found.values())
    assert "31/02/2024" not in found
    # counting past the calendar's ends gives no value, never an error
    assert set(values("domani e l'anno prossimo", "it", "9999-12-31").values()) <= {
        "XXXX-XX-XX", "XXXX"}
    assert "tre anni fa" not in values("ieri, tre anni fa", "it", "0001-01-01")


def test_ten_thousand_numbers_are_fast_and_capped(caplog: pytest.LogCaptureFixture) -> None:
    text = " ".join(str(1000 + i) for i in range(10_000))
    finder = DateFinder(max_expressions=50)
    t0 = time.perf_counter()
    found = finder.find(text, "it", PUB)
    assert time.perf_counter() - t0 < 2.0
    assert len(found.expressions) == 50 and found.cut > 0
    assert "max_dates_per_article=50" in caplog.text


@pytest.mark.parametrize("text", [
    ("Il 7 ottobre 2023 il governo ha detto che ieri, tre anni dopo il 2011, "
     "le truppe sono rimaste per sei mesi. ") * 1200,
    "1 " * 50_000,
    "anni " * 20_000,
    "7." * 50_000,
    "ogni " * 20_000,
])
def test_long_texts_finish_fast(text: str) -> None:
    t0 = time.perf_counter()
    find_dates(text[:100_000], "it", PUB)
    assert time.perf_counter() - t0 < 2.0


# -- the word files ------------------------------------------------------------------
def test_every_language_file_is_valid() -> None:
    assert {"it", "en", "de", "es", "fr"} <= set(DateFinder().languages)


def test_every_field_is_documented() -> None:
    doc = (Path(__file__).resolve().parents[1] / "docs" / "dates.md").read_text(encoding="utf-8")
    missing = [f.name for f in FIELDS if f"`{f.name}`" not in doc]
    assert not missing, f"docs/dates.md lacks {missing}"


def test_a_bad_word_file_is_refused(tmp_path: Path) -> None:
    shutil.copy(Path(str(dates_dir())) / "words.json", tmp_path / "words.json")
    (tmp_path / "xx.json").write_text(json.dumps({"lang": "xx", "units": {"anno": "YEAR"}}),
                                      encoding="utf-8")
    with pytest.raises(DateRulesError, match=r"xx.json: field 'units'.*'anno'"):
        DateFinder(tmp_path)
    (tmp_path / "xx.json").write_text(json.dumps({"lang": "xx", "mounths": []}),
                                      encoding="utf-8")
    with pytest.raises(DateRulesError, match="unknown field 'mounths'"):
        DateFinder(tmp_path)


def test_a_language_without_a_file_gets_numeric_dates() -> None:
    assert values("2024-01-24 и 24.01.2024", "ru") == {"2024-01-24": "2024-01-24",
                                                       "24.01.2024": "2024-01-24"}


# -- quality floor -------------------------------------------------------------------
def test_dates_quality_floor() -> None:
    pairs = []
    for path in sorted(GOLD.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            r = json.loads(line)
            if r["split"] == "dev":
                pairs.append(([e.to_dict() for e in find_dates(r["text"], r["lang"],
                                                                r["published"])], r["timex"]))
    assert len(pairs) >= 100
    f1 = score(pairs)["value"]["f1"]
    record("dates.gold_dev.value_f1", f1)
    assert f1 >= floor("dates.gold_dev.value_f1")


@pytest.mark.parametrize("text", ["Le 3 juillet. Il est vrai.",
                                  "Le 3 juillet, les troupes sont au front."])
def test_french_words_ending_like_a_future_are_not_one(text: str) -> None:
    """"vrai" and "front" end as futures do ("-rai", "-ront") and are none: a day just
    before the publication date stays in its year."""
    (found,) = find_dates(text, "fr", "2013-07-09")
    assert found.value == "2013-07-03"


@pytest.mark.parametrize(("text", "lang"), [("Le 3 juillet. Il partira bientôt.", "fr"),
                                            ("Il 3 luglio. Partirà presto.", "it")])
def test_a_full_stop_after_a_month_ends_the_clause(text: str, lang: str) -> None:
    """The future tense of the next sentence does not move a past day a year ahead."""
    (found,) = find_dates(text, lang, "2013-07-09")
    assert found.value == "2013-07-03"
