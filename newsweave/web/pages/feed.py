"""The story feed (``/ui/``): stories by recency, size or growth, with filters, a page
at a time (:mod:`newsweave.service.feed`)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Query, Request
from starlette.responses import Response

from ...service.feed import DEFAULT_HOURS, MAX_HOURS, SORTS, BadFilter, ClaimMemo, FeedQuery, feed
from ..charts import bars
from ..render import page
from . import error_page, page_router, store

router = page_router()
PER_PAGE = 25
SPARK_WIDTH, SPARK_HEIGHT = 120, 24
SORT_LABELS = {"recency": "Newest", "size": "Largest", "growth": "Growing"}
# The query parameters of the feed, in the order its links write them.
PARAMS = ("sort", "lang", "place", "entity", "from", "to", "hours", "as_of")

Text = Annotated[str | None, Query(max_length=200)]


@router.get("/")
def feed_page(request: Request, sort: Annotated[str, Query(max_length=20)] = "recency",
              lang: Text = None, place: Text = None, entity: Text = None,
              date_from: Annotated[str | None, Query(alias="from", max_length=20)] = None,
              date_to: Annotated[str | None, Query(alias="to", max_length=20)] = None,
              hours: Annotated[int, Query(ge=1, le=MAX_HOURS)] = DEFAULT_HOURS,
              as_of: Annotated[str | None, Query(max_length=40)] = None,
              cursor: Annotated[str | None, Query(max_length=4096)] = None) -> Response:
    """Stories, newest first unless another order is asked for."""
    query = FeedQuery(sort=sort, lang=lang or None, place=place or None, entity=entity or None,
                      date_from=date_from or None, date_to=date_to or None, hours=hours,
                      as_of=as_of or None, cursor=cursor or None, limit=PER_PAGE)
    params = _params(query)
    db = store(request)
    try:
        got = feed(db, query, _memo(request))
    except BadFilter as exc:
        return error_page(request, 400, "Bad filter", str(exc))
    return page(request, "feed.html", {
        "feed": got, "stories": [_row(s, got["hours"]) for s in got["items"]],
        "query": query, "params": params, "sorts": [(s, SORT_LABELS[s]) for s in SORTS],
        "sort_links": {s: _url({**params, "sort": s}) for s in SORTS},
        "removals": [{**f, "url": _url(_without(params, f["name"]))} for f in got["filters"]],
        "next_url": _url({**params, "cursor": got["next_cursor"]}) if got["next_cursor"]
        else None,
        "first_url": _url(params) if query.cursor else None,
        "languages": db.queries.languages(), "countries": db.queries.feed_countries(),
        "total": db.queries.articles_total(), "default_hours": DEFAULT_HOURS,
    })


def _memo(request: Request) -> ClaimMemo:
    """The app's memo of claim counts (made on the first page asked for)."""
    state = request.app.state
    if getattr(state, "feed_claims", None) is None:
        state.feed_claims = ClaimMemo()
    return state.feed_claims


def _params(query: FeedQuery) -> dict[str, str]:
    """The query's non-default parameters, as the feed's links carry them."""
    values = {"sort": query.sort if query.sort != "recency" else None, "lang": query.lang,
              "place": query.place, "entity": query.entity, "from": query.date_from,
              "to": query.date_to,
              "hours": str(query.hours) if query.hours != DEFAULT_HOURS else None,
              "as_of": query.as_of}
    return {k: v for k, v in values.items() if v}


def _without(params: dict[str, str], name: str) -> dict[str, str]:
    return {k: v for k, v in params.items() if k != name}


def _url(params: dict[str, Any]) -> str:
    ordered = [(k, params[k]) for k in (*PARAMS, "cursor") if params.get(k)]
    return "/ui/" + ("?" + urlencode(ordered) if ordered else "")


def _row(story: dict[str, Any], hours: int) -> dict[str, Any]:
    """A story of the feed with its sparkline's points and their words."""
    act = story["activity"]
    counts = [(str(i), n) for i, n in enumerate(act["counts"])]
    return {**story, "bars": bars(counts, SPARK_WIDTH, SPARK_HEIGHT, gap=1),
            "spark_text": _activity_text(story, act), "window_hours": hours}


def _activity_text(story: dict[str, Any], act: dict[str, Any]) -> str:
    """The sparkline in words, for screen readers and for anyone hovering it."""
    if not act["counts"]:
        return "No dated articles."
    total = sum(act["counts"])
    first, last = act["start"][:16].replace("T", " "), act["end"][:16].replace("T", " ")
    words = f"{total} dated article{'s' if total != 1 else ''} from {first} to {last}"
    if len(act["counts"]) > 1:
        span = act["hours_per_bar"]
        words += (f"; most ({act['peak']}) in the {span} hour{'s' if span != 1 else ''} "
                  f"from {act['peak_at'][:16].replace('T', ' ')}")
    return words + "."
