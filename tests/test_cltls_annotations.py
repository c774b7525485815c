"""The hand-made CL-TLS annotation files keep their rules (and match the data when present)."""

from __future__ import annotations

from collections import Counter

from benchmarks.cltls_annotations import (
    LANGS,
    MAX_PAIRS_PER_EVENT,
    PAIRS,
    PER_LANG,
    TITLES,
    check_pairs,
    check_titles,
    read_tsv,
)
from tests.conftest import shared_path


def test_pair_file_is_well_formed() -> None:
    rows = read_tsv(PAIRS)
    same = [r for r in rows if r["label"] == "same"]
    different = [r for r in rows if r["label"] == "different"]
    assert len(same) + len(different) == len(rows)
    assert len(same) >= 60 and len(different) >= len(same)
    for sel in (same, different):
        cross = [r for r in sel if r["a"][:2] != r["b"][:2]]
        assert 2 * len(cross) >= len(sel), "at least half the pairs cross languages"
    assert len({frozenset((r["a"], r["b"])) for r in rows}) == len(rows), "a pair repeats"
    assert {r["split"] for r in rows} == {"dev", "holdout"}
    splits_of: dict[str, set[str]] = {}
    for r in same:
        splits_of.setdefault(r["event"], set()).add(r["split"])
    assert all(len(s) == 1 for s in splits_of.values()), "an event spans both splits"
    assert max(Counter(r["event"] for r in same).values()) <= MAX_PAIRS_PER_EVENT


def test_title_file_is_well_formed() -> None:
    rows = read_tsv(TITLES)
    assert Counter(r["path"][:2] for r in rows) == {lang: PER_LANG for lang in LANGS}
    assert all(int(r["headline_line"]) >= 0 for r in rows)
    assert {r["split"] for r in rows} == {"dev", "holdout"}


def test_annotations_match_the_data() -> None:
    root = shared_path("data", "timelines")
    assert check_pairs(read_tsv(PAIRS), root) == []
    assert check_titles(read_tsv(TITLES), root) == []
