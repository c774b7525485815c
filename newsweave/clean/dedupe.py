"""Near-duplicate detection: MinHash signatures and LSH band keys.

Exact copies are caught by the caller with a sha256 of the normalised text. This
module finds *near* copies: the same wire story republished with another header or
footer, a corrected sentence, a different byline. It is pure (no database): the
store keeps ``(band, key) -> article`` rows in an indexed table, so finding
candidates is a handful of index lookups however large the corpus grows, and each
candidate is then verified with :func:`jaccard_estimate` against a threshold
(``near_dup_threshold``, 0.5 by default).

How it works. A text becomes a set of *shingles*: overlapping runs of 5 words
(casefolded, punctuation dropped), or of 4 characters for scripts written without
spaces (Chinese, Japanese, Thai, ...). Two texts' Jaccard similarity is the share
of shingles they have in common. MinHash keeps, for each of ``num_perm`` random
permutations of the shingle hashes, the smallest value; two signatures agree at a
position with probability equal to the Jaccard similarity, so the share of equal
positions estimates it (standard error ~ 0.5/sqrt(num_perm) = 0.044 at 128).
LSH splits the signature into ``bands`` bands of ``rows`` rows and hashes each band
to one key: texts with Jaccard ``s`` share at least one key with probability
``1 - (1 - s**rows) ** bands`` (32 bands of 4 rows: 87% at s = 0.5, 99.6% at 0.7,
0.6% at 0.2), which keeps lookups cheap while missing few true near copies.

Everything is deterministic across processes and machines: shingles are hashed
with blake2b (never Python's salted ``hash()``) and the permutations are derived
from ``seed`` with blake2b too, so signatures and band keys can be stored.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

import numpy as np

# Signature value of a text with no shingles: similar to nothing (see jaccard_estimate).
EMPTY = np.uint64(np.iinfo(np.uint64).max)
CHAR_NGRAM = 4
_CHUNK = 4096  # shingles hashed against all permutations at once (bounds memory)

# A word: letters and digits plus the combining marks that \w leaves out (Python's
# \w stops at a Devanagari vowel sign or an Arabic vowel point, splitting words).
_WORD = re.compile(
    "[\\w\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670"
    "\u06d6-\u06ed\u0900-\u0963\u0966-\u0dff\u0e00-\u0eff\u0f00-\u0fff\u1000-\u109f"
    "\u1780-\u17ff\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+"
)
# Invisible format characters (soft hyphen, zero-width space/joiners, BOM) are
# deleted, not treated as word breaks, as the exact-duplicate key does.
_INVISIBLE = dict.fromkeys(
    [0xAD, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064,
     0xFEFF])
# Scripts written without spaces between words: shingle by characters instead.
_NO_SPACE = re.compile(
    "[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # kana, Han
    "\u0e00-\u0e7f\u0e80-\u0eff\u1780-\u17ff\u1000-\u109f\u0f00-\u0fff]"  # Thai..Tibetan
)


def _words(text: str) -> list[str]:
    """Casefolded words, punctuation and underscores dropped (Unicode-aware). NFKC
    first, so ligatures, full-width forms and composed accents compare equal."""
    folded = unicodedata.normalize("NFKC", text.translate(_INVISIBLE)).casefold()
    folded = folded.replace("_", " ")
    return _WORD.findall(folded)


def shingles(text: str, n: int = 5) -> set[str]:
    """The set of ``n``-word shingles of ``text``.

    Words are casefolded with punctuation removed. A text of fewer than ``n`` words
    gives one shingle of all its words, so short texts still compare. When at least
    a third of the letters are in a script written without spaces, the text is
    shingled into overlapping character ``CHAR_NGRAM``-grams (spaces and punctuation
    removed) instead. A text without words gives the empty set.
    """
    if n < 1:
        raise ValueError(f"shingle size must be at least 1, got {n}")
    words = _words(text)
    if not words:
        return set()
    joined = "".join(words)
    if len(_NO_SPACE.findall(joined)) * 3 >= len(joined):
        k = min(CHAR_NGRAM, len(joined))
        return {joined[i:i + k] for i in range(len(joined) - k + 1)}
    k = min(n, len(words))
    return {" ".join(words[i:i + k]) for i in range(len(words) - k + 1)}


DEDUPE_LINE_WORDS = 12  # shorter lines are headlines, captions and sidebar links
DEDUPE_MIN_WORDS = 60  # below this much running text, the whole text is compared


def dedupe_text(text: str) -> str:
    """The part of a text that near-duplicate detection compares: its running text.

    Two different reports from one site share its sidebar: dozens of short lines of
    other headlines, which boilerplate removal misses until the stream has seen them
    recur. Paragraphs are what a copy shares with its original, so only lines of
    ``DEDUPE_LINE_WORDS`` words or more are compared, unless that leaves too little
    text to judge (a brief, a headline-only record), when the whole text is.
    """
    lines = [ln for ln in text.split("\n") if len(ln.split()) >= DEDUPE_LINE_WORDS]
    kept = "\n".join(lines)
    return kept if len(kept.split()) >= DEDUPE_MIN_WORDS else text


def _stable_u64(data: bytes, person: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(data, digest_size=8, person=person).digest(), "little")


class MinHasher:
    """MinHash signatures of texts, and LSH band keys of signatures.

    ``num_perm`` must be a multiple of the number of bands used with
    :meth:`band_keys`. Two hashers built with the same arguments give identical
    signatures in any process.
    """

    def __init__(self, num_perm: int = 128, shingle_words: int = 5, seed: int = 1) -> None:
        if num_perm < 1:
            raise ValueError(f"num_perm must be positive, got {num_perm}")
        if shingle_words < 1:
            raise ValueError(f"shingle_words must be positive, got {shingle_words}")
        self.num_perm = num_perm
        self.shingle_words = shingle_words
        self.seed = seed
        # Permutation i is x -> (a_i * x + b_i) mod 2^64 with a_i odd, a bijection of
        # the 64-bit integers. The x are blake2b hashes, already uniform, so this
        # cheap map is enough: estimates are unbiased with the binomial spread
        # sqrt(J(1-J)/num_perm) (checked in tests/test_dedupe.py).
        params = [_stable_u64(f"{seed}:{i}:{part}".encode(), b"nw-minhash-perm")
                  for i in range(num_perm) for part in ("a", "b")]
        arr = np.array(params, dtype=np.uint64).reshape(num_perm, 2)
        self._a = arr[:, 0] | np.uint64(1)
        self._b = arr[:, 1]

    def shingle_hashes(self, text: str) -> np.ndarray:
        """64-bit blake2b hashes of the text's shingles (uint64, order unspecified)."""
        sh = shingles(text, self.shingle_words)
        digests = b"".join(
            hashlib.blake2b(s.encode("utf-8"), digest_size=8, person=b"nw-shingle").digest()
            for s in sorted(sh))
        return np.frombuffer(digests, dtype="<u8").astype(np.uint64)

    def signature(self, text: str) -> np.ndarray:
        """MinHash signature: ``num_perm`` uint64 values (all :data:`EMPTY` when the
        text has no words)."""
        hashes = self.shingle_hashes(text)
        sig = np.full(self.num_perm, EMPTY, dtype=np.uint64)
        for start in range(0, len(hashes), _CHUNK):
            block = hashes[start:start + _CHUNK, None]
            z = block * self._a  # uint64 arithmetic wraps mod 2^64
            z += self._b
            np.minimum(sig, z.min(axis=0), out=sig)
        return sig

    def band_keys(self, sig: np.ndarray, bands: int) -> list[int]:
        """One key per band, as signed 64-bit ints (they fit an SQLite INTEGER).

        Band ``i``'s key hashes the band number with its rows, so equal rows in
        different bands never collide; keys are stable across runs and machines.
        """
        if bands < 1 or len(sig) % bands:
            raise ValueError(f"signature length {len(sig)} is not a multiple of bands={bands}")
        rows = len(sig) // bands
        raw = np.asarray(sig, dtype=np.uint64).astype("<u8")
        keys = []
        for band in range(bands):
            chunk = band.to_bytes(4, "little") + raw[band * rows:(band + 1) * rows].tobytes()
            digest = hashlib.blake2b(chunk, digest_size=8, person=b"nw-lsh-band").digest()
            keys.append(int.from_bytes(digest, "little", signed=True))
        return keys


def jaccard_estimate(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of the texts behind two signatures: the share of
    positions where they agree. A text without words resembles nothing (0.0)."""
    if a.shape != b.shape:
        raise ValueError(f"signatures differ in length: {a.shape} vs {b.shape}")
    if a.size == 0 or bool(np.all(a == EMPTY)) or bool(np.all(b == EMPTY)):
        return 0.0
    return float(np.count_nonzero(a == b)) / a.size


def candidate_probability(similarity: float, bands: int, rows: int) -> float:
    """Probability that two texts of the given Jaccard similarity share at least one
    band key (LSH S-curve), for choosing ``bands``/``rows`` and for docs."""
    return 1.0 - (1.0 - similarity**rows) ** bands
