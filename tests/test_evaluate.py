"""The clustering metrics, on cases small enough to check by hand."""

from __future__ import annotations

import pytest

from newsweave.stories.evaluate import bcubed, by_group, pairwise


def test_perfect_and_singletons() -> None:
    gold = ["a", "a", "b", "b", "b"]
    assert bcubed([1, 1, 2, 2, 2], gold).f1 == 1.0
    singletons = bcubed([1, 2, 3, 4, 5], gold)
    assert singletons.precision == 1.0
    assert singletons.recall == pytest.approx((2 * 0.5 + 3 / 3) / 5)
    assert pairwise([1, 2, 3, 4, 5], gold).recall == 0.0


def test_one_big_cluster() -> None:
    gold = ["a", "a", "b", "b"]
    b3 = bcubed([1, 1, 1, 1], gold)
    assert b3.recall == 1.0 and b3.precision == pytest.approx(0.5)
    assert pairwise([1, 1, 1, 1], gold).precision == pytest.approx(2 / 6)


def test_by_group() -> None:
    scores = by_group([1, 1, 2], ["a", "a", "b"], ["en", "it", "en"])
    assert set(scores) == {"en", "it"} and scores["it"].f1 == 1.0
