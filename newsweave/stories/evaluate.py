"""Clustering quality against gold labels: pairwise and BCubed precision, recall, F1.

Used by the quality-gate tests and the benchmarks; also handy for users who label
a sample of their own stream.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PRF:
    precision: float
    recall: float
    f1: float

    @classmethod
    def of(cls, precision: float, recall: float) -> PRF:
        total = precision + recall
        return cls(precision, recall, 2 * precision * recall / total if total else 0.0)


def pairwise(predicted: Sequence[Hashable], gold: Sequence[Hashable]) -> PRF:
    """Precision and recall over all pairs of items put in the same cluster."""

    def pairs(counts: Counter) -> int:
        return sum(n * (n - 1) // 2 for n in counts.values())

    both = pairs(Counter(zip(predicted, gold, strict=True)))
    pred, true = pairs(Counter(predicted)), pairs(Counter(gold))
    return PRF.of(both / pred if pred else 1.0, both / true if true else 1.0)


def bcubed(predicted: Sequence[Hashable], gold: Sequence[Hashable]) -> PRF:
    """BCubed (Bagga & Baldwin): per-item precision and recall, averaged over items."""
    if not predicted:
        return PRF(1.0, 1.0, 1.0)
    joint = Counter(zip(predicted, gold, strict=True))
    pred_size, gold_size = Counter(predicted), Counter(gold)
    precision = recall = 0.0
    for (p, g), n in joint.items():
        precision += n * n / pred_size[p]
        recall += n * n / gold_size[g]
    items = len(predicted)
    return PRF.of(precision / items, recall / items)


def by_group(predicted: Sequence[Hashable], gold: Sequence[Hashable],
             groups: Sequence[Hashable]) -> dict[Hashable, PRF]:
    """BCubed restricted to each group's items (e.g. per language)."""
    members: dict[Hashable, list[int]] = defaultdict(list)
    for i, g in enumerate(groups):
        members[g].append(i)
    return {g: bcubed([predicted[i] for i in idx], [gold[i] for i in idx])
            for g, idx in sorted(members.items(), key=lambda kv: str(kv[0]))}
