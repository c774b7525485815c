"""The NER benchmark's own machinery: text rebuilding, BIO decoding, mapping, scoring.

Hand-written tokens and tags only; the shared data is never read here.
"""

from __future__ import annotations

import pytest

from benchmarks.bench_ner import (
    CapitalisedRecogniser,
    Sentence,
    decode_bio,
    evaluate,
    join_tokens,
    macro_f1,
    run_system,
    score,
)


def test_join_tokens_offsets() -> None:
    text, offsets = join_tokens(["Simon", "Lee", ",", "a", "Nottingham"])
    assert text == "Simon Lee , a Nottingham"
    assert [text[a:b] for a, b in offsets] == ["Simon", "Lee", ",", "a", "Nottingham"]


def test_decode_bio_spans_and_types() -> None:
    tokens = ["dell'", "università", "di", "Nottingham", "nel", "Regno", "Unito", ",",
              "guidato", "da", "Simon", "Lee"]
    tags = ["O", "B-ORG", "I-ORG", "I-ORG", "O", "B-LOC", "I-LOC", "O", "O", "O", "B-PER",
            "I-PER"]
    text, offsets = join_tokens(tokens)
    spans = decode_bio(tags, offsets)
    assert [(text[a:b], t) for a, b, t in spans] == [
        ("università di Nottingham", "ORG"), ("Regno Unito", "LOC"), ("Simon Lee", "PER")]


def test_decode_bio_conlleval_rules() -> None:
    # An I- without a B- opens a span; an I- of another type closes and opens; B-B splits.
    tags = ["I-PER", "I-PER", "I-LOC", "B-ORG", "B-ORG", "O", "B-MISC"]
    _, offsets = join_tokens(["a", "b", "c", "d", "e", "f", "g"])
    assert decode_bio(tags, offsets) == [(0, 3, "PER"), (4, 5, "LOC"), (6, 7, "ORG"),
                                         (8, 9, "ORG"), (12, 13, "MISC")]


def test_sentence_drops_misc_from_gold() -> None:
    sent = Sentence(["Il", "Tour", "de", "France", "a", "Parigi"],
                    ["O", "B-MISC", "I-MISC", "I-MISC", "O", "B-LOC"])
    assert [(sent.text[a:b], t) for a, b, t in sent.gold] == [("Parigi", "LOC")]


def test_score_exact_span_and_type() -> None:
    gold = [{(0, 9, "PER"), (20, 26, "LOC")}, {(3, 8, "ORG")}]
    pred = [{(0, 9, "PER"), (20, 26, "ORG")}, {(3, 7, "ORG")}]
    s = score(gold, pred, crossing=[(1, (5, 30, "PER"))])
    assert (s["PER"]["tp"], s["PER"]["fp"], s["PER"]["fn"]) == (1, 1, 0)
    assert (s["ORG"]["tp"], s["ORG"]["fp"], s["ORG"]["fn"]) == (0, 2, 1)
    assert (s["LOC"]["tp"], s["LOC"]["fp"], s["LOC"]["fn"]) == (0, 0, 1)
    assert s["micro"]["p"] == pytest.approx(1 / 4)
    assert s["micro"]["r"] == pytest.approx(1 / 3)
    assert s["micro"]["f1"] == pytest.approx(2 * (1 / 4) * (1 / 3) / (1 / 4 + 1 / 3))


def test_baseline_through_documents_maps_back_to_sentences() -> None:
    sentences = [
        Sentence(["Ieri", "Mario", "Draghi", "è", "arrivato", "a", "Roma", "."],
                 ["O", "B-PER", "I-PER", "O", "O", "O", "B-LOC", "O"]),
        Sentence(["Poi", "è", "partito", "per", "Berlino"], ["O", "O", "O", "O", "B-LOC"]),
        Sentence(["Roma", "è", "calda"], ["B-LOC", "O", "O"]),
    ]
    pred = run_system(CapitalisedRecogniser(), "it", sentences, doc_size=2)
    assert pred.crossing == []
    texts = [[(s.text[a:b], t) for a, b, t in sorted(p)] for s, p in zip(
        sentences, pred.spans, strict=True)]
    # Sentence-initial "Ieri", "Poi" and "Roma" never join a run; the rest is tagged.
    assert texts == [[("Mario Draghi", "PER"), ("Roma", "LOC")], [("Berlino", "LOC")], []]
    s = score([x.gold for x in sentences], pred.spans)
    assert (s["micro"]["tp"], s["micro"]["fp"], s["micro"]["fn"]) == (3, 0, 1)


def test_macro_f1_over_languages() -> None:
    per_set = {"wikineural-de": {"scores": {"micro": {"f1": 0.5}}},
               "wikineural-en": {"scores": {"micro": {"f1": 0.7}}},
               "kind-it": {"scores": {"micro": {"f1": 0.1}}}}
    assert macro_f1(per_set) == pytest.approx(0.6)
    assert macro_f1({"kind-it": per_set["kind-it"]}) is None


def test_each_half_of_a_set_is_scored_apart() -> None:
    """A set read for tuning in its first half only stays held out in its second."""
    sentences = [
        Sentence(["Ieri", "Mario", "Draghi", "è", "arrivato", "."],
                 ["O", "B-PER", "I-PER", "O", "O", "O"]),
        Sentence(["Ieri", "è", "arrivato", "Draghi", "."], ["O", "O", "O", "B-ORG", "O"]),
    ]
    out = evaluate("caps", CapitalisedRecogniser(), {"toy": ("it", sentences)}, 2, 0)
    assert out["toy"]["halves_f1"] == [pytest.approx(1.0), pytest.approx(0.0)]
