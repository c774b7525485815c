"""Timelines: do the dates newsweave's timelines put first match the gold timelines?

Run from the repository root::

    python -m benchmarks.bench_timelines                      # all ~1,500 es/fr/it articles
    python -m benchmarks.bench_timelines --langs it --topics libya --limit 40
    python -m benchmarks.bench_timelines --db tl.db           # keep (or reuse) the database

Data (read at run time, never copied): ``../shared/data/timelines/<lang>/<topic>/
<YYYY-MM-DD>/*.txt``, CL-TLS news and blog articles in es, fr and it about the crises
in Egypt, Libya and Syria, the folder giving the publication date; and
``<lang>/reference/<topic>.txt``, the gold timeline of each topic (a date line, its
sentences, a line of dashes after each entry). The articles are ingested as
``bench_topics`` ingests them (a JSONL with the folder date as ``published``, the
same as ``newsweave ingest --date-from-path``), so one database serves both.

For each (language, topic) the topic's timeline is built from the temporal expressions
the ``dates`` stage stored for the topic's articles, through the product's own
:func:`newsweave.stories.timeline.build_timeline` (one entry per date, its sources the
articles that state it). Exact and near duplicates are left out: a syndicated copy is
not a second source. The dates are then selected as a timeline summariser would:

* **candidates**: entries whose date is a day with a known year (``2011-02-17``;
  a time is folded to its day, as the timeline does); not ``XXXX-10-07``, not a month
  or year, not a week;
* **top k**: ranked by the number of distinct articles stating them (ties: the earlier
  date first), the first k kept, k = the number of distinct gold dates (the standard
  TLS setting, where the summariser is told the timeline's length);
* **top k in the span**: the same, among the candidates that fall between the first
  and the last publication date of the topic's articles (the collection's span, as TLS
  systems restrict date candidates);
* **>= N**: every candidate stated by at least N articles (no k given).

Scores are date precision, recall and F1 (a selected date is right when it is a gold
date, exact day), per (language, topic), then macro (mean over topics) and micro
(summed counts) per language and overall. Beside them:

* **ceiling**: the share of gold dates found anywhere among the topic's stored day
  expressions, an upper bound on the recall of any selection from them;
* **stories**: the same top-k selection from the union of the topic's *story*
  timelines (the stories, in any language, whose articles are mostly of this topic:
  what ``newsweave story ID`` shows, put together); it also counts the articles in
  other languages that the stories join, so beside it:
* **all languages**: the topic timeline built from the topic's articles in every
  language selected (es, fr and it together: the cross-lingual setting), top k;
* **baseline**: the publication dates (folders) ranked by article count, top k and
  >= N (the usual TLS baseline), with its own ceiling (gold dates that are some
  article's publication date).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .common import find_data, md_table, write_results
from .corpora import TIMELINE_LANGS, Record, _even_sample, ingest_or_reuse, timelines

DAY = re.compile(r"\d{4}-\d{2}-\d{2}$")
DASHES = re.compile(r"-{3,}$")
MIN_ARTICLES = 2  # the ">= N" selection's N
METHODS = ("timeline_topk", "timeline_span_topk", "timeline_min", "stories_topk",
           "pooled_topk", "pubdate_topk", "pubdate_min")
LABELS = {"timeline_topk": "topic timeline, top k",
          "timeline_span_topk": "topic timeline in the articles' span, top k",
          "timeline_min": "topic timeline, >= N",
          "pooled_topk": "topic timeline, all languages, top k",
          "stories_topk": "story timelines, top k", "pubdate_topk": "baseline: pub. dates, top k",
          "pubdate_min": "baseline: pub. dates, >= N"}
SHORT = {"timeline_topk": "timeline k", "timeline_span_topk": "in span k",
         "timeline_min": "timeline >= N", "stories_topk": "stories k",
         "pooled_topk": "all langs k", "pubdate_topk": "pub. k", "pubdate_min": "pub. >= N"}


# -- gold ------------------------------------------------------------------------------
def read_reference(path: Path) -> tuple[list[str], list[str]]:
    """The distinct gold dates of a reference timeline, sorted, and the problems met.

    An entry is a block of lines ended by a line of dashes; its first line is its
    date. A block whose first line is not a ``YYYY-MM-DD`` date is reported, not used.
    """
    dates: set[str] = set()
    problems: list[str] = []
    block: list[str] = []
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    for number, line in enumerate([*lines, "---"], start=1):
        line = line.strip()
        if not DASHES.match(line):
            if line:
                block.append(line)
            continue
        if block and DAY.match(block[0]):
            dates.add(block[0])
        elif block:
            problems.append(f"{path.name}: entry ending at line {number} has no date line "
                            f"({block[0][:40]!r})")
        block = []
    return sorted(dates), problems


def references(root: Path, langs: Sequence[str], topics: Sequence[str] | None
               ) -> dict[tuple[str, str], list[str]]:
    """``(lang, topic) -> gold dates`` for every reference file; problems printed."""
    gold: dict[tuple[str, str], list[str]] = {}
    for lang in langs:
        for path in sorted((root / lang / "reference").glob("*.txt")):
            if topics and path.stem not in topics:
                continue
            dates, problems = read_reference(path)
            for problem in problems:
                print(f"  reference {lang}/{problem}", file=sys.stderr)
            gold[(lang, path.stem)] = dates
    return gold


# -- selection -------------------------------------------------------------------------
def candidates(entries: Iterable[Mapping[str, Any]], keep: set[int] | None = None
               ) -> dict[str, int]:
    """``day -> number of distinct articles`` for the timeline entries that are days
    with a known year; with ``keep``, only those articles count as sources."""
    out: dict[str, int] = {}
    for entry in entries:
        date = str(entry["date"])
        if not DAY.match(date):
            continue
        sources = {s for s in entry["sources"] if keep is None or s in keep}
        if sources:
            out[date] = len(sources)
    return out


def ranked(counts: Mapping[str, int]) -> list[str]:
    """Dates by article count, most first; ties: the earlier date first."""
    return sorted(counts, key=lambda d: (-counts[d], d))


def top_k(counts: Mapping[str, int], k: int) -> list[str]:
    """The first ``k`` of :func:`ranked`."""
    return ranked(counts)[:k]


def at_least(counts: Mapping[str, int], n: int) -> list[str]:
    """Every date stated by at least ``n`` articles, ranked."""
    return [d for d in ranked(counts) if counts[d] >= n]


def within(counts: Mapping[str, int], first: str, last: str) -> dict[str, int]:
    """The dates between ``first`` and ``last`` (ISO days, inclusive)."""
    return {d: n for d, n in counts.items() if first <= d <= last}


# -- scoring ---------------------------------------------------------------------------
def prf(selected: Iterable[str], gold: Iterable[str]) -> dict[str, Any]:
    """Date precision, recall and F1, with the counts they come from."""
    sel, ref = set(selected), set(gold)
    tp = len(sel & ref)
    return _ratios(tp, len(sel), len(ref))


def _ratios(tp: int, selected: int, gold: int) -> dict[str, Any]:
    p = tp / selected if selected else 0.0
    r = tp / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f1": f, "tp": tp, "selected": selected, "gold": gold}


def aggregate(scores: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Macro (mean of the topics' P, R, F1) and micro (summed counts) over ``scores``."""
    if not scores:
        return {"macro": _ratios(0, 0, 0), "micro": _ratios(0, 0, 0), "topics": 0}
    n = len(scores)
    macro = {k: sum(s[k] for s in scores) / n for k in ("p", "r", "f1")}
    micro = _ratios(*(sum(s[k] for s in scores) for k in ("tp", "selected", "gold")))
    return {"macro": macro, "micro": micro, "topics": n}


# -- reading the database --------------------------------------------------------------
def stored(db: Path, ids: Iterable[str]) -> tuple[dict[str, dict[str, Any]],
                                                  dict[int, list[dict[str, Any]]]]:
    """``external_id -> {id, lang, story, duplicate_of}`` for the stored ``ids``, and
    each stored article's temporal expressions (``id -> rows``, text order)."""
    from newsweave.store.sqlite import Store

    wanted = set(ids)
    with Store(db, readonly=True) as store:
        rows = store.conn.execute(
            "SELECT id, external_id, lang, story_id, duplicate_of FROM articles").fetchall()
        articles = {r[1]: {"id": int(r[0]), "lang": r[2], "story": r[3], "duplicate_of": r[4]}
                    for r in rows if r[1] in wanted}
        exprs: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for r in store.conn.execute(
                "SELECT t.article_id, t.type, t.value, t.granularity, t.text, a.lang "
                "FROM time_expressions t JOIN articles a ON a.id = t.article_id "
                "ORDER BY a.seq, t.char_start"):
            exprs[int(r[0])].append({"article_id": int(r[0]), "type": r[1], "value": r[2],
                                     "granularity": r[3], "text": r[4], "lang": r[5]})
    return articles, exprs


def story_rows(db: Path, story_ids: Sequence[int]) -> list[dict[str, Any]]:
    """The stories' temporal expressions as a story's timeline reads them."""
    from newsweave.store.sqlite import Store

    if not story_ids:
        return []
    with Store(db, readonly=True) as store:
        return store.facts.story_dates(list(story_ids))


# -- one (language, topic) -------------------------------------------------------------
def evaluate_topic(gold: Sequence[str], originals: Sequence[int],
                   exprs: Mapping[int, list[dict[str, Any]]], published: Mapping[int, str],
                   wider: Mapping[str, Mapping[str, int]], n_min: int = MIN_ARTICLES
                   ) -> dict[str, Any]:
    """Every method's selection and scores for one topic.

    ``originals``: the topic's stored articles that duplicate no other; ``published``:
    their publication days; ``wider``: the candidate counts of the timelines built from
    more than the topic's own articles (``stories_topk``, ``pooled_topk``).
    """
    from newsweave.stories.timeline import build_timeline

    k = len(gold)
    counts = candidates(build_timeline(r for a in originals for r in exprs.get(a, [])))
    pub = Counter(published[a] for a in originals if published.get(a))
    span = within(counts, min(pub, default=""), max(pub, default=""))
    selections = {"timeline_topk": top_k(counts, k), "timeline_span_topk": top_k(span, k),
                  "timeline_min": at_least(counts, n_min),
                  **{m: top_k(c, k) for m, c in wider.items()},
                  "pubdate_topk": top_k(pub, k), "pubdate_min": at_least(pub, n_min)}
    stated = {str(r["value"]).split("T", 1)[0] for a in originals for r in exprs.get(a, [])}
    ref = set(gold)
    return {"articles": len(originals), "gold": k, "candidates": len(counts),
            "expressions": sum(len(exprs.get(a, [])) for a in originals),
            "ceiling": len(ref & stated) / k if k else 0.0,
            "pubdate_ceiling": len(ref & set(pub)) / k if k else 0.0,
            "scores": {m: prf(sel, gold) for m, sel in selections.items()},
            "selected": selections}


def majority_topic(members: Iterable[str], topic_of: Mapping[str, str]) -> str | None:
    """The topic most of a story's articles belong to (ties: alphabetical)."""
    counts = Counter(topic_of[m] for m in members if m in topic_of)
    return min(counts, key=lambda t: (-counts[t], t)) if counts else None


def evaluate(db: Path, records: Sequence[Record], gold: Mapping[tuple[str, str], list[str]],
             n_min: int = MIN_ARTICLES) -> dict[str, Any]:
    """Per (language, topic) results, and the aggregates per language and overall."""
    articles, exprs = stored(db, (r["id"] for r in records))
    topic_of = {r["id"]: r["topic"] for r in records}
    groups: dict[tuple[str, str], list[Record]] = defaultdict(list)
    by_topic: dict[str, list[Record]] = defaultdict(list)
    for r in records:
        groups[(r["lang"], r["topic"])].append(r)
        by_topic[r["topic"]].append(r)
    members: dict[int, list[str]] = defaultdict(list)
    for ext, a in articles.items():
        if a["story"] is not None:
            members[int(a["story"])].append(ext)
    story_topic = {s: majority_topic(m, topic_of) for s, m in members.items()}
    originals_all = {a["id"] for a in articles.values() if a["duplicate_of"] is None}
    per: dict[str, Any] = {}
    missing = 0
    for (lang, topic), recs in sorted(groups.items()):
        if (lang, topic) not in gold:
            continue
        found = [articles[r["id"]] for r in recs if r["id"] in articles]
        missing += len(recs) - len(found)
        originals = [a["id"] for a in found if a["duplicate_of"] is None]
        published = {articles[r["id"]]["id"]: r["published"][:10] for r in recs
                     if r["id"] in articles}
        stories = sorted({int(a["story"]) for a in found if a["story"] is not None
                          and story_topic.get(int(a["story"])) == topic})
        pooled = [articles[r["id"]]["id"] for r in by_topic[topic] if r["id"] in articles]
        wider = _wider(db, stories, pooled, exprs, originals_all)
        result = evaluate_topic(gold[(lang, topic)], originals, exprs, published, wider,
                                n_min)
        result.update(duplicates=len(found) - len(originals), stories=len(stories),
                      story_articles=_story_mix(stories, members, articles, topic_of,
                                                lang, topic))
        per[f"{lang}/{topic}"] = result
    return {"per_topic": per, "summary": summarise(per), "missing_articles": missing}


def _wider(db: Path, stories: Sequence[int], pooled: Sequence[int],
           exprs: Mapping[int, list[dict[str, Any]]], originals: set[int]
           ) -> dict[str, dict[str, int]]:
    """Candidate counts of the union of ``stories``' timelines and of the timeline of
    the ``pooled`` articles (the topic in every language), originals only."""
    from newsweave.stories.timeline import build_timeline

    pooled_rows = (r for a in pooled if a in originals for r in exprs.get(a, []))
    return {"stories_topk": candidates(build_timeline(story_rows(db, stories)), originals),
            "pooled_topk": candidates(build_timeline(pooled_rows))}


def _story_mix(stories: Iterable[int], members: Mapping[int, list[str]],
               articles: Mapping[str, Mapping[str, Any]], topic_of: Mapping[str, str],
               lang: str, topic: str) -> dict[str, int]:
    """The original articles of the chosen stories: in all, and how many are in
    another language or filed under another topic (what the story variant adds)."""
    ext = [m for s in stories for m in members[s] if articles[m]["duplicate_of"] is None]
    return {"all": len(ext),
            "other_lang": sum(1 for m in ext if not m.startswith(lang + "/")),
            "other_topic": sum(1 for m in ext if topic_of.get(m) != topic)}


def summarise(per: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """Macro and micro scores of every method, per language and over all topics."""
    out: dict[str, Any] = {}
    langs = sorted({key.split("/")[0] for key in per})
    for scope in [*langs, "all"]:
        keys = [k for k in per if scope == "all" or k.startswith(scope + "/")]
        out[scope] = {m: aggregate([per[k]["scores"][m] for k in keys]) for m in METHODS}
        out[scope]["ceiling"] = sum(per[k]["ceiling"] for k in keys) / max(len(keys), 1)
        out[scope]["pubdate_ceiling"] = (sum(per[k]["pubdate_ceiling"] for k in keys)
                                         / max(len(keys), 1))
    return out


# -- report ----------------------------------------------------------------------------
def report(result: Mapping[str, Any], n_min: int = MIN_ARTICLES) -> str:
    """Per-topic F1 of each method, then P/R/F1 macro and micro per language and overall."""
    per = result["per_topic"]
    head = ["lang/topic", "articles (dup.)", "gold dates", "candidates", "ceiling",
            *(SHORT[m].replace(">= N", f">= {n_min}") for m in METHODS), "pub. ceiling"]
    rows = [[key, f"{v['articles']} ({v['duplicates']})", v["gold"], v["candidates"],
             v["ceiling"], *(v["scores"][m]["f1"] for m in METHODS), v["pubdate_ceiling"]]
            for key, v in per.items()]
    lines = ["F1 per topic:", "", md_table(head, rows), ""]
    summary_rows = []
    for scope, agg in result["summary"].items():
        for m in METHODS:
            ma, mi = agg[m]["macro"], agg[m]["micro"]
            summary_rows.append([scope, LABELS[m].replace(">= N", f">= {n_min}"), ma["p"],
                                 ma["r"], ma["f1"], mi["p"], mi["r"], mi["f1"],
                                 f"{mi['tp']}/{mi['selected']}/{mi['gold']}"])
    lines.append(md_table(["scope", "selection", "macro P", "macro R", "macro F1", "micro P",
                           "micro R", "micro F1", "right/selected/gold"], summary_rows))
    return "\n".join(lines)


# -- main ------------------------------------------------------------------------------
def select_records(data: Path, langs: Sequence[str], topics: Sequence[str] | None,
                   limit: int | None) -> list[Record]:
    """The articles of the chosen languages and topics, ``limit`` sampled evenly across
    (language, topic) groups, in publication order."""
    records = [r for r in timelines(data) if r["lang"] in langs
               and (not topics or r["topic"] in topics)]
    groups: dict[tuple[str, str], list[Record]] = defaultdict(list)
    for r in records:
        groups[(r["lang"], r["topic"])].append(r)
    kept = [r for g in groups.values() for r in _even_sample(g, limit, len(groups))]
    return sorted(kept, key=lambda r: (r["published"], r["id"]))


def _split(value: str | None) -> list[str] | None:
    return [v.strip() for v in value.split(",") if v.strip()] if value else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Timeline date selection against CL-TLS "
                                                 "gold timelines.")
    parser.add_argument("--limit", type=int, default=None,
                        help="about N articles, sampled evenly across language x topic")
    parser.add_argument("--langs", help=f"comma-separated, default {','.join(TIMELINE_LANGS)}")
    parser.add_argument("--topics", help="comma-separated topic folders, default all")
    parser.add_argument("--min-articles", type=int, default=MIN_ARTICLES,
                        help="N of the '>= N articles' selections (default 2)")
    parser.add_argument("--db", help="database to ingest into and keep; reused if ingested")
    args = parser.parse_args(argv)
    paths = find_data("timelines")
    if paths is None:
        return 0
    root = paths[0]
    langs = _split(args.langs) or list(TIMELINE_LANGS)
    unknown = [lang for lang in langs if lang not in TIMELINE_LANGS]
    if unknown:
        print(f"error: --langs {','.join(unknown)}: CL-TLS articles exist only in "
              f"{', '.join(TIMELINE_LANGS)}", file=sys.stderr)
        return 2
    topics = _split(args.topics)
    gold = references(root, langs, topics)
    records = [r for r in select_records(root.parent, langs, topics, args.limit)
               if (r["lang"], r["topic"]) in gold]
    if not gold or not records:
        print(f"skipped: no articles with a reference timeline under {root} "
              f"for {','.join(langs)}{' / ' + ','.join(topics) if topics else ''}")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(args.db) if args.db else Path(tmp) / "timelines.db"
        run = ingest_or_reuse(db, records, Path(tmp), "timelines")
        result = evaluate(db, records, gold, args.min_articles)
    if result["missing_articles"]:
        print(f"  warning: {result['missing_articles']} selected articles are not in {db}",
              file=sys.stderr)
    if not any(v["expressions"] for v in result["per_topic"].values()):
        print(f"  warning: no temporal expressions stored in {db}: ingested before the "
              "dates stage, or with the setting entities off?", file=sys.stderr)
    print(f"\n## Timelines, CL-TLS {','.join(langs)} ({len(records)} articles)\n")
    print(report(result, args.min_articles))
    print(f"\nk = the number of distinct gold dates of each topic; N = {args.min_articles}.")
    if run:
        print(f"Ingest: {run['articles']} articles in {run['wall_s']:.0f} s "
              f"({run['articles_per_s']:.2f}/s)")
    write_results("bench_timelines", {"articles": len(records), "limit": args.limit,
                                      "langs": langs, "topics": topics,
                                      "min_articles": args.min_articles, "ingest": run,
                                      **result})
    return 0


if __name__ == "__main__":
    sys.exit(main())
