"""language: the language of each article, unless the input declared it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..stage import Batch, Stage

if TYPE_CHECKING:
    from ..run import Pipeline

DECLARED = "declared in input"


def run(pipe: Pipeline, batch: Batch) -> None:
    """The language of each article (ISO 639-1), with the model and its confidence."""
    for a in batch.articles:
        if a.lang:  # the clean stage copied the input's declared language
            a.lang_confidence, a.lang_model = 1.0, DECLARED
            continue
        result = pipe.language.identify(a.text, a.title)
        a.lang = result.lang or "und"
        a.lang_confidence, a.lang_model = result.confidence, result.model


STAGE = Stage("language", needs=("text", "title"),
              provides=("lang", "lang_confidence", "lang_model"), run=run)
