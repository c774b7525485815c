"""The web pages benchmark (benchmarks/bench_web.py) runs end to end at a tiny size, so
it does not rot: the store it fills has what every page shows, and every page answers.
Its timings are not checked (they belong in docs/benchmarks.md)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from benchmarks.bench_web import GIANT, main, plan_stories, story_sizes


def test_story_plan_is_heavy_tailed_and_covers_every_article() -> None:
    rng = np.random.default_rng(1)
    sizes = story_sizes(100_000, rng)
    assert sum(sizes) == 100_000 and max(sizes) == GIANT
    assert sum(s == 1 for s in sizes) > len(sizes) / 3
    plan = plan_stories(5000, np.random.default_rng(2))
    assert len(plan) == 5000
    firsts = [int(np.flatnonzero(plan == k)[0]) for k in range(int(plan.max()) + 1)]
    assert firsts == sorted(firsts)  # numbered by first appearance


def test_bench_web_times_every_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSWEAVE_BENCH_OUT", str(tmp_path / "out"))
    args = ["--articles", "400", "--backends", "sqlite", "--repeats", "2",
            "--keep", str(tmp_path / "kept")]
    assert main(args) == 0
    out = json.loads((tmp_path / "out" / "bench_web.json").read_text(encoding="utf-8"))
    row = out["rows"][0]
    assert row["not_ok"] == {}
    assert row["counts"]["stories"] > 50 and row["counts"]["entities"] > 100
    assert all(p["n"] == 2 for p in row["pages"].values())
    assert main(args) == 0  # the kept store is reused, not filled again
    again = json.loads((tmp_path / "out" / "bench_web.json").read_text(encoding="utf-8"))
    assert again["rows"][0]["decorate_s"] == 0.0
    assert again["rows"][0]["counts"] == row["counts"]
