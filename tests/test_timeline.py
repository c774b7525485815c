"""A story's timeline from its articles' temporal expressions: one entry per date,
every source listed, durations and sets left out, unknown years never guessed."""

from __future__ import annotations

from newsweave.stories.timeline import build_timeline


def _row(article: int, value: str, type_: str = "DATE", lang: str = "it",
         sentence: str = "s", granularity: str | None = None) -> dict:
    return {"article_id": article, "value": value, "type": type_, "lang": lang,
            "granularity": granularity, "relative": "X" in value, "sentence_text": sentence}


def test_the_same_date_from_several_articles_is_one_entry_listing_them() -> None:
    rows = [_row(1, "2014", sentence="Nel 2014 la coalizione  intervenne."),
            _row(2, "2014", lang="en", sentence="In 2014 the coalition stepped in."),
            _row(2, "2003", lang="en"), _row(1, "2020-01")]
    timeline = build_timeline(rows)
    assert [e["date"] for e in timeline] == ["2003", "2014", "2020-01"]
    entry = timeline[1]
    assert entry["sources"] == [1, 2] and entry["languages"] == ["it", "en"]
    assert entry["text"] == "Nel 2014 la coalizione intervenne."
    assert [e["granularity"] for e in timeline] == ["year", "year", "month"]


def test_an_unknown_year_stays_unknown_and_comes_after_the_dated_entries() -> None:
    timeline = build_timeline([_row(1, "XXXX-10-07"), _row(1, "2011")])
    assert [(e["date"], e["relative"]) for e in timeline] == [("2011", False),
                                                              ("XXXX-10-07", True)]


def test_durations_sets_weekdays_and_references_are_no_points() -> None:
    rows = [_row(1, "P3Y", "DURATION"), _row(1, "XXXX-WXX", "SET"),
            _row(1, "XXXX-WXX-3"), _row(1, "PAST_REF", granularity="ref")]
    assert build_timeline(rows) == []


def test_a_time_is_placed_on_its_day() -> None:
    (entry,) = build_timeline([_row(3, "2024-01-24T10:30", "TIME", granularity="time")])
    assert (entry["date"], entry["granularity"]) == ("2024-01-24", "day")
