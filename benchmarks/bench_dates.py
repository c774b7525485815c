"""Byline dates: how many scraped articles state their date, and how often it is right.

Run from the repository root::

    python -m benchmarks.bench_dates
    python -m benchmarks.bench_dates --show wrong     # print each wrong byline line
    python -m benchmarks.bench_dates --show all       # every dated article

Data (read at run time, never copied): ``../shared/data/timelines``, CL-TLS
(``<lang>/<topic>/<YYYY-MM-DD>/*.txt``, scraped pages in es, fr, it; the folder
gives the publication date; ``reference/`` folders are timelines, not articles).

Each file is decoded as ``newsweave ingest`` decodes it, and
:func:`newsweave.ingest.bylines.byline_date` reads its text alone (the path is not
used). Reported per language and per kind of byline: articles, articles given a
date, and of those how many equal the folder date, are one day off (time zones,
late-evening posts, folders that round), or are wrong (further off). Precision
matters more than recall here: a wrong date misplaces an article in the story clock.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks.common import find_data, md_table, write_results


def articles(root: Path) -> list[tuple[str, date, Path]]:
    """(language, folder date, path) of every article file, in sorted order."""
    out = []
    for path in sorted(root.glob("*/*/*/*.txt")):
        lang, topic, day = path.relative_to(root).parts[:3]
        if topic == "reference":
            continue
        try:
            out.append((lang, date.fromisoformat(day), path))
        except ValueError:
            continue
    return out


def measure(items: list[tuple[str, date, Path]], show: str) -> dict[str, Any]:
    """Counts per language and per byline kind: n, dated, exact, one day off, wrong."""
    from newsweave.ingest.bylines import byline_date
    from newsweave.ingest.decode import decode_bytes

    by_lang: dict[str, Counter] = defaultdict(Counter)
    by_kind: dict[str, Counter] = defaultdict(Counter)
    for lang, gold, path in items:
        found = byline_date(decode_bytes(path.read_bytes()).text)
        by_lang[lang]["articles"] += 1
        by_lang["all"]["articles"] += 1
        if found is None:
            continue
        off = abs((found.day - gold).days)
        verdict = "exact" if off == 0 else "one_day" if off == 1 else "wrong"
        for counter in (by_lang[lang], by_lang["all"], by_kind[found.kind]):
            counter["dated"] += 1
            counter[verdict] += 1
        if show == "all" or (show == "wrong" and verdict == "wrong"):
            where = path.relative_to(path.parents[3])
            print(f"{verdict:<8} {gold} {found.day} {found.kind:<10} {where}  | {found.line[:120]}")
    return {"by_language": {k: dict(v) for k, v in sorted(by_lang.items())},
            "by_kind": {k: dict(v) for k, v in sorted(by_kind.items())}}


def _row(name: str, c: dict[str, int]) -> list[Any]:
    dated = c.get("dated", 0)
    share = f"{dated / c['articles']:.1%}" if c.get("articles") else "-"
    right = f"{(c.get('exact', 0) + c.get('one_day', 0)) / dated:.1%}" if dated else "-"
    return [name, c.get("articles", "-"), dated, share, c.get("exact", 0), c.get("one_day", 0),
            c.get("wrong", 0), right]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Byline dates on CL-TLS against folder dates.")
    parser.add_argument("--show", choices=["none", "wrong", "all"], default="none",
                        help="print the byline line of wrong (or all) dated articles")
    args = parser.parse_args(argv)
    paths = find_data("timelines")
    if paths is None:
        return 0
    result = measure(articles(paths[0]), args.show)
    head = ["", "articles", "dated", "share", "exact", "±1 day", "wrong", "within 1 day"]
    print("\n## Byline dates on CL-TLS (text only, against the folder date)\n")
    print(md_table(head, [_row(k, v) for k, v in result["by_language"].items()]))
    print("\nBy kind of byline:\n")
    print(md_table(head, [_row(k, v) for k, v in result["by_kind"].items()]))
    write_results("bench_dates", result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
