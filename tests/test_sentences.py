"""Sentence splitting and word tokens: offsets into the text as given."""

from __future__ import annotations

import pytest

from newsweave.enrich.sentences import split_sentences, tokens


def spans(text: str) -> list[str]:
    return [text[s.start:s.end] for s in split_sentences(text)]


@pytest.mark.parametrize(("text", "expected"), [
    ("Col. Myles B. Caggins II spoke. He left.", ["Col. Myles B. Caggins II spoke.", "He left."]),
    ("About 2.500 soldiers stay. The U.S. Army agrees.",
     ["About 2.500 soldiers stay.", "The U.S. Army agrees."]),
    ('"We stay," he said! Then what? Nothing.', ['"We stay," he said!', "Then what?", "Nothing."]),
    ("Il sig. Rossi parla. Poi va via.", ["Il sig. Rossi parla.", "Poi va via."]),
    ("Title line\n\nFirst paragraph. Second one.", ["Title line", "First paragraph.",
                                                     "Second one."]),
    ("وصل الوزير. ثم غادر؟ نعم", ["وصل الوزير.", "ثم غادر؟", "نعم"]),
    ("", []),
    ("   \n\n  ", []),
])
def test_split(text: str, expected: list[str]) -> None:
    assert spans(text) == expected


def test_sentences_cover_words_in_order() -> None:
    text = "Uno. Due! Tre? Quattro\n\nCinque"
    sents = split_sentences(text)
    assert [s.index for s in sents] == list(range(len(sents)))
    assert all(a.end <= b.start for a, b in zip(sents, sents[1:], strict=False))


def test_tokens_keep_names_and_offsets() -> None:
    text = "al-Sudani met D'Alema in Baghdad. U.S. troops: 2,500."
    toks = tokens(text)
    assert [t.text for t in toks] == ["al-Sudani", "met", "D'Alema", "in", "Baghdad", ".",
                                      "U.S.", "troops", ":", "2,500", "."]
    assert all(text[t.start:t.end] == t.text for t in toks)


def test_long_text_is_linear() -> None:
    text = "Word. " * 50_000
    assert len(split_sentences(text)) == 50_000
