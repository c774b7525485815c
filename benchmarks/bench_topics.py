"""Topic purity on full articles: do stories of full-length news stay within one crisis?

Run from the repository root::

    python -m benchmarks.bench_topics               # all ~1,500 es/fr/it articles
    python -m benchmarks.bench_topics --limit 300   # an even sample across language x topic
    python -m benchmarks.bench_topics --db tl.db    # keep (or reuse) the database

Data (read at run time, never copied): ``../shared/data/timelines/{es,fr,it}/<topic>/
<YYYY-MM-DD>/*.txt``, CL-TLS news and blog articles about the crises in Egypt, Libya
and Syria. There is no story-level gold, only the topic (the folder); a story that
mixes two topics is certainly wrong, so BCubed *precision* against topics is a floor
on story precision. Recall against topics is expected to be low (a topic holds many
stories) and is shown only for completeness. The files are written to a temporary
JSONL with the folder date as ``published`` and ingested together, in time order.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from .common import bcubed, find_data, md_table, write_results
from .corpora import (
    ingest_or_reuse,
    stored_stories,
    timelines,
    weights_fingerprint,
)


def story_mix(pred: dict[str, Any], topic: dict[str, str], lang: dict[str, str]
              ) -> dict[str, Any]:
    """Stories, stories mixing topics and the articles in them, multilingual stories."""
    members: dict[Any, list[str]] = defaultdict(list)
    for item, story in pred.items():
        members[story].append(item)
    mixed = [m for m in members.values() if len({topic[i] for i in m}) > 1]
    multi = [m for m in members.values() if len({lang[i] for i in m}) > 1]
    sizes = Counter(len(m) for m in members.values())
    return {"stories": len(members), "singletons": sizes.get(1, 0),
            "largest": max((len(m) for m in members.values()), default=0),
            "mixed_stories": len(mixed),
            "mixed_articles": sum(len(m) for m in mixed),
            "mixed_share": sum(len(m) for m in mixed) / max(len(pred), 1),
            "multilingual_stories": len(multi),
            "multilingual_articles": sum(len(m) for m in multi)}


def score(pred: dict[str, Any], topic: dict[str, str], lang: dict[str, str]
          ) -> dict[str, Any]:
    """BCubed against topics (overall and per language) and the story mix."""
    by_lang: dict[str, list[str]] = defaultdict(list)
    for item in topic:
        by_lang[lang[item]].append(item)
    return {"bcubed": bcubed(pred, topic),
            "bcubed_by_lang": {k: bcubed(pred, topic, v) for k, v in sorted(by_lang.items())},
            **story_mix(pred, topic, lang)}


def report(result: dict[str, Any], articles: int) -> str:
    b3 = result["bcubed"]
    head = ["articles", "stories", "singletons", "largest", "BCubed P (purity)", "BCubed R",
            "BCubed F1", "stories mixing topics", "articles in them", "multilingual stories"]
    row = [articles, result["stories"], result["singletons"], result["largest"], b3["p"],
           b3["r"], b3["f1"], result["mixed_stories"],
           f"{result['mixed_articles']} ({100 * result['mixed_share']:.1f}%)",
           f"{result['multilingual_stories']} ({result['multilingual_articles']} articles)"]
    per = [[lang, v["n"], v["p"], v["r"]] for lang, v in result["bcubed_by_lang"].items()]
    return (md_table(head, [row]) + "\n\n"
            + md_table(["language", "articles", "BCubed P", "BCubed R"], per))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Topic purity of stories on full articles.")
    parser.add_argument("--limit", type=int, default=None,
                        help="about N articles, sampled evenly across language x topic")
    parser.add_argument("--db", help="database to ingest into and keep; reused if ingested")
    args = parser.parse_args(argv)
    paths = find_data("timelines")
    if paths is None:
        return 0
    records = timelines(paths[0].parent, args.limit)
    if not records:
        print(f"skipped: no es/fr/it articles found under {paths[0]}")
        return 0
    topic = {r["id"]: r["topic"] for r in records}
    lang = {r["id"]: r["lang"] for r in records}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(args.db) if args.db else Path(tmp) / "timelines.db"
        run = ingest_or_reuse(db, records, Path(tmp), "timelines")
        mapping, _ = stored_stories(db)
        fingerprint = weights_fingerprint(db)
    pred = {i: mapping.get(i, f"missing-{i}") for i in topic}
    result = score(pred, topic, lang)
    counts = Counter((r["lang"], r["topic"]) for r in records)
    print(f"\n## Topic purity, CL-TLS es/fr/it ({len(records)} articles)\n")
    print(report(result, len(records)))
    if run:
        print(f"\nIngest: {run['articles']} articles in {run['wall_s']:.0f} s "
              f"({run['articles_per_s']:.2f}/s, embedding {100 * run['embed_share']:.0f}%); "
              f"{run['report']['exact_duplicates']} exact and "
              f"{run['report']['near_duplicates']} near duplicates")
    print(f"Weights: {fingerprint}")
    write_results("bench_topics", {"articles": len(records), "limit": args.limit,
                                   "by_lang_topic": {f"{k[0]}/{k[1]}": v
                                                     for k, v in sorted(counts.items())},
                                   "weights": fingerprint, "ingest": run, "result": result})
    return 0


if __name__ == "__main__":
    sys.exit(main())
