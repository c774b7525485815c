"""Near-duplicate machinery: shingles, MinHash signatures, LSH band keys."""

from __future__ import annotations

import hashlib
import random
import subprocess
import sys
import unicodedata
from pathlib import Path

import numpy as np
import pytest

from newsweave.clean.dedupe import (
    EMPTY,
    MinHasher,
    candidate_probability,
    jaccard_estimate,
    shingles,
)

try:  # written by another module owner; a local stand-in until it lands
    from newsweave.clean.text import normalise_for_hash
except ImportError:  # pragma: no cover - depends on the state of the tree
    def normalise_for_hash(text: str) -> str:
        """NFKC, casefold, punctuation/space/control to one space, format chars gone."""
        text = unicodedata.normalize("NFKC", text).casefold()
        cat = unicodedata.category
        kept = ("" if cat(ch) == "Cf" else " " if cat(ch)[0] in "PZC" else ch for ch in text)
        return " ".join("".join(kept).split())

ROOT = Path(__file__).resolve().parents[1]
BANDS = 32  # the settings' defaults: 128 permutations, 32 bands of 4 rows

# An invented wire story, its Italian translation and an unrelated story.
STORY = (
    "The regional government announced on Monday a plan to rebuild the old harbour "
    "bridge, which was closed to traffic last winter after engineers found cracks in "
    "two of its main supports. The new bridge will have separate lanes for cyclists "
    "and pedestrians, and a wider opening so that larger ferries can reach the inner "
    "port. Work is expected to begin in the autumn and to last about three years. "
    "During construction a temporary ferry service will carry commuters across the "
    "bay every twenty minutes from early morning until midnight. The transport "
    "minister said the project would be paid for by the regional budget and by a "
    "loan from a European investment bank, and that tolls would not be introduced. "
    "Local shop owners welcomed the decision but asked for compensation for the "
    "months of lost trade since the closure. Residents of the island district, who "
    "have faced long detours, said they had waited too long for a clear answer. "
    "The opposition called the timetable optimistic and demanded that the full "
    "engineering report be published before any contract is signed. A public "
    "consultation on the design will open next month and run for six weeks, with "
    "meetings in the town hall and an online form for written comments."
)
EDITED_SENTENCE = (
    "Work is expected to begin in the autumn and to last about three years.",
    "Work should start in October and is planned to take roughly three years.",
)
HEADER_A = "HARBOUR CITY (Wire) - "
FOOTER_A = " Copyright Wire Service. All rights reserved. Follow us for more news."
HEADER_B = "Published by The Coastal Herald | Staff reporter | 4 min read. "
FOOTER_B = (" Sign up for our morning newsletter to get the top stories in your inbox. "
            "Related: ferry timetables, road closures this weekend.")
TRANSLATION = (
    "Il governo regionale ha annunciato lunedì un piano per ricostruire il vecchio "
    "ponte del porto, chiuso al traffico lo scorso inverno dopo che gli ingegneri "
    "avevano trovato crepe in due dei suoi sostegni principali. Il nuovo ponte avrà "
    "corsie separate per ciclisti e pedoni e un'apertura più ampia, perché i "
    "traghetti più grandi possano raggiungere il porto interno. I lavori dovrebbero "
    "iniziare in autunno e durare circa tre anni. Durante il cantiere un servizio "
    "provvisorio di traghetti porterà i pendolari attraverso la baia ogni venti minuti."
)
UNRELATED = (
    "The national football team won its third match in a row on Saturday, beating "
    "the visitors two goals to one in front of a sold-out stadium. The winning goal "
    "came in the final minute from a young striker making his first appearance, and "
    "the coach praised the defence for holding firm during a long spell of pressure "
    "in the second half. The team now leads its qualifying group by four points with "
    "two games left to play, and tickets for the next home match sold out in an hour."
)
CHINESE = (
    "地区政府周一宣布了重建旧港口大桥的计划。去年冬天，工程师在两根主要支柱上发现裂缝后，"
    "这座桥被禁止通行。新桥将为骑自行车的人和行人设置单独的车道，并拓宽通道，使更大的渡轮"
    "能够进入内港。工程预计将于秋季开工，持续约三年。施工期间，临时渡轮将每二十分钟运送一次"
    "通勤者过海湾。交通部长表示，该项目将由地区预算和欧洲投资银行的贷款支付。"
)


def syndicated(header: str, footer: str, edit: bool) -> str:
    body = STORY.replace(*EDITED_SENTENCE) if edit else STORY
    return header + body + footer


@pytest.fixture(scope="module")
def hasher() -> MinHasher:
    return MinHasher()


def true_jaccard(a: str, b: str) -> float:
    sa, sb = shingles(a), shingles(b)
    return len(sa & sb) / len(sa | sb)


# ------------------------------------------------------------------ shingles


def test_shingles_casefold_and_punctuation() -> None:
    assert shingles("The Bridge, the BRIDGE!", n=2) == {"the bridge", "bridge the"}
    assert shingles("Straße") == shingles("STRASSE")  # casefold, not lower
    assert shingles("café") == shingles("cafe\u0301")  # composed and decomposed accent
    assert shingles("one_two three", n=3) == {"one two three"}


def test_words_keep_combining_marks_and_drop_invisibles() -> None:
    # Devanagari vowel signs and Arabic vowel points are not \w in re; words stay whole
    assert shingles("सरकार ने नए बजट को", n=1) == {"सरकार", "ने", "नए", "बजट", "को"}
    assert shingles("كَتَبَ الوَلَدُ", n=1) == {"كَتَبَ", "الوَلَدُ"}
    assert shingles("inter\u00adnational\u200b news") == {"international news"}


def test_short_texts_use_fewer_words() -> None:
    assert shingles("Bridge closed", n=5) == {"bridge closed"}
    assert shingles("Closed", n=5) == {"closed"}
    assert len(shingles("a b c d e f", n=5)) == 2


def test_no_words_no_shingles() -> None:
    assert shingles("") == set()
    assert shingles(" ... !!! -- ") == set()


def test_chinese_uses_character_ngrams() -> None:
    sh = shingles("政府宣布了新的措施。")
    assert sh == {"政府宣布", "府宣布了", "宣布了新", "布了新的", "了新的措", "新的措施"}
    assert shingles("新桥") == {"新桥"}


def test_shingle_size_must_be_positive() -> None:
    with pytest.raises(ValueError):
        shingles("text", n=0)


# ------------------------------------------------------------------ signatures


def test_syndicated_copies_are_near_duplicates(hasher: MinHasher) -> None:
    a = syndicated(HEADER_A, FOOTER_A, edit=False)
    b = syndicated(HEADER_B, FOOTER_B, edit=True)
    assert 0.5 <= true_jaccard(a, b) < 1.0
    sig_a, sig_b = hasher.signature(a), hasher.signature(b)
    assert jaccard_estimate(sig_a, sig_b) >= 0.5
    shared = set(hasher.band_keys(sig_a, BANDS)) & set(hasher.band_keys(sig_b, BANDS))
    assert shared, "near copies must meet through at least one band key"


def test_chinese_near_copy_detected(hasher: MinHasher) -> None:
    edited = CHINESE.replace("持续约三年", "预计持续三年左右") + "更多新闻请关注本台。"
    assert jaccard_estimate(hasher.signature(CHINESE), hasher.signature(edited)) >= 0.5


def test_translation_is_not_a_near_duplicate(hasher: MinHasher) -> None:
    est = jaccard_estimate(hasher.signature(STORY), hasher.signature(TRANSLATION))
    assert est < 0.1


def test_unrelated_texts_score_about_zero(hasher: MinHasher) -> None:
    assert jaccard_estimate(hasher.signature(STORY), hasher.signature(UNRELATED)) < 0.05
    assert jaccard_estimate(hasher.signature(STORY), hasher.signature(CHINESE)) < 0.05


def test_identical_and_normalised_texts_match(hasher: MinHasher) -> None:
    sig = hasher.signature(STORY)
    assert jaccard_estimate(sig, hasher.signature(STORY)) == 1.0
    variants = [
        "  " + STORY.upper().replace(" ", "\n  ") + " ",
        STORY.replace("harbour", "har\u00adbour").replace(", ", " , "),
        STORY.replace("-", "\u2014").replace("The ", "\ufeffThe "),
    ]
    for variant in variants:
        # what the exact-duplicate key calls equal, the near-duplicate check does too
        assert normalise_for_hash(variant) == normalise_for_hash(STORY)
        assert np.array_equal(hasher.signature(variant), sig)


def test_empty_text_resembles_nothing(hasher: MinHasher) -> None:
    empty = hasher.signature("  ...  ")
    assert empty.dtype == np.uint64 and np.all(empty == EMPTY)
    assert jaccard_estimate(empty, empty) == 0.0
    assert jaccard_estimate(empty, hasher.signature(STORY)) == 0.0


def test_signature_shape_and_type(hasher: MinHasher) -> None:
    sig = hasher.signature(STORY)
    assert sig.shape == (128,) and sig.dtype == np.uint64
    assert MinHasher(num_perm=64).signature(STORY).shape == (64,)


def test_estimate_is_unbiased() -> None:
    """Mean error near 0 and spread near the binomial sqrt(J(1-J)/128)."""
    rng = random.Random(7)
    vocab = [f"w{i}" for i in range(3000)]
    hasher = MinHasher()
    errors = []
    for _ in range(60):
        words = [rng.choice(vocab) for _ in range(300)]
        cut = rng.randrange(60, 240)
        other = words[:cut] + [rng.choice(vocab) for _ in range(300 - cut)]
        a, b = " ".join(words), " ".join(other)
        est = jaccard_estimate(hasher.signature(a), hasher.signature(b))
        errors.append(est - true_jaccard(a, b))
    assert abs(float(np.mean(errors))) < 0.02
    assert float(np.std(errors)) < 0.06


def test_mismatched_signatures_rejected(hasher: MinHasher) -> None:
    with pytest.raises(ValueError):
        jaccard_estimate(hasher.signature(STORY), MinHasher(num_perm=64).signature(STORY))


# ------------------------------------------------------------------ determinism, band keys


def test_deterministic_across_instances_and_processes() -> None:
    sig = MinHasher().signature(STORY)
    assert np.array_equal(sig, MinHasher().signature(STORY))
    assert not np.array_equal(sig, MinHasher(seed=2).signature(STORY))
    code = ("import hashlib; from newsweave.clean.dedupe import MinHasher; "
            "from tests.test_dedupe import STORY; m = MinHasher(); s = m.signature(STORY); "
            "print(hashlib.sha256(s.astype('<u8').tobytes()).hexdigest(), m.band_keys(s, 32))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True, env={"PYTHONHASHSEED": "123", "PATH": ""})
    digest, keys = out.stdout.split(" ", 1)
    assert digest == hashlib.sha256(sig.astype("<u8").tobytes()).hexdigest()
    assert keys.strip() == str(MinHasher().band_keys(sig, 32))


def test_band_keys_fit_sqlite_integer(hasher: MinHasher) -> None:
    keys = hasher.band_keys(hasher.signature(STORY), BANDS)
    assert len(keys) == BANDS and len(set(keys)) == BANDS
    assert all(isinstance(k, int) and -(2**63) <= k < 2**63 for k in keys)


def test_band_keys_need_a_divisor(hasher: MinHasher) -> None:
    with pytest.raises(ValueError):
        hasher.band_keys(hasher.signature(STORY), 30)


def test_equal_rows_in_different_bands_get_different_keys(hasher: MinHasher) -> None:
    flat = np.full(128, 42, dtype=np.uint64)
    assert len(set(hasher.band_keys(flat, BANDS))) == BANDS


def test_candidate_probability_s_curve() -> None:
    assert candidate_probability(0.5, 32, 4) == pytest.approx(0.873, abs=0.001)
    assert candidate_probability(0.2, 32, 4) < 0.05
    assert candidate_probability(0.8, 32, 4) > 0.999


def test_many_documents_sanity() -> None:
    """Not timed: just exercises the vectorised path on a batch of 300-word texts."""
    rng = random.Random(3)
    vocab = [f"v{i}" for i in range(5000)]
    hasher = MinHasher()
    sigs = [hasher.signature(" ".join(rng.choice(vocab) for _ in range(300)))
            for _ in range(50)]
    assert all(s.shape == (128,) for s in sigs)
    assert max(jaccard_estimate(sigs[0], s) for s in sigs[1:]) < 0.05
    long_text = " ".join(rng.choice(vocab) for _ in range(10_000))  # > one chunk
    assert hasher.signature(long_text).shape == (128,)
