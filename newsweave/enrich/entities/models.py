"""Statistical recognisers used together with the rules, when the user has one.

A :class:`ModelRecogniser` returns typed spans for a text in a language it knows, or
``None`` when it has no model for that language (it is never run on a language it was
not trained for: an English model on Italian text tags junk). :func:`merge` combines
its spans with the rule-based mentions:

- a knowledge-base match always wins (the model cannot know "ISIS" is "Daesh");
- a rules mention with a weak cue (an unexplained capitalised run) takes the model's
  span and type where they overlap;
- a model span that overlaps no rules mention is added;
- a rules mention with a strong cue (title, organisation head, gazetteer place) is
  kept as it is. A place counts as strong from the gazetteer's own cue up ("place": a
  well-known place or a two-word gazetteer name; "list": a member of a list of such
  places): the gazetteer knows the name as a place, a model only guesses from context
  (the English small model tags "Khanaqin", "Nineveh" and "Qara Tapa" as people).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from ...models import Mention

# Confidence at or below which a rules mention yields to a model (cues "multi", "single",
# "list", "coref", "acronym", "place": strength 3 of 9 or less; see decide.STRENGTH).
WEAK = 3 / 9 + 1e-9
# Confidence from which a rules place is the gazetteer's (cues "place", "list" and up).
GAZETTEER_PLACE = 3 / 9 - 0.01
TYPES = {"PER": "PER", "PERSON": "PER", "ORG": "ORG", "LOC": "LOC", "GPE": "LOC",
         "FAC": "LOC"}


class ModelRecogniser(Protocol):
    """A named-entity model for some languages."""

    name: str  # with its version, for provenance: "spacy:fr_core_news_sm-3.8.0"

    def spans(self, text: str, lang: str | None) -> list[tuple[int, int, str]] | None:
        """``(start, end, label)`` spans of ``text``, or None without a model for ``lang``."""
        ...


def merge(text: str, rules: list[Mention], spans: Sequence[tuple[int, int, str]],
          source: str, sentence_of: Sequence[int]) -> list[Mention]:
    """Rules mentions and model spans combined (see the module docstring).

    ``sentence_of[i]`` is the sentence index of character ``i`` (for added spans).
    """
    out = list(rules)
    for start, end, label in spans:
        type_ = TYPES.get(label)
        if type_ is None or not text[start:end].strip():
            continue
        over = [m for m in out if m.start < end and start < m.end]
        if any(m.key is not None or m.confidence > WEAK
               or (m.type == "LOC" and m.confidence >= GAZETTEER_PLACE) for m in over):
            continue
        for m in over:
            out.remove(m)
        out.append(Mention(start=start, end=end, text=text[start:end], type=type_,
                           sentence=sentence_of[start], source=source, confidence=0.6))
    return sorted(out, key=lambda m: (m.start, m.end))
