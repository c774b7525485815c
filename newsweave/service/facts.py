"""A story's timeline, quotes and claims, and the quotes and claims across stories.

Shaped from the store's facts (``store.facts``): temporal expressions, quotes and
quantities kept per article. Claims are compared across a story's sources here, when
read (:func:`newsweave.enrich.claims.group_claims`), so that each new article
corroborates or contradicts what is stored without rewriting it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..enrich.claims import claims_from_rows, group_claims
from ..errors import BadCursor
from ..store.base import StoreAPI
from ..store.cursor import Order
from ..stories.timeline import build_timeline

CLAIM_STATUSES = ("corroborated", "contradicted", "single")


def story_timeline(store: StoreAPI, story_id: int) -> list[dict[str, Any]]:
    """``[{date, granularity, relative, text, sources, languages}]``, by date."""
    return build_timeline(store.facts.story_dates([story_id]))


def story_quotes(store: StoreAPI, story_id: int) -> list[dict[str, Any]]:
    """``[{speaker, speaker_entity, text, direct, article, sentence}]`` in stream order."""
    return [_quote(r) for r in store.facts.story_quotes([story_id])]


def story_claims(store: StoreAPI, story_id: int) -> list[dict[str, Any]]:
    """The story's claims, each with its status and sources (docs/claims.md)."""
    return _claims(store.facts.story_quantities([story_id]))


def list_quotes(store: StoreAPI, story: int | None = None, entity: int | None = None,
                limit: int | None = None) -> list[dict[str, Any]]:
    """Quotes across stories (or one story), optionally only those of one speaker."""
    rows = store.facts.quotes(story=story, speaker=entity, limit=limit)
    return [{**_quote(r), "story": r["story_id"]} for r in rows]


def list_claims(store: StoreAPI, story: int | None = None, entity: int | None = None,
                status: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
    """Claims across stories (or one story): those whose sentences name ``entity``,
    of one ``status``; stories in id order, a story's claims as it groups them."""
    if status is not None and status not in CLAIM_STATUSES:
        raise ValueError(f"status must be one of {', '.join(CLAIM_STATUSES)}")
    story_ids = [story] if story is not None else store.facts.stories_with_quantities()
    named = set(store.facts.entity_sentences(entity)) if entity is not None else None
    out: list[dict[str, Any]] = []
    for story_id in story_ids:
        for claim in _claims(store.facts.story_quantities([story_id])):
            if status is not None and claim["status"] != status:
                continue
            if named is not None and not any((s["article"], s["sentence_index"]) in named
                                             for s in claim["sentences"]):
                continue
            out.append({**claim, "story": story_id})
            if limit is not None and len(out) >= limit:
                return out
    return out


# Quotes and claims are read whole and shaped here (claims are grouped when read), so
# their pages are counted from the start: the cursor holds how many rows came before.
# Rows added later to an earlier story shift the pages that follow.
_QUOTES = Order("quotes", (("position", "ASC"),), ("position",))
_CLAIMS = Order("claims", (("position", "ASC"),), ("position",))
MAX_POSITION = 1_000_000_000


def _offset(order: Order, cursor: str | None) -> int:
    if cursor is None:
        return 0
    position = order.decode(cursor)[0]
    if not isinstance(position, int) or not 0 <= position <= MAX_POSITION:
        raise BadCursor(f"cursor {cursor[:40]!r} is damaged; pass the next_cursor of a page "
                        "of the same listing, or no cursor for the first page")
    return position


def _slice(order: Order, rows: list[dict[str, Any]], start: int,
           limit: int) -> dict[str, Any]:
    """``rows[start:start + limit]`` as a page; ``rows`` holds one row more if there is
    a next page."""
    items = rows[start:start + limit]
    more = len(rows) > start + limit
    return {"items": items, "next_cursor": order.encode([start + limit]) if more else None}


def quotes_page(store: StoreAPI, limit: int, cursor: str | None = None,
                story: int | None = None, entity: int | None = None) -> dict[str, Any]:
    """One page of :func:`list_quotes`: ``{items, next_cursor}``."""
    start = _offset(_QUOTES, cursor)
    return _slice(_QUOTES, list_quotes(store, story, entity, start + limit + 1), start, limit)


def claims_page(store: StoreAPI, limit: int, cursor: str | None = None,
                story: int | None = None, entity: int | None = None,
                status: str | None = None) -> dict[str, Any]:
    """One page of :func:`list_claims`: ``{items, next_cursor}``."""
    start = _offset(_CLAIMS, cursor)
    rows = list_claims(store, story, entity, status, start + limit + 1)
    return _slice(_CLAIMS, rows, start, limit)


def _quote(r: dict[str, Any]) -> dict[str, Any]:
    speaker = r["speaker_text"]
    entity = ({"id": r["speaker_entity_id"], "name": r["speaker_name"]}
              if r["speaker_entity_id"] is not None else None)
    return {"speaker": speaker, "speaker_entity": entity, "text": r["text"],
            "direct": bool(r["direct"]), "article": r["article_id"],
            "sentence": r["sentence"], "start": r["char_start"], "end": r["char_end"]}


def _claims(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    numbers = ({**r, **{k: _number(r[k]) for k in ("value", "low", "high")}} for r in rows)
    return [g.to_dict() for g in group_claims(claims_from_rows(numbers))]


def _number(v: float | None) -> int | float | None:
    """A stored number as it was stated: 2500, not 2500.0."""
    if v is None:
        return None
    return int(v) if float(v).is_integer() else float(v)
