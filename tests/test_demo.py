"""The bundled demo against its own gold (newsweave/data/demo/gold.tsv): the stories
`newsweave demo` shows should be exactly the demo's events.

tests/test_quality_gate.py pins floors on the same corpus; this test asks for the
exact partition, which is what a new user reading the demo's README expects.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from newsweave import service

DEMO = Path(__file__).resolve().parents[1] / "newsweave" / "data" / "demo"


def _gold() -> dict[str, str]:
    with (DEMO / "gold.tsv").open(encoding="utf-8") as fh:
        return {row["file_or_id"]: row["event"] for row in csv.DictReader(fh, delimiter="\t")}


def _key(article: dict, corpus: Path) -> str:
    rel = Path(article["source"]).relative_to(corpus.resolve()).as_posix()
    return f"{rel}#{article['external_id']}" if article["external_id"] else rel


def _partition(groups: dict) -> set[frozenset[str]]:
    return {frozenset(members) for members in groups.values()}


@pytest.fixture(scope="module")
def demo_stories(tmp_path_factory: pytest.TempPathFactory, embedder: object,
                 _loaded_annotator: object) -> dict[int, list[str]]:
    """The demo ingested as `newsweave demo` does: the corpus folder, default settings."""
    from newsweave.pipeline import Pipeline
    from newsweave.settings import Settings
    from newsweave.store.sqlite import Store

    _loaded_annotator.memory.clear()
    corpus = DEMO / "corpus"
    with Store(tmp_path_factory.mktemp("demo") / "demo.db") as store:
        Pipeline(store, Settings(environ={}), embedder=embedder,
                 annotator=_loaded_annotator).ingest([str(corpus)])
        stories: dict[int, list[str]] = {}
        for a in service.list_articles(store):
            stories.setdefault(a["story"], []).append(_key(a, corpus))
    return stories


def test_every_gold_item_is_ingested_once(demo_stories: dict[int, list[str]]) -> None:
    keys = [k for members in demo_stories.values() for k in members]
    assert sorted(keys) == sorted(_gold())


def test_demo_stories_are_its_gold_events(demo_stories: dict[int, list[str]]) -> None:
    gold = _gold()
    events: dict[str, list[str]] = {}
    for key, event in gold.items():
        events.setdefault(event, []).append(key)
    got, want = _partition(demo_stories), _partition(events)
    wrong = [sorted(s) for s in got - want]
    assert got == want, f"stories that are not a gold event: {wrong}"


def test_demo_command_prints_the_stories() -> None:
    from click.testing import CliRunner

    from newsweave.cli import main

    result = CliRunner().invoke(main, ["demo"])
    assert result.exit_code == 0, result.output
    assert "stories from 33 articles in 7 languages" in result.output
