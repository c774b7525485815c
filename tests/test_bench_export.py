"""The export benchmark (benchmarks/bench_export.py) runs end to end at a tiny size, so
it does not rot. Its figures are not checked (timings belong in docs/benchmarks.md);
what is checked is that every export ran and wrote every row."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.bench_export import RUNS, main


def test_bench_export_runs_every_export(tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSWEAVE_BENCH_OUT", str(tmp_path))
    assert main(["--levels", "30,120"]) == 0
    out = json.loads((tmp_path / "bench_export.json").read_text(encoding="utf-8"))
    for level, figures in out["levels"].items():
        assert set(figures) == {f"{what} {fmt}" for what, fmt in RUNS}
        for result in figures.values():
            assert result["rows"] == int(level)
            assert result["peak_rss_mb"] >= result["rss_after_imports_mb"] > 0
