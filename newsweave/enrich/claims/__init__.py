"""Claims: quantities that articles state about something counted, compared across
sources and languages.

:func:`claims_from_quantities` turns one article's quantities into claims (with
where, when and the sentence); :func:`quantity_rows` gives the rows ``store.facts``
keeps, and :func:`claims_from_rows` claims from the rows it reads back;
:func:`group_claims` compares the claims of many
articles: corroborated by two or more independent sources, contradicted by a
different value for the same quantity, or single. Both are pure functions: no store,
no settings; the pipeline stage and the store wire them in. See docs/claims.md.
"""

from __future__ import annotations

from .extract import claims_from_quantities, claims_from_rows, quantity_rows
from .group import DEFAULT_TOLERANCE, compatible, group_claims, independence_keys, interval
from .model import Claim, ClaimGroup, PlaceRef

__all__ = ["DEFAULT_TOLERANCE", "Claim", "ClaimGroup", "PlaceRef", "claims_from_quantities",
           "claims_from_rows", "compatible", "group_claims", "independence_keys", "interval",
           "quantity_rows"]
