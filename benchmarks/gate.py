"""Quality floors: one JSON baseline that the tests read and this tool re-pins.

Every quality floor of the test suite (language ID, story clustering, entities,
places) lives in ``tests/quality/baseline.json``, one entry per figure::

    "entities.gold.f1": {
      "floor": 0.939,         # the test fails below this
      "margin": 0.01,         # re-pinning sets floor = measured - margin (rounded down)
      "measured": 0.9494,     # the figure when it was pinned
      "measured_by": "tests/test_quality_gate.py::test_entity_quality_floor",
      "pinned": "2026-12-07", # date (UTC) of the last re-pin
      "what": "Entity F1 (exact surface + type) on tests/data/ner/gold.jsonl"
    }

A floor only goes up: re-pinning refuses to lower one unless ``--allow-lower`` is
given, as trafilatura's ``eval_gate`` does, so a regression cannot be waved through
by re-pinning. Raising a floor is a commit of its own, after the improvement is
measured. The file is written sorted and indented, so a re-pin is a small diff.

Run from the repository root::

    python -m benchmarks.gate                       # the floors, measured values, dates
    python -m benchmarks.gate --check               # valid and in canonical form?
    python -m benchmarks.gate --format              # rewrite it sorted and indented
    python -m benchmarks.gate --repin NAME VALUE    # VALUE measured now (e.g. 0.9312)
    NEWSWEAVE_GATE_RESULTS=gate.json python -m pytest -q tests/test_quality_gate.py \\
        tests/test_language.py                      # the gate tests record what they measure
    python -m benchmarks.gate --from gate.json      # re-pin every figure in that file

Options: ``--allow-lower``, ``--margin M`` (with ``--repin``: a new margin for that
entry), ``--baseline PATH``, ``--date YYYY-MM-DD`` (default: today, UTC).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "tests" / "quality" / "baseline.json"
RESULTS_ENV = "NEWSWEAVE_GATE_RESULTS"  # where the gate tests record what they measure
FIELDS = ("floor", "margin", "measured", "measured_by", "pinned", "what")


class GateError(ValueError):
    """A baseline or results file that cannot be used, or a re-pin that is refused."""


@dataclass(frozen=True, slots=True)
class Floor:
    """One pinned quality figure: the floor a test enforces and how it was set."""

    floor: float
    margin: float
    measured: float
    measured_by: str
    pinned: str
    what: str


# -- reading and writing -----------------------------------------------------------------
def _entry(name: str, raw: Any) -> Floor:
    """One baseline entry, checked field by field."""
    if not isinstance(raw, dict) or sorted(raw) != sorted(FIELDS):
        got = sorted(raw) if isinstance(raw, dict) else type(raw).__name__
        raise GateError(f"{name}: expected the fields {list(FIELDS)}, got {got}")
    for key in ("floor", "margin", "measured"):
        value = raw[key]
        if isinstance(value, bool) or not isinstance(value, int | float) \
                or not 0 <= value <= 1:
            raise GateError(f"{name}: {key} must be a number from 0 to 1, got {value!r}")
    for key in ("measured_by", "pinned", "what"):
        if not isinstance(raw[key], str) or not raw[key]:
            raise GateError(f"{name}: {key} must be a non-empty string")
    try:
        date.fromisoformat(raw["pinned"])
    except ValueError:
        raise GateError(f"{name}: pinned must be a date YYYY-MM-DD, "
                        f"got {raw['pinned']!r}") from None
    if raw["floor"] > raw["measured"]:
        raise GateError(f"{name}: floor {raw['floor']} is above its measured value "
                        f"{raw['measured']}")
    return Floor(**{k: raw[k] for k in FIELDS})


def parse(text: str, source: str = "baseline") -> dict[str, Floor]:
    """The entries of a baseline file's text, by name."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GateError(f"{source}: not JSON ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("floors"), dict):
        raise GateError(f'{source}: expected an object with a "floors" object')
    return {name: _entry(name, raw) for name, raw in data["floors"].items()}


def load(path: Path = BASELINE) -> dict[str, Floor]:
    """The baseline at ``path``, by name."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise GateError(f"cannot read the baseline {path}: {exc.strerror}") from None
    return parse(text, str(path))


def dumps(floors: Mapping[str, Floor]) -> str:
    """The canonical text of a baseline: sorted keys, two-space indent, final newline."""
    data = {"floors": {name: asdict(entry) for name, entry in floors.items()}}
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def save(floors: Mapping[str, Floor], path: Path = BASELINE) -> None:
    """Write the baseline in canonical form (through a temporary file, then rename)."""
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(dumps(floors), encoding="utf-8")
    tmp.replace(path)


# -- what the tests call -------------------------------------------------------------------
def floor(name: str, path: Path = BASELINE) -> float:
    """The floor a test enforces for ``name``."""
    floors = load(path)
    if name not in floors:
        raise GateError(f"no floor named {name!r} in {path}; known: {', '.join(sorted(floors))}")
    return floors[name].floor


def record(name: str, value: float, results: str | None = None) -> None:
    """Add a measurement to the results file named by ``$NEWSWEAVE_GATE_RESULTS``
    (or ``results``), for ``--from``; does nothing when neither is set."""
    target = results or os.environ.get(RESULTS_ENV)
    if not target:
        return
    path = Path(target)
    current = read_results(path) if path.exists() else {}
    current[name] = round(float(value), 4)
    path.write_text(json.dumps(current, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def read_results(path: Path) -> dict[str, float]:
    """A results file: one JSON object of name -> measured value."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise GateError(f"cannot read the results file {path}: {exc}") from None
    if not isinstance(data, dict) or not all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in data.values()):
        raise GateError(f"{path}: expected a JSON object of name -> number")
    return {str(k): float(v) for k, v in data.items()}


# -- re-pinning ---------------------------------------------------------------------------
def floor_below(measured: float, margin: float) -> float:
    """``measured - margin`` rounded down to three decimals (a floor never sits above
    what was measured)."""
    return math.floor(round((measured - margin) * 1000, 6)) / 1000


def repin(floors: Mapping[str, Floor], name: str, measured: float, *, today: str,
          allow_lower: bool = False, margin: float | None = None) -> dict[str, Floor]:
    """The baseline with ``name`` re-pinned at ``measured``; refuses to lower its floor
    unless ``allow_lower``."""
    if name not in floors:
        raise GateError(f"no floor named {name!r}; known: {', '.join(sorted(floors))}")
    if not 0 <= measured <= 1:
        raise GateError(f"{name}: a measured value is from 0 to 1, got {measured}")
    old = floors[name]
    margin = old.margin if margin is None else margin
    new_floor = max(0.0, floor_below(measured, margin))
    if new_floor < old.floor and not allow_lower:
        raise GateError(f"{name}: refused to lower the floor {old.floor} -> {new_floor} "
                        f"(measured {measured}, margin {margin}); a drop is a regression "
                        "to fix, or pass --allow-lower and say why in the commit")
    entry = replace(old, floor=new_floor, margin=margin, measured=round(measured, 4),
                    pinned=today)
    return {**floors, name: entry}


def repin_all(floors: Mapping[str, Floor], results: Mapping[str, float], *, today: str,
              allow_lower: bool = False) -> dict[str, Floor]:
    """Every figure of ``results`` re-pinned; all or nothing: one refused entry (or an
    unknown name) refuses the whole file."""
    unknown = sorted(set(results) - set(floors))
    if unknown:
        raise GateError(f"unknown names in the results: {', '.join(unknown)}")
    out, refused = dict(floors), []
    for name in sorted(results):
        try:
            out = repin(out, name, results[name], today=today, allow_lower=allow_lower)
        except GateError as exc:
            refused.append(str(exc))
    if refused:
        raise GateError("nothing written:\n  " + "\n  ".join(refused))
    return out


def table(floors: Mapping[str, Floor]) -> str:
    """The baseline as a Markdown table."""
    rows = ["| name | floor | measured | pinned | measured by |", "|---|---|---|---|---|"]
    rows += [f"| {n} | {f.floor} | {f.measured} | {f.pinned} | `{f.measured_by}` |"
             for n, f in sorted(floors.items())]
    return "\n".join(rows)


# -- command line ---------------------------------------------------------------------------
def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.gate",
        description="Show, check or re-pin the quality floors in tests/quality/baseline.json.")
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--check", action="store_true",
                        help="check the file is valid and in canonical form")
    action.add_argument("--format", action="store_true",
                        help="rewrite the file in canonical form (sorted, indented)")
    action.add_argument("--repin", nargs=2, metavar=("NAME", "VALUE"),
                        help="re-pin NAME at VALUE, the figure measured now")
    action.add_argument("--from", dest="results", type=Path, metavar="FILE",
                        help=f"re-pin every figure in FILE (the tests write it to ${RESULTS_ENV})")
    parser.add_argument("--allow-lower", action="store_true",
                        help="allow a re-pin that lowers a floor")
    parser.add_argument("--margin", type=float, help="with --repin: the entry's new margin")
    parser.add_argument("--baseline", type=Path, default=BASELINE, help="the baseline file")
    parser.add_argument("--date", default=datetime.now(UTC).date().isoformat(),
                        help="the pinning date (default: today, UTC)")
    return parser


def _changes(before: Mapping[str, Floor], after: Mapping[str, Floor]) -> list[str]:
    return [f"{n}: floor {before[n].floor} -> {after[n].floor} (measured {after[n].measured})"
            for n in sorted(after) if after[n] != before[n]]


def run(argv: list[str] | None = None) -> int:
    """The command line; returns the exit status (0 done, 1 refused or invalid)."""
    args = _parser().parse_args(argv)
    floors = load(args.baseline)
    if args.check:
        if args.baseline.read_text(encoding="utf-8") != dumps(floors):
            raise GateError(f"{args.baseline} is not in canonical form: run "
                            "`python -m benchmarks.gate --format`")
        print(f"{args.baseline}: {len(floors)} floors, valid and canonical")
        return 0
    if args.format:
        save(floors, args.baseline)
        print(f"{args.baseline}: rewritten in canonical form")
        return 0
    if args.repin is None and args.results is None:
        print(table(floors))
        return 0
    try:
        date.fromisoformat(args.date)
    except ValueError:
        raise GateError(f"--date must be YYYY-MM-DD, got {args.date!r}") from None
    if args.repin is not None:
        name, value = args.repin
        try:
            measured = float(value)
        except ValueError:
            raise GateError(f"VALUE must be a number, got {value!r}") from None
        after = repin(floors, name, measured, today=args.date,
                      allow_lower=args.allow_lower, margin=args.margin)
    else:
        after = repin_all(floors, read_results(args.results), today=args.date,
                          allow_lower=args.allow_lower)
    save(after, args.baseline)
    print("\n".join(_changes(floors, after)) or "no change")
    return 0


def main(argv: list[str] | None = None) -> int:
    """``run`` with refusals printed as one clear message instead of a traceback."""
    try:
        return run(argv)
    except (GateError, ValueError) as exc:
        print(f"gate: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
