"""Named-entity benchmark: PER/ORG/LOC spans on KIND (Italian Wikinews) and WikiNEuRal.

Run from the repository root::

    python -m benchmarks.bench_ner                          # newsweave + the baseline
    python -m benchmarks.bench_ner --system capitalised     # the stand-in baseline only
    python -m benchmarks.bench_ner --sets kind --limit 500 --errors 10

Data, read at run time only (evaluation only, never copied into the repository):

* ``../shared/data/ner/kind-it/WN_dev.tsv``: KIND Wikinews dev, ``token<TAB>BIO-tag``,
  a blank line between sentences (PER, LOC, ORG);
* ``../shared/data/ner/kind-it/WN_train.tsv``: KIND Wikinews train, same format, set
  ``kind-train``: a held-out check, since the rules were tuned reading dev errors
  (it is never used to train anything);
* ``../shared/data/ner/wikineural/<lang>/val.conllu`` for de en es fr it nl pl pt ru:
  ``index<TAB>token<TAB>BIO-tag`` (PER, LOC, ORG, MISC).

Each sentence's text is its tokens joined by single spaces; gold spans are character
offsets into it decoded from the BIO tags (an ``I-`` without a matching ``B-`` opens a
span, as in conlleval); MISC is not scored. Sentences are annotated in pseudo-documents
of ``--doc-size`` consecutive sentences joined by "\\n", because the recogniser uses
document context (a name typed once is typed the same way further down). Predicted
mentions are mapped back to their sentence; one that crosses a sentence boundary is a
false positive; ``demonym`` mentions are ignored. Scoring is exact span + type:
precision, recall and F1 per type and micro-averaged over the three types, per set;
for WikiNEuRal also the macro F1 over its languages (the mean of per-language micro
F1). Speed is sentences per second of ``annotate`` calls, after loading.

Systems: ``newsweave`` (``Annotator.load()``, then ``annotate(text, lang=...)``) and
``capitalised``, a stand-in that tags every maximal run of capitalised tokens, leaving
out each sentence's first token (PER when 2+ tokens, else LOC): a floor, and a check
of this harness that needs no model.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from .common import find_data, md_table, write_results

TYPES = ("PER", "ORG", "LOC")
WIKINEURAL_LANGS = ("de", "en", "es", "fr", "it", "nl", "pl", "pt", "ru")
KIND_FILE = "ner/kind-it/WN_dev.tsv"
KIND_TRAIN_FILE = "ner/kind-it/WN_train.tsv"
SYSTEMS = ("newsweave", "capitalised")

Span = tuple[int, int, str]  # start, end (exclusive), type


# -- data --------------------------------------------------------------------------
@dataclass(slots=True)
class Sentence:
    """One gold sentence: its tokens, its text (tokens joined by spaces), gold spans."""

    tokens: list[str]
    tags: list[str]
    text: str = ""
    offsets: list[tuple[int, int]] = field(default_factory=list)
    gold: set[Span] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.text, self.offsets = join_tokens(self.tokens)
        self.gold = {s for s in decode_bio(self.tags, self.offsets) if s[2] in TYPES}


def join_tokens(tokens: Sequence[str]) -> tuple[str, list[tuple[int, int]]]:
    """The tokens joined by single spaces, and each token's (start, end) in that text."""
    offsets: list[tuple[int, int]] = []
    pos = 0
    for token in tokens:
        offsets.append((pos, pos + len(token)))
        pos += len(token) + 1
    return " ".join(tokens), offsets


def decode_bio(tags: Sequence[str], offsets: Sequence[tuple[int, int]]) -> list[Span]:
    """Character spans from BIO tags (conlleval rules: an I- of a new type opens a span).

    ``O`` and anything unparseable close the open span. Types are kept as written
    (MISC included); the caller filters.
    """
    spans: list[Span] = []
    open_type: str | None = None
    start = end = 0
    for tag, (tok_start, tok_end) in zip(tags, offsets, strict=True):
        prefix, _, kind = tag.partition("-")
        if prefix == "I" and kind == open_type:
            end = tok_end
            continue
        if open_type is not None:
            spans.append((start, end, open_type))
            open_type = None
        if prefix in ("B", "I") and kind:
            open_type, start, end = kind, tok_start, tok_end
    if open_type is not None:
        spans.append((start, end, open_type))
    return spans


def read_bio(path: Path, token_col: int, tag_col: int, limit: int | None = None
             ) -> list[Sentence]:
    """Sentences of a column file (blank line between sentences), at most ``limit``."""
    sentences: list[Sentence] = []
    tokens: list[str] = []
    tags: list[str] = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            cols = line.rstrip("\r\n").split("\t")
            if len(cols) > max(token_col, tag_col) and cols[token_col]:
                tokens.append(cols[token_col])
                tags.append(cols[tag_col])
                continue
            if tokens:
                sentences.append(Sentence(tokens, tags))
                tokens, tags = [], []
                if limit is not None and len(sentences) >= limit:
                    return sentences
    if tokens:
        sentences.append(Sentence(tokens, tags))
    return sentences[:limit] if limit is not None else sentences


def load_sets(sets: Sequence[str], langs: Sequence[str], limit: int | None
              ) -> dict[str, tuple[str, list[Sentence]]]:
    """``{set name: (language, sentences)}`` for the sets found; says which are missing."""
    out: dict[str, tuple[str, list[Sentence]]] = {}
    if "kind" in sets:
        found = find_data(KIND_FILE)
        if found:
            out["kind-it"] = ("it", read_bio(found[0], 0, 1, limit))
    if "kind-train" in sets:
        found = find_data(KIND_TRAIN_FILE)
        if found:
            out["kind-it-train"] = ("it", read_bio(found[0], 0, 1, limit))
    if "wikineural" in sets:
        for lang in langs:
            found = find_data(f"ner/wikineural/{lang}/val.conllu")
            if found:
                out[f"wikineural-{lang}"] = (lang, read_bio(found[0], 1, 2, limit))
    return out


# -- systems -----------------------------------------------------------------------
class Recogniser(Protocol):
    """What the harness needs: ``annotate(text, lang=...)`` returning objects with
    ``start``, ``end`` (character offsets into ``text``) and ``type``."""

    def annotate(self, text: str, lang: str | None = None) -> list[Any]: ...


class CapitalisedRecogniser:
    """Baseline: maximal runs of capitalised tokens, the sentence's first token excluded.

    Lines are sentences and spaces separate tokens (true of the benchmark's
    pseudo-documents). The first token of a sentence is capitalised whatever it is, so
    it never joins a run ("Ieri Mario Draghi" gives "Mario Draghi"). A run of 2+ tokens
    is PER, a single token LOC.
    """

    version = "capitalised-baseline"

    def annotate(self, text: str, lang: str | None = None) -> list[Any]:
        from newsweave.models import Mention

        mentions: list[Mention] = []
        line_start = 0
        for line in text.split("\n"):
            _, offsets = join_tokens(line.split(" "))
            words = line.split(" ")
            run: list[int] = []
            for i, word in enumerate([*words, ""]):
                if i > 0 and word[:1].isupper():
                    run.append(i)
                    continue
                if run:
                    start, end = offsets[run[0]][0], offsets[run[-1]][1]
                    mentions.append(Mention(
                        start=line_start + start, end=line_start + end,
                        text=line[start:end], type="PER" if len(run) > 1 else "LOC",
                        source="capitalised"))
                run = []
            line_start += len(line) + 1
        return mentions


def make_system(name: str) -> tuple[Recogniser, str]:
    """The recogniser called ``name`` and a version string for the record.

    Raises whatever loading raises (ImportError while the annotator is missing).
    """
    if name == "capitalised":
        rec = CapitalisedRecogniser()
        return rec, rec.version
    from newsweave.enrich.entities import Annotator

    annotator = Annotator.load()
    version = getattr(annotator, "version", None)
    version = version() if callable(version) else version
    return annotator, str(version or type(annotator).__name__)


# -- running and scoring -------------------------------------------------------------
@dataclass(slots=True)
class Predictions:
    """Per-sentence predicted spans, plus mentions that crossed a sentence boundary."""

    spans: list[set[Span]]
    crossing: list[tuple[int, Span]]  # (sentence where it starts, span in document)
    seconds: float
    cpu_seconds: float


def documents(sentences: Sequence[Sentence], size: int
              ) -> Iterable[tuple[int, str, list[int]]]:
    """``(first sentence index, text, start offset of each sentence)`` per document."""
    for first in range(0, len(sentences), size):
        chunk = sentences[first:first + size]
        starts, pos = [], 0
        for sent in chunk:
            starts.append(pos)
            pos += len(sent.text) + 1
        yield first, "\n".join(s.text for s in chunk), starts


def place(start: int, end: int, starts: Sequence[int], lengths: Sequence[int]) -> int | None:
    """Index of the sentence holding ``[start, end)``, or None when it crosses one."""
    for i, (s0, n) in enumerate(zip(starts, lengths, strict=True)):
        if s0 <= start < s0 + n + 1:
            return i if end <= s0 + n else None
    return None


def run_system(rec: Recogniser, lang: str, sentences: Sequence[Sentence], doc_size: int
               ) -> Predictions:
    """Annotate the sentences document by document; map mentions back to sentences."""
    spans: list[set[Span]] = [set() for _ in sentences]
    crossing: list[tuple[int, Span]] = []
    wall = cpu = 0.0
    for first, text, starts in documents(sentences, doc_size):
        lengths = [len(sentences[first + i].text) for i in range(len(starts))]
        t0, c0 = time.perf_counter(), time.process_time()
        mentions = rec.annotate(text, lang=lang)
        wall += time.perf_counter() - t0
        cpu += time.process_time() - c0
        for m in mentions:
            if m.type not in TYPES:  # demonyms and anything else are not scored
                continue
            i = place(m.start, m.end, starts, lengths)
            if i is None:
                at = max((j for j, s in enumerate(starts) if s <= m.start), default=0)
                crossing.append((first + at, (m.start, m.end, m.type)))
            else:
                spans[first + i].add((m.start - starts[i], m.end - starts[i], m.type))
    return Predictions(spans, crossing, wall, cpu)


def prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    """Precision, recall, F1 (0 when undefined) with the counts."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f1": f, "tp": tp, "fp": fp, "fn": fn}


def score(gold: Sequence[set[Span]], pred: Sequence[set[Span]],
          crossing: Sequence[tuple[int, Span]] = ()) -> dict[str, dict[str, float | int]]:
    """Exact span + type scores per type and micro-averaged (``"micro"``).

    ``crossing`` mentions (across a sentence boundary) are false positives of their type.
    """
    counts = {t: Counter() for t in TYPES}
    for g, p in zip(gold, pred, strict=True):
        for span in p & g:
            counts[span[2]]["tp"] += 1
        for span in p - g:
            counts[span[2]]["fp"] += 1
        for span in g - p:
            counts[span[2]]["fn"] += 1
    for _, span in crossing:
        counts[span[2]]["fp"] += 1
    out = {t: prf(c["tp"], c["fp"], c["fn"]) for t, c in counts.items()}
    total = sum(counts.values(), Counter())
    out["micro"] = prf(total["tp"], total["fp"], total["fn"])
    return out


def error_kinds(gold: Sequence[set[Span]], pred: Sequence[set[Span]]) -> dict[str, int]:
    """Why predictions and gold differ: wrong type on the right span, wrong boundaries
    (overlapping a gold span), spurious (overlapping none), missed (no overlap)."""
    kinds: Counter[str] = Counter()
    for g, p in zip(gold, pred, strict=True):
        for span in p - g:
            kinds[_classify(span, g)] += 1
        for span in g - p:
            if not any(_overlap(span, q) for q in p):
                kinds["missed"] += 1
    return dict(kinds)


def _overlap(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _classify(span: Span, gold: set[Span]) -> str:
    if any(g[:2] == span[:2] for g in gold):
        return "wrong_type"
    if any(_overlap(span, g) for g in gold):
        return "wrong_boundary"
    return "spurious"


def show_errors(sentences: Sequence[Sentence], pred: Predictions, n: int, seed: int = 0
                ) -> list[str]:
    """Up to ``n`` false positives and ``n`` false negatives, sampled, as text lines."""
    fps, fns = [], []
    for i, (sent, p) in enumerate(zip(sentences, pred.spans, strict=True)):
        fps += [(i, s, _classify(s, sent.gold)) for s in sorted(p - sent.gold)]
        fns += [(i, s, "missed") for s in sorted(sent.gold - p)]
    rng = random.Random(seed)
    lines = []
    for label, items in (("false positive", fps), ("false negative", fns)):
        for i, (start, end, kind), why in rng.sample(items, min(n, len(items))):
            text = sentences[i].text
            context = (text[max(0, start - 50):start] + "[[" + text[start:end] + "]]"
                       + text[end:end + 50])
            lines.append(f"  {label} {kind} ({why}): {text[start:end]!r}  … {context} …")
    return lines


# -- driver --------------------------------------------------------------------------
def evaluate(name: str, rec: Recogniser, data: dict[str, tuple[str, list[Sentence]]],
             doc_size: int, errors: int) -> dict[str, Any]:
    """Scores, error kinds and speed of one system on every set. Each set is read as a
    stream of its own: what the annotator remembers of one set (surnames named in full)
    is forgotten before the next, so the sets' figures do not depend on their order."""
    out: dict[str, Any] = {}
    for set_name, (lang, sentences) in data.items():
        memory = getattr(rec, "memory", None)
        if memory is not None:
            memory.clear()
        pred = run_system(rec, lang, sentences, doc_size)
        gold = [s.gold for s in sentences]
        scores = score(gold, pred.spans, pred.crossing)
        half = len(sentences) // 2
        halves = [score(gold[a:b], pred.spans[a:b],
                        [c for c in pred.crossing if a <= c[0] < b])["micro"]["f1"]
                  for a, b in ((0, half), (half, len(sentences)))]
        out[set_name] = {
            "lang": lang, "sentences": len(sentences),
            "gold_mentions": sum(len(g) for g in gold), "scores": scores,
            "halves_f1": halves,  # first and second half of the set, in file order
            "errors": {**error_kinds(gold, pred.spans), "crossing": len(pred.crossing)},
            "seconds": pred.seconds, "cpu_seconds": pred.cpu_seconds,
            "sentences_per_s": len(sentences) / max(pred.seconds, 1e-9)}
        print(f"  {name} {set_name}: micro F1 {scores['micro']['f1']:.3f}, "
              f"{out[set_name]['sentences_per_s']:,.0f} sentences/s", file=sys.stderr)
        if errors:
            print(f"\n{name} on {set_name}: sample errors")
            print("\n".join(show_errors(sentences, pred, errors)) or "  none")
    return out


def macro_f1(per_set: dict[str, Any], prefix: str = "wikineural-") -> float | None:
    """Mean of the per-language micro F1 over the sets named ``prefix<lang>``."""
    f1s = [r["scores"]["micro"]["f1"] for k, r in per_set.items() if k.startswith(prefix)]
    return sum(f1s) / len(f1s) if f1s else None


def tables(results: dict[str, Any]) -> str:
    """Markdown: one row per (set, system) with micro P/R/F1 and per-type F1; macro F1."""
    rows, detail, macro, halves = [], [], [], []
    for system, res in results.items():
        for set_name, r in res["sets"].items():
            s = r["scores"]
            rows.append([set_name, system, r["sentences"], r["gold_mentions"],
                         s["micro"]["p"], s["micro"]["r"], s["micro"]["f1"],
                         *[s[t]["f1"] for t in TYPES], f"{r['sentences_per_s']:,.0f}"])
            detail.append([set_name, system, *[f"{s[t]['p']:.3f} / {s[t]['r']:.3f}"
                                               for t in TYPES],
                           *[r["errors"].get(k, 0) for k in
                             ("wrong_type", "wrong_boundary", "spurious", "missed",
                              "crossing")]])
            if "halves_f1" in r:
                halves.append([set_name, system, *(f"{f:.4f}" for f in r["halves_f1"])])
        if res.get("wikineural_macro_f1") is not None:
            n = sum(k.startswith("wikineural-") for k in res["sets"])
            macro.append([system, n, res["wikineural_macro_f1"]])
    rows.sort(key=lambda r: (r[0], r[1]))
    detail.sort(key=lambda r: (r[0], r[1]))
    out = [md_table(["set", "system", "sentences", "gold", "P", "R", "F1", "PER F1",
                     "ORG F1", "LOC F1", "sentences/s"], rows),
           md_table(["set", "system", "PER P / R", "ORG P / R", "LOC P / R", "wrong type",
                     "wrong boundary", "spurious", "missed", "crossing"], detail)]
    if macro:
        out.append(md_table(["system", "WikiNEuRal languages", "macro F1"], macro))
    if halves:  # a set read for tuning in one half only stays held out in the other
        halves.sort(key=lambda r: (r[0], r[1]))
        out.append(md_table(["set", "system", "F1 first half", "F1 second half"], halves))
    return "\n\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """Benchmark the chosen systems on the chosen sets and report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="kind,kind-train,wikineural",
                        help="comma-separated: kind (dev), kind-train (held out), "
                             "wikineural (default all three)")
    parser.add_argument("--langs", default=",".join(WIKINEURAL_LANGS),
                        help="WikiNEuRal languages (default all nine)")
    parser.add_argument("--limit", type=int, help="at most N sentences per set")
    parser.add_argument("--system", default=",".join(SYSTEMS),
                        help="comma-separated: newsweave, capitalised (default both)")
    parser.add_argument("--doc-size", type=int, default=20,
                        help="sentences per pseudo-document (default 20)")
    parser.add_argument("--errors", type=int, default=0, metavar="N",
                        help="print N sample false positives and negatives per set")
    args = parser.parse_args(argv)
    systems = [s.strip() for s in args.system.split(",") if s.strip()]
    unknown = [s for s in systems if s not in SYSTEMS]
    if unknown:
        parser.error(f"unknown system(s): {', '.join(unknown)}; choose from {SYSTEMS}")
    data = load_sets([s.strip() for s in args.sets.split(",")],
                     [x.strip() for x in args.langs.split(",") if x.strip()], args.limit)
    if not data:
        return 0  # find_data said what is missing
    results: dict[str, Any] = {}
    for name in systems:
        try:
            started = time.perf_counter()
            rec, version = make_system(name)
            load_s = time.perf_counter() - started
        except Exception as exc:  # noqa: BLE001 - any load failure is reported, not fatal
            print(f"{name} annotator not available: {type(exc).__name__}: {exc}")
            results[name] = {"skipped": f"{type(exc).__name__}: {exc}"}
            continue
        sets = evaluate(name, rec, data, args.doc_size, args.errors)
        results[name] = {"version": version, "load_s": load_s, "sets": sets,
                         "wikineural_macro_f1": macro_f1(sets)}
    ran = {k: v for k, v in results.items() if "sets" in v}
    if not ran:
        return 1
    counts = ", ".join(f"{k}: {len(v[1])}" for k, v in data.items())
    print(f"\nSentences per set: {counts}; pseudo-documents of {args.doc_size} sentences. "
          "Exact span + type; P/R/F1 micro over PER, ORG, LOC.\n")
    print(tables(ran))
    write_results("bench_ner", {"doc_size": args.doc_size, "limit": args.limit,
                                "systems": results})
    return 0


if __name__ == "__main__":
    sys.exit(main())
