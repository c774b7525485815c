"""The quality-floor baseline and its re-pinning tool (benchmarks/gate.py), on real files.

The tool must never lower a floor unless told to, must raise one when asked, and
must keep the file sorted and indented so that a re-pin is a one-entry diff.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from benchmarks.gate import BASELINE, ROOT, dumps, floor, floor_below, load, main, record


@pytest.fixture
def baseline(tmp_path: Path) -> Path:
    """A copy of the committed baseline to re-pin."""
    path = tmp_path / "baseline.json"
    shutil.copyfile(BASELINE, path)
    return path


def _gate(path: Path, *args: str) -> int:
    return main(["--baseline", str(path), "--date", "2031-01-02", *args])


def test_committed_baseline_is_valid_and_canonical() -> None:
    assert main(["--check"]) == 0
    assert BASELINE.read_text(encoding="utf-8") == dumps(load())


def test_every_floor_names_a_test_that_exists() -> None:
    for name, entry in load().items():
        file, _, test = entry.measured_by.partition("::")
        source = (ROOT / file).read_text(encoding="utf-8")
        assert f"def {test.split('[')[0]}(" in source, (name, entry.measured_by)
        assert entry.floor <= entry.measured, name


def test_repin_refuses_to_lower_a_floor(baseline: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    before = baseline.read_bytes()
    old = load(baseline)["entities.gold.f1"]
    assert _gate(baseline, "--repin", "entities.gold.f1", f"{old.floor - 0.05:.4f}") == 1
    err = capsys.readouterr().err
    assert "refused to lower the floor" in err and "--allow-lower" in err
    assert "Traceback" not in err
    assert baseline.read_bytes() == before


def test_allow_lower_lowers(baseline: Path) -> None:
    old = load(baseline)["entities.gold.f1"]
    value = round(old.floor - 0.05, 4)
    assert _gate(baseline, "--repin", "entities.gold.f1", str(value), "--allow-lower") == 0
    new = load(baseline)["entities.gold.f1"]
    assert new.floor == floor_below(value, old.margin) < old.floor
    assert new.measured == value and new.pinned == "2031-01-02"


def test_repin_raises_the_floor_and_keeps_the_file_canonical(baseline: Path) -> None:
    before = load(baseline)
    old = before["entities.gold.f1"]
    value = round(min(1.0, old.measured + 0.02), 4)
    assert _gate(baseline, "--repin", "entities.gold.f1", str(value)) == 0
    after = load(baseline)
    assert after["entities.gold.f1"].floor == floor_below(value, old.margin) >= old.floor
    assert {n: e for n, e in after.items() if n != "entities.gold.f1"} == \
        {n: e for n, e in before.items() if n != "entities.gold.f1"}
    text = baseline.read_text(encoding="utf-8")
    assert text == dumps(after) and text.endswith("}\n")
    names = list(json.loads(text)["floors"])
    assert names == sorted(names)
    assert floor("entities.gold.f1", baseline) == after["entities.gold.f1"].floor


def test_margin_sets_the_distance_below_what_was_measured(baseline: Path) -> None:
    assert _gate(baseline, "--repin", "langid.long.accuracy", "1.0", "--margin", "0") == 0
    assert load(baseline)["langid.long.accuracy"].floor == 1.0
    assert floor_below(0.9494, 0.01) == 0.939
    assert floor_below(0.95, 0.01) == 0.94


def test_repin_from_results_is_all_or_nothing(baseline: Path, tmp_path: Path) -> None:
    floors = load(baseline)
    results = tmp_path / "results.json"
    up = round(min(1.0, floors["stories.headlines.bcubed_f1"].floor + 0.05), 4)
    record("stories.headlines.bcubed_f1", up, results=str(results))
    record("entities.gold.f1", floors["entities.gold.f1"].floor - 0.1, results=str(results))
    before = baseline.read_bytes()
    assert _gate(baseline, "--from", str(results)) == 1  # one lowering refuses the file
    assert baseline.read_bytes() == before
    results.write_text(json.dumps({"stories.headlines.bcubed_f1": up}), encoding="utf-8")
    assert _gate(baseline, "--from", str(results)) == 0
    assert load(baseline)["stories.headlines.bcubed_f1"].measured == up


def test_unknown_names_and_bad_values_are_refused(baseline: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    before = baseline.read_bytes()
    assert _gate(baseline, "--repin", "entities.nope", "0.9") == 1
    assert "no floor named 'entities.nope'" in capsys.readouterr().err
    assert _gate(baseline, "--repin", "entities.gold.f1", "ninety") == 1
    assert "VALUE must be a number" in capsys.readouterr().err
    assert _gate(baseline, "--repin", "entities.gold.f1", "1.5") == 1
    results = tmp_path / "r.json"
    results.write_text('{"elsewhere.f1": 0.5}', encoding="utf-8")
    assert _gate(baseline, "--from", str(results)) == 1
    assert "unknown names in the results: elsewhere.f1" in capsys.readouterr().err
    assert baseline.read_bytes() == before


def test_check_and_format(baseline: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(baseline.read_text(encoding="utf-8"))
    shuffled = {"floors": dict(reversed(list(data["floors"].items())))}
    baseline.write_text(json.dumps(shuffled), encoding="utf-8")
    assert _gate(baseline, "--check") == 1
    assert "not in canonical form" in capsys.readouterr().err
    assert _gate(baseline, "--format") == 0
    assert _gate(baseline, "--check") == 0
    assert json.loads(baseline.read_text(encoding="utf-8")) == data


@pytest.mark.parametrize(("edit", "message"), [
    (lambda e: e.update(floor=0.99, measured=0.5), "is above its measured value"),
    (lambda e: e.pop("margin"), "expected the fields"),
    (lambda e: e.update(pinned="yesterday"), "pinned must be a date"),
    (lambda e: e.update(floor="high"), "floor must be a number from 0 to 1"),
])
def test_invalid_baseline_says_why(baseline: Path, capsys: pytest.CaptureFixture[str],
                                   edit: Callable[[dict], object], message: str) -> None:
    data = json.loads(baseline.read_text(encoding="utf-8"))
    edit(data["floors"]["entities.gold.f1"])
    baseline.write_text(json.dumps(data), encoding="utf-8")
    assert _gate(baseline) == 1
    err = capsys.readouterr().err
    assert "entities.gold.f1" in err and message in err and "Traceback" not in err
