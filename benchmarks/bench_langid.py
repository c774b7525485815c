"""Language-ID benchmark: newsweave's identifier against py3langid and lingua.

Run from the repository root::

    python -m benchmarks.bench_langid            # prints the table, rewrites docs/language.md
    python -m benchmarks.bench_langid --no-write # prints only

Data, all read at run time:

* ``tests/data/langid/gold.tsv`` (ours, ``lang<TAB>kind<TAB>text``; kinds short/long);
* OG2021 headlines and SemEval-2022 article heads from ``../shared/data`` (override
  with ``NEWSWEAVE_SHARED``): real news, evaluation only, never copied. Each set is
  skipped with a message when absent.

Every candidate runs in its own subprocess so that its memory figure (peak RSS minus
RSS before the library is imported) is not polluted by the others. Speed counts
detection only, after the model is loaded and warmed up on one text. Every candidate
sees the same input: the first 2,000 characters of each text (newsweave's own
identifier also cleans them; that is part of what is measured). lingua is optional
(``pip install newsweave[bench]``): without it the lingua rows say "not installed".
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .corpora import ISO3

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "data" / "langid" / "gold.tsv"
DOC = ROOT / "docs" / "language.md"
WINDOW = 2000
CANDIDATES = ("newsweave", "py3langid", "lingua-low-all", "lingua-high-all", "lingua-high-gold")
LABELS = {
    "newsweave": "**newsweave default**: py3langid + script rules, label set, prior",
    "py3langid": "py3langid raw, all 140 labels",
    "lingua-low-all": "lingua, low accuracy, all 75 languages",
    "lingua-high-all": "lingua, high accuracy, all 75 languages (models loaded on demand)",
    "lingua-high-gold": "lingua, high accuracy, only the languages in the data",
}
BEGIN, END = "<!-- bench_langid:begin -->", "<!-- bench_langid:end -->"

Item = tuple[str, str, str]  # set/kind, gold language, text


def shared_dir() -> Path:
    """``../shared`` beside the repository, or ``$NEWSWEAVE_SHARED``."""
    return Path(os.environ.get("NEWSWEAVE_SHARED") or ROOT.parent / "shared")


def load_gold(path: Path) -> list[Item]:
    """Rows of the gold TSV as (``gold-<kind>``, lang, text); header line optional."""
    items: list[Item] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t", 2)
        if len(parts) != 3 or parts[0] == "lang":
            continue
        lang, kind, text = parts
        items.append((f"gold-{kind.strip()}", lang.strip(), text.replace("\\n", "\n")))
    return items


def load_og2021(data: Path) -> list[Item]:
    """OG2021 Olympic headlines (9 languages; gold language in the story TSV)."""
    langs: dict[str, str] = {}
    with open(data / "stories" / "og2021_dev_gold.tsv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            langs[row["id"]] = ISO3.get(row["lang"], row["lang"])
    items: list[Item] = []
    with open(data / "stories" / "og2021_dev.jsonl", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec["id"] in langs:
                items.append(("og2021-headline", langs[rec["id"]], rec["text"]))
    return items


def load_semeval(data: Path) -> list[Item]:
    """SemEval-2022 Task 8 article heads (~1,000 characters, 10 languages)."""
    items: list[Item] = []
    with open(data / "similarity" / "semeval2022_pairs_dev.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            items.append(("semeval-1k", row["lang1"], row["text1"]))
            items.append(("semeval-1k", row["lang2"], row["text2"]))
    return items


def collect(gold: Path) -> list[Item]:
    """Every available data set; says which are missing."""
    items: list[Item] = []
    if gold.exists():
        items += load_gold(gold)
    else:
        print(f"gold file not found ({gold}), skipped", file=sys.stderr)
    data = shared_dir() / "data"
    for name, loader in (("OG2021", load_og2021), ("SemEval-2022", load_semeval)):
        try:
            items += loader(data)
        except (OSError, KeyError) as exc:
            print(f"{name} not available ({exc}), skipped", file=sys.stderr)
    return items


# ---------------------------------------------------------------- worker side


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def _make_detector(name: str, langs: list[str]) -> tuple[Any, str]:
    """A ``text -> code | None`` function for one candidate, and its version."""
    from importlib.metadata import version

    if name == "newsweave":
        from newsweave.enrich.language import LanguageIdentifier

        ident = LanguageIdentifier()
        return (lambda text: ident.identify(text).lang), ident.model_name
    if name == "py3langid":
        from py3langid import langid

        model = langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE, norm_probs=True)
        return (lambda text: model.classify(text)[0]), f"py3langid {version('py3langid')}"
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    if name == "lingua-low-all":
        builder = LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode()
    elif name == "lingua-high-all":
        builder = LanguageDetectorBuilder.from_all_languages()
    else:
        codes = []
        for code in langs:
            try:
                codes.append(IsoCode639_1.from_str("nb" if code == "no" else code))
            except ValueError:
                print(f"lingua has no language {code!r}", file=sys.stderr)
        builder = LanguageDetectorBuilder.from_iso_codes_639_1(*codes)
    detector = builder.build()

    def detect(text: str) -> str | None:
        found = detector.detect_language_of(text)
        if found is None:
            return None
        code = found.iso_code_639_1.name.lower()
        return "no" if code == "nb" else code

    return detect, f"lingua-language-detector {version('lingua-language-detector')}"


def _warm_up_texts(items: list[Item]) -> list[str]:
    """The first text of each (set, language): loading, not detection, is then done."""
    first: dict[tuple[str, str], str] = {}
    for kind, lang, text in items:
        first.setdefault((kind, lang), text)
    return list(first.values()) or ["warm up"]


def worker(name: str, data_file: str) -> dict[str, Any]:
    """Run one candidate over the items in ``data_file``; return its figures."""
    items: list[Item] = [tuple(x) for x in json.loads(Path(data_file).read_text("utf-8"))]
    langs = sorted({lang for _, lang, _ in items})
    base = _rss_mb()
    start = time.perf_counter()
    try:
        detect, model = _make_detector(name, langs)
    except ImportError as exc:
        return {"name": name, "skipped": f"{exc.name or 'lingua'} not installed, skipped"}
    for text in _warm_up_texts(items):  # lingua loads each language's model lazily
        detect(text[:WINDOW])
    load_s = time.perf_counter() - start
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    secs: dict[str, float] = defaultdict(float)
    for kind, lang, text in items:
        t0 = time.perf_counter()
        got = detect(text[:WINDOW])
        secs[kind] += time.perf_counter() - t0
        by_kind[kind][0] += got == lang
        by_kind[kind][1] += 1
    return {"name": name, "model": model, "load_s": load_s, "mem_mb": _peak_mb() - base,
            "kinds": {k: {"correct": c, "total": n, "docs_s": n / max(secs[k], 1e-9)}
                      for k, (c, n) in by_kind.items()}}


# ---------------------------------------------------------------- driver side


def run_candidate(name: str, data_file: str) -> dict[str, Any]:
    """One candidate in a fresh interpreter (clean memory figure)."""
    cmd = [sys.executable, "-m", "benchmarks.bench_langid", "--worker", name, data_file]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    sys.stderr.write(proc.stderr)
    if proc.returncode != 0:
        return {"name": name, "skipped": f"failed (exit {proc.returncode})"}
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    if "skipped" in result:
        print(f"{name}: {result['skipped']}", file=sys.stderr)
    return result


def _accuracy(correct: int, total: int) -> str:
    return f"{100 * correct / total:.1f}% ({correct}/{total})"


def table(results: list[dict[str, Any]], kinds: list[str]) -> str:
    """Markdown table: accuracy and docs/s per kind of text, load time, memory."""
    head = ["candidate", "model", *kinds, "load s", "RSS +MB"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for res in results:
        label = LABELS.get(res["name"], res["name"])
        if "skipped" in res:
            cells = [label, res["skipped"], *[""] * (len(head) - 2)]
        else:
            ks = res["kinds"]
            cells = [label, res["model"],
                     *[f"{_accuracy(ks[k]['correct'], ks[k]['total'])}, "
                       f"{ks[k]['docs_s']:,.0f}/s" for k in kinds],
                     f"{res['load_s']:.2f}", f"{res['mem_mb']:.0f}"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def machine() -> str:
    """CPU model and core count, for the record."""
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def write_doc(block: str) -> None:
    """Replace the generated block of docs/language.md, keeping the prose around it."""
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else (
        "# Language identification\n\n" + BEGIN + "\n" + END + "\n")
    if BEGIN not in text or END not in text:
        text += "\n" + BEGIN + "\n" + END + "\n"
    before, rest = text.split(BEGIN, 1)
    after = rest.split(END, 1)[1]
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(f"{before}{BEGIN}\n{block}\n{END}{after}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Benchmark every candidate and report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", nargs=2, metavar=("NAME", "DATA"), help=argparse.SUPPRESS)
    parser.add_argument("--gold", type=Path, default=GOLD, help="gold TSV (lang, kind, text)")
    parser.add_argument("--only", choices=CANDIDATES, action="append", help="run only these")
    parser.add_argument("--no-write", action="store_true", help="do not rewrite docs/language.md")
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(*args.worker)))
        return 0
    items = collect(args.gold)
    if not items:
        print("no data to benchmark on", file=sys.stderr)
        return 1
    kinds = list(dict.fromkeys(kind for kind, _, _ in items))  # in order of appearance
    with tempfile.TemporaryDirectory() as tmp:
        data_file = str(Path(tmp) / "items.json")
        Path(data_file).write_text(json.dumps(items), encoding="utf-8")
        results = [run_candidate(name, data_file) for name in (args.only or CANDIDATES)]
    counts = ", ".join(f"{k}: {sum(1 for x in items if x[0] == k)}" for k in kinds)
    md = table(results, kinds)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    block = (f"Command: `python -m benchmarks.bench_langid`  \nDate: {stamp}  \n"
             f"Machine: {machine()}  \nTexts: {counts}  \n"
             "Each text column: accuracy (correct/total), detection speed.\n\n" + md)
    print(block)
    if not args.no_write:
        write_doc(block)
        print(f"\nwrote {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
