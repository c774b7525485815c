"""The story and article pages' service (newsweave.service.storypage, .central,
.highlight) and their store reads, on both backends, and the pages as served."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from newsweave.api import ServeConfig, create_app
from newsweave.pipeline import Pipeline
from newsweave.service import storypage
from newsweave.service.central import central_sentences
from newsweave.service.highlight import Span, segments
from newsweave.store.open import open_store
from tests.story_fixtures import ARABIC, STRIKE, write_corpus


@pytest.fixture
def built(make_pipeline: Callable[..., Pipeline], new_db: Callable[[str], str],
          tmp_path: Path) -> Iterator[tuple[Any, dict[str, int]]]:
    """The fixtures ingested into a database of each backend: ``(store, ids by title)``;
    the store's ``url`` is where a server finds it."""
    pipeline = make_pipeline("story.db")
    pipeline.store.url = new_db("story.db")
    report = pipeline.ingest([str(write_corpus(tmp_path, [*STRIKE, ARABIC]))])
    assert report.new == 4, report.to_dict()
    rows = pipeline.store.queries.articles().rows
    yield pipeline.store, {r["title"]: r["id"] for r in rows}


def _strike_story(store: Any, ids: dict[str, int]) -> int:
    return store.article_story(ids[STRIKE[0]["title"]])


# -- the summary ---------------------------------------------------------------------
def test_the_summary_picks_what_many_sentences_share_and_skips_repeats() -> None:
    texts = [(1, 0, "Dockers in Genoa went on strike over the new night shifts."),
             (1, 1, "The weather in the city was mild and sunny all week."),
             (2, 0, "Dockers in Genoa went on strike over the new night shifts."),
             (2, 1, "The union says the strike over night shifts goes on."),
             (3, 0, "Ships wait outside Genoa as dockers strike over shifts."),
             (3, 1, "Short line."),
             (4, 0, "Home | Genoa Dockers | Strike News | Night Shifts | Port | Weather")]
    rows = [{"article_id": a, "idx": i, "text": t} for a, i, t in texts]
    got = central_sentences(rows, 2)
    assert [(g["article_id"], g["idx"]) for g in got][0] in {(1, 0), (2, 0)}
    texts = [g["text"] for g in got]
    assert len(set(texts)) == 2, "a repeat of a chosen sentence is skipped"
    assert all("weather" not in t.lower() and t != "Short line." for t in texts)
    assert got == central_sentences(rows, 2), "deterministic"
    assert central_sentences([], 3) == [] and central_sentences(rows, 0) == []


def test_the_summary_needs_no_word_list_of_the_language() -> None:
    rows = [{"article_id": i, "idx": 0, "text": t} for i, t in enumerate([
        "افتتح معرض القاهرة الدولي للكتاب أبوابه يوم الثلاثاء بمشاركة دور النشر",
        "معرض القاهرة الدولي للكتاب يفتح أبوابه بمشاركة مئات من دور النشر",
        "الطقس في المدينة كان معتدلا طوال الأسبوع الماضي كله تقريبا"])]
    assert central_sentences(rows, 1)[0]["article_id"] in (0, 1)


# -- highlighting ----------------------------------------------------------------------
def _flat(paragraphs: list) -> list[tuple[str, tuple[str, ...], str]]:
    return [(s.text, s.kinds, s.href) for p in paragraphs for s in p]


def test_segments_join_back_to_the_text_and_cut_at_paragraphs() -> None:
    text = "Marco Ferri spoke.\n\nThen he left Genoa."
    spans = [Span(0, 11, "person", "/ui/entities/1", "person: Marco Ferri"),
             Span(33, 38, "place", "/ui/places/2", "place: Genoa")]
    paras = segments(text, spans)
    assert ["".join(s.text for s in p) for p in paras] == ["Marco Ferri spoke.",
                                                           "Then he left Genoa."]
    assert _flat(paras)[0] == ("Marco Ferri", ("person",), "/ui/entities/1")
    assert _flat(paras)[-3:] == [("Then he left ", (), ""),
                                 ("Genoa", ("place",), "/ui/places/2"), (".", (), "")]


def test_overlapping_spans_link_the_innermost_and_keep_every_kind() -> None:
    text = 'He said "Genoa will stop on 7 March" today.'
    quote = Span(9, 35, "quote", "/ui/entities/9", "quote: Marco Ferri")
    place = Span(9, 14, "place", "/ui/places/2", "place: Genoa")
    date = Span(28, 35, "date", "/ui/stories/1#timeline", "date: 2026-03-07")
    claim = Span(20, 35, "claim", "/ui/stories/1#claims", "claim: x")  # crosses the date
    flat = _flat(segments(text, [date, quote, claim, place]))
    assert "".join(t for t, _, _ in flat) == text
    assert ("Genoa", ("place", "quote"), "/ui/places/2") in flat
    assert (" will ", ("quote",), "/ui/entities/9") in flat
    assert ("stop on ", ("claim", "quote"), "/ui/stories/1#claims") in flat
    assert ("7 March", ("claim", "date", "quote"), "/ui/stories/1#timeline") in flat
    labels = [s.labels for p in segments(text, [date, quote, claim, place]) for s in p
              if s.text == "7 March"][0]
    assert labels[0] == "date: 2026-03-07" and "quote: Marco Ferri" in labels


def test_spans_outside_the_text_are_left_out_and_markup_stays_text() -> None:
    text = "<script>alert(1)</script> Genoa"
    spans = [Span(26, 31, "place", "/ui/places/2", "Genoa"), Span(20, 99, "date", "", "x"),
             Span(5, 5, "person", "", "empty")]
    flat = _flat(segments(text, spans))
    assert flat == [("<script>alert(1)</script> ", (), ""), ("Genoa", ("place",), "/ui/places/2")]


# -- small helpers ---------------------------------------------------------------------
@pytest.mark.parametrize(("value", "label"), [
    ("2003", "2003"), ("2020-01", "January 2020"), ("2003-03-20", "20 March 2003"),
    ("XXXX-10-07", "7 October (year not stated)"), ("XXXX-10", "October (year not stated)"),
    ("2024-W03", "week 3 of 2024"), ("2020-13", "2020-13"), ("PRESENT_REF", "PRESENT_REF")])
def test_date_labels(value: str, label: str) -> None:
    assert storypage.date_label(value) == label


@pytest.mark.parametrize(("url", "link"), [
    ("https://a.example/x", "https://a.example/x"), ("http://a.example", "http://a.example"),
    ("javascript:alert(1)", None), ("JAVASCRIPT:alert(1)", None), ("file:///etc/passwd", None),
    ("data:text/html,hi", None), ("//a.example/x", None), ("https://", None), (None, None),
    ("", None), ("http://[::1", None)])
def test_only_web_addresses_become_links(url: str | None, link: str | None) -> None:
    assert storypage.web_link(url) == link


# -- store reads and the pages' service, on both backends --------------------------------
def test_story_reads_are_bounded_and_paged(built: tuple[Any, dict[str, int]]) -> None:
    store, ids = built
    story = _strike_story(store, ids)
    assert all(store.article_story(ids[a["title"]]) == story for a in STRIKE)
    counts = store.queries.story_language_counts(story)
    assert [(c["lang"], c["n"]) for c in counts] == [("en", 3)]
    assert (str(counts[0]["first"])[:10], str(counts[0]["last"])[:10]) == ("2026-03-02",
                                                                         "2026-03-03")
    first = store.queries.story_articles(story, "en", 2)
    rest = store.queries.story_articles(story, "en", 2, first.next_cursor)
    assert len(first.rows) == 2 and len(rest.rows) == 1 and rest.next_cursor is None
    assert {r["id"] for r in first.rows + rest.rows} == {ids[a["title"]] for a in STRIKE}
    sentences = store.queries.story_sentences(story, "en", 2, 1)
    assert [(s["article_id"], s["idx"]) for s in sentences] == [
        (r["id"], 0) for r in first.rows]
    assert sentences[0]["text"].startswith("About 1,200 workers")
    mentions = store.queries.story_mentions(story)
    assert {m["article_id"] for m in mentions} == {ids[a["title"]] for a in STRIKE}
    entities, places = storypage.named_things(store, story)
    assert entities[0]["articles"] == 3 and entities == sorted(
        entities, key=lambda e: (-e["articles"], -e["mentions"], e["name"], e["id"]))
    genoa = [p for p in places if p["name"] == "Genoa"]
    assert genoa and genoa[0]["country"] == "IT" and genoa[0]["lat"] > 40
    assert genoa[0]["mentions"] == sum(m["n"] for m in mentions
                                      if m["entity_id"] == genoa[0]["id"])
    assert store.queries.entities_brief([genoa[0]["id"]])[0]["place_id"]
    brief = store.queries.articles_brief([ids[STRIKE[1]["title"]]])
    assert brief[0]["site"] == "Coastal Wire"


def test_the_story_page_names_sources_and_links_only_web_addresses(
        built: tuple[Any, dict[str, int]]) -> None:
    store, ids = built
    page = storypage.story_page(store, _strike_story(store, ids), reader_lang="de")
    assert page["size"] == 3 and str(page["first_seen"]).startswith("2026-03-02")
    group = page["languages"][0]
    assert group["lang"] == "en" and group["total"] == 3
    by_title = {a["title"]: a for a in group["articles"]}
    assert by_title[STRIKE[0]["title"]]["url"] == STRIKE[0]["url"]
    assert by_title[STRIKE[0]["title"]]["source"] == "Harbour Daily"
    assert by_title[STRIKE[1]["title"]]["url"] is None, "javascript: is never a link"
    assert page["summary"]["lang"] == "en", "no German articles: the story's own language"
    assert 1 <= len(page["summary"]["sentences"]) <= 3
    assert all(s["article"]["id"] in ids.values() for s in page["summary"]["sentences"])
    assert any(q["speaker_entity"] and q["speaker_entity"]["name"] == "Marco Ferri"
               for q in page["quotes"]["items"])
    workers = [c for c in page["claims"]["items"] if c["counted"] == "workers"]
    assert len(workers) == 1, "a contradicted pair is listed once, with both sides"
    sides = {workers[0]["value"], *(o["value"] for o in workers[0]["other_sides"])}
    assert workers[0]["status"] == "contradicted" and sides == {1200, 900}
    named = workers[0]["named_sources"]["shown"] + [
        s for o in workers[0]["other_sides"] for s in o["named_sources"]["shown"]]
    assert {s["name"] for s in named} == {"Harbour Daily", "Coastal Wire", "<b>Ligurian</b> Post"}


def test_the_article_page_highlights_and_keeps_provenance(
        built: tuple[Any, dict[str, int]]) -> None:
    store, ids = built
    got = storypage.article_page(store, ids[STRIKE[0]["title"]])
    assert got["source_name"] == "Harbour Daily" and got["link"] == STRIKE[0]["url"]
    assert got["author"] == "Lena Brandt" and got["published_source"] == "input"
    flat = _flat(got["paragraphs"])
    assert "".join(t for t, _, _ in flat).replace("\n", "") == got["text"].replace("\n", "")
    assert any(t == "Genoa" and "place" in k and h.startswith("/ui/places/") for t, k, h in flat)
    assert any("quote" in k for _, k, _ in flat)
    assert any(t == "Marco Ferri" and "person" in k for t, k, _ in flat)
    bad = storypage.article_page(store, ids[STRIKE[1]["title"]])
    assert bad["link"] is None and bad["url"] == STRIKE[1]["url"]


def test_the_pages_escape_everything_and_answer_404s(
        built: tuple[Any, dict[str, int]], tmp_path: Path) -> None:
    store, ids = built
    story = _strike_story(store, ids)
    client = TestClient(create_app(ServeConfig(db=store.url)))
    hostile = ids[STRIKE[2]["title"]]
    for path in (f"/ui/stories/{story}", f"/ui/articles/{hostile}",
                 f"/ui/stories/{story}/articles?lang=en"):
        html = client.get(path).text
        assert "<script>alert" not in html and "<img src=x" not in html, path
        assert "<b>Ligurian</b>" not in html
    html = client.get(f"/ui/articles/{hostile}").text
    assert "&lt;script&gt;alert(&#39;text&#39;)&lt;/script&gt;" in html
    html = client.get(f"/ui/stories/{story}").text
    assert 'href="javascript:' not in html
    assert 'rel="noopener noreferrer nofollow"' in html
    assert client.get("/ui/stories/999999").status_code == 404
    assert client.get(f"/ui/stories/{story}/articles?lang=xx").status_code == 404
    assert client.get(f"/ui/stories/{story}/articles").status_code == 400
    assert client.get("/ui/articles/999999").status_code == 404


# -- a story of 500 articles ---------------------------------------------------------------
def _big_story(store: Any, size: int) -> int:
    """A story of ``size`` articles in two languages written straight to the store, each
    with two sentences and a date."""
    import numpy as np

    from newsweave.models import Article, Sentence, StoryState

    state = StoryState(id=0, centroid=np.zeros(4, dtype=np.float32), size=size,
                       first_seen=None, last_seen=None, languages=["en", "it"])
    with store.batch():
        story = store.stories.create(state, "big")
        for n in range(size):
            text = (f"Dockers in Genoa stayed on strike for day {n} over the night shifts. "
                    f"Report number {n} from the quays of the port, where ships wait.")
            article = Article(source=f"/news/{n}.txt", text=text, title=f"Strike report {n}",
                              content_hash=f"h{n}", ingest_key=f"k{n}",
                              lang="it" if n % 5 == 0 else "en", site=f"Outlet {n % 7}",
                              url=f"https://outlet{n % 7}.example/{n}")
            article_id = store.insert_article(article, n, None)
            store.entities.add_sentences(article_id, [Sentence(0, 0, 68 + len(str(n))),
                                                      Sentence(1, 69 + len(str(n)), len(text))])
            store.set_article_story(article_id, story)
            store.facts.add_dates(article_id, [{
                "sentence": 0, "start": 0, "end": 6, "text": "Dockers", "type": "DATE",
                "value": f"2026-03-{1 + n % 28:02d}", "granularity": "day", "relative": False}])
    return story


def test_a_story_of_500_articles_stays_short_and_pages_the_rest(
        new_db: Callable[[str], str]) -> None:
    db = new_db("big.db")
    store = open_store(db)
    try:
        story = _big_story(store, 500)
    finally:
        store.close()
    store = open_store(db)
    try:
        for reader, lang in (("it", "it"), ("en", "en"), ("de", "en")):
            summary = storypage.story_page(store, story, reader)["summary"]
            assert summary["lang"] == lang, (reader, summary)
            assert {s["article"]["lang"] for s in summary["sentences"]} == {lang}
    finally:
        store.close()
    client = TestClient(create_app(ServeConfig(db=db, web_reader_lang="it")))
    html = client.get(f"/ui/stories/{story}").text
    assert '<ol class="summary" lang="it" dir="auto">' in html
    assert html.count('<li>\n      <a href="/ui/articles/') == 2 * storypage.PER_LANGUAGE
    assert "All 400 articles in English" in html and "All 100 articles in Italian" in html
    assert html.count("<time datetime=\"2026-03-") <= storypage.TIMELINE + 2 * 10
    seen: list[str] = []
    url = f"/ui/stories/{story}/articles?lang=en"
    while url:
        got = client.get(url)
        assert got.status_code == 200
        seen += [line for line in got.text.splitlines() if 'href="/ui/articles/' in line]
        nxt = [line for line in got.text.splitlines() if 'rel="next"' in line]
        url = (nxt[0].split('href="')[1].split('"')[0].replace("&amp;", "&")
               if nxt else "")
        if url:
            url = f"/ui/stories/{story}/articles" + url
    assert len(seen) == 400 and len(set(seen)) == 400


def test_a_duplicate_is_listed_as_one_but_its_quotes_are_not_repeated(
        new_db: Callable[[str], str]) -> None:
    from newsweave.models import Article, Sentence

    text = '"We will not load a ship," said Marco Ferri on the quays of Genoa that morning.'
    store = open_store(new_db("dup.db"))
    try:
        story = _big_story(store, 1)
        with store.batch():
            ids = []
            for n, dup in ((1, None), (2, "original")):
                article = Article(source=f"/news/q{n}.txt", text=text, title=f"Quote {n}",
                                  content_hash=f"q{n}", ingest_key=f"q{n}", lang="en",
                                  duplicate_of=ids[0] if dup else None,
                                  duplicate_kind="exact" if dup else None)
                ids.append(store.insert_article(article, 10 + n, None))
                store.entities.add_sentences(ids[-1], [Sentence(0, 0, len(text))])
                store.set_article_story(ids[-1], story)
                store.facts.add_quotes(ids[-1], [{
                    "sentence": 0, "start": 1, "end": 25, "text": "We will not load a ship",
                    "direct": True, "cue": None, "speaker": {"start": 33, "end": 44,
                                                             "text": "Marco Ferri"},
                    "speaker_entity_id": None}])
        page = storypage.story_page(store, story, "en")
        assert [q["article"]["id"] for q in page["quotes"]["items"]] == [ids[0]]
        listed = {a["id"]: a for g in page["languages"] for a in g["articles"]}
        assert listed[ids[1]]["duplicate_of"] == ids[0]
        article = storypage.article_page(store, ids[1])
        assert article["duplicate"]["id"] == ids[0] and article["duplicate_kind"] == "exact"
    finally:
        store.close()
