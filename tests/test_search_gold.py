"""The search query set (benchmarks/data/search/queries.jsonl) and its benchmark.

The file's format and mix are checked without any data; the CL-TLS ids are checked
against ``../shared/data/timelines`` (skipped when it is absent); the scoring is
checked on hand-made rankings; and the benchmark runs end to end on the demo corpus
(real pipeline, real store on both backends, real model).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from benchmarks.bench_search import (
    BM25,
    DEMO,
    QUERIES,
    demo_languages,
    evaluate,
    load_queries,
    ndcg,
    reciprocal_rank,
    select,
    stable_id,
    timelines_language,
)
from newsweave.pipeline import Pipeline
from tests.conftest import shared_path

FIELDS = {"id", "lang", "query", "kind", "split", "corpus", "rels"}
KINDS = {"event", "entity", "phrase", "none"}
TIMELINES_ID = re.compile(
    r"timelines:(es|fr|it)/(egypt|libya|syria)/\d{4}-\d{2}-\d{2}/[\w.-]+\.txt$")


@pytest.fixture(scope="module")
def queries() -> list[dict[str, Any]]:
    return load_queries(QUERIES)


def doc_language(doc: str, demo: dict[str, str]) -> str:
    return demo[doc] if doc.startswith("demo:") else timelines_language(doc)


def test_every_query_is_well_formed(queries: list[dict[str, Any]]) -> None:
    demo = demo_languages()
    assert len(queries) >= 60
    assert len({q["id"] for q in queries}) == len(queries), "query ids repeat"
    for q in queries:
        assert set(q) == FIELDS, q["id"]
        assert re.fullmatch(r"[a-z]{2}", q["lang"]), q["id"]
        assert q["query"].strip() and q["kind"] in KINDS, q["id"]
        assert q["split"] in {"dev", "holdout"} and q["corpus"] in {"demo", "timelines"}, q["id"]
        assert (q["kind"] == "none") == (not q["rels"]), q["id"]
        for doc, grade in q["rels"].items():
            assert grade in (1, 2), (q["id"], doc)
            if q["corpus"] == "demo":
                assert doc in demo, (q["id"], doc)  # every demo id is a gold.tsv article
            else:
                assert TIMELINES_ID.match(doc), (q["id"], doc)


def test_the_mix_is_multilingual_and_cross_language(queries: list[dict[str, Any]]) -> None:
    demo = demo_languages()
    langs = Counter(q["lang"] for q in queries)
    assert {"en", "it", "de", "es", "fr"} <= set(langs)
    assert Counter(q["kind"] for q in queries).keys() == KINDS
    holdout = sum(q["split"] == "holdout" for q in queries) / len(queries)
    assert 0.3 <= holdout <= 0.4, holdout
    answered = [q for q in queries if q["rels"]]
    crossing = [q for q in answered
                if any(g == 2 and doc_language(d, demo) != q["lang"] for d, g in q["rels"].items())]
    assert len(crossing) / len(answered) >= 0.8  # most find their best pages in other languages
    assert sum(not q["rels"] for q in queries) >= 3


def test_demo_ids_name_files_of_the_corpus(queries: list[dict[str, Any]]) -> None:
    for q in queries:
        for doc in q["rels"]:
            if doc.startswith("demo:"):
                assert (DEMO / "corpus" / doc[5:].split("#")[0]).is_file(), doc


def test_timelines_ids_resolve() -> None:
    root = shared_path("data", "timelines")
    missing = [d for q in load_queries(QUERIES) for d in q["rels"]
               if d.startswith("timelines:") and not (root / d.split(":", 1)[1]).is_file()]
    assert not missing, missing[:5]


def test_scores_on_hand_made_rankings() -> None:
    grades = {1: 2, 2: 1, 3: 2}
    assert ndcg([1, 3, 2], grades) == pytest.approx(1.0)
    assert ndcg([9, 8], grades) == 0.0
    assert 0 < ndcg([2, 1, 3], grades) < 1
    assert reciprocal_rank([7, 2, 1], grades) == pytest.approx(1 / 3)  # grade 2 counts
    assert reciprocal_rank([7, 2], {2: 1}) == pytest.approx(0.5)  # no grade 2: grade 1
    assert reciprocal_rank([7, 8], grades) == 0.0


def test_stable_ids_from_sources() -> None:
    assert stable_id("/x/newsweave/data/demo/corpus/wire/a.txt", None) == "demo:wire/a.txt"
    assert stable_id("/x/newsweave/data/demo/corpus/agora-news/articles.jsonl", "ag-1") \
        == "demo:agora-news/articles.jsonl#ag-1"
    assert stable_id("/tmp/t/timelines.jsonl", "es/egypt/2011-02-11/ext_16.txt") \
        == "timelines:es/egypt/2011-02-11/ext_16.txt"
    assert stable_id("/elsewhere/a.txt", None) is None


def test_bm25_prefers_the_rarer_word_and_folds_accents() -> None:
    rank = BM25({1: "Égypte manifestation", 2: "manifestation manifestation", 3: "autre"})
    assert rank("egypte manifestation", 3)[0] == 1
    assert rank("nothing here", 3) == []


def test_benchmark_on_the_demo_corpus(make_pipeline: Callable[..., Pipeline]) -> None:
    pipeline = make_pipeline()
    pipeline.ingest([str(DEMO / "corpus")])
    chosen = select(load_queries(QUERIES), "all", with_timelines=False)
    assert chosen and all(q["corpus"] == "demo" for q in chosen)
    out = evaluate(pipeline.store, chosen, ["fulltext", "vector", "hybrid"], demo_languages())
    assert out["unresolved"] == []
    for name in ("fulltext", "vector"):
        summary = out["rankers"][name]["summary"]
        assert summary["all"]["n"] == sum(1 for q in chosen if q["rels"])
        assert summary["all"]["ndcg"] > 0.3 and summary["all"]["xl_n"] > 0
    hybrid = out["rankers"]["hybrid"]
    assert "summary" in hybrid or hybrid["skipped"].startswith("skipped")
