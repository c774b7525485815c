"""The Python API: ``newsweave.open`` gives the CLI's queries, ingest and annotate."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import newsweave
from newsweave.cli import main
from newsweave.errors import BadCursor, BadFilter, NewsweaveError, NotFound, StoreError
from tests.api_helpers import DATA, built_db


@pytest.fixture(scope="module", params=("sqlite", "postgres"))
def db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
       ) -> Iterator[str]:
    with built_db(request.param, tmp_path_factory.mktemp("pyapi"), request) as location:
        yield location


def _cli_json(db: str, *args: str) -> object:
    result = CliRunner().invoke(main, [*args, "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_the_queries_return_what_the_cli_prints(db: str) -> None:
    with newsweave.open(db) as nw:
        assert nw.articles() == _cli_json(db, "articles")
        assert nw.stories() == _cli_json(db, "stories")
        assert nw.entities(limit=5) == _cli_json(db, "entities", "--limit", "5")
        assert nw.places() == _cli_json(db, "places")
        assert nw.skipped() == _cli_json(db, "skipped")
        assert nw.quotes() == _cli_json(db, "quotes")
        assert nw.claims() == _cli_json(db, "claims")
        story = nw.stories()[0]["id"]
        assert nw.story(story) == _cli_json(db, "story", str(story))
        assert nw.timeline(story) == nw.story(story)["timeline"]
        first = nw.articles()[0]["id"]
        assert nw.article(first) == _cli_json(db, "article", str(first))
        entity = nw.entities(limit=1)[0]["id"]
        assert nw.entity(entity) == _cli_json(db, "entity", str(entity))
        assert nw.stats() == nw.summary() and nw.stats()["articles"] == 7


def test_pages_never_overlap_nor_skip(db: str) -> None:
    with newsweave.open(db, readonly=True) as nw:
        seen, cursor = [], None
        while True:
            page = nw.articles(page_size=2, cursor=cursor)
            seen += [a["id"] for a in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert seen == [a["id"] for a in nw.articles()]
        with pytest.raises(BadCursor):
            nw.stories(cursor=nw.articles(page_size=1)["next_cursor"])
        with pytest.raises(ValueError, match="page_size"):
            nw.articles(limit=1, page_size=1)


BAD_TEXT = [("\x00", "a NUL character"), ("\ud800", "a lone surrogate (U+D800)")]


@pytest.mark.parametrize(("bad", "said"), BAD_TEXT)
def test_bad_text_in_a_filter_is_a_clear_value_error(db: str, bad: str, said: str) -> None:
    """Never the database's error (PostgreSQL refuses a NUL, UTF-8 a lone surrogate)."""
    calls = {
        "lang": lambda nw: nw.articles(lang=f"it{bad}"),
        "type": lambda nw: nw.entities(type=f"PER{bad}"),
        "source": lambda nw: nw.search("harbour", vectors=False, source=f"a{bad}"),
        "query": lambda nw: nw.search(f"harbour{bad}", vectors=False),
        "speaker": lambda nw: nw.export("quotes", "jsonl", io.BytesIO(), speaker=f"A{bad}"),
    }
    with newsweave.open(db, readonly=True) as nw:
        for name, call in calls.items():
            if name == "query" and bad == "\x00":
                assert isinstance(call(nw)["items"], list)  # a NUL in a query: a word break
                continue
            with pytest.raises(ValueError, match=f"{name}.*{re.escape(said)}"):
                call(nw)
        with pytest.raises(BadFilter, match="type must be one of PER, ORG, LOC, MISC"):
            nw.entities(type="PERSON")
        assert nw.articles(lang="xx") == []  # well-formed, matches nothing
    cli = CliRunner().invoke(main, ["articles", "--lang", f"it{bad}", "--db", db])
    assert cli.exit_code == 2 and said in cli.output, cli.output  # a usage error


def test_missing_records_and_read_only_are_refused_clearly(db: str) -> None:
    with newsweave.open(db, readonly=True) as nw:
        with pytest.raises(NotFound, match="no story with id 999999"):
            nw.story(999999)
        with pytest.raises(NotFound):
            nw.timeline(999999)
        with pytest.raises(StoreError, match="read-only"):
            nw.ingest([{"text": "x" * 50}])


def test_ingest_of_records_reports_like_the_cli(backend: str, new_db, tmp_path: Path) -> None:
    text = ("Il consiglio comunale di Valmora ha approvato il piano di ricostruzione delle "
            "scuole danneggiate, con lavori che partiranno in primavera.")
    with newsweave.open(new_db("records.db"), settings={"fetch_linked_pages": False}) as nw:
        with pytest.raises(StoreError, match="database at"):
            nw.stats()
        report = nw.ingest([{"id": "r1", "text": text, "lang": "it"}, {"id": "r2", "text": ""}])
        assert report["new"] == 1
        assert [s["source"] for s in report["skipped"]] == ["<records>#line 2"]
        assert report["skipped"][0]["reason"].startswith("E013")
        again = nw.ingest({"id": "r1", "text": text, "lang": "it"})
        assert again["new"] == 0 and again["unchanged"] == 1
        assert nw.articles()[0]["source"] == "<records>"
        assert nw.articles()[0]["external_id"] == "r1"
        with pytest.raises(NewsweaveError, match="not found"):
            nw.ingest([str(tmp_path / "nothing-here")])
        with pytest.raises(NewsweaveError, match="cannot ingest"):
            nw.ingest([42])  # type: ignore[list-item]


def test_annotate_matches_the_cli(tmp_path: Path) -> None:
    records = [{"id": "a", "text": "Angela Merkel sprach am Montag in Berlin.", "lang": "de"},
               {"id": "b", "text": "Emmanuel Macron était à Paris hier.",
                "published": "2024-05-02"}]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    result = CliRunner().invoke(main, ["annotate", str(path)])
    assert result.exit_code == 0, result.output
    cli = [json.loads(line) for line in result.output.splitlines()]
    with newsweave.open(tmp_path / "unused.db") as nw:
        assert nw.annotate(records) == cli
        plain = nw.annotate("Angela Merkel sprach am Montag in Berlin.")
        assert plain[0]["id"] == "1" and plain[0]["mentions"]
        with pytest.raises(NewsweaveError, match="annotate input 1"):
            nw.annotate([{"no": "text"}])
    assert not (tmp_path / "unused.db").exists()


def test_a_bad_setting_fails_at_open(tmp_path: Path) -> None:
    with pytest.raises(NewsweaveError, match="unknown setting"):
        newsweave.open(tmp_path / "x.db", settings={"no_such_setting": 1})


def test_the_token_is_never_stored_with_the_database(tmp_path: Path) -> None:
    db = str(tmp_path / "t.db")
    with newsweave.open(db, settings={"api_token": "secret", "min_text_chars": 10,
                                      "fetch_linked_pages": False}) as nw:
        nw.ingest([str(DATA / "harbour_en.txt")])
    result = CliRunner().invoke(main, ["settings", "--db", db, "--json"])
    origins = {r["name"]: r["origin"] for r in json.loads(result.output)}
    assert origins["min_text_chars"] == "stored" and origins["api_token"] != "stored"


def test_export_writes_what_the_cli_writes(db: str, tmp_path: Path) -> None:
    import io

    out = tmp_path / "places.jsonl"
    result = CliRunner().invoke(main, ["export", "--what", "places", "--format", "jsonl",
                                       "--db", db, "-o", str(out)])
    assert result.exit_code == 0, result.output
    buffer = io.BytesIO()
    with newsweave.open(db, readonly=True) as nw:
        written = nw.export("places", "jsonl", buffer)
        assert nw.export("articles", "csv", tmp_path / "a.csv", lang="it")["rows"] > 0
        with pytest.raises(NewsweaveError, match="no filter colour"):
            nw.export("articles", "jsonl", buffer, colour="red")
    assert buffer.getvalue() == out.read_bytes()
    assert written == {"rows": len(out.read_bytes().splitlines()), "left_out": 0}
