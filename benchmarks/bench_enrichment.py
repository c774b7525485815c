"""CPU cost of the enrichment on real news, stage by stage, without the store or the embedder.

Run from the repository root::

    python -m benchmarks.bench_enrichment              # 300 CL-TLS pages
    python -m benchmarks.bench_enrichment --limit 100  # quicker

The articles are the CL-TLS es/fr/it pages (read at run time, never copied), sampled
as ``bench_throughput`` samples them, each cut at ``max_entity_chars`` as the pipeline
cuts it. Each goes through what ``newsweave annotate`` runs: the entity annotator
(sentences, mentions, places), then the dates, quotes and quantities finders. The
figure is the CPU time of this thread per article (``time.thread_time``), the steadier
measure on a shared machine; the annotator is loaded, and each finder warmed on three
articles, before the clock starts. The cross-article linking and the store writes
are not here: ``bench_throughput`` measures the whole ingest.

To compare two commits, run this in both checkouts one after the other, on the same
machine, and compare the ratio.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from .common import commit, find_data, machine, md_table, write_results
from .corpora import timelines

STAGES = ("entities", "dates", "quotes", "quantities")


def measure(records: list[dict[str, Any]]) -> dict[str, float]:
    """Seconds of CPU per stage over ``records``."""
    from newsweave.enrich.dates import DateFinder
    from newsweave.enrich.entities import Annotator
    from newsweave.enrich.quantities import QuantityFinders, scan_quantities
    from newsweave.enrich.quotes import QuoteFinder
    from newsweave.settings import Settings

    settings = Settings()
    cache = Path(settings.cache_dir) if settings.cache_dir else None
    annotator = Annotator.load(settings, cache)
    dates = DateFinder(max_expressions=settings.max_dates_per_article)
    quotes, quantities = QuoteFinder(), QuantityFinders()
    spent = dict.fromkeys(STAGES, 0.0)

    def one(text: str, lang: str, published: str, count: bool) -> None:
        marks = [time.thread_time()]
        analysis = annotator.analyse(text, lang)
        marks.append(time.thread_time())
        dates.find(text, analysis.lang, published, analysis.sentences)
        marks.append(time.thread_time())
        quotes.find(text, analysis.lang, analysis.sentences, analysis.mentions,
                    settings.quote_max_chars)
        marks.append(time.thread_time())
        scan_quantities(text, analysis.lang, analysis.sentences, finders=quantities,
                        max_quantities=settings.max_quantities_per_article,
                        max_value=settings.max_quantity_value)
        marks.append(time.thread_time())
        if count:
            for stage, a, b in zip(STAGES, marks, marks[1:], strict=False):
                spent[stage] += b - a

    limit = settings.max_entity_chars
    for r in records[:3]:  # warm-up: each language's word files read, rules compiled
        one(r["text"][:limit], r["lang"], r["published"][:10], count=False)
    for r in records:
        one(r["text"][:limit], r["lang"], r["published"][:10], count=True)
    return spent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="CPU cost of the enrichment stages.")
    parser.add_argument("--limit", type=int, default=300, help="CL-TLS pages (default 300)")
    args = parser.parse_args(argv)
    paths = find_data("timelines")
    if paths is None:
        print("skipped: ../shared/data/timelines not found (set NEWSWEAVE_SHARED)")
        return 0
    records = timelines(paths[0].parent, args.limit)
    load = machine()
    spent = measure(records)
    n = len(records)
    total = sum(spent.values())
    rows = [[stage, f"{1000 * s / n:.1f}"] for stage, s in spent.items()]
    rows.append(["enrichment", f"{1000 * total / n:.1f} ({n / total:.1f} articles/s)"])
    print(f"{n} CL-TLS pages, commit {commit()}, load {load.get('load_avg')}")
    print(md_table(["stage", "CPU ms / article"], rows))
    write_results("bench_enrichment", {"articles": n, "cpu_seconds": spent,
                                       "articles_per_cpu_s": n / total if total else 0.0,
                                       "machine": load, "commit": commit()})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
