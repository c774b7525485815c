"""Helpers every benchmark shares: data location, clustering metrics, memory, timing,
markdown tables and the JSON results file.

Nothing here imports newsweave's heavy parts: a benchmark that finds no data exits
before any model is loaded.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
OUT_ENV = "NEWSWEAVE_BENCH_OUT"  # where results go instead (run_all --quick uses out/quick)


# -- data --------------------------------------------------------------------------
@contextmanager
def store_folder(keep: Path | None) -> Iterator[Path]:
    """The folder a benchmark keeps its stores in: ``keep`` (made if missing, left
    behind for the next run to reuse), else a temporary one deleted afterwards."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        yield folder


def shared_dir() -> Path:
    """``../shared`` beside the repository, or ``$NEWSWEAVE_SHARED``."""
    return Path(os.environ.get("NEWSWEAVE_SHARED") or ROOT.parent / "shared")


def find_data(*relative: str) -> list[Path] | None:
    """The paths under ``shared/data``, or None (after printing why) if one is missing."""
    paths = [shared_dir() / "data" / rel for rel in relative]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        print(f"skipped: {', '.join(missing)} not found (set NEWSWEAVE_SHARED to the folder "
              "holding data/)")
        return None
    return paths


# -- clustering metrics --------------------------------------------------------------
Labels = Mapping[str, Hashable]


def _pairs(n: int | np.ndarray) -> Any:
    return n * (n - 1) // 2


def _prf(p: float, r: float) -> dict[str, float]:
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f1": f}


def pairwise(pred: Labels, gold: Labels, lang: Mapping[str, str] | None = None
             ) -> dict[str, float]:
    """Pairwise precision/recall/F1 over the items in ``gold``.

    A pair counts when both items share a cluster. With ``lang`` given, also the
    recall and precision restricted to pairs of items in *different* languages
    (``xl_p``, ``xl_r``, ``xl_f1``): how well stories cross languages.
    """
    items = list(gold)
    cells = Counter((pred[i], gold[i]) for i in items)
    tp = sum(_pairs(n) for n in cells.values())
    pp = sum(_pairs(n) for n in Counter(pred[i] for i in items).values())
    gp = sum(_pairs(n) for n in Counter(gold[i] for i in items).values())
    out = _prf(tp / pp if pp else 1.0, tp / gp if gp else 1.0)
    out.update(pairs_pred=pp, pairs_gold=gp)
    if lang is not None:
        def cross(key: Any) -> int:
            groups = Counter(key(i) for i in items)
            same = Counter((key(i), lang[i]) for i in items)
            return sum(_pairs(n) for n in groups.values()) - sum(_pairs(n) for n in same.values())

        xtp = cross(lambda i: (pred[i], gold[i]))
        xpp, xgp = cross(lambda i: pred[i]), cross(lambda i: gold[i])
        xl = _prf(xtp / xpp if xpp else 1.0, xtp / xgp if xgp else 1.0)
        out.update({f"xl_{k}": v for k, v in xl.items()})
    return out


def bcubed(pred: Labels, gold: Labels, items: Iterable[str] | None = None
           ) -> dict[str, float]:
    """BCubed precision/recall/F1 (Amigó et al. 2009) over ``items`` (default: all of gold).

    Clusters are intersected with ``items``: restricting to one language scores the
    clustering of that language's items among themselves. The arithmetic is the
    library's (:func:`newsweave.stories.evaluate.bcubed`, pure Python, no model).
    """
    from newsweave.stories.evaluate import bcubed as _bcubed

    items = list(gold if items is None else items)
    if not items:
        return {"p": 0.0, "r": 0.0, "f1": 0.0, "n": 0}
    prf = _bcubed([pred[i] for i in items], [gold[i] for i in items])
    return {"p": prf.precision, "r": prf.recall, "f1": prf.f1, "n": len(items)}


def cluster_scores(pred: Labels, gold: Labels, lang: Mapping[str, str]) -> dict[str, Any]:
    """Pairwise (with cross-lingual pairs), BCubed overall and per language, cluster count."""
    by_lang: dict[str, list[str]] = {}
    for item in gold:
        by_lang.setdefault(lang[item], []).append(item)
    per_lang = {k: bcubed(pred, gold, v) for k, v in sorted(by_lang.items())}
    return {"pairwise": pairwise(pred, gold, lang), "bcubed": bcubed(pred, gold),
            "bcubed_by_lang": per_lang, "bcubed_within_lang": within_language(per_lang),
            "clusters": len({pred[i] for i in gold})}


def within_language(per_lang: Mapping[str, Mapping[str, float]]) -> dict[str, float]:
    """BCubed scored inside each language, P and R averaged over all items.

    This is the monolingual view of a multilingual clustering: joining or splitting
    stories *across* languages neither helps nor hurts. On OG2021 it is the reading
    under which the data README's reference points hold (all-singletons about 0.3,
    simple e5 single-pass about 0.6); the cross-lingual BCubed is the stricter figure.
    """
    items = sum(s["n"] for s in per_lang.values())
    if not items:
        return {"p": 0.0, "r": 0.0, "f1": 0.0, "n": 0}
    p = sum(s["p"] * s["n"] for s in per_lang.values()) / items
    r = sum(s["r"] * s["n"] for s in per_lang.values()) / items
    return {**_prf(p, r), "n": items}


def single_pass(n: int, similarities: Any, self_sim: np.ndarray,
                thresholds: Sequence[float]) -> dict[float, np.ndarray]:
    """Single-pass centroid clustering, for every threshold in one sweep over the stream.

    ``similarities(i)`` returns the dot products of item ``i`` with items ``0..i-1``;
    the cosine to a cluster centroid is then ``sum of those over the cluster /
    |sum of the cluster's vectors|`` (``|x_i| = 1``), with the squared norm kept per
    cluster. Item ``i`` joins the best cluster when that cosine reaches the threshold,
    else starts one. Returns one label array per threshold.
    """
    labels = {t: np.zeros(n, dtype=np.int64) for t in thresholds}
    sq_norm = {t: np.zeros(n) for t in thresholds}
    count = dict.fromkeys(thresholds, 0)
    for i in range(n):
        sims = similarities(i) if i else None
        for t in thresholds:
            lab, k = labels[t], count[t]
            if k:
                dots = np.bincount(lab[:i], weights=sims, minlength=k)
                cos = dots / np.sqrt(np.maximum(sq_norm[t][:k], 1e-12))
                best = int(np.argmax(cos))
                if cos[best] >= t:
                    lab[i] = best
                    sq_norm[t][best] += 2 * dots[best] + self_sim[i]
                    continue
            lab[i] = k
            sq_norm[t][k] = self_sim[i]
            count[t] = k + 1
    return labels


# -- memory, time, machine -------------------------------------------------------------
def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MiB (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def timer() -> Iterator[dict[str, float]]:
    """``with timer() as t: ...`` then ``t["wall"]``, ``t["cpu"]`` in seconds.

    CPU time (this process only) is the steadier figure on a shared machine.
    """
    out: dict[str, float] = {}
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        yield out
    finally:
        out["wall"] = time.perf_counter() - wall
        out["cpu"] = time.process_time() - cpu


class TimedEmbedder:
    """Wraps an embedder and adds up the time spent in ``embed_passages``."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.model_name: str = inner.model_name
        self.dim: int = inner.dim
        self.seconds = 0.0
        self.cpu_seconds = 0.0
        self.texts = 0

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        with timer() as t:
            out = self.inner.embed_passages(texts)
        self.seconds += t["wall"]
        self.cpu_seconds += t["cpu"]
        self.texts += len(texts)
        return out


def machine() -> dict[str, Any]:
    """CPU model, cores, memory, load and software versions, for the record."""
    cpu = platform.processor() or "unknown CPU"
    mem_gb = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "ram_gb": mem_gb,
            "load_avg": [round(x, 2) for x in os.getloadavg()],
            "python": platform.python_version(),
            "omp_num_threads": os.environ.get("OMP_NUM_THREADS")}


def commit() -> str | None:
    """HEAD's short hash (read only), with ``+dirty`` when ``newsweave/`` has uncommitted
    changes: figures belong to the code that produced them."""
    def git(*args: str) -> str:
        out = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                             check=False, timeout=10)
        return out.stdout.strip()

    try:
        head = git("rev-parse", "--short", "HEAD")
        dirty = git("status", "--porcelain", "--", "newsweave")
    except OSError:
        return None
    return f"{head}+dirty" if head and dirty else head or None


# -- output --------------------------------------------------------------------------
def md_table(head: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A markdown table; floats are printed with 3 decimals."""
    def cell(v: Any) -> str:
        return f"{v:.3f}" if isinstance(v, float) else str(v)

    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def write_results(name: str, results: dict[str, Any]) -> Path:
    """``benchmarks/out/<name>.json`` (or under ``$NEWSWEAVE_BENCH_OUT``) with the date,
    machine and commit added."""
    out = Path(os.environ.get(OUT_ENV) or OUT)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{name}.json"
    meta = {"benchmark": name, "command": " ".join(["python -m", f"benchmarks.{name}",
                                                    *sys.argv[1:]]),
            "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": machine(), "commit": commit()}
    path.write_text(json.dumps({**meta, **results}, indent=2, ensure_ascii=False,
                               default=str), encoding="utf-8")
    print(f"\nwrote {path}")
    return path


class Progress:
    """A ``progress(n)`` callback for :meth:`Pipeline.ingest`: prints to stderr every
    ``every`` documents and keeps (documents, seconds) marks for steady-state rates."""

    def __init__(self, label: str, every: int = 500) -> None:
        self.label, self.every = label, every
        self.done, self.next = 0, every
        self.start = time.perf_counter()
        self.marks: list[tuple[int, float]] = [(0, 0.0)]

    def __call__(self, n: int) -> None:
        self.done += n
        elapsed = time.perf_counter() - self.start
        self.marks.append((self.done, elapsed))
        if self.done >= self.next:
            print(f"  {self.label}: {self.done} docs, {self.done / max(elapsed, 1e-9):.1f}/s",
                  file=sys.stderr, flush=True)
            self.next += self.every

    def rate_after(self, share: float = 0.5) -> float | None:
        """Documents per second after the first ``share`` of the documents (steady state)."""
        if self.done == 0:
            return None
        start = next(m for m in self.marks if m[0] >= self.done * share)
        end = self.marks[-1]
        return (end[0] - start[0]) / (end[1] - start[1]) if end[1] > start[1] else None
