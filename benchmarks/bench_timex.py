"""Temporal expressions: TempEval-style span and value scores on three kinds of data.

Run from the repository root::

    python -m benchmarks.bench_timex                  # every set found
    python -m benchmarks.bench_timex --sets gold      # our own gold sets only
    python -m benchmarks.bench_timex --split dev      # gold: the dev thirds only
    python -m benchmarks.bench_timex --show errors    # print each miss and wrong value

Sets:

* ``gold``: ``tests/data/dates/<lang>.jsonl``, short news paragraphs we wrote in it,
  en, fr, es, de (30 each), with a ``published`` date and TIMEX3 annotations; every
  third paragraph is ``holdout``, never looked at while the rules were tuned.
  Scored as TempEval-3 does: strict span (same start and end), relaxed span (any
  overlap), and value (overlapping and the same TIMEX3 value); P, R and F1.
* ``recognizers``: ``../shared/data/time/recognizers-text-specs/DateTime/<Lang>``,
  Microsoft Recognizers-Text test cases (date, time, duration and set results with
  their TIMEX values), each read against its reference date. These are single
  sentences, and their conventions differ from TimeML in places (a weekday keeps
  ``XXXX-WXX-3`` even with a reference date; ranges are written as
  ``(start,end,duration)``): reported as coverage (share of gold expressions that a
  found one overlaps) and value accuracy on the covered ones.
* ``hourglass``: ``../shared/data/time/hourglass-es`` (Spanish, GPL, evaluation
  only), unzipped into a temporary folder at run time, all anchored to 2019-12-20.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
import zipfile
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT, md_table, shared_dir, write_results

GOLD = ROOT / "tests" / "data" / "dates"
SPEC_LANGS = {"English": "en", "Spanish": "es", "French": "fr", "German": "de", "Italian": "it"}
SPEC_TYPES = ("date", "daterange", "datetime", "time", "duration", "set", "datetimerange",
              "timerange")
_TIMEX = re.compile(r'<TIMEX3\b([^>]*)>(.*?)</TIMEX3>', re.S)
_ATTR = re.compile(r'(\w+)="([^"]*)"')


def prf(tp_p: int, n_pred: int, tp_r: int, n_gold: int) -> dict[str, float]:
    """Precision, recall and F1 from true positives on each side."""
    p = tp_p / n_pred if n_pred else 0.0
    r = tp_r / n_gold if n_gold else 0.0
    return {"p": round(p, 4), "r": round(r, 4),
            "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


def score(pairs: list[tuple[list[dict], list[dict]]], show: bool = False,
          texts: list[str] | None = None) -> dict[str, Any]:
    """TempEval-style strict, relaxed and value scores over (predicted, gold) lists."""
    c = Counter()
    for k, (pred, gold) in enumerate(pairs):
        c["pred"] += len(pred)
        c["gold"] += len(gold)
        for p in pred:
            exact = [g for g in gold if g["start"] == p["start"] and g["end"] == p["end"]]
            over = [g for g in gold if g["start"] < p["end"] and p["start"] < g["end"]]
            c["strict_p"] += bool(exact)
            c["relaxed_p"] += bool(over)
            c["value_p"] += any(g["value"] == p["value"] for g in over)
            if show and not over:
                print(f"  extra {p['text']!r}={p['value']}"
                      + (f"   | {texts[k][:90]}" if texts else ""))
        for g in gold:
            exact = [p for p in pred if g["start"] == p["start"] and g["end"] == p["end"]]
            over = [p for p in pred if g["start"] < p["end"] and p["start"] < g["end"]]
            c["strict_r"] += bool(exact)
            c["relaxed_r"] += bool(over)
            c["value_r"] += any(g["value"] == p["value"] for p in over)
            if show and not any(g["value"] == p["value"] for p in over):
                found = ", ".join(f"{p['text']!r}={p['value']}" for p in over) or "missed"
                print(f"  {g['text']!r} gold {g['value']}: {found}"
                      + (f"   | {texts[k][:90]}" if texts else ""))
    return {kind: prf(c[f"{kind}_p"], c["pred"], c[f"{kind}_r"], c["gold"])
            for kind in ("strict", "relaxed", "value")} | {"n_gold": c["gold"],
                                                            "n_pred": c["pred"]}


def gold_sets(split: str, show: bool) -> dict[str, Any]:
    """Scores on our own gold paragraphs, per language and split."""
    from newsweave.enrich.dates import find_dates

    out: dict[str, Any] = {}
    for path in sorted(GOLD.glob("*.jsonl")):
        records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
                   if line.strip()]
        for part in ("dev", "holdout"):
            if split not in ("all", part):
                continue
            chosen = [r for r in records if r["split"] == part]
            pairs = [([e.to_dict() for e in find_dates(r["text"], r["lang"], r["published"])],
                      r["timex"]) for r in chosen]
            if show:
                print(f"-- {path.stem} {part}")
            out[f"{path.stem}/{part}"] = score(pairs, show, [r["text"] for r in chosen])
    return out


def _timex_class(timex: str) -> str:
    """The shape of a Recognizers TIMEX: range, time-only, X-relative, duration, datetime
    or date (fully specified)."""
    if timex.startswith("("):
        return "range"
    if timex.startswith("T"):
        return "time-only"
    if timex.startswith("X"):
        return "X-relative"
    if timex.startswith("P"):
        return "duration"
    return "datetime" if "T" in timex else "date"


def recognizers(show: bool) -> dict[str, Any]:
    """Coverage and value accuracy on the Recognizers-Text DateTime specs; cases without
    a reference date are left out (their relative values depend on the day the specs
    were run)."""
    from newsweave.enrich.dates import find_dates

    root = shared_dir() / "data" / "time" / "recognizers-text-specs" / "DateTime"
    if not root.is_dir():
        print(f"skipped recognizers: {root} not found")
        return {}
    out = {}
    for folder, lang in SPEC_LANGS.items():
        cases = json.loads((root / folder / "DateTimeModel.json").read_text(encoding="utf-8-sig"))
        c = Counter()
        for case in cases:
            ref = case.get("Context", {}).get("ReferenceDateTime")
            if not ref:
                c["no_reference"] += 1
                continue
            found = find_dates(case["Input"], lang, datetime.fromisoformat(ref).date())
            for res in case.get("Results", []):
                kind = res.get("TypeName", "").removeprefix("datetimeV2.")
                values = res.get("Resolution", {}).get("values") or [{}]
                timex = values[0].get("timex")
                start = res.get("Start", case["Input"].find(res.get("Text", "\0")))
                if kind not in SPEC_TYPES or not timex or start < 0:
                    continue
                end = res.get("End", start + len(res["Text"]) - 1) + 1
                over = [e for e in found if e.start < end and start < e.end]
                right = any(e.value == timex for e in over)
                for key in ("all", _timex_class(timex)):
                    c[f"{key}_gold"] += 1
                    c[f"{key}_covered"] += bool(over)
                    c[f"{key}_right"] += right
                if show and over and not right:
                    print(f"  {lang} {res['Text']!r} gold {timex}: "
                          + ", ".join(f"{e.text!r}={e.value}" for e in over))
        out[lang] = {"cases": len(cases), "no_reference": c["no_reference"]} | {
            f"{key}_{part}": c[f"{key}_{part}"]
            for key in ("all", "date", "duration", "datetime", "X-relative", "time-only",
                        "range") for part in ("gold", "covered", "right")}
    return out


def _rate(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "-"


def hourglass(show: bool) -> dict[str, Any]:
    """Strict, relaxed and value scores on HourGlass (Spanish), anchor 2019-12-20."""
    from newsweave.enrich.dates import find_dates

    archive = shared_dir() / "data" / "time" / "hourglass-es" / "HOURGLASS_CORPUS.zip"
    if not archive.is_file():
        print(f"skipped hourglass: {archive} not found")
        return {}
    pairs, texts = [], []
    with tempfile.TemporaryDirectory() as tmp:
        with zipfile.ZipFile(archive) as z:
            z.extractall(tmp)
        for path in sorted(Path(tmp).rglob("annotated_TML/*.tml")):
            raw = path.read_text(encoding="utf-8")
            body = raw.split("<TEXT>", 1)[-1].split("</TEXT>", 1)[0]
            text, gold, pos = "", [], 0
            for m in _TIMEX.finditer(body):
                text += body[pos:m.start()]
                attrs = dict(_ATTR.findall(m.group(1)))
                start = len(text)
                text += m.group(2)
                gold.append({"start": start, "end": len(text), "text": m.group(2),
                             "type": attrs.get("type"), "value": attrs.get("value")})
                pos = m.end()
            text += body[pos:]
            pred = [e.to_dict() for e in find_dates(text, "es", "2019-12-20")]
            pairs.append((pred, gold))
            texts.append(text)
    return score(pairs, show, texts) | {"documents": len(pairs)}


def speed() -> dict[str, float]:
    """Seconds for a 100,000-character text and for a text of 10,000 numbers."""
    from newsweave.enrich.dates import DateFinder

    finder = DateFinder()
    paragraph = ("Il 7 ottobre 2023 il governo ha detto che ieri, tre anni dopo il 2011, "
                 "le truppe sono rimaste per sei mesi. ")
    long_text = (paragraph * (100_000 // len(paragraph) + 1))[:100_000]
    numbers = " ".join(str(1000 + i) for i in range(10_000))
    out = {}
    for name, text in (("100k_chars", long_text), ("10k_numbers", numbers)):
        t0 = time.perf_counter()
        finder.find(text, "it", None)
        out[name] = round(time.perf_counter() - t0, 3)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Temporal expressions: span and value F1.")
    parser.add_argument("--sets", nargs="*", default=["gold", "recognizers", "hourglass"],
                        choices=["gold", "recognizers", "hourglass", "speed"])
    parser.add_argument("--split", choices=["all", "dev", "holdout"], default="all")
    parser.add_argument("--show", choices=["none", "errors"], default="none")
    args = parser.parse_args(argv)
    show = args.show == "errors"
    result: dict[str, Any] = {}
    if "gold" in args.sets:
        result["gold"] = gold_sets(args.split, show)
        print("\n## Our gold paragraphs (TempEval-style)\n")
        print(md_table(["set", "gold", "found", "strict F1", "relaxed F1", "value P",
                        "value R", "value F1"],
                       [[k, v["n_gold"], v["n_pred"], v["strict"]["f1"], v["relaxed"]["f1"],
                         v["value"]["p"], v["value"]["r"], v["value"]["f1"]]
                        for k, v in result["gold"].items()]))
    if "recognizers" in args.sets:
        result["recognizers"] = recognizers(show)
        print("\n## Recognizers-Text DateTime specs\n")
        print(md_table(["lang", "cases (with a reference date)", "gold results", "coverage",
                        "value acc (covered)", "value acc (all)", "dates: coverage",
                        "dates: value acc (covered)", "durations: value acc (covered)"],
                       [[k, f"{v['cases']} ({v['cases'] - v['no_reference']})", v["all_gold"],
                         _rate(v["all_covered"], v["all_gold"]),
                         _rate(v["all_right"], v["all_covered"]),
                         _rate(v["all_right"], v["all_gold"]),
                         _rate(v["date_covered"], v["date_gold"]),
                         _rate(v["date_right"], v["date_covered"]),
                         _rate(v["duration_right"], v["duration_covered"])]
                        for k, v in result["recognizers"].items()]))
    if "hourglass" in args.sets:
        result["hourglass"] = hg = hourglass(show)
        if hg:
            print("\n## HourGlass (es)\n")
            print(md_table(["documents", "gold", "found", "strict F1", "relaxed F1",
                            "value F1"],
                           [[hg["documents"], hg["n_gold"], hg["n_pred"], hg["strict"]["f1"],
                             hg["relaxed"]["f1"], hg["value"]["f1"]]]))
    if "speed" in args.sets:
        result["speed"] = speed()
        print(f"\nspeed (s): {result['speed']}")
    write_results("bench_timex", result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
