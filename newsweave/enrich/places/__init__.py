"""Places: a GeoNames-based gazetteer and a resolver for the place names of an article.

:class:`Gazetteer` maps a surface form ("Miqdadiya", "Stati Uniti", "Ninawa") to its
candidate entries; :class:`PlaceResolver` picks one entry per mention using the other
places of the same article. ``docs/places.md`` describes the sources, the id scheme
and the rules.
"""

from .gazetteer import (
    ALT,
    LOOSE,
    NAME,
    STRIPPED,
    Gazetteer,
    GazetteerError,
    Match,
    default_cache_dir,
)
from .names import loose, place_key, strip_article
from .resolver import PlaceResolver

__all__ = ["ALT", "LOOSE", "NAME", "STRIPPED", "Gazetteer", "GazetteerError", "Match",
           "PlaceResolver", "default_cache_dir", "loose", "place_key", "strip_article"]
