"""Hand annotations on the CL-TLS timelines: sample the headline set, check both files.

Run from the repository root::

    python -m benchmarks.cltls_annotations sample   # the 150 articles of the headline set
    python -m benchmarks.cltls_annotations check    # validate the TSVs, print counts

Data (read at run time, never copied): ``../shared/data/timelines/<lang>/<topic>/
<YYYY-MM-DD>/*.txt`` (set ``NEWSWEAVE_SHARED`` when the repository is not beside
``shared``). The annotation files hold paths relative to that folder, labels, line
numbers and short English notes only; see ``benchmarks/data/README.md``.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from collections import Counter
from datetime import date
from pathlib import Path

from benchmarks.common import ROOT, find_data

DATA = ROOT / "benchmarks" / "data"
PAIRS = DATA / "cltls_pairs.tsv"
TITLES = DATA / "cltls_titles.tsv"
LANGS = ("es", "fr", "it")
TOPICS = ("egypt", "libya", "syria")
SEED = 20261207  # the headline sample; changing it changes the set
PER_LANG = 50
MAX_PAIRS_PER_EVENT = 6
SAME_DAYS = 7  # the most days between the two dates of a same-event pair
DIFFERENT_DAYS = 7  # the same for a different-event pair


def article_paths(root: Path) -> list[str]:
    """Every article file under ``root`` (the timelines folder), relative and sorted.

    Only ``<lang>/<topic>/<date>/*.txt`` for the three languages and topics counts: the
    ``reference`` timelines and the English folder are not articles.
    """
    found = []
    for lang in LANGS:
        for topic in TOPICS:
            found += [p.relative_to(root).as_posix() for p in (root / lang / topic).glob("*/*.txt")]
    return sorted(found)


def headline_sample(paths: list[str]) -> list[tuple[str, str]]:
    """``PER_LANG`` articles per language drawn with ``SEED``, each with its split.

    The split alternates dev, holdout in the sample's sorted order.
    """
    rng = random.Random(SEED)
    chosen: list[str] = []
    for lang in LANGS:
        chosen += rng.sample([p for p in paths if p.startswith(lang + "/")], PER_LANG)
    chosen.sort()
    return [(p, "dev" if i % 2 == 0 else "holdout") for i, p in enumerate(chosen)]


def read_tsv(path: Path) -> list[dict[str, str]]:
    """The rows of a tab-separated file with a header line."""
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def read_lines(path: Path) -> list[str]:
    """A file's lines as ``headline_line`` counts them: split on ``\\n`` only.

    ``str.splitlines`` also splits on form feeds and Unicode line separators; it gives
    the same numbers for the 150 files annotated, but need not for others.
    """
    return path.read_text(encoding="utf-8", errors="replace").split("\n")


def folder_date(path: str) -> date:
    """The publication date a path's folder gives."""
    return date.fromisoformat(path.split("/")[2])


def check_pairs(rows: list[dict[str, str]], root: Path) -> list[str]:
    """Every rule the pair file must keep; returns the broken ones as messages."""
    errors = []
    seen: set[frozenset[str]] = set()
    event_split: dict[str, str] = {}
    per_event: Counter[str] = Counter()
    for n, row in enumerate(rows, start=2):
        a, b, label, event, split = (row.get(k, "") for k in ("a", "b", "label", "event", "split"))
        where = f"line {n}"
        for p in (a, b):
            if not (root / p).is_file():
                errors.append(f"{where}: no such file {p}")
        if a == b:
            errors.append(f"{where}: a pair of one file")
        key = frozenset((a, b))
        if key in seen:
            errors.append(f"{where}: pair repeated")
        seen.add(key)
        if label not in ("same", "different"):
            errors.append(f"{where}: label {label!r}")
        if split not in ("dev", "holdout"):
            errors.append(f"{where}: split {split!r}")
        if not event.strip():
            errors.append(f"{where}: no event note")
        if a.split("/")[1:2] != b.split("/")[1:2]:
            errors.append(f"{where}: topics differ")
        days = abs((folder_date(a) - folder_date(b)).days)
        limit = SAME_DAYS if label == "same" else DIFFERENT_DAYS
        if days > limit:
            errors.append(f"{where}: {days} days apart")
        if label == "same":
            if event_split.setdefault(event, split) != split:
                errors.append(f"{where}: event {event!r} in both splits")
            per_event[event] += 1
    errors += [
        f"event {e!r} has {k} pairs" for e, k in per_event.items() if k > MAX_PAIRS_PER_EVENT
    ]
    return errors


def check_titles(rows: list[dict[str, str]], root: Path) -> list[str]:
    """The headline file must list exactly the sample, with valid line numbers."""
    errors = []
    expected = dict(headline_sample(article_paths(root)))
    got = {row["path"]: row for row in rows}
    if len(got) != len(rows):
        errors.append("a path is listed twice")
    if set(got) != set(expected):
        errors.append(
            f"paths differ from the sample: {len(set(expected) - set(got))} missing, "
            f"{len(set(got) - set(expected))} extra"
        )
    for path, row in got.items():
        lines = read_lines(root / path) if path in expected else []
        try:
            line = int(row["headline_line"])
        except ValueError:
            errors.append(f"{path}: headline_line {row['headline_line']!r}")
            continue
        if not 0 <= line <= len(lines) or (line and not lines[line - 1].strip()):
            errors.append(f"{path}: line {line} is not a text line")
        if row.get("split") != expected.get(path):
            errors.append(f"{path}: split {row.get('split')!r}, sample says {expected.get(path)}")
    return errors


def pair_counts(rows: list[dict[str, str]]) -> list[str]:
    """Counts to print: by label, language pair, topic and split."""
    out = []
    for label in ("same", "different"):
        sel = [r for r in rows if r["label"] == label]
        cross = [r for r in sel if r["a"][:2] != r["b"][:2]]
        langs = Counter("-".join(sorted((r["a"][:2], r["b"][:2]))) for r in sel)
        topics = Counter(r["a"].split("/")[1] for r in sel)
        splits = Counter(r["split"] for r in sel)
        events = len({r["event"] for r in sel})
        share = len(cross) / len(sel) if sel else 0.0
        out.append(
            f"{label}: {len(sel)} pairs, {events} events, cross-language {len(cross)} "
            f"({share:.0%}); languages {dict(sorted(langs.items()))}; "
            f"topics {dict(sorted(topics.items()))}; splits {dict(sorted(splits.items()))}"
        )
    return out


def title_counts(rows: list[dict[str, str]]) -> list[str]:
    """Counts to print for the headline file: where the headline sits, per language."""
    out = []
    for lang in LANGS:
        sel = [int(r["headline_line"]) for r in rows if r["path"].startswith(lang + "/")]
        first = sum(1 for x in sel if x == 1)
        none = sum(1 for x in sel if x == 0)
        out.append(
            f"{lang}: {len(sel)} articles; headline on line 1: {first}, later: "
            f"{len(sel) - first - none}, none: {none}"
        )
    return out


def main(argv: list[str] | None = None) -> int:
    """Entry point: ``sample`` or ``check``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=("sample", "check"))
    args = parser.parse_args(argv)
    found = find_data("timelines")
    if found is None:
        return 0
    root = found[0]
    if args.command == "sample":
        for path, split in headline_sample(article_paths(root)):
            print(f"{path}\t{split}")
        return 0
    pairs, titles = read_tsv(PAIRS), read_tsv(TITLES)
    errors = check_pairs(pairs, root) + check_titles(titles, root)
    print("\n".join(pair_counts(pairs) + title_counts(titles)))
    for e in errors:
        print("ERROR", e)
    print(f"{len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
