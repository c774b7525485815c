"""Real scraped news: CL-TLS, 1,536 Spanish, French and Italian pages on three crises.

Ingests ``shared/data/timelines/{es,fr,it}/{egypt,libya,syria}/<date>/*.txt`` the way
a user would, with the date taken from the path, and reports what a person would
see go wrong:

* **titles**: the share that are boilerplate (a line that three or more input files
  carry: a sidebar headline, a cookie notice), and, on the hand-checked sample in
  ``benchmarks/data/cltls_titles.tsv``, the share that are the real headline;
* **duplicates**: how many were linked, with a sample to check by hand;
* **stories**: count, singleton share, multi-language stories, topic purity (the
  share of articles in their story's majority topic), and pair precision and recall
  on the same-event / different-event pairs of ``benchmarks/data/cltls_pairs.tsv``;
* **places**: the share of resolved places outside the region of these topics
  (the Middle East and North Africa, Europe, the US), with a sample;
* **claims**: corroborated, contradicted and single figures over the largest stories,
  with a sample of contradicted ones to read against their sentences;
* throughput and peak memory.

``python -m benchmarks.bench_realnews [--split dev|holdout|all] [--db PATH]``
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import os
import random
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from .common import ROOT, find_data, peak_rss_mb, write_results

LANGS = ("es", "fr", "it")
TOPICS = ("egypt", "libya", "syria")
# The region these crises are reported in: MENA and neighbours, Europe, the US.
REGION = set("""
EG LY SY IQ IR JO LB IL PS SA YE OM AE QA BH KW TR TN DZ MA MR SD SS TD NE ML ER ET DJ SO
CY GR IT FR ES PT DE GB IE NL BE LU CH AT DK SE NO FI IS PL CZ SK HU SI HR BA RS ME MK AL
BG RO MD UA BY RU LT LV EE MT VA SM MC AD LI GE AM AZ XK US
""".split())


def corpus(root: Path) -> list[Path]:
    """The article files in ingest order: language, topic, date folder, name."""
    return sorted(p for lang in LANGS for topic in TOPICS
                  for p in (root / lang / topic).glob("*/*.txt"))


def ingest(db: Path, root: Path) -> dict[str, Any]:
    """Ingest the nine topic folders (not the reference timelines beside them) with
    dates from the path, as ``newsweave ingest --date-from-path`` does; time it."""
    from newsweave.ingest.dates import DatePolicy
    from newsweave.pipeline import Pipeline
    from newsweave.settings import Settings
    from newsweave.store.sqlite import Store

    dates = DatePolicy(None, from_path=True, from_text=True)
    started = time.perf_counter()
    with Store(db) as store:
        report = Pipeline(store, Settings(environ={})).ingest(
            [str(root / lang / topic) for lang in LANGS for topic in TOPICS], dates=dates)
    wall = time.perf_counter() - started
    stored = report.new + report.near_duplicates + report.exact_duplicates
    return {"new": report.new, "exact": report.exact_duplicates,
            "near": report.near_duplicates, "skipped": len(report.skipped),
            "wall_s": round(wall, 1), "articles_per_s": round(stored / wall, 1),
            "peak_rss_mb": round(peak_rss_mb())}


def key_of(source: str, root: Path) -> str:
    return Path(source).resolve().relative_to(root.resolve()).as_posix()


def load_articles(db: Path, root: Path) -> dict[str, dict[str, Any]]:
    from newsweave import service
    from newsweave.store.sqlite import Store

    with Store(db, readonly=True) as store:
        return {key_of(a["source"], root): a for a in service.list_articles(store)}


def title_figures(articles: dict[str, dict[str, Any]], root: Path, split: str
                  ) -> dict[str, Any]:
    """Boilerplate titles (lines three or more files carry), and real headlines on the
    hand-checked sample. Beside the issue's reading, ``boilerplate_once`` counts each
    article once: only originals' titles, and a line's carriers counted as articles,
    an exact or near copy being the article it copies."""
    carried: Counter[str] = Counter()
    carriers: dict[str, set[int]] = defaultdict(set)  # the articles (copies as one)
    for path in corpus(root):
        lines = {" ".join(ln.split()) for ln in path.read_text(errors="replace").splitlines()}
        carried.update(ln for ln in lines if ln)
        article = articles.get(path.relative_to(root).as_posix())
        if article is not None:
            for ln in lines:
                carriers[ln].add(article["duplicate_of"] or article["id"])
    titles = {k: " ".join((a["title"] or "").split()) for k, a in articles.items()}
    bad = sorted(k for k, t in titles.items() if carried[t] >= 3)
    originals = [k for k, a in articles.items() if a["duplicate_of"] is None]
    bad_once = [k for k in originals if len(carriers[titles[k]]) >= 3]
    out: dict[str, Any] = {"articles": len(titles), "boilerplate": len(bad),
                           "boilerplate_share": len(bad) / max(1, len(titles)),
                           "boilerplate_sample": [(k, titles[k][:90]) for k in bad[:15]],
                           "originals": len(originals), "boilerplate_once": len(bad_once),
                           "boilerplate_once_share": len(bad_once) / max(1, len(originals))}
    sample = ROOT / "benchmarks" / "data" / "cltls_titles.tsv"
    if sample.exists():
        right = total = 0
        wrong = []
        for row in csv.DictReader(sample.open(encoding="utf-8"), delimiter="\t"):
            if split != "all" and row["split"] != split or row["path"] not in titles:
                continue
            number = int(row["headline_line"])
            if number == 0:
                continue
            lines = (root / row["path"]).read_text(errors="replace").splitlines()
            gold = " ".join(lines[number - 1].split())
            ours = titles[row["path"]].rstrip("…")
            total += 1
            ok = bool(ours) and (gold == ours or gold.startswith(ours) or gold.rstrip(".") == ours)
            right += ok
            if not ok:
                wrong.append((row["path"], ours[:70], gold[:70]))
        out.update(headline_checked=total, headline_right=right,
                   headline_share=right / max(1, total), headline_wrong=wrong[:15])
    return out


def filed_topics(root: Path) -> dict[str, set[str]]:
    """The topics each file is filed under, counting byte-identical copies: the corpus
    files some articles under two topics (a post on Libya and Syria in both folders)."""
    by_content: dict[bytes, set[str]] = defaultdict(set)
    digest = {}
    for path in corpus(root):
        key = hashlib.sha256(path.read_bytes()).digest()
        rel = path.relative_to(root).as_posix()
        digest[rel] = key
        by_content[key].add(rel.split("/")[1])
    return {rel: by_content[key] for rel, key in digest.items()}


def story_figures(articles: dict[str, dict[str, Any]], split: str,
                  filed: dict[str, set[str]] | None = None) -> dict[str, Any]:
    """Stories, singletons, languages, topic purity, and the annotated pairs.

    ``topic_purity`` is the defined figure: the share of articles in their story's
    majority topic folder. ``topic_purity_copies`` sits beside it: an article whose
    identical copy is filed under another topic too counts as in both."""
    members: dict[int, list[str]] = defaultdict(list)
    for key, a in articles.items():
        if a["story"] is not None:
            members[a["story"]].append(key)
    sizes = [len(m) for m in members.values()]
    topic = {k: k.split("/")[1] for k in articles}
    lang = {k: k.split("/")[0] for k in articles}
    majority = sum(Counter(topic[k] for k in m).most_common(1)[0][1] for m in members.values())
    multi = [s for s, m in members.items() if len({lang[k] for k in m}) > 1]
    mixed = [s for s, m in members.items() if len({topic[k] for k in m}) > 1]
    out: dict[str, Any] = {
        "stories": len(members), "singleton_share": sizes.count(1) / max(1, len(sizes)),
        "largest": max(sizes, default=0), "multi_language": len(multi),
        "topic_purity": majority / max(1, sum(sizes)), "mixed_topic_stories": len(mixed)}
    if filed is not None:
        inside = 0
        for m in members.values():
            votes = Counter(t for k in m for t in filed.get(k, {topic[k]}))
            best = votes.most_common(1)[0][0]
            inside += sum(best in filed.get(k, {topic[k]}) for k in m)
        out["topic_purity_copies"] = inside / max(1, sum(sizes))
        out["mixed_sample"] = [sorted(members[s])[:4] for s in mixed[:8]]
    pairs = ROOT / "benchmarks" / "data" / "cltls_pairs.tsv"
    if pairs.exists():
        out.update(pair_figures(pairs, articles, split))
    return out


def pair_figures(pairs: Path, articles: dict[str, dict[str, Any]], split: str
                 ) -> dict[str, Any]:
    """Recall: same-event pairs put in one story. Precision: of the annotated pairs put
    in one story, the share that are the same event."""
    same_total = same_joined = diff_joined = diff_total = xl_total = xl_joined = 0
    missed = []
    for row in csv.DictReader(pairs.open(encoding="utf-8"), delimiter="\t"):
        if split != "all" and row["split"] != split:
            continue
        a, b = articles.get(row["a"]), articles.get(row["b"])
        if a is None or b is None:
            continue
        joined = a["story"] is not None and a["story"] == b["story"]
        if row["label"] == "same":
            same_total += 1
            same_joined += joined
            if row["a"][:2] != row["b"][:2]:
                xl_total += 1
                xl_joined += joined
            if not joined:
                missed.append((row["a"], row["b"], row.get("event", "")[:50]))
        else:
            diff_total += 1
            diff_joined += joined
    joined_all = same_joined + diff_joined
    return {"pairs_same": same_total, "pairs_different": diff_total,
            "pair_recall": same_joined / max(1, same_total),
            "pair_precision": same_joined / joined_all if joined_all else 1.0,
            "pair_recall_cross_language": xl_joined / max(1, xl_total),
            "different_joined": diff_joined, "missed_sample": missed[:12]}


def place_figures(db: Path) -> dict[str, Any]:
    """Resolved places by country, counted once per article that names them; the share
    outside the region, with a sample to check by hand."""
    from newsweave import service
    from newsweave.store.sqlite import Store

    with Store(db, readonly=True) as store:
        places = service.list_places(store, limit=None)
    counted = [(p.get("country") or "", _count(p.get("articles")), p) for p in places]
    total = sum(n for _, n, _ in counted)
    outside = [(c, n, p) for c, n, p in counted if c and c not in REGION]
    rng = random.Random(7)
    sample = rng.sample(outside, min(20, len(outside)))
    return {"places": len(places), "place_articles": total,
            "outside_region_place_articles": sum(n for _, n, _ in outside),
            "outside_region_share": sum(n for _, n, _ in outside) / max(1, total),
            "outside_sample": [(p.get("name"), c, n) for c, n, p in sample]}


LARGEST_STORIES = 40  # stories whose claims are counted


def claim_figures(db: Path, articles: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Claim statuses (corroborated, contradicted, single) over the largest stories,
    with a sample of contradicted figures to read against their sentences."""
    from newsweave.service import facts
    from newsweave.store.sqlite import Store

    sizes = Counter(a["story"] for a in articles.values() if a["story"] is not None)
    largest = [story for story, _ in sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0]))
               ][:LARGEST_STORIES]
    statuses: Counter[str] = Counter()
    sample = []
    with Store(db, readonly=True) as store:
        for story in largest:
            for group in facts.story_claims(store, story):
                statuses[group["status"]] += 1
                if group["status"] == "contradicted" and len(sample) < 10:
                    sample.append((group["counted"], group["where"], group["text"],
                                   group["sentences"][0]["sentence"][:80]))
    return {"stories": len(largest), **dict(sorted(statuses.items())),
            "contradicted_sample": sample}


def _count(articles: Any) -> int:
    """A place's number of articles, whether listed as ids or given as a count."""
    if isinstance(articles, list):
        return len(articles)
    return int(articles or 1)


def duplicate_figures(articles: dict[str, dict[str, Any]]) -> dict[str, Any]:
    by_id = {a["id"]: k for k, a in articles.items()}
    links = [(k, by_id.get(a["duplicate_of"], "?")) for k, a in articles.items()
             if a.get("duplicate_of")]
    return {"duplicates": len(links), "duplicate_sample": sorted(links)[:25]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Real scraped news: CL-TLS es/fr/it.")
    parser.add_argument("--split", default="all", choices=("dev", "holdout", "all"),
                        help="which half of the hand-annotated pairs and titles to score")
    parser.add_argument("--db", help="database to ingest into and keep; reused if present")
    args = parser.parse_args(argv)
    paths = find_data("timelines/es", "timelines/fr", "timelines/it")
    if paths is None:
        return 0
    root = paths[0].parent
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(args.db) if args.db else Path(tmp) / "cltls.db"
        run = ingest(db, root) if not db.exists() else None
        articles = load_articles(db, root)
        figures = {"ingest": run, "load_average": os.getloadavg()[0],
                   "titles": title_figures(articles, root, args.split),
                   "duplicates": duplicate_figures(articles),
                   "stories": story_figures(articles, args.split, filed_topics(root)),
                   "places": place_figures(db),
                   "claims": claim_figures(db, articles)}
    report(figures)
    write_results("bench_realnews", figures)
    return 0


def report(figures: dict[str, Any]) -> None:
    for section, values in figures.items():
        print(f"\n## {section}")
        if not isinstance(values, dict):
            print(values)
            continue
        for name, value in values.items():
            if isinstance(value, list):
                print(f"{name}:")
                for item in value:
                    print("   ", item)
            elif isinstance(value, float):
                print(f"{name}: {value:.3f}")
            else:
                print(f"{name}: {value}")


if __name__ == "__main__":
    sys.exit(main())
