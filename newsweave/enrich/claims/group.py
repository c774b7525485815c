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
  other when they pin the same thing down: their ``where`` is known and the same,
  their ``when`` is compatible, and, unless both state a time, some two of their
  articles were published within ``CONTRADICTION_DAYS`` of each other; and more than
  one independent source stands behind the two (one report's "6,000 dead, 3,000 of
  them in Tripoli" disputes nothing). Both keep their sources. An unlocated figure
  contradicts nothing: in a story of several days, "270 killed" and "10,000 killed"
  are a day's toll and a war's, and a toll reported on Monday is no denial of
  Friday's. On real scraped pages (CL-TLS, docs/claims.md) the looser rule called
  most of a story's differing tolls contradictions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from .model import ArticleId, Claim, ClaimGroup

DEFAULT_TOLERANCE = 0.1
CONTRADICTION_DAYS = 1  # figures of articles published further apart may both be right
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
    _contradictions(groups, keys)
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


def _contradictions(groups: list[ClaimGroup], keys: dict[int, tuple[str, str]]) -> None:
    """Mark the pairs of groups that contradict (see the module docstring): more than one
    independent source must stand behind the two, since one report's "6,000 dead, 3,000
    of them in Tripoli" is two figures, not a dispute. Each group's sources and
    publication days are worked out once, not once per pair."""
    sources = [{keys[id(c)] for c in g.claims} for g in groups]
    days = [_days(g) for g in groups]
    for i, a in enumerate(groups):
        for j in range(i + 1, len(groups)):
            b = groups[j]
            if (a.where is not None and a.counted == b.counted and a.unit == b.unit
                    and a.where == b.where and compatible(a.when, b.when)
                    and (a.high < b.low or b.high < a.low)
                    and (a.when is not None and b.when is not None
                         or _published_together(days[i], days[j]))
                    and len(sources[i] | sources[j]) > 1):
                a.contradicts.append(j)
                b.contradicts.append(i)


def _published_together(days_a: set[date | None], days_b: set[date | None]) -> bool:
    """Whether two groups that do not both state a time speak of the same moment: two of
    their articles were published within CONTRADICTION_DAYS of each other (an article
    of unknown date may be any day)."""
    if None in days_a or None in days_b:
        return True
    return any(abs((x - y).days) <= CONTRADICTION_DAYS for x in days_a for y in days_b)


def _days(group: ClaimGroup) -> set[date | None]:
    """The publication days of a group's articles (None for an unknown one)."""
    out: set[date | None] = set()
    for claim in group.claims:
        try:
            out.add(date.fromisoformat(claim.published) if claim.published else None)
        except ValueError:
            out.add(None)
    return out


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
