"""Each input format, from our own small fixtures in tests/data/ingest."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsweave.ingest.html import explicit_date, html_to_text, parse_iso_date
from tests.ingest_helpers import DATA, PARAGRAPHS, article_html, collect, gz, warc_bytes


def one(path: Path | str, **kwargs: object):
    docs, skips = collect([str(path)], **kwargs)
    assert not skips, skips
    assert len(docs) == 1, docs
    return docs[0]


def test_txt_is_kept_as_is_for_the_cleaning_stage():
    doc = one(DATA / "article.txt")
    assert doc.fmt == "txt" and doc.needs_cleaning and doc.title is None
    assert doc.text.startswith("Ferry strike ends after three days\n")
    assert doc.source == str((DATA / "article.txt").absolute())
    assert doc.published is None  # never taken from the file's modification time


def test_markdown_heading_markers_are_stripped():
    doc = one(DATA / "article.md")
    assert doc.fmt == "md" and doc.title is None
    assert doc.text.startswith("Nuovo ponte sul fiume Lete\n")
    assert "\nI lavori\n" in doc.text and "#" not in doc.text


def test_html_with_metadata():
    doc = one(DATA / "article_meta.html")
    assert doc.fmt == "html" and not doc.needs_cleaning
    assert doc.title == "Breakwater finished early"
    assert doc.author == "Anna Marini"
    assert doc.site == "Porto Vento Daily"
    assert doc.url == "https://news.example.org/2024/03/breakwater"
    assert doc.published == datetime(2024, 3, 5, 8, 30, tzinfo=UTC)
    assert "recycled concrete blocks" in doc.text
    for chrome in ("Skip to main content", "cookies", "Back To Top", "Share on"):
        assert chrome not in doc.text


def test_html_byline_date_is_read_whole_and_title_is_not_a_site_name():
    doc = one(DATA / "articolo_byline.html")
    assert doc.title == "Il porto di Valdoro raddoppia le banchine"
    # "Pubblicato il 27 gennaio 2024": the byline's own day, never htmldate's 1 January
    assert doc.published == datetime(2024, 1, 27, tzinfo=UTC)
    assert doc.published_source == "byline"
    assert doc.site is None  # trafilatura's fallback repeats the title


@pytest.mark.parametrize(("head", "expected"), [
    ('<meta property="article:published_time" content="2024-01-27T18:00:00+01:00">',
     datetime(2024, 1, 27, 17, tzinfo=UTC)),
    ('<script type="application/ld+json">{"@graph": [{"@type": "NewsArticle", '
     '"datePublished": "2024-01-27"}]}</script>', datetime(2024, 1, 27, tzinfo=UTC)),
    ('<meta name="date" content="2024">', None),  # year only: not day precision
    ("", None),
])
def test_explicit_dates_only(head, expected):
    assert explicit_date(article_html(head=head)) == expected


def test_time_element_is_explicit_metadata():
    html = article_html(byline='<time datetime="2023-10-07T06:30:00Z">7 October</time>')
    assert explicit_date(html) == datetime(2023, 10, 7, 6, 30, tzinfo=UTC)


def test_parse_iso_date():
    assert parse_iso_date("2024-02-12T08:00:00Z") == datetime(2024, 2, 12, 8, tzinfo=UTC)
    assert parse_iso_date("2024-02-12") == datetime(2024, 2, 12, tzinfo=UTC)
    for bad in ("yesterday", "12/02/2024", "2024-13-45", "", None):
        assert parse_iso_date(bad) is None


def test_json_list_of_records():
    docs, skips = collect([str(DATA / "records.json")])
    assert [d.external_id for d in docs] == ["101", "102"]
    first, second = docs
    assert first.title == "Rail line reopens" and first.url == "https://news.example.org/a"
    assert first.site == "Coast Gazette" and first.lang == "en"
    assert first.source == str((DATA / "records.json").absolute())
    assert first.published == datetime(2024, 2, 12, 8, tzinfo=UTC)
    assert second.published is None  # "yesterday" is not ISO 8601: record kept, date dropped
    assert [s.reason[:4] for s in skips] == ["E013"]
    assert skips[0].source.endswith("records.json#record 3")


def test_single_json_object(tmp_path):
    path = tmp_path / "one.json"
    path.write_text('{"text": "A single record.", "id": 7}', encoding="utf-8")
    assert one(path).external_id == "7"


def test_jsonl_bad_line_does_not_stop_the_file():
    docs, skips = collect([str(DATA / "records.jsonl")])
    assert [d.external_id for d in docs] == ["j1", "j2", "j5"]
    assert docs[0].published == datetime(2024, 4, 2, tzinfo=UTC)
    assert docs[2].published == datetime(2024, 4, 2, 8, tzinfo=UTC)
    reasons = {s.source.rsplit("#", 1)[1]: s.reason for s in skips}
    assert reasons["line 3"].startswith("E010 malformed JSON at line 3")
    assert reasons["line 4"] == "E013 record has no text"


def test_json_file_holding_json_lines(tmp_path):
    path = tmp_path / "export.json"
    path.write_text('{"text": "one"}\n{"text": "two"}\n', encoding="utf-8")
    docs, skips = collect([str(path)])
    assert [d.text for d in docs] == ["one", "two"] and not skips


def test_csv_records():
    docs, skips = collect([str(DATA / "records.csv")])
    assert [d.external_id for d in docs] == ["c1", "c2"]
    assert docs[0].title == "Bridge vote" and docs[0].site == "Valley News"
    assert docs[0].published == datetime(2024, 5, 6, tzinfo=UTC)
    assert docs[1].title is None and docs[1].lang == "es"
    assert [s.source.rsplit("#", 1)[1] for s in skips] == ["row 3"]


def test_csv_with_a_long_field(tmp_path):
    path = tmp_path / "long.csv"
    long_text = "word " * 40_000  # 200 kB: above the csv module's default field limit
    path.write_text(f'text\n"{long_text}"\n', encoding="utf-8")
    assert len(one(path).text) == len(long_text)


def test_csv_without_text_column(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("title,body\nA,B\n", encoding="utf-8")
    docs, skips = collect([str(path)])
    assert not docs and skips[0].reason.startswith("E011 malformed CSV: no 'text' column")


def test_rss_entries():
    docs, skips = collect([str(DATA / "feed.rss")])
    assert not skips
    assert [d.title for d in docs] == ["Harbour dredging starts", "Lighthouse open to visitors",
                                       "Storm warning for the weekend"]
    full, summary, headline = docs
    assert full.fmt == "rss" and full.external_id == "pvd-0001"
    assert full.url == "https://news.example.org/dredging"
    assert full.published == datetime(2024, 3, 5, 8, 30, tzinfo=UTC)
    assert "north channel" in full.text  # content:encoded preferred over the description
    assert summary.text == "The old lighthouse opens to visitors every Sunday from April."
    assert headline.text == "Storm warning for the weekend" and headline.published is None
    assert {d.site for d in docs} == {"Porto Vento Daily"} and full.lang == "en"


def test_atom_entries():
    docs, _ = collect([str(DATA / "feed.atom")])
    assert [d.fmt for d in docs] == ["atom", "atom"]
    first, second = docs
    assert first.published == datetime(2024, 1, 27, 17, 15, tzinfo=UTC)
    assert first.author == "Luca Neri" and first.lang == "it"
    assert first.text.splitlines()[1] == "Potranno attraccare anche i traghetti più grandi."
    assert second.published == datetime(2024, 1, 26, 8, tzinfo=UTC)  # updated, no published
    assert second.external_id == "urn:uuid:6c3a1d2e-0000-4000-8000-000000000003"


@pytest.mark.parametrize("compress", [False, True])
def test_warc(tmp_path, compress):
    pages = [("https://news.example.org/one", article_html("First page")),
             ("https://news.example.org/two", article_html("Second page"))]
    path = tmp_path / ("crawl.warc.gz" if compress else "crawl.warc")
    path.write_bytes(warc_bytes(pages, compress=compress))
    docs, skips = collect([str(path)])
    assert not skips
    assert [(d.url, d.title) for d in docs] == [("https://news.example.org/one", "First page"),
                                                ("https://news.example.org/two", "Second page")]
    assert all(d.fmt == "warc" and d.external_id.startswith("<urn:uuid:") for d in docs)
    assert all(d.source == str(path.absolute()) and PARAGRAPHS[1] in d.text for d in docs)


def test_gzipped_jsonl(tmp_path):
    path = tmp_path / "news.jsonl.gz"
    path.write_bytes(gz((DATA / "records.jsonl").read_bytes()))
    docs, skips = collect([str(path)])
    assert [d.external_id for d in docs] == ["j1", "j2", "j5"] and len(skips) == 2


@pytest.mark.parametrize(("name", "content", "fmt"), [
    ("page", article_html(), "html"),
    ("saved.txt", article_html(), "html"),  # a browser's "save as text" that is really HTML
    ("feed.xml", (DATA / "feed.atom").read_text(encoding="utf-8"), "atom"),
    ("export", '{"text": "Sniffed as JSON."}', "json"),
    ("export.dat", '{"text": "line one"}\n{"text": "line two"}\n', "jsonl"),
    ("notes", "Plain words without any extension.", "txt"),
])
def test_format_sniffing(tmp_path, name, content, fmt):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    docs, skips = collect([str(path)])
    assert not skips and docs and {d.fmt for d in docs} == {fmt}


def test_html_to_text_for_feed_fragments():
    text = html_to_text("<p>One &amp; two</p><script>x()</script><ul><li>three</li></ul>")
    assert text == "One & two\nthree"
