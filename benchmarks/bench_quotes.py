"""Quotes: precision, recall and F1 at 30% and 80% coverage, and speaker accuracy.

Run from the repository root::

    python -m benchmarks.bench_quotes                 # our gold set, then PolNeAR
    python -m benchmarks.bench_quotes --set gold      # only tests/data/quotes/gold.jsonl
    python -m benchmarks.bench_quotes --set polnear --show misses
    python -m benchmarks.bench_quotes --set polnear --polnear-split dev   # while tuning

Data:

- ``tests/data/quotes/gold.jsonl``: 45 short news articles we wrote and annotated
  ourselves, 9 in each of en, it, de, es, fr; the last three of each language are the
  holdout (``"split": "holdout"``), reported apart and not read while tuning;
- ``../shared/data/quotes/polnear-dev`` (read at run time, never copied): PolNeAR's
  dev split, 84 US political news articles in brat standoff. Every ``Attribution``
  event's ``Content`` is a gold quote and its ``Source`` the speaker; an article
  annotated twice is scored once, with the first annotator's file in name order.
  PolNeAR annotates every attribution (beliefs, reports, "has learned"), not only
  quotes, so its recall is a floor and its precision is what matters most.

Matching, exactly: a found quote *covers* a gold quote by the share of the gold
quote's characters (offsets ``[start, end)``; a discontinuous gold span counts its
fragments) that lie inside the found quote. Pairs are made one to one, greedily,
highest coverage first; a pair counts at threshold t when its coverage is more than t
(t = 0.3 and 0.8). Precision is paired found quotes over found quotes, recall paired
gold quotes over gold quotes, each threshold on its own pairing.

Speaker accuracy: of the pairs at 30% whose gold speaker is a named person, the
share whose ``speaker_entity`` is that person (the gold name's last word is one of
the words of the entity's name, folded). On PolNeAR, whose Source spans are written
as the text has them ("he", "the source", "Trump"), a pair is judged only when the
Source holds a capitalised word other than its first; it is right when the entity's
name shares a word of four letters or more with the Source. Also reported: the found
speaker's words overlap the gold Source span (``speaker_span``), for every pair with a
Source. ``r_quoted@0.3`` is PolNeAR's recall at 30% on the gold quotes that hold or
touch a double quotation mark (direct and mixed quotes).

PolNeAR's **speech reading** sits beside the full one: recall and speaker accuracy
count only the attributions whose Cue holds a word of ``benchmarks/data/speech_cues.txt``
(verbs of saying, telling, writing, answering; "according to"), the nearest thing here
to a set of reporting-verb quotes; precision still pairs every found quote with any
gold attribution. It is reported for two parts of the articles apart: ``dev`` (two
thirds) and ``final`` (every third article by sorted id, scored only at the end of a
change, never looked at one by one); ``--show`` prints the dev part's misses only.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT, md_table, shared_dir, write_results

GOLD = ROOT / "tests" / "data" / "quotes" / "gold.jsonl"
POLNEAR = ("data", "quotes", "polnear-dev")
THRESHOLDS = (0.3, 0.8)


@dataclass(slots=True)
class GoldQuote:
    """A gold quote: its character ranges, speaker name (or Source text) and whether
    the speaker is a named person."""

    ranges: list[tuple[int, int]]
    speaker: str | None
    named_person: bool
    speaker_range: tuple[int, int] | None = None
    cue: str | None = None


@dataclass(slots=True)
class Doc:
    """One article to score."""

    id: str
    lang: str
    split: str
    text: str
    gold: list[GoldQuote]


# -- data ---------------------------------------------------------------------------
def read_gold(path: Path = GOLD) -> list[Doc]:
    """Our gold articles."""
    docs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        r = json.loads(line)
        gold = [GoldQuote([(q["start"], q["end"])], q["speaker"],
                          bool(q["speaker"]) and q["speaker_is_person"])
                for q in r["quotes"]]
        docs.append(Doc(r["id"], r["lang"], r["split"], r["text"], gold))
    return docs


def _brat_ranges(field: str) -> list[tuple[int, int]]:
    """"12 20;25 30" -> [(12, 20), (25, 30)]."""
    return [(int(a), int(b)) for a, b in (part.split() for part in field.split(";"))]


def read_brat(text: str, ann: str) -> list[GoldQuote]:
    """The attributions of a brat standoff file as gold quotes."""
    spans: dict[str, tuple[str, list[tuple[int, int]], str]] = {}
    events: list[dict[str, str]] = []
    for line in ann.splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            kind, _, ranges = parts[1].partition(" ")
            spans[parts[0]] = (kind, _brat_ranges(ranges), parts[2] if len(parts) > 2 else "")
        elif line.startswith("E") and len(parts) >= 2:
            events.append(dict(arg.split(":", 1) for arg in parts[1].split()[1:]
                               if ":" in arg))
    out = []
    for ev in events:
        content = spans.get(ev.get("Content", ""))
        if content is None:
            continue
        source = spans.get(ev.get("Source", ""))
        src_text = source[2] if source else None
        src_range = (source[1][0][0], source[1][-1][1]) if source else None
        cue = spans.get(ev.get("Cue", ""))
        out.append(GoldQuote(content[1], src_text, _named(src_text), src_range,
                             cue[2] if cue else None))
    return out


def _named(source: str | None) -> bool:
    """A Source that names someone: a capitalised word other than its first."""
    if not source:
        return False
    return any(w[:1].isupper() for w in source.split()[1:]) or (
        len(source.split()) == 1 and source[:1].isupper() and source.lower() not in
        ("he", "she", "they", "it", "we", "i"))


def read_polnear(root: Path) -> list[Doc]:
    """PolNeAR's dev articles, one annotation file each."""
    docs = []
    chosen: dict[str, Path] = {}
    for ann in sorted((root / "attributions").glob("*.ann")):
        article = ann.stem.rsplit("_", 1)[0]
        chosen.setdefault(article, ann)
    for article, ann in sorted(chosen.items()):
        text_path = root / "text" / f"{article}.txt"
        if not text_path.is_file():
            continue
        text = text_path.read_text(encoding="utf-8")
        docs.append(Doc(article, "en", "polnear", text,
                        read_brat(text, ann.read_text(encoding="utf-8"))))
    return docs


# -- scoring ------------------------------------------------------------------------
def coverage(found: tuple[int, int], gold: list[tuple[int, int]]) -> float:
    """The share of the gold quote's characters inside the found quote."""
    total = sum(e - s for s, e in gold)
    inside = sum(max(0, min(e, found[1]) - max(s, found[0])) for s, e in gold)
    return inside / total if total else 0.0


def pair(found: list[dict[str, Any]], gold: list[GoldQuote], threshold: float
         ) -> list[tuple[int, int]]:
    """One-to-one pairs (found index, gold index), highest coverage first."""
    scored = sorted(((coverage((f["start"], f["end"]), g.ranges), i, j)
                     for i, f in enumerate(found) for j, g in enumerate(gold)), reverse=True)
    used_f: set[int] = set()
    used_g: set[int] = set()
    out = []
    for cov, i, j in scored:
        if cov <= threshold:
            break
        if i not in used_f and j not in used_g:
            used_f.add(i)
            used_g.add(j)
            out.append((i, j))
    return out


def _words(name: str) -> set[str]:
    from newsweave.clean.fold import fold
    return {w.strip(".,'’\"") for w in fold(name).replace("-", " ").split()}


def speaker_right(found: dict[str, Any], gold: GoldQuote, text: str) -> bool:
    """Whether the found quote's entity is the gold speaker (see the module's doc)."""
    entity = found.get("speaker_entity")
    if not entity or not gold.speaker:
        return False
    if gold.speaker_range is None:  # our gold: a canonical name
        return _words(gold.speaker.split()[-1]) <= _words(entity["name"])
    return bool({w for w in _words(entity["name"]) if len(w) >= 4} & _words(gold.speaker))


def score(docs: Iterable[Doc], found: dict[str, list[dict[str, Any]]],
          show: str = "", counted: Callable[[GoldQuote], bool] | None = None
          ) -> dict[str, Any]:
    """Precision, recall, F1 at each threshold, and speaker accuracy. With ``counted``,
    recall and speaker accuracy are over the gold quotes it accepts only, while
    precision still pairs the found quotes with every gold quote."""
    n_found = n_gold = 0
    hits = dict.fromkeys(THRESHOLDS, 0)
    recalled = dict.fromkeys(THRESHOLDS, 0)
    judged = right = span_judged = span_right = 0
    for doc in docs:
        quotes = found[doc.id]
        keep = [counted is None or counted(g) for g in doc.gold]
        n_found += len(quotes)
        n_gold += sum(keep)
        for t in THRESHOLDS:
            pairs = pair(quotes, doc.gold, t)
            hits[t] += len(pairs)
            recalled[t] += sum(keep[j] for _, j in pairs)
            if t != THRESHOLDS[0]:
                continue
            for i, j in pairs:
                g, f = doc.gold[j], quotes[i]
                if not keep[j]:
                    continue
                if g.named_person:
                    judged += 1
                    ok = speaker_right(f, g, doc.text)
                    right += ok
                    if show == "speakers" and not ok:
                        print(f"{doc.id}: speaker {f.get('speaker')} -> "
                              f"{f.get('speaker_entity')}, gold {g.speaker!r}")
                if g.speaker_range is not None:
                    span_judged += 1
                    sp = f.get("speaker")
                    span_right += bool(sp) and sp["start"] < g.speaker_range[1] \
                        and g.speaker_range[0] < sp["end"]
            if show == "misses":
                _show_misses(doc, quotes, pairs, keep)
    out: dict[str, Any] = {"docs": 0, "found": n_found, "gold": n_gold}
    for t in THRESHOLDS:
        p = hits[t] / n_found if n_found else 0.0
        r = recalled[t] / n_gold if n_gold else 0.0
        out[f"p@{t}"], out[f"r@{t}"] = round(p, 4), round(r, 4)
        out[f"f1@{t}"] = round(2 * p * r / (p + r), 4) if p + r else 0.0
    out["speaker_acc"] = round(right / judged, 4) if judged else None
    out["speaker_judged"] = judged
    if span_judged:
        out["speaker_span"] = round(span_right / span_judged, 4)
    return out


def _show_misses(doc: Doc, quotes: list[dict[str, Any]], pairs: list[tuple[int, int]],
                 keep: list[bool]) -> None:
    paired_f = {i for i, _ in pairs}
    paired_g = {j for _, j in pairs}
    for j, g in enumerate(doc.gold):
        if j not in paired_g and keep[j]:
            s, e = g.ranges[0][0], g.ranges[-1][1]
            print(f"{doc.id} MISSED: {doc.text[s:e][:120]!r}")
    for i, f in enumerate(quotes):
        if i not in paired_f:
            print(f"{doc.id} EXTRA:  {f['text'][:120]!r}")


# -- running ------------------------------------------------------------------------
def run_quotes(docs: list[Doc]) -> dict[str, list[dict[str, Any]]]:
    """Each article through the entity annotator and the quote finder."""
    from newsweave.enrich.entities import Annotator
    from newsweave.enrich.quotes import find_quotes

    annotator = Annotator.load()
    out = {}
    for doc in docs:
        analysis = annotator.analyse(doc.text, doc.lang)
        out[doc.id] = [q.to_dict() for q in find_quotes(doc.text, analysis.lang,
                                                        analysis.sentences,
                                                        analysis.mentions)]
    return out


def gold_results(show: str = "", split: str | None = None) -> dict[str, dict[str, Any]]:
    """Scores on our gold set: per split, per language of the dev split, and all."""
    docs = read_gold()
    if split:
        docs = [d for d in docs if d.split == split]
    found = run_quotes(docs)
    groups: dict[str, list[Doc]] = {}
    for d in docs:
        groups.setdefault(d.split, []).append(d)
        groups.setdefault(f"{d.split}/{d.lang}", []).append(d)
    out = {}
    for name, group in sorted(groups.items()):
        out[name] = score(group, found, show if "/" not in name else "")
        out[name]["docs"] = len(group)
    return out


SPEECH_CUES = ROOT / "benchmarks" / "data" / "speech_cues.txt"
POLNEAR_SPLITS = ("dev", "final")


def speech_cues(path: Path = SPEECH_CUES) -> frozenset[str]:
    """The word forms of speech and reporting cues (one a line, ``#`` comments)."""
    return frozenset(line.strip().lower() for line in path.read_text(encoding="utf-8")
                     .splitlines() if line.strip() and not line.startswith("#"))


def is_speech(gold: GoldQuote, cues: frozenset[str]) -> bool:
    """Whether a PolNeAR attribution's Cue is a speech cue: one of its words is in
    ``cues`` ("said", "has told", "according to")."""
    if not gold.cue:
        return False
    return any(w.strip(".,:;\"'“”‘’") in cues for w in gold.cue.lower().split())


def polnear_split(doc_id: str, ids: list[str]) -> str:
    """"final" for every third article by sorted id (scored only at the end), else
    "dev"."""
    return POLNEAR_SPLITS[sorted(ids).index(doc_id) % 3 == 2]


def polnear_results(show: str = "", split: str = "both") -> dict[str, dict[str, Any]]:
    """PolNeAR read two ways: every attribution (``polnear-dev``), and only those with
    a speech cue, on the dev two thirds and the final third of the articles apart
    (``polnear-speech/dev``, ``polnear-speech/final``). ``--show`` prints the dev
    third's speech misses only."""
    root = shared_dir().joinpath(*POLNEAR)
    if not root.is_dir():
        print(f"skipped PolNeAR: {root} not found (set NEWSWEAVE_SHARED)")
        return {}
    docs = read_polnear(root)
    found = run_quotes(docs)
    out: dict[str, dict[str, Any]] = {}
    if split == "both":
        out["polnear-dev"] = score(docs, found)
        out["polnear-dev"]["docs"] = len(docs)
        out["polnear-dev"]["r_quoted@0.3"] = quoted_recall(docs, found)
    cues = speech_cues()
    ids = [d.id for d in docs]
    for part in POLNEAR_SPLITS:
        if split not in ("both", part):
            continue
        group = [d for d in docs if polnear_split(d.id, ids) == part]
        row = score(group, found, show if part == "dev" else "",
                    lambda g: is_speech(g, cues))
        row["docs"] = len(group)
        out[f"polnear-speech/{part}"] = row
    return out


QUOTE_MARKS = frozenset("“”„«»\"")


def quoted_recall(docs: list[Doc], found: dict[str, list[dict[str, Any]]]) -> float:
    """Recall at 30% on the gold quotes that hold or touch a double quotation mark
    (direct and mixed quotes): PolNeAR's nearest part to a quotes-only set."""
    total = hit = 0
    for doc in docs:
        paired = {j for _, j in pair(found[doc.id], doc.gold, THRESHOLDS[0])}
        for j, g in enumerate(doc.gold):
            s, e = g.ranges[0][0], g.ranges[-1][1]
            if QUOTE_MARKS & set(doc.text[max(0, s - 1):e + 1]):
                total += 1
                hit += j in paired
    return round(hit / total, 4) if total else 0.0


def _table(results: dict[str, dict[str, Any]]) -> str:
    head = ["set", "docs", "found", "gold", "P@0.3", "R@0.3", "F1@0.3", "P@0.8", "R@0.8",
            "F1@0.8", "speaker", "judged"]
    rows = [[name, r["docs"], r["found"], r["gold"], r["p@0.3"], r["r@0.3"], r["f1@0.3"],
             r["p@0.8"], r["r@0.8"], r["f1@0.8"], r["speaker_acc"], r["speaker_judged"]]
            for name, r in results.items()]
    return md_table(head, rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_quotes",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--set", choices=("all", "gold", "polnear"), default="all")
    parser.add_argument("--split", choices=("dev", "holdout"), default=None,
                        help="only this split of our gold set")
    parser.add_argument("--show", choices=("", "misses", "speakers"), default="")
    parser.add_argument("--polnear-split", choices=("both", *POLNEAR_SPLITS),
                        default="both", help="only the speech reading of this part of "
                        "PolNeAR (dev: two thirds of the articles; final: every third)")
    args = parser.parse_args(argv)
    results: dict[str, dict[str, Any]] = {}
    if args.set in ("all", "gold"):
        results.update(gold_results(args.show, args.split))
    if args.set in ("all", "polnear"):
        results.update(polnear_results(args.show, args.polnear_split))
    print(_table(results))
    if "polnear-dev" in results:
        print(f"PolNeAR recall at 30% on quotes with quotation marks: "
              f"{results['polnear-dev']['r_quoted@0.3']}")
    path = write_results("quotes", results)
    print(f"results: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
