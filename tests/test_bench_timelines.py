"""The timelines benchmark end to end on a tiny CL-TLS-shaped folder written here.

Three short Spanish articles in dated folders and a three-entry reference timeline,
all written for this test; the shared data is never read. The articles go through the
real pipeline (real store, real embedding model, real date rules).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.bench_timelines import aggregate, at_least, main, prf, read_reference, top_k

ARTICLES = {
    "2011-01-26/a.txt": "Protestas en El Cairo\nMiles de personas protestaron ayer en El Cairo "
                        "contra el Gobierno. Los organizadores convocan otra marcha para el "
                        "28 de enero de 2011.\n",
    "2011-01-29/b.txt": "Viernes de ira en Egipto\nEl 28 de enero de 2011 miles de manifestantes "
                        "llenaron las calles. Las protestas comenzaron el martes 25 de enero.\n",
    "2011-02-12/c.txt": "Mubarak deja el poder\nHosni Mubarak dimitió el 11 de febrero de 2011, "
                        "tras las protestas que empezaron el 25 de enero.\n",
}
REFERENCE = ("2011-01-25\nEmpiezan las protestas.\n--------\n"
             "2011-01-28\nViernes de ira.\nMiles en las calles.\n--------\n"
             "2011-02-11\nMubarak dimite.\n--------\n")


def _write_data(root: Path) -> None:
    base = root / "data" / "timelines" / "es"
    for rel, text in ARTICLES.items():
        path = base / "egypt" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (base / "reference").mkdir(parents=True)
    (base / "reference" / "egypt.txt").write_text(REFERENCE, encoding="utf-8")


def test_read_reference_dates_and_problems(tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_text("2011-01-25\na\n----\n2011-01-25\nb\n----\nno date here\n----\n"
                    "2011-02-01\nc\n", encoding="utf-8")
    dates, problems = read_reference(path)
    assert dates == ["2011-01-25", "2011-02-01"]  # distinct; the last entry needs no dashes
    assert len(problems) == 1 and "no date line" in problems[0]


def test_selection_ranks_by_articles_then_earlier_date() -> None:
    counts = {"2011-02-11": 1, "2011-01-28": 2, "2011-01-25": 3, "2011-01-20": 1}
    assert top_k(counts, 3) == ["2011-01-25", "2011-01-28", "2011-01-20"]
    assert at_least(counts, 2) == ["2011-01-25", "2011-01-28"]


def test_scores_macro_and_micro() -> None:
    a = prf(["2011-01-25", "2011-01-26"], ["2011-01-25"])
    b = prf([], ["2011-02-01", "2011-02-02"])
    assert (a["p"], a["r"]) == (0.5, 1.0) and b["f1"] == 0.0
    agg = aggregate([a, b])
    assert agg["macro"]["r"] == pytest.approx(0.5)
    assert agg["micro"]["r"] == pytest.approx(1 / 3) and agg["micro"]["p"] == 0.5


def test_benchmark_skips_without_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("NEWSWEAVE_SHARED", str(tmp_path))
    assert main([]) == 0
    assert "skipped" in capsys.readouterr().out


def test_benchmark_end_to_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write_data(tmp_path)
    monkeypatch.setenv("NEWSWEAVE_SHARED", str(tmp_path))
    monkeypatch.setenv("NEWSWEAVE_BENCH_OUT", str(tmp_path / "out"))
    assert main(["--db", str(tmp_path / "t.db"), "--langs", "es"]) == 0
    result = json.loads((tmp_path / "out" / "bench_timelines.json").read_text("utf-8"))
    topic = result["per_topic"]["es/egypt"]
    assert topic["articles"] == 3 and topic["gold"] == 3
    assert topic["ceiling"] == 1.0
    # "ayer" and "el martes 25 de enero" resolve against the folder dates.
    assert topic["selected"]["timeline_topk"] == ["2011-01-25", "2011-01-28", "2011-02-11"]
    assert topic["scores"]["timeline_topk"]["f1"] == 1.0
    # The day before the first article is outside the articles' span.
    assert topic["selected"]["timeline_span_topk"] == ["2011-01-28", "2011-02-11"]
    assert topic["selected"]["timeline_min"] == ["2011-01-25", "2011-01-28"]
    # No article was published on a gold date: the baseline gets nothing right.
    assert topic["scores"]["pubdate_topk"]["tp"] == 0
    assert result["summary"]["all"]["timeline_topk"]["micro"]["f1"] == 1.0
    # A second run reuses the database and gives the same selection.
    assert main(["--db", str(tmp_path / "t.db"), "--langs", "es"]) == 0
    again = json.loads((tmp_path / "out" / "bench_timelines.json").read_text("utf-8"))
    assert again["per_topic"] == result["per_topic"]
