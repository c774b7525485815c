"""Reported speech that the quote rules read without "that" or with the cue in the
middle (docs/quotes.md): participles read bare, a subject pronoun right after any
reporting verb, base verb forms after an auxiliary, and a cue set off by commas in
mid-sentence. Sentences written for these tests."""

from __future__ import annotations

import pytest

from newsweave.enrich.entities import Annotator
from newsweave.enrich.quotes import Quote, find_quotes


def quotes(annotator: Annotator, text: str, lang: str = "en") -> list[Quote]:
    analysis = annotator.analyse(text, lang)
    return find_quotes(text, analysis.lang, analysis.sentences, analysis.mentions)


def found(annotator: Annotator, text: str) -> dict[str, str | None]:
    return {q.text: q.speaker_entity[1] if q.speaker_entity else None
            for q in quotes(annotator, text)}


@pytest.mark.parametrize(("text", "quote", "speaker"), [
    # a subject pronoun opens the reported clause after a verb that needs "that" otherwise
    ("Senator Maria Lopez vowed she would block the harbour bill next week.",
     "she would block the harbour bill next week", "Maria Lopez"),
    ("Mayor Tom Becker announced they had found the money for the new bridge.",
     "they had found the money for the new bridge", "Tom Becker"),
    # a participle after a comma takes a clause with no "that"
    ("Daniel Ortiz criticised the board, saying the company would close two plants.",
     "the company would close two plants", "Daniel Ortiz"),
    ("Ruth Kale defended the budget, arguing the cuts were smaller than reported.",
     "the cuts were smaller than reported", "Ruth Kale"),
    # a base form after an auxiliary
    ("Anna Weiss did not deny that the talks with the union had failed.",
     "the talks with the union had failed", "Anna Weiss"),
    # the cue in mid-sentence: the longer side is the quote
    ("The plan, Anna Weiss said, would cost far more than the council had promised.",
     "would cost far more than the council had promised", "Anna Weiss"),
])
def test_reported_speech_read(annotator: Annotator, text: str, quote: str,
                              speaker: str) -> None:
    got = found(annotator, text)
    assert got.get(quote) == speaker, got


@pytest.mark.parametrize("text", [
    # an object after a verb that needs "that": no quote
    "Mayor Tom Becker announced a new plan for the harbour district on Monday.",
    # "warning" takes its addressee first, like "warned": no reported clause here
    "Police Chief Karen Doyle was warning residents to stay indoors during the storm.",
    # a cue in mid-sentence followed by a phrase, not a clause
    "The harbour will reopen, Tom Becker said, in the spring.",
])
def test_no_quote_read(annotator: Annotator, text: str) -> None:
    got = found(annotator, text)
    assert all(len(q.split()) >= 3 for q in got), got
    if "in the spring" in text:
        assert got == {"The harbour will reopen": "Tom Becker"}
    else:
        assert got == {}


def test_direct_interrupted_unchanged(annotator: Annotator) -> None:
    """Marks on both sides of a mid-sentence cue stay two direct quotes."""
    text = ("“The harbour will reopen,” Tom Becker said, “but not before the spring "
            "storms have passed.”")
    got = [(q.text, q.direct) for q in quotes(annotator, text)]
    assert got[0] == ("The harbour will reopen,", True)
    assert all(d for _, d in got)


def test_speaker_in_next_sentence(annotator: Annotator) -> None:
    """A quote that ends its sentence inside the marks, then "Name said ..." or "said
    Name": the frame right after the marks gives the speaker and the cue."""
    text = ("“We will finish the bridge before the summer holidays.” Tom Becker said on "
            "Friday.\n\n“The money is there.” said Anna Weiss.")
    got = {q.text: (q.speaker_entity[1] if q.speaker_entity else None,
                    q.cue.text if q.cue else None) for q in quotes(annotator, text)}
    assert got == {"We will finish the bridge before the summer holidays.":
                   ("Tom Becker", "said"),
                   "The money is there.": ("Anna Weiss", "said")}


def test_pronoun_one_paragraph_back(annotator: Annotator) -> None:
    """A pronoun that opens a paragraph refers to the person named in the paragraph
    before, even when that person was not yet a speaker."""
    text = ("Maria Lopez toured the flooded district on Tuesday.\n\n"
            "She said the city would pay for every repair.")
    assert found(annotator, text) == {"the city would pay for every repair": "Maria Lopez"}
    text = ("Maria Lopez toured the flooded district on Tuesday.\n\n"
            "The river rose again overnight.\n\n"
            "She said the city would pay for every repair.")
    assert found(annotator, text) == {"the city would pay for every repair": None}


def test_speech_reading_of_the_benchmark() -> None:
    """bench_quotes' speech reading: which cues count, the dev/final parts, and
    recall over the counted gold quotes while precision pairs with any gold quote."""
    from benchmarks.bench_quotes import (
        Doc,
        GoldQuote,
        is_speech,
        polnear_split,
        score,
        speech_cues,
    )
    cues = speech_cues()
    def gold(cue: str | None, at: tuple[int, int]) -> GoldQuote:
        return GoldQuote([at], "Ann Lee", True, (0, 7), cue)
    assert is_speech(gold("has said", (0, 1)), cues)
    assert is_speech(gold("According to", (0, 1)), cues)
    assert not is_speech(gold("believes", (0, 1)), cues)
    assert not is_speech(gold(None, (0, 1)), cues)
    ids = ["a", "b", "c", "d", "e", "f"]
    assert [polnear_split(i, ids) for i in ids] == ["dev", "dev", "final"] * 2
    text = "Ann Lee said the port would reopen. Ann Lee believes the port is safe."
    doc = Doc("x", "en", "dev", text, [gold("said", (13, 34)), gold("believes", (53, 70))])
    found = {"x": [{"start": 13, "end": 34, "speaker_entity": None},
                   {"start": 53, "end": 70, "speaker_entity": None}]}
    speech = score([doc], found, counted=lambda g: is_speech(g, cues))
    assert (speech["gold"], speech["p@0.3"], speech["r@0.3"]) == (1, 1.0, 1.0)
    assert score([doc], {"x": found["x"][:1]},
                 counted=lambda g: is_speech(g, cues))["r@0.3"] == 1.0
