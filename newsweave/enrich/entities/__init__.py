"""Who: people, organisations and places named in an article, linked to canonical entities.

:class:`Annotator` is the stage's entry point (``Annotator.load().analyse(text, lang)``);
:mod:`.recognise` finds the names, :mod:`.kb` is the curated knowledge base,
:mod:`.link` gives each mention its canonical key, :mod:`.lexicon` holds the
per-language cue words; :mod:`.crosslink` links the mentions of a stored article to
the entities already stored, through the store's lookups.
"""

from .annotator import Analysis, Annotator

__all__ = ["Analysis", "Annotator"]
