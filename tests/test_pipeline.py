"""End to end through the library: our own multilingual fixtures into a real SQLite file."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pytest

from newsweave import service
from newsweave.pipeline import Pipeline, publication_order, recluster, text_hash
from newsweave.store.sqlite import Store

DATA = Path(__file__).resolve().parent / "data" / "pipeline"


def by_name(store: Store) -> dict[str, dict]:
    return {Path(a["source"]).name: a for a in service.list_articles(store)}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """Our fixtures plus a syndicated near-copy with other boilerplate and one edit."""
    folder = tmp_path / "corpus"
    shutil.copytree(DATA, folder)
    original = (DATA / "harbour_en.txt").read_text(encoding="utf-8")
    edited = original.replace("until dawn", "until early on Tuesday morning")
    (folder / "harbour_en_syndicated.txt").write_text(
        "Skip to main content\n\n" + edited + "\n\nShare this article\n© 2026 Coast Daily. "
        "All rights reserved.\n", encoding="utf-8")
    return folder


def test_ingest_languages_duplicates_and_stories(make_pipeline: Callable, corpus: Path) -> None:
    pipeline = make_pipeline()
    report = pipeline.ingest([str(corpus)])
    assert report.new == 6
    assert (report.exact_duplicates, report.near_duplicates) == (1, 1)
    assert [s.reason[:4] for s in report.skipped] == ["E001"]
    arts = by_name(pipeline.store)
    assert {n: a["lang"] for n, a in arts.items() if "copy" not in n and "synd" not in n} == {
        "harbour_en.txt": "en", "harbour_it.txt": "it", "harbour_de.txt": "de",
        "chess_es.txt": "es", "chess_fr.txt": "fr", "rail_ru.txt": "ru"}
    assert arts["harbour_en_copy.txt"]["duplicate_of"] == arts["harbour_en.txt"]["id"]
    assert arts["harbour_en_syndicated.txt"]["duplicate_of"] == arts["harbour_en.txt"]["id"]
    # Translations are not duplicates: they join the same story instead.
    harbour = {arts[n]["story"] for n in ("harbour_en.txt", "harbour_it.txt", "harbour_de.txt",
                                          "harbour_en_copy.txt", "harbour_en_syndicated.txt")}
    chess = {arts[n]["story"] for n in ("chess_es.txt", "chess_fr.txt")}
    assert len(harbour) == 1 and len(chess) == 1
    assert harbour != chess != {arts["rail_ru.txt"]["story"]}
    assert all(arts[n]["duplicate_of"] is None for n in ("harbour_it.txt", "harbour_de.txt"))


def test_skips_are_stored_and_listed(make_pipeline: Callable, corpus: Path) -> None:
    pipeline = make_pipeline()
    pipeline.ingest([str(corpus), str(corpus / "missing.txt")])
    reasons = {Path(s["source"]).name: s["reason"] for s in service.list_skipped(pipeline.store)}
    assert reasons["empty.txt"].startswith("E001 empty input")
    assert reasons["missing.txt"].startswith("E015 no such file")


def test_reingest_is_idempotent(make_pipeline: Callable, corpus: Path) -> None:
    pipeline = make_pipeline()
    pipeline.ingest([str(corpus)])
    before = service.list_articles(pipeline.store)
    again = pipeline.ingest([str(corpus)])
    assert again.new == 0 and again.unchanged == 8
    assert service.list_articles(pipeline.store) == before


def test_vectors_record_their_model(make_pipeline: Callable, corpus: Path) -> None:
    pipeline = make_pipeline()
    pipeline.ingest([str(corpus)])
    models = {r[0] for r in pipeline.store.conn.execute("SELECT model FROM vectors")}
    assert models == {pipeline.embedder.model_name}
    assert pipeline.store.count("vectors") == 6, "duplicates are never embedded"


class InterruptingEmbedder:
    """Wraps the real embedder and raises Ctrl-C on the N-th call, like a user would."""

    def __init__(self, inner: object, fail_on: int) -> None:
        self.inner, self.fail_on, self.calls = inner, fail_on, 0
        self.model_name, self.dim = inner.model_name, inner.dim

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        if self.calls == self.fail_on:
            raise KeyboardInterrupt
        return self.inner.embed_passages(texts)


def test_interrupt_leaves_consistent_db_and_resumes(make_pipeline: Callable, corpus: Path,
                                                    embedder: object) -> None:
    pipeline = make_pipeline()
    pipeline.BATCH = 2
    pipeline._embedder = InterruptingEmbedder(embedder, fail_on=2)
    report = pipeline.ingest([str(corpus)])
    assert report.interrupted
    store = pipeline.store
    stored = store.count("articles")
    assert 0 < stored < 8
    orphans = store.conn.execute(
        "SELECT count(*) FROM articles a LEFT JOIN vectors v ON v.article_id = a.id "
        "WHERE a.duplicate_of IS NULL AND (v.article_id IS NULL OR a.story_id IS NULL)")
    assert orphans.fetchone()[0] == 0, "every committed original has a vector and a story"
    resumed = Pipeline(store, pipeline.settings, embedder=embedder)
    second = resumed.ingest([str(corpus)])
    assert second.unchanged == stored and second.new + report.new == 6
    assert store.count("articles") == 8


@pytest.mark.sqlite_only
def test_index_rebuilt_when_lost(make_pipeline: Callable, corpus: Path, embedder: object) -> None:
    pipeline = make_pipeline()
    pipeline.ingest([str(corpus)])
    pipeline.index.path.unlink()
    fresh = Pipeline(pipeline.store, pipeline.settings, embedder=embedder)
    assert len(fresh.index) == pipeline.store.count("vectors")


def test_recluster_is_deterministic(make_pipeline: Callable, corpus: Path) -> None:
    pipeline = make_pipeline()
    pipeline.ingest([str(corpus)])
    first = [(a["id"], a["story"]) for a in service.list_articles(pipeline.store)]
    report = recluster(pipeline)
    assert report.articles == 6
    second = [(a["id"], a["story"]) for a in service.list_articles(pipeline.store)]
    groups = lambda pairs: sorted(sorted(i for i, s in pairs if s == k)  # noqa: E731
                                  for k in {s for _, s in pairs})
    assert groups(first) == groups(second)


def test_same_input_same_stories(make_pipeline: Callable, corpus: Path) -> None:
    one, two = make_pipeline("one.db"), make_pipeline("two.db")
    one.ingest([str(corpus)])
    two.ingest([str(corpus)])
    strip = lambda p: [(a["title"], a["story"]) for a in service.list_articles(p.store)]  # noqa
    assert strip(one) == strip(two)


def test_title_line_does_not_change_duplicate_hash() -> None:
    body = "The bridge reopened on Friday after repairs.\nTraffic is flowing again."
    assert text_hash("Bridge reopens", "Bridge reopens\n\n" + body) == text_hash("Bridge reopens",
                                                                                 body)


def test_publication_order_keeps_undated_in_place() -> None:
    from datetime import UTC, datetime

    from newsweave.models import Article

    def art(title: str, day: int | None) -> Article:
        return Article(source=title, text=title, title=title,
                       published=datetime(2026, 1, day, tzinfo=UTC) if day else None)

    ordered = publication_order([art("a", 5), art("b", None), art("c", 2), art("d", None)])
    assert [a.title for a in ordered] == ["c", "b", "a", "d"]


class _Counting:
    """The real embedder, counting the texts it is given."""

    def __init__(self, inner: object) -> None:
        self.inner, self.texts = inner, []
        self.model_name, self.dim = inner.model_name, inner.dim

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        self.texts.extend(texts)
        return self.inner.embed_passages(texts)


def test_name_similarity_embeds_each_name_once(tmp_path: Path, embedder: object) -> None:
    counting = _Counting(embedder)
    from newsweave.settings import Settings

    with Store(tmp_path / "n.db") as store:
        pipe = Pipeline(store, Settings(), embedder=counting)
        first, other = pipe.name_similarity("Mohammed Salem", ["Mohamed Salem", "Giulia Rossi"])
        [again] = pipe.name_similarity("Mohamed Salem", ["Mohammed Salem"])
        alone = float(np.dot(*embedder.embed_passages(["Mohammed Salem", "Mohamed Salem"])))
    assert first == pytest.approx(again) == pytest.approx(alone)
    assert first > other
    assert counting.texts == ["Mohammed Salem", "Mohamed Salem", "Giulia Rossi"]  # one call
