"""Per-article ingest cost as the store grows: does adding an article stay as cheap
at 100,000 stored articles as at 1,000?

Run from the repository root::

    python -m benchmarks.bench_scale                        # 1k, 10k, 100k
    python -m benchmarks.bench_scale --levels 1000,5000     # quick

No data needed: synthetic articles (:mod:`benchmarks.synthetic`) and a synthetic
embedder, passed to :class:`Pipeline`, so the figures are the pipeline's own cost
(language ID, cleaning, MinHash, SQLite, HNSW, story scoring), not the model's. One
store grows level by level; at each level a fresh :class:`Pipeline` is opened (as a
new ``newsweave ingest`` would: index loaded from disk) and a fixed batch of new
articles is timed, three times (median reported; CPU time of this process is the
figure to trust on a shared machine, wall time is shown too). Everything runs in this
one process, so the peak RSS is the process's own.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from .common import TimedEmbedder, commit, md_table, peak_rss_mb, timer, write_results
from .corpora import write_jsonl
from .synthetic import SyntheticEmbedder, SyntheticNews

FILL_CHUNK = 5000


def fill(db: Path, news: SyntheticNews, target: int, tmp: Path) -> None:
    """Ingest synthetic articles until ``db`` holds ``target`` articles."""
    from newsweave.pipeline import Pipeline
    from newsweave.settings import Settings
    from newsweave.store.sqlite import Store

    with Store(db) as store:
        pipeline = Pipeline(store, Settings(), embedder=SyntheticEmbedder())
        while (have := store.count("articles")) < target:
            chunk = news.records(min(FILL_CHUNK, target - have))
            with timer() as t:
                report = pipeline.ingest([str(write_jsonl(chunk, tmp / "fill.jsonl"))])
            print(f"  filled to {store.count('articles')} articles "
                  f"({len(chunk) / t['wall']:.0f}/s, {report.new_stories} new stories)",
                  file=sys.stderr, flush=True)


def measure(db: Path, news: SyntheticNews, batch: int, tmp: Path) -> dict[str, Any]:
    """Open a fresh pipeline on ``db`` and time one batch of new articles."""
    from newsweave.pipeline import Pipeline
    from newsweave.settings import Settings
    from newsweave.store.sqlite import Store

    source = write_jsonl(news.records(batch), tmp / "measure.jsonl")
    embedder = TimedEmbedder(SyntheticEmbedder())
    with Store(db) as store:
        stored = store.count("articles")
        stories = store.count("stories")
        pipeline = Pipeline(store, Settings(), embedder=embedder)
        with timer() as opening:
            _ = pipeline.clusterer  # loads the HNSW index and the story state
        saving = time_index_saves(pipeline.index)
        with timer() as t:
            report = pipeline.ingest([str(source)])
    wall = t["wall"] - embedder.seconds
    cpu = t["cpu"] - embedder.cpu_seconds
    save_cpu = sum(s["cpu"] for s in saving)
    index = db.with_name(db.name + ".hnsw")
    return {"stored": stored, "stories": stories, "batch": batch, "new": report.new,
            "open_s": opening["wall"], "ms_per_article": 1000 * wall / batch,
            "cpu_ms_per_article": 1000 * cpu / batch, "embed_s": embedder.seconds,
            "save_s": sum(s["wall"] for s in saving),
            "marginal_cpu_ms_per_article": 1000 * (cpu - save_cpu) / batch,
            "db_mb": sum(p.stat().st_size for p in db.parent.glob(db.name + "*")
                         if not p.name.endswith(".hnsw")) / 2**20,
            "index_mb": index.stat().st_size / 2**20 if index.exists() else 0.0,
            "rss_mb_so_far": peak_rss_mb()}


def time_index_saves(index: Any) -> list[dict[str, float]]:
    """Time every ``index.save()`` from now on: the one cost paid per ingest call, not
    per article (the whole HNSW file is rewritten), reported apart from the rest."""
    timings: list[dict[str, float]] = []
    save = index.save

    def timed_save() -> None:
        with timer() as t:
            save()
        timings.append(t)

    index.save = timed_save
    return timings


def measure_level(db: Path, news: SyntheticNews, batch: int, repeats: int, tmp: Path
                  ) -> dict[str, Any]:
    """``repeats`` timed batches at one level; the median cost, every run kept.

    On a shared machine one batch of 500 is easily disturbed; the median of a few is
    steadier. The level is the store size before the first batch.
    """
    runs = [measure(db, news, batch, tmp) for _ in range(repeats)]
    first, last = runs[0], runs[-1]
    return {**last, "stored": first["stored"], "stories": first["stories"],
            "open_s": statistics.median(r["open_s"] for r in runs),
            "ms_per_article": statistics.median(r["ms_per_article"] for r in runs),
            "cpu_ms_per_article": statistics.median(r["cpu_ms_per_article"] for r in runs),
            "save_s": statistics.median(r["save_s"] for r in runs),
            "marginal_cpu_ms_per_article": statistics.median(
                r["marginal_cpu_ms_per_article"] for r in runs),
            "runs": runs}


def table(levels: list[dict[str, Any]]) -> str:
    base = levels[0]
    head = ["stored articles", "stories", "open s", "ms / article (wall)",
            "ms / article (CPU)", "x first level (CPU)", "index save s",
            "ms / article without the save (CPU)", "x first level", "DB MB", "index MB",
            "peak RSS MB"]
    rows = [[f"{m['stored']:,}", f"{m['stories']:,}", f"{m['open_s']:.2f}",
             f"{m['ms_per_article']:.2f}", f"{m['cpu_ms_per_article']:.2f}",
             f"{m['cpu_ms_per_article'] / base['cpu_ms_per_article']:.2f}",
             f"{m['save_s']:.2f}", f"{m['marginal_cpu_ms_per_article']:.2f}",
             f"{m['marginal_cpu_ms_per_article'] / base['marginal_cpu_ms_per_article']:.2f}",
             f"{m['db_mb']:.0f}", f"{m['index_mb']:.0f}", f"{m['rss_mb_so_far']:.0f}"]
            for m in levels]
    return md_table(head, rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Per-article ingest cost vs store size.")
    parser.add_argument("--levels", default="1000,10000,100000",
                        help="store sizes to measure at, comma-separated")
    parser.add_argument("--batch", type=int, default=500, help="articles timed per batch")
    parser.add_argument("--repeats", type=int, default=3,
                        help="timed batches per level (the median is reported)")
    parser.add_argument("--db", help="keep the grown database here (default: temporary)")
    args = parser.parse_args(argv)
    targets = sorted(int(x) for x in args.levels.split(","))
    news = SyntheticNews()
    code = commit()
    levels = []
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(args.db) if args.db else Path(tmp) / "scale.db"
        if db.exists():
            print(f"skipped: {db} exists; give a new path", file=sys.stderr)
            return 1
        for target in targets:
            fill(db, news, target, Path(tmp))
            levels.append(measure_level(db, news, args.batch, args.repeats, Path(tmp)))
            print(f"  measured at {levels[-1]['stored']:,}: "
                  f"{levels[-1]['cpu_ms_per_article']:.2f} CPU ms/article", file=sys.stderr)
    first, last = levels[0], levels[-1]
    ratio = last["cpu_ms_per_article"] / first["cpu_ms_per_article"]
    wall_ratio = last["ms_per_article"] / first["ms_per_article"]
    marginal = last["marginal_cpu_ms_per_article"] / first["marginal_cpu_ms_per_article"]
    peak = peak_rss_mb()
    print("\n## Per-article ingest cost vs store size (synthetic articles and embedder)\n")
    print(table(levels))
    print(f"\nCost at {last['stored']:,} / cost at {first['stored']:,}: {ratio:.2f}x CPU, "
          f"{wall_ratio:.2f}x wall (target <= 1.5x); {marginal:.2f}x CPU without the "
          f"per-call index save. Peak RSS of the process: {peak:.0f} MB "
          "(target <= 1024 MB at 100k).")
    write_results("bench_scale", {"code_at_start": code, "batch": args.batch,
                                  "repeats": args.repeats, "levels": levels,
                                  "cost_ratio_cpu": ratio, "cost_ratio_wall": wall_ratio,
                                  "cost_ratio_cpu_without_save": marginal,
                                  "peak_rss_mb": peak})
    return 0


if __name__ == "__main__":
    sys.exit(main())
