"""Run every benchmark in sequence, each in its own process (its own peak RSS).

    python -m benchmarks.run_all            # full data: an hour or more on 2 cores
    python -m benchmarks.run_all --quick    # small limits: a few minutes

Each benchmark prints its table and writes ``benchmarks/out/<name>.json`` (with
``--quick``: ``benchmarks/out/quick/``); one that finds no data prints "skipped: ..."
and exits 0. ``bench_langid`` (which rewrites
``docs/language.md``) runs with ``--no-write``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

from .common import OUT, OUT_ENV, ROOT

FULL: list[tuple[str, list[str]]] = [
    ("bench_langid", ["--no-write"]),
    ("bench_pairs", []),
    ("bench_stories", []),
    ("bench_topics", []),
    ("bench_throughput", []),
    ("bench_scale", []),
    ("bench_dates", []),
    ("bench_timelines", []),
    ("bench_search", []),
]
QUICK: dict[str, list[str]] = {
    "bench_langid": ["--no-write", "--only", "newsweave"],
    "bench_pairs": ["--limit", "60"],
    "bench_stories": ["--limit", "500"],
    "bench_topics": ["--limit", "60"],
    "bench_throughput": ["--og-limit", "300", "--tl-limit", "60"],
    "bench_scale": ["--levels", "500,2000", "--batch", "200"],
    "bench_dates": [],
    "bench_timelines": ["--limit", "60"],
    "bench_search": ["--demo-only"],
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run every benchmark.")
    parser.add_argument("--quick", action="store_true", help="small limits, for a smoke run")
    parser.add_argument("--only", action="append", choices=[name for name, _ in FULL],
                        help="run only these benchmarks")
    args = parser.parse_args(argv)
    failed = []
    env = {**os.environ, "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "2")}
    if args.quick:  # small-limit results must not overwrite the full ones
        env[OUT_ENV] = str(OUT / "quick")
    for name, full_args in FULL:
        if args.only and name not in args.only:
            continue
        extra = QUICK.get(name, full_args) if args.quick else full_args
        print(f"\n# {name} {' '.join(extra)}", flush=True)
        started = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", f"benchmarks.{name}", *extra], cwd=ROOT,
                              env=env, check=False)
        print(f"({name}: exit {proc.returncode}, {time.perf_counter() - started:.0f} s)",
              flush=True)
        if proc.returncode != 0:
            failed.append(name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
