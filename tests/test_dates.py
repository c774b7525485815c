"""Publication dates: bylines in five languages, dates in paths, the --published and
--date-from-path flags, where each date came from, and the m004 migration.

Every text here was written for these tests.
"""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsweave.cli import main
from newsweave.ingest.bylines import byline_date
from newsweave.ingest.dates import DatePolicy, assign_date, parse_cli_date, path_date
from newsweave.models import RawDocument
from newsweave.store import migrations
from newsweave.store.sqlite import Store
from tests.ingest_helpers import PARAGRAPHS, article_html, collect

BODY = {
    "it": "Il consiglio comunale ha approvato il bilancio dopo una seduta durata tutta la notte.",
    "es": "El ayuntamiento aprobó el presupuesto tras una sesión que duró toda la noche.",
    "fr": "Le conseil municipal a adopté le budget après une séance qui a duré toute la nuit.",
    "de": "Der Stadtrat hat den Haushalt nach einer langen Sitzung in der Nacht verabschiedet.",
    "en": "The city council passed the budget after a session that lasted all night.",
}


def _text(lang: str, *lines: str, title: str = "Budget approved after a long night") -> str:
    return "\n".join([title, *lines, BODY[lang], BODY[lang]])


# -- bylines ---------------------------------------------------------------------------
@pytest.mark.parametrize(("lang", "line", "day", "kind"), [
    ("it", "Pubblicato il 27 gennaio 2024", date(2024, 1, 27), "published"),
    ("it", "di Redazione · 24 novembre 2011", date(2011, 11, 24), "line"),
    ("it", "ROMA, 27 gen 2024 (ANSA) - Il governo ha deciso.", date(2024, 1, 27), "dateline"),
    ("it", "Lunedì, 29 Luglio 2013", date(2013, 7, 29), "line"),
    ("es", "Publicado el 3 de junio de 2011, 14:05", date(2011, 6, 3), "published"),
    ("es", "MADRID, 3 jun. 2011 (EFE).- El Gobierno aprobó hoy el decreto.", date(2011, 6, 3),
     "dateline"),
    ("es", "Jueves 17/02/2011. Actualizado 10:23h.", date(2011, 2, 17), "line"),
    ("es", "27/01/2024 - 14:32", date(2024, 1, 27), "line"),
    ("fr", "Publié le 12 mars 2011 à 14h", date(2011, 3, 12), "published"),
    ("fr", "Publié le 27/12/11 à 00h00", date(2011, 12, 27), "published"),
    ("fr", "Claire Dumas — 1er février 2012 à 7h56", date(2012, 2, 1), "line"),
    ("fr", "Paul Roux — 3 juillet 2013 à 23h49 — mis à jour le 6 juillet 2013 à 9h07",
     date(2013, 7, 3), "line"),
    ("de", "Veröffentlicht am 3. März 2020", date(2020, 3, 3), "published"),
    ("de", "BERLIN, 3. März 2020 (dpa) - Der Bundestag hat beschlossen.", date(2020, 3, 3),
     "dateline"),
    ("en", "Published March 3, 2020", date(2020, 3, 3), "published"),
    ("en", "Posted on 13/03/2011", date(2011, 3, 13), "published"),
])
def test_byline_in_each_language(lang: str, line: str, day: date, kind: str) -> None:
    found = byline_date(_text(lang, line))
    assert found is not None, line
    assert (found.day, found.kind) == (day, kind)


def test_byline_at_the_end_needs_a_cue() -> None:
    long_fr = _text("fr") + ("\n" + BODY["fr"]) * 20
    assert byline_date(long_fr + "\nPublié le 5 mai 2012").day == date(2012, 5, 5)
    long_it = _text("it") + ("\n" + BODY["it"]) * 20
    assert byline_date(long_it + "\n5 maggio 2012") is None  # bare, at the end: a sidebar


@pytest.mark.parametrize("text", [
    # dates in the body, however close to the top
    _text("en", "Ten years after the 1982 massacre, survivors met on 3 March 1992 in Hama."),
    _text("it", "Il 3 marzo 2011 a Bengasi i ribelli hanno preso il controllo della città."),
    _text("fr", "C'est sur une vidéo publiée le 24 janvier 2013 qu'ils se sont fait connaître, "
                "bien avant les événements de l'été."),
    # not a real day
    _text("it", "Pubblicato il 30 febbraio 2011"),
    # a revision date is not a publication date
    _text("en", "Updated 13/03/2011"),
    _text("it", "(Aggiornato alle 00:07 del 25 febbraio 2011)"),
    # an English numeric date that reads both ways
    _text("en", "Published 12/03/2011"),
    # the day the page was saved, above the headline
    "31 jul 2020\n" + _text("es"),
    # a date line years after everything the article talks about
    _text("es", "Miércoles 11 de noviembre de 2020", "Las protestas de 2011 siguen en 2011."),
    # a teaser of another article, a quoted post, a photo caption, a list of events
    _text("it", "Roma, 8 gennaio 2020. Il rischio di nuovi dazi torna a…"),
    _text("en", "— Jane Roe (@janeroe) January 12, 2015"),
    _text("it", "Foto: una manifestazione ad Amman, 5 ottobre 2012."),
    _text("es", "28 de septiembre de 1970: muere Nasser."),
    # two different date lines: a list of related articles
    _text("it", "16 Marzo 2011 | Paolo Neri", "22 Marzo 2011 | Sara Blu"),
    # a dateline without a year, and nothing to give it one
    _text("es", "MADRID, 3 jun. (EFE).- El Gobierno aprobó hoy el decreto."),
])
def test_no_byline_date(text: str) -> None:
    assert byline_date(text) is None


def test_a_yearless_dateline_takes_the_year_of_another_byline() -> None:
    text = _text("es", "MADRID, 3 jun. (EFE).- El Gobierno aprobó hoy el decreto.",
                 "Publicado el 3 de junio de 2011")
    assert byline_date(text).day == date(2011, 6, 3)
    text = _text("es", "Actualizado 4 de junio de 2011", "MADRID, 3 jun. (EFE).- El Gobierno.")
    found = byline_date(text)
    assert (found.day, found.kind) == (date(2011, 6, 3), "dateline")


def test_a_publication_cue_beats_a_revision_cue() -> None:
    text = _text("fr", "— Mis à jour le 28/12/11 à 18h55", "Publié le 27/12/11 à 00h00")
    assert byline_date(text).day == date(2011, 12, 27)


# -- paths -----------------------------------------------------------------------------
@pytest.mark.parametrize(("path", "day"), [
    ("/data/es/egypt/2011-02-11/ext_1.txt", date(2011, 2, 11)),
    ("/data/2011/02/11/story.txt", date(2011, 2, 11)),
    ("/data/2011/2/9/story.txt", date(2011, 2, 9)),
    ("/data/20110211/story.txt", date(2011, 2, 11)),
    ("/data/2011-02-11_story.txt", date(2011, 2, 11)),
    ("/data/story_20110211.txt", date(2011, 2, 11)),
    ("/crawl/2020-11-10/es/2011-02-11/a.txt", date(2011, 2, 11)),  # the deepest wins
    ("/data/2011-02-11/2012-03-04_story.txt", date(2012, 3, 4)),
    ("https://news.example.org/2011/02/11/story.html", date(2011, 2, 11)),
    ("/data/2011-02-30/story.txt", None),  # not a day
    ("/data/2011/13/01/story.txt", None),
    ("/data/12345678/story.txt", None),
    ("/data/story.txt", None),
])
def test_path_date(path: str, day: date | None) -> None:
    assert path_date(path) == day


# -- precedence ------------------------------------------------------------------------
def _doc(path: str, text: str, published: datetime | None = None,
         source: str | None = None) -> RawDocument:
    return RawDocument(source=path, text=text, published=published, published_source=source)


ON_PATH = "/news/2011-02-11/a.txt"
BYLINE = _text("it", "Pubblicato il 9 febbraio 2011")
STATED = datetime(2011, 2, 10, 9, tzinfo=UTC)
FLAG = datetime(2011, 2, 12, tzinfo=UTC)


@pytest.mark.parametrize(("policy", "stated", "expected"), [
    (DatePolicy(published=FLAG, from_path=True), STATED, (FLAG, "cli")),
    (DatePolicy(from_path=True), STATED, (STATED, "input")),
    (DatePolicy(from_path=True), None, (datetime(2011, 2, 11, tzinfo=UTC), "path")),
    (DatePolicy(), None, (datetime(2011, 2, 9, tzinfo=UTC), "byline")),
    (DatePolicy(from_text=False), None, (None, None)),
])
def test_precedence(policy: DatePolicy, stated: datetime | None,
                    expected: tuple[datetime | None, str | None]) -> None:
    doc = assign_date(_doc(ON_PATH, BYLINE, stated, "input" if stated else None), policy)
    assert (doc.published, doc.published_source) == expected


def test_cli_date_is_checked() -> None:
    assert parse_cli_date("2011-02-11") == datetime(2011, 2, 11, tzinfo=UTC)
    assert parse_cli_date("2011-02-11T14:00:00+01:00") == datetime(2011, 2, 11, 13, tzinfo=UTC)
    for bad in ("2011-02-30", "11/02/2011", "2011", "yesterday"):
        with pytest.raises(ValueError, match="not a date"):
            parse_cli_date(bad)


# -- real files --------------------------------------------------------------------------
def test_never_the_modification_time(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text(_text("en"), encoding="utf-8")
    os.utime(path, (1_300_000_000, 1_300_000_000))
    docs, _ = collect([str(path)], dates=DatePolicy(from_path=True))
    assert docs[0].published is None and docs[0].published_source is None


def test_files_folders_and_records(tmp_path: Path) -> None:
    folder = tmp_path / "es" / "egypt" / "2011-02-11"
    folder.mkdir(parents=True)
    (folder / "a.txt").write_text(_text("es"), encoding="utf-8")
    (folder / "b.jsonl").write_text(
        json.dumps({"id": "r1", "text": BODY["es"], "published": "2011-02-10T09:00:00Z"}) + "\n"
        + json.dumps({"id": "r2", "text": BODY["es"]}) + "\n", encoding="utf-8")
    docs, _ = collect([str(tmp_path)], dates=DatePolicy(from_path=True))
    got = {(d.external_id or Path(d.source).name): (d.published.isoformat(), d.published_source)
           for d in docs}
    assert got == {"a.txt": ("2011-02-11T00:00:00+00:00", "path"),
                   "r1": ("2011-02-10T09:00:00+00:00", "input"),
                   "r2": ("2011-02-11T00:00:00+00:00", "path")}
    docs, _ = collect([str(tmp_path)], dates=DatePolicy(published=FLAG, from_path=True))
    assert {(d.published, d.published_source) for d in docs} == {(FLAG, "cli")}


def _page(tmp_path: Path, meta: str, byline: str) -> RawDocument:
    head = f'<meta property="article:published_time" content="{meta}">' if meta else ""
    path = tmp_path / "page.html"
    path.write_text(article_html(head=head, byline=f"<p>{byline}</p>" if byline else ""),
                    encoding="utf-8")
    docs, skips = collect([str(path)])
    assert not skips and len(docs) == 1
    return docs[0]


@pytest.mark.parametrize(("meta", "byline", "expected"), [
    ("2024-03-05T08:30:00Z", "Published March 9, 2024",
     (datetime(2024, 3, 5, 8, 30, tzinfo=UTC), "html-meta")),
    # the first-of-January pitfall: a fuller byline of the same year wins
    ("2024-01-01", "Published January 27, 2024", (datetime(2024, 1, 27, tzinfo=UTC), "byline")),
    ("2024-01-01", "Published March 9, 2023", (datetime(2024, 1, 1, tzinfo=UTC), "html-meta")),
    ("2024-01-01", "", (datetime(2024, 1, 1, tzinfo=UTC), "html-meta")),
    ("", "Published March 9, 2024", (datetime(2024, 3, 9, tzinfo=UTC), "byline")),
])
def test_html_dates(tmp_path: Path, meta: str, byline: str,
                    expected: tuple[datetime, str]) -> None:
    doc = _page(tmp_path, meta, byline)
    assert (doc.published, doc.published_source) == expected
    assert PARAGRAPHS[0] in doc.text


# -- stored and shown ------------------------------------------------------------------
def test_m004_marks_dates_stored_before_it(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    for step in migrations.MIGRATIONS[:3]:
        step(conn)
    conn.execute("PRAGMA user_version = 3; ")
    conn.execute(f"PRAGMA application_id = {0x6E777631}")
    conn.execute("INSERT INTO runs(started_at, sources) VALUES ('2024', '[]')")
    for i, (fmt, published) in enumerate([("jsonl", "2024-01-27T00:00:00+00:00"),
                                          ("html", "2024-01-28T00:00:00+00:00"),
                                          ("txt", None)], start=1):
        conn.execute("INSERT INTO articles(seq, ingest_key, content_hash, source, fmt, title, "
                     "text, published, lang, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                     (i, f"k{i}", f"h{i}", "s", fmt, "t", "x", published, "en", "2024"))
    conn.close()
    with Store(path) as store:
        rows = store.conn.execute("SELECT fmt, published_source FROM articles ORDER BY id")
        assert [tuple(r) for r in rows] == [("jsonl", "input"), ("html", "html-meta"),
                                           ("txt", None)]
        migrations.m004_published_source(store.conn)  # a second run changes nothing


def test_cli_flags_and_article_shows_the_source(tmp_path: Path) -> None:
    folder = tmp_path / "news" / "2011-02-11"
    folder.mkdir(parents=True)
    (folder / "a.txt").write_text(_text("es", title="Renuncia el presidente"), encoding="utf-8")
    (tmp_path / "news" / "b.txt").write_text(
        _text("it", "Pubblicato il 9 febbraio 2011", title="Si dimette il presidente"),
        encoding="utf-8")
    db = str(tmp_path / "cli.db")
    runner = CliRunner()
    result = runner.invoke(main, ["ingest", str(tmp_path / "news"), "--db", db, "--no-progress",
                                  "--date-from-path", "--set", "entities=false"])
    assert result.exit_code == 0, result.output
    shown = {}
    for article_id in ("1", "2"):
        row = json.loads(runner.invoke(main, ["article", article_id, "--db", db, "--json"]).output)
        shown[row["title"]] = (row["published"], row["published_source"])
    assert shown == {"Renuncia el presidente": ("2011-02-11T00:00:00+00:00", "path"),
                     "Si dimette il presidente": ("2011-02-09T00:00:00+00:00", "byline")}
    text = runner.invoke(main, ["article", "1", "--db", db]).output
    assert "(from path)" in text or "(from byline)" in text


def test_cli_refuses_an_impossible_date(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    result = CliRunner().invoke(main, ["ingest", str(tmp_path), "--db", str(db),
                                       "--published", "2011-02-30"])
    assert result.exit_code == 2 and "not a date" in result.output
    assert not db.exists()
