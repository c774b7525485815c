"""Story quality on OG2021: newsweave's stories against hand-corrected gold clusters.

Run from the repository root::

    python -m benchmarks.bench_stories                  # full stream, temp database
    python -m benchmarks.bench_stories --limit 1000     # first 1,000 headlines only
    python -m benchmarks.bench_stories --db og.db       # ingest into og.db and keep it;
                                                        # if og.db has articles: no ingest

Data (read at run time, never copied): ``../shared/data/stories/og2021_dev.jsonl``
(9,666 Olympic headlines, 9 languages) and ``og2021_dev_gold.tsv`` (gold story and
language per id). The JSONL goes through the real :class:`Pipeline`, in time order;
each article's ``external_id`` maps it to its gold story. Baselines, computed here on
the same stream: all-singletons; TF-IDF single-pass; e5 single-pass on the raw vectors
the pipeline stored, and on its normalised ones (see :mod:`.baselines`).
To score new story settings without re-embedding: ``newsweave recluster --db og.db``
then rerun with ``--db og.db``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from .baselines import best_threshold, dense_single_pass, grid, tfidf_single_pass
from .common import cluster_scores, find_data, md_table, timer, write_results
from .corpora import (
    ingest_or_reuse,
    ingest_runs,
    og2021,
    stored_stories,
    weights_fingerprint,
)

E5_GRID = grid(0.86, 0.96, 0.01)
CENTRED_GRID = grid(0.30, 0.80, 0.05)
TFIDF_GRID = grid(0.10, 0.70, 0.05)


def vector_baselines(db: Path, rows: list[dict[str, Any]], gold: dict[str, str]
                     ) -> dict[str, dict[str, Any]]:
    """e5 single-pass on the stored raw and normalised vectors (``cvector``: language
    centring and top-component removal, as the pipeline made them), in stream order.

    Duplicates have no vector of their own: they take their original's cluster.
    """
    from newsweave.store.sqlite import Store, from_blob

    with Store(db, readonly=True) as store:
        vecs = {int(r[0]): (from_blob(r[1]), from_blob(r[2])) for r in
                store.conn.execute("SELECT article_id, vector, cvector FROM vectors")}
    order = [r for r in rows if r["id"] in vecs]
    ext = {r["id"]: r["external_id"] for r in rows}
    ids = [r["external_id"] for r in order]

    def expand(pred: dict[str, int]) -> dict[str, Any]:
        out: dict[str, Any] = dict(pred)
        for r in rows:
            if r["id"] not in vecs:
                original = ext.get(r["duplicate_of"]) if r["duplicate_of"] else None
                out[r["external_id"]] = pred.get(original, f"alone-{r['id']}")
        return out

    results = {}
    for name, column, thresholds in (("e5 raw", 0, E5_GRID),
                                     ("e5 normalised", 1, CENTRED_GRID)):
        with timer() as t:
            matrix = np.stack([vecs[r["id"]][column] for r in order])
            labels = dense_single_pass(matrix, thresholds)
        best, pred, curve = best_threshold(labels, ids, gold, expand)
        results[name] = {"pred": pred, "threshold": best, "curve": curve, "seconds": t["wall"]}
    return results


def duplicate_links(db: Path, gold: dict[str, str]) -> dict[str, dict[str, int]]:
    """Exact and near duplicates the pipeline linked, and how many link the same gold story.

    A duplicate takes its original's story without being clustered, so a wrong link
    is a story error that no clustering setting can fix.
    """
    from newsweave.store.sqlite import Store

    with Store(db, readonly=True) as store:
        rows = store.conn.execute(
            "SELECT a.external_id, a.duplicate_kind, o.external_id FROM articles a "
            "JOIN articles o ON o.id = a.duplicate_of").fetchall()
    out: dict[str, dict[str, int]] = {}
    for ext, kind, original in rows:
        if ext in gold and original in gold:
            entry = out.setdefault(kind, {"links": 0, "same_gold_story": 0})
            entry["links"] += 1
            entry["same_gold_story"] += gold[ext] == gold[original]
    return out


def score_all(db: Path, records: list[dict[str, Any]], gold: dict[str, str],
              lang: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Scores of newsweave and of every baseline, by system name."""
    mapping, rows = stored_stories(db)
    missing = [i for i in gold if i not in mapping]
    if missing:
        print(f"  warning: {len(missing)} gold ids not stored (scored as singletons), "
              f"e.g. {missing[:3]}", file=sys.stderr)
    systems: dict[str, dict[str, Any]] = {
        "newsweave": {"pred": {i: mapping.get(i, f"missing-{i}") for i in gold}},
        "all singletons": {"pred": {i: i for i in gold}}}
    with timer() as t:
        labels = tfidf_single_pass([r["text"] for r in records], TFIDF_GRID)
    best, pred, curve = best_threshold(labels, [r["id"] for r in records], gold, dict)
    systems["tf-idf"] = {"pred": pred, "threshold": best, "curve": curve, "seconds": t["wall"]}
    systems.update(vector_baselines(db, rows, gold))
    for system in systems.values():
        system["scores"] = cluster_scores(system.pop("pred"), gold, lang)
    return systems


def tables(systems: dict[str, dict[str, Any]], gold_stories: int) -> str:
    """The overall table and the per-language BCubed F1 table."""
    rows = []
    for name, s in systems.items():
        sc, pw, b3 = s["scores"], s["scores"]["pairwise"], s["scores"]["bcubed"]
        label = f"{name} (t={s['threshold']:g})" if "threshold" in s else name
        rows.append([label, sc["clusters"], pw["p"], pw["r"], pw["f1"], pw["xl_r"],
                     b3["p"], b3["r"], b3["f1"], sc["bcubed_within_lang"]["f1"]])
    head = ["system", "stories", "pair P", "pair R", "pair F1", "cross-lingual pair R",
            "BCubed P", "BCubed R", "BCubed F1", "within-language BCubed F1"]
    out = md_table(head, rows) + f"\n\nGold: {gold_stories} stories.\n\n"
    langs = systems["newsweave"]["scores"]["bcubed_by_lang"]
    per = [[lang, info["n"], *[s["scores"]["bcubed_by_lang"][lang]["f1"]
                               for s in systems.values()]] for lang, info in langs.items()]
    return out + md_table(["language", "items", *[f"{n} B3 F1" for n in systems]], per)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Story quality on OG2021 headlines.")
    parser.add_argument("--limit", type=int, default=None, help="first N headlines only")
    parser.add_argument("--db", help="database to ingest into and keep; reused if ingested")
    args = parser.parse_args(argv)
    paths = find_data("stories/og2021_dev.jsonl", "stories/og2021_dev_gold.tsv")
    if paths is None:
        return 0
    records, gold, lang = og2021(paths[0].parents[1], args.limit)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(args.db) if args.db else Path(tmp) / "og2021.db"
        run = ingest_or_reuse(db, records, Path(tmp), "og2021")
        fingerprint = weights_fingerprint(db)
        systems = score_all(db, records, gold, lang)
        duplicates = duplicate_links(db, gold)
        runs = ingest_runs(db)
    print(f"\n## Story quality, OG2021 ({len(gold)} headlines)\n")
    print(tables(systems, len(set(gold.values()))))
    if run:
        print(f"\nIngest: {run['articles']} articles in {run['wall_s']:.0f} s "
              f"({run['articles_per_s']:.1f}/s, embedding {100 * run['embed_share']:.0f}%)")
    for kind, d in duplicates.items():
        print(f"{kind} duplicates linked: {d['links']}, same gold story: {d['same_gold_story']}")
    print(f"Weights: {fingerprint}")
    write_results("bench_stories", {"items": len(gold), "gold_stories": len(set(gold.values())),
                                    "limit": args.limit, "weights": fingerprint,
                                    "ingest": run, "db_runs": runs, "duplicates": duplicates,
                                    "systems": systems})
    return 0


if __name__ == "__main__":
    sys.exit(main())
