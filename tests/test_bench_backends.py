"""The backend benchmark (benchmarks/bench_backends.py) runs end to end at a tiny size,
on a real SQLite file and the test session's real PostgreSQL, so it does not rot.

Its figures are not checked (timings belong in docs/benchmarks.md, never in tests);
what is checked is that both backends ran every step and stored the same results.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.bench_backends import main


def test_bench_backends_runs_on_both_backends(pg_server, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("NEWSWEAVE_BENCH_OUT", str(tmp_path))
    url = pg_server.create()
    try:
        code = main(["--articles", "50", "--batch", "10", "--batch-repeats", "1",
                     "--repeats", "2", "--pg-url", url])
    finally:
        pg_server.drop(url)
    assert code == 0
    out = json.loads((tmp_path / "bench_backends.json").read_text(encoding="utf-8"))
    sq, pg = out["sqlite"], out["postgres"]
    assert sq["counts"] == pg["counts"] and sq["counts"]["articles"] == 50
    assert sq["counts"]["entities"] > 0  # the entities stage ran: entity reads are real
    assert sq["counts_end"] == pg["counts_end"] and sq["counts_end"]["articles"] == 60
    for result in (sq, pg):
        assert result["fill"]["per_s_wall"] > 0 and result["batch"]["per_s_cpu"] > 0
        assert set(result["reads"]["this_thread"]) == set(result["reads"]["reader_thread"])
        assert {"one story (largest)", "entities, page 11", "one entity (most articles)"} \
            <= set(result["reads"]["this_thread"])
        assert result["size"]["total_mb"] > 0
    assert pg["fill"]["server_cpu_s"] is not None  # a local server: its CPU is counted
    table = capsys.readouterr().out
    assert "| summary |" in table and "PostgreSQL / SQLite" in table
