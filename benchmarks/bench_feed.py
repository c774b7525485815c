"""Story feed latency at scale: server time of ``/ui/`` at 100k stored articles, on
SQLite and PostgreSQL, for each sort and the filters.

Run from the repository root::

    python -m benchmarks.bench_feed                          # 100k, both backends
    python -m benchmarks.bench_feed --articles 10000 --backends sqlite

No data needed: stories of invented shape are written straight to the store
(:mod:`benchmarks.feedfill`): story sizes drawn from a long-tailed law (most stories
1 to 5 articles, a few hundreds), each story's articles spread over 1 to 6 days
within half a year, 5 languages, 60 outlets, entities and places named, a claim in
one article out of five. Each URL is fetched once ("first": nothing of it in the
feed's memo of claim counts) and then ``--repeats`` times through the app
(Starlette's TestClient, in process); the figures are the wall-clock time of the
whole request, p50 and p95 of the repeats.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from contextlib import nullcontext
from datetime import UTC, datetime, timedelta
from pathlib import Path

from .feedfill import Art, StorySpec, fill

LANGS = ("en", "it", "es", "fr", "de")
COUNTRIES = ("IQ", "FR", "IT", "ES", "DE", "US", "GB", "SY", "TR", "IR")
URLS = ("/ui/", "/ui/?sort=size", "/ui/?sort=growth", "/ui/?sort=growth&hours=168",
        "/ui/?lang=de", "/ui/?place=IQ", "/ui/?entity=Person%207",
        "/ui/?from=2020-03-01&to=2020-03-07", "/ui/?sort=growth&lang=it&place=FR")


def specs(n_articles: int, seed: int = 5) -> list[StorySpec]:
    """Stories holding ``n_articles`` in all."""
    rng = random.Random(seed)
    start = datetime(2020, 1, 1, tzinfo=UTC)
    out, left = [], n_articles
    while left > 0:
        size = min(left, max(1, int(rng.paretovariate(1.2))))
        left -= size
        begin = start + timedelta(hours=rng.uniform(0, 180 * 24))
        days = rng.uniform(1, 6)
        people = [f"PER:Person {rng.randrange(3000)}" for _ in range(3)]
        places = [f"LOC:Place {k}@{COUNTRIES[k % len(COUNTRIES)]}"
                  for k in (rng.randrange(500) for _ in range(2))]
        counted = f"thing{rng.randrange(50)}"
        arts = []
        for _ in range(size):
            when = begin + timedelta(days=min(days, rng.expovariate(2 / days)))
            claims = ((counted, float(rng.choice((100, 120, 300)))),) if rng.random() < .2 else ()
            arts.append(Art(when.replace(microsecond=0), rng.choice(LANGS),
                            f"Outlet {rng.randrange(60)}",
                            (rng.choice(people), rng.choice(places)), claims))
        arts.sort(key=lambda a: a.published)
        out.append(StorySpec(f"Story {len(out)} {arts[0].lang}", arts))
    return out


def measure(db: str, repeats: int) -> dict[str, tuple[float, float, float, int]]:
    """``{url: (first ms, p50 ms, p95 ms, status)}``: the first request of each URL
    (nothing of it remembered yet: the feed keeps claim counts between pages), then
    the median and 95th percentile of ``repeats`` more."""
    from fastapi.testclient import TestClient

    from newsweave.api.app import ServeConfig, create_app

    out = {}
    with TestClient(create_app(ServeConfig(db=db))) as client:
        client.get("/ui/?lang=zz")  # the app's own warm-up (store, templates): no rows
        for url in URLS:
            t = time.perf_counter()
            status = client.get(url).status_code
            first = (time.perf_counter() - t) * 1000
            times = []
            for _ in range(repeats):
                t = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - t) * 1000)
            times.sort()
            out[url] = (first, statistics.median(times), times[int(0.95 * (len(times) - 1))],
                        status)
    return out


def run(backend: str, n_articles: int, repeats: int, keep: Path | None) -> None:
    from newsweave.store.open import open_store

    from .bench_backends import local_postgres

    where = (local_postgres() if backend == "postgres"
             else nullcontext(str((keep or Path(tempfile.mkdtemp())) / f"feed{n_articles}.db")))
    with where as db:
        store = open_store(db)
        if store.count("articles") < n_articles:
            t = time.perf_counter()
            fill(store, specs(n_articles))
            print(f"{backend}: filled {n_articles:,} articles in {time.perf_counter() - t:.0f} s",
                  file=sys.stderr, flush=True)
        stories = store.count("stories")
        store.close()
        for url, (first, p50, p95, status) in measure(db, repeats).items():
            print(f"| {backend} | {n_articles:,} | {stories:,} | `{url}` | {status} | "
                  f"{first:.0f} | {p50:.0f} | {p95:.0f} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--keep", type=Path, help="folder to keep (and reuse) the SQLite store")
    args = parser.parse_args()
    print("| backend | articles | stories | URL | status | first ms | p50 ms | p95 ms |")
    print("|---|---|---|---|---|---|---|---|")
    for backend in args.backends.split(","):
        run(backend, args.articles, args.repeats, args.keep)


if __name__ == "__main__":
    main()
