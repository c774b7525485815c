"""Grouping claims across articles: corroborated, contradicted, single.

Pure functions over :class:`~.model.Claim` records; no store. The rules:

* Two claims state the **same quantity** when their ``counted`` key and ``unit`` are
  equal, and their ``where`` and ``when`` are compatible: equal, or one of them
  unknown (``when`` also matches a finer date inside it: "2024" and "2024-01").
* Their values **agree** when their intervals overlap: a plain number is itself, an
  approximate one ("about 2,500") is widened by ``tolerance`` (10% by default) each
  side, an open bound ("more than 2,000") runs to infinity, a range is its ends. A
  claim joins the first group whose common interval it overlaps, and narrows it.
  A vague plural ("thousands") only groups with vague plurals: "thousands of troops"
  does not confirm "2,500 troops".
* A group is **corroborated** when its claims come from at least two independent
  sources. Sources are outlets: an article's copy (``duplicate_of``) counts as its
  original, articles of one ``source`` (site) count once, and articles that state
  the claim in the very same sentence (40 characters or more) count once, as
  syndicated copies. With no source known, each original article counts on its own.
* Two groups of the same quantity whose values do not agree **contradict** each
  other when their ``where`` is the same (both known and equal, or both unknown)
  and their ``when`` is compatible; both keep their sources. An unlocated claim
  never contradicts a located one: "hundreds of troops" in one sentence and "2,500
  troops in Iraq" in another may well be about different forces.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .model import ArticleId, Claim, ClaimGroup

DEFAULT_TOLERANCE = 0.1
_SYNDICATED_MIN_CHARS = 40
_INF = float("inf")


def interval(claim: Claim, tolerance: float = DEFAULT_TOLERANCE) -> tuple[float, float]:
    """The values a claim allows, as [low, high]."""
    low = -_INF if claim.low is None else float(claim.low)
    high = _INF if claim.high is None else float(claim.high)
    if claim.approx and claim.value is not None:
        v = float(claim.value)
        low, high = min(low, v * (1 - tolerance)), max(high, v * (1 + tolerance))
    return low, high


def compatible(a: str | None, b: str | None) -> bool:
    """``where``/``when`` match: equal, one unknown, or one a finer date of the other."""
    return a is None or b is None or a == b or a.startswith(b) or b.startswith(a)


def group_claims(claims: Sequence[Claim], tolerance: float = DEFAULT_TOLERANCE
                 ) -> list[ClaimGroup]:
    """The claims grouped, each group with its status, in order of first appearance."""
    groups: list[ClaimGroup] = []
    for claim in claims:
        low, high = interval(claim, tolerance)
        vague = claim.value is None
        for g in groups:
            if _same_quantity(g, claim) and g.vague == vague and low <= g.high \
                    and g.low <= high:
                g.low, g.high = max(g.low, low), min(g.high, high)
                g.where = g.where or claim.where
                g.when = _finer(g.when, claim.when)
                g.claims.append(claim)
                break
        else:
            groups.append(ClaimGroup(claim.counted, claim.unit, claim.where, claim.when,
                                     low, high, vague, [claim]))
    keys = independence_keys(claims)
    for g in groups:
        g.independent = len({keys[id(c)] for c in g.claims})
    _contradictions(groups)
    for g in groups:
        g.status = ("contradicted" if g.contradicts else
                    "corroborated" if g.independent >= 2 else "single")
    return groups


def _same_quantity(g: ClaimGroup, c: Claim) -> bool:
    return (g.counted == c.counted and g.unit == c.unit and compatible(g.where, c.where)
            and compatible(g.when, c.when))


def _finer(a: str | None, b: str | None) -> str | None:
    if a is None or b is None:
        return a or b
    return a if len(a) >= len(b) else b


def _contradictions(groups: list[ClaimGroup]) -> None:
    for i, a in enumerate(groups):
        for j in range(i + 1, len(groups)):
            b = groups[j]
            if (a.counted == b.counted and a.unit == b.unit and a.where == b.where
                    and compatible(a.when, b.when)
                    and (a.high < b.low or b.high < a.low)):
                a.contradicts.append(j)
                b.contradicts.append(i)


def independence_keys(claims: Sequence[Claim]) -> dict[int, tuple[str, str]]:
    """For each claim (by ``id``), the source it counts as: its original's outlet."""
    origin: dict[ArticleId, ArticleId | None] = {}
    outlet: dict[ArticleId, str | None] = {}
    for c in claims:
        origin.setdefault(c.article, c.duplicate_of)
        outlet.setdefault(c.article, c.source)
    first_said: dict[str, tuple[str, str]] = {}
    keys: dict[int, tuple[str, str]] = {}
    for c in claims:
        root = _root(c.article, origin)
        key = (("source", outlet[root]) if outlet.get(root)
               else ("article", str(root)))
        said = _normal(c.sentence)
        if len(said) >= _SYNDICATED_MIN_CHARS:
            key = first_said.setdefault(said, key)
        keys[id(c)] = key
    return keys


def _root(article: ArticleId, origin: dict[ArticleId, ArticleId | None]) -> ArticleId:
    """The original an article copies, following ``duplicate_of`` (cycles cut)."""
    seen = {article}
    while origin.get(article) is not None and origin[article] not in seen:
        article = origin[article]  # type: ignore[assignment]
        seen.add(article)
    return article


def _normal(sentence: str) -> str:
    return re.sub(r"\W+", " ", sentence.casefold()).strip()
