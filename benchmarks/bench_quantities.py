"""Quantities: value, value + unit and counted-thing F1 on sentences we wrote.

Run from the repository root::

    python -m benchmarks.bench_quantities                 # dev and holdout, every language
    python -m benchmarks.bench_quantities --show dev      # print each dev miss and extra
    python -m benchmarks.bench_quantities --no-specs      # skip Recognizers-Text

Gold: ``tests/data/quantities/<lang>.jsonl`` (en, it, de, es, fr; 74 English news
sentences, 44 in each other language, written and annotated for newsweave; every
third is ``holdout``, kept out of tuning: ``--show`` prints dev items only). Conventions are in
``tests/data/quantities/README.md``. Per sentence, found and gold quantities are
matched one to one on a key:

* value: the value (for a vague plural such as "thousands", its low and high);
* value + unit: the value and the canonical unit;
* counted: the value and the canonical counted key, over the quantities that have one
  (precision over found ones with a key, recall over gold ones with a key).

Also, when ``../shared/data/time/recognizers-text-specs`` is there (Microsoft
Recognizers-Text test specifications, MIT, read at run time), their number, percent,
currency and dimension cases in the five languages: **coverage** (share of their
expressions that a found quantity overlaps), **value accuracy** (share of those where
the value is the same) and **false alarms** (found quantities in inputs where they
expect none). Those cases are single phrases, many of them spelled-out numbers and
fractions, not news, so they are a diagnostic, not a target.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT, find_data, md_table, write_results

GOLD = ROOT / "tests" / "data" / "quantities"
LANGS = ("en", "it", "de", "es", "fr")
SPEC_LANGS = {"en": "English", "it": "Italian", "de": "German", "es": "Spanish",
              "fr": "French"}
SPEC_FILES = ("Number/{L}/NumberModel.json", "Number/{L}/PercentModel.json",
              "NumberWithUnit/{L}/CurrencyModel.json",
              "NumberWithUnit/{L}/DimensionModel.json")


def load_gold(lang: str) -> list[dict[str, Any]]:
    """The gold sentences of ``lang``."""
    with (GOLD / f"{lang}.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _num(v: Any) -> Any:  # noqa: ANN401 - a JSON number or None
    return None if v is None else round(float(v), 6)


def keys(q: dict[str, Any], what: str) -> tuple | None:
    """The matching key of a quantity for one score, or None when it does not count."""
    value = (_num(q["value"]),) if q["value"] is not None else \
        ("vague", _num(q["low"]), _num(q["high"]))
    if what == "value":
        return value
    if what == "unit":
        return (*value, q["unit"])
    return None if not q["counted"] else (*value, q["counted"])


def _matched(found: Iterable[tuple], gold: Iterable[tuple]) -> int:
    return sum((Counter(found) & Counter(gold)).values())


def score(items: Sequence[dict[str, Any]], predicted: Sequence[list[dict[str, Any]]]
          ) -> dict[str, dict[str, float]]:
    """Precision, recall and F1 of each score over ``items``."""
    out: dict[str, dict[str, float]] = {}
    for what in ("value", "unit", "counted"):
        tp = n_found = n_gold = 0
        for item, found in zip(items, predicted, strict=True):
            f = [k for q in found if (k := keys(q, what)) is not None]
            g = [k for q in item["quantities"] if (k := keys(q, what)) is not None]
            tp += _matched(f, g)
            n_found += len(f)
            n_gold += len(g)
        p = tp / n_found if n_found else 1.0
        r = tp / n_gold if n_gold else 1.0
        out[what] = {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
                     "gold": n_gold}
    return out


def predict(items: Sequence[dict[str, Any]], lang: str, finders: Any) -> list[list[dict]]:
    """What the finder reports for each item."""
    from newsweave.enrich.quantities import find_quantities

    return [[q.to_dict() for q in find_quantities(it["text"], lang, finders=finders)]
            for it in items]


def gold_set(finders: Any, show: str) -> dict[str, Any]:
    """Scores per language and split, and over all languages."""
    results: dict[str, Any] = {}
    every: dict[str, tuple[list, list]] = {"dev": ([], []), "holdout": ([], [])}
    for lang in LANGS:
        items = load_gold(lang)
        found = predict(items, lang, finders)
        for split in ("dev", "holdout"):
            pick = [k for k, it in enumerate(items) if it["split"] == split]
            sub_items, sub_found = [items[k] for k in pick], [found[k] for k in pick]
            results[f"{lang}.{split}"] = score(sub_items, sub_found)
            every[split][0].extend(sub_items)
            every[split][1].extend(sub_found)
            if show == "dev" and split == "dev":
                _show(sub_items, sub_found)
    for split, (items, found) in every.items():
        results[f"all.{split}"] = score(items, found)
    return results


def _show(items: Sequence[dict[str, Any]], found: Sequence[list[dict]]) -> None:
    for item, f in zip(items, found, strict=True):
        fk = Counter(keys(q, "unit") for q in f)
        gk = Counter(keys(q, "unit") for q in item["quantities"])
        ck = Counter(keys(q, "counted") for q in f)
        cg = Counter(keys(q, "counted") for q in item["quantities"])
        if fk != gk or ck != cg:
            print(f"{item['id']}: {item['text']}\n   missed {sorted(map(str, gk - fk))}"
                  f"\n   extra  {sorted(map(str, fk - gk))}"
                  f"\n   counted missed {sorted(map(str, cg - ck))} extra "
                  f"{sorted(map(str, ck - cg))}")


# -- Recognizers-Text --------------------------------------------------------------------
def specs(finders: Any, root: Path) -> dict[str, Any]:
    """Coverage, value accuracy and false alarms on the Recognizers-Text cases."""
    from newsweave.enrich.quantities import find_quantities

    out: dict[str, Any] = {}
    for lang, name in SPEC_LANGS.items():
        c: Counter = Counter()
        for pattern in SPEC_FILES:
            path = root / pattern.format(L=name)
            if not path.is_file():
                continue
            for case in json.loads(path.read_text(encoding="utf-8-sig")):
                found = find_quantities(case["Input"], lang, finders=finders)
                _spec_case(case, found, c)
        out[lang] = {"expressions": c["gold"], "coverage": c["covered"] / max(c["gold"], 1),
                     "value_accuracy": c["right"] / max(c["covered"], 1),
                     "empty_inputs": c["empty"], "false_alarms": c["alarms"]}
    return out


def _spec_case(case: dict[str, Any], found: list[Any], c: Counter) -> None:
    results = case.get("Results") or []
    if not results:
        c["empty"] += 1
        c["alarms"] += len(found)
        return
    for r in results:
        gold = _spec_value(r.get("Resolution") or {})
        if gold is None:
            continue
        c["gold"] += 1
        s = r.get("Start")
        if s is None:  # some cases give no offsets: find the text
            s = case["Input"].find(r.get("Text", ""))
        e = s + len(r.get("Text", "")) if r.get("End") is None else r["End"] + 1
        hit = [q for q in found if q.start < e and s < q.end]
        if hit:
            c["covered"] += 1
            values = {q.value for q in hit} | {q.low for q in hit}
            c["right"] += any(v is not None and abs(float(v) - gold) <= 1e-6 * max(1, gold)
                              for v in values)


def _spec_value(resolution: dict[str, Any]) -> float | None:
    raw = str(resolution.get("value", "")).rstrip("%").strip()
    try:
        return float(raw)
    except ValueError:
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", choices=["none", "dev"], default="none")
    parser.add_argument("--no-specs", action="store_true")
    args = parser.parse_args(argv)
    from newsweave.enrich.quantities import RULES_VERSION, QuantityFinders

    finders = QuantityFinders()
    t0 = time.perf_counter()
    results: dict[str, Any] = {"rules": RULES_VERSION, "gold": gold_set(finders, args.show)}
    rows = [(k, v["value"]["f1"], v["unit"]["f1"], v["counted"]["f1"], v["value"]["gold"])
            for k, v in results["gold"].items()]
    print(md_table(["set", "value F1", "value+unit F1", "counted F1", "gold quantities"],
                   rows))
    found = None if args.no_specs else find_data("time/recognizers-text-specs")
    if found:
        results["recognizers_text"] = specs(finders, found[0])
        print()
        print(md_table(["lang", "expressions", "coverage", "value accuracy", "empty inputs",
                        "false alarms"],
                       [(lang, v["expressions"], v["coverage"], v["value_accuracy"],
                         v["empty_inputs"], v["false_alarms"])
                        for lang, v in results["recognizers_text"].items()]))
    results["seconds"] = round(time.perf_counter() - t0, 2)
    write_results("bench_quantities", results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
