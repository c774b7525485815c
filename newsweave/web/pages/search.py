"""The search page (``/ui/search``): the hybrid search of the REST API, with its
filters as a form, its facet counts as links that add a filter, highlighted
snippets, each hit's story, cursor pagination, and articles or stories.

The service marks the query words of a snippet with ``<mark>`` in HTML it escaped
itself; this page turns that back into plain-text segments (:func:`segments`) that the
template escapes again, so no article text ever reaches the page unescaped."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

from fastapi import Query, Request
from starlette.responses import Response

from ...service import search as service_search
from ...service.facts import CLAIM_STATUSES
from ...store.base import StoreAPI
from ..render import country_name, language_name, page
from . import page_router, store

router = page_router()
PER_PAGE = 20
MODES = ("articles", "stories")
FILTERS = ("lang", "date_from", "date_to", "source", "place", "entity", "story", "speaker",
           "claim_status")
ID_FILTERS = ("entity", "story", "speaker")
FACET_FILTER = {"lang": "lang", "source": "source", "story": "story", "entity": "entity",
                "country": "place"}
_MARKED = re.compile(r"<mark>(.*?)</mark>", re.S)

Param = Annotated[str | None, Query(max_length=500)]


@dataclass(frozen=True)
class Segment:
    """A stretch of snippet text; ``marked`` when it matched the query."""

    text: str
    marked: bool


def segments(snippet: str) -> list[Segment]:
    """The service's escaped snippet (text with ``<mark>`` around matches) as plain
    text segments, for the template to escape."""
    out, at = [], 0
    for m in _MARKED.finditer(snippet):
        if m.start() > at:
            out.append(Segment(html.unescape(snippet[at:m.start()]), False))
        out.append(Segment(html.unescape(m.group(1)), True))
        at = m.end()
    if at < len(snippet):
        out.append(Segment(html.unescape(snippet[at:]), False))
    return out


def source_label(source: str | None) -> str:
    """How a source reads: an outlet's name as it is, a URL as its host, a file path as
    its file name (the full value stays in the filter and the title)."""
    text = source or ""
    if "://" in text:
        return urlsplit(text).hostname or text
    if text.startswith("/") or re.match(r"[A-Za-z]:[\\/]", text):  # an absolute path
        return re.split(r"[/\\]", text.rstrip("/\\"))[-1] or text
    return text


def _id(value: str | None, what: str) -> int | None:
    if value is None or not value.strip():
        return None
    text = value.strip()
    if not text.isdigit() or int(text) < 1 or int(text) >= 2 ** 63:
        raise service_search.SearchError(f"{what} must be a positive id number, not {value!r}")
    return int(text)


def read_filters(given: dict[str, str | None]) -> service_search.Filters:
    """The service's filters from the form's fields (empty fields are no filter);
    :class:`~newsweave.service.search.SearchError` names a bad one."""
    text = {k: (v.strip() if v and v.strip() else None) for k, v in given.items()}
    status = text["claim_status"]
    if status is not None and status not in CLAIM_STATUSES:
        raise service_search.SearchError(
            f"claim status must be one of {', '.join(CLAIM_STATUSES)}, not {status!r}")
    return service_search.Filters(
        date_from=text["date_from"], date_to=text["date_to"], lang=text["lang"],
        source=text["source"], place=text["place"], claim_status=status,
        **{k: _id(text[k], k) for k in ID_FILTERS})


class Links:
    """URLs of this search with one thing changed: a filter added or removed, the mode,
    the next page."""

    def __init__(self, q: str, mode: str, given: dict[str, str]) -> None:
        self.q, self.mode, self.given = q, mode, given

    def url(self, mode: str | None = None, cursor: str | None = None,
            **changes: str | None) -> str:
        params = {"q": self.q, **self.given, **changes}
        if (mode or self.mode) != "articles":
            params["mode"] = mode or self.mode
        if cursor:
            params["cursor"] = cursor
        return "/ui/search?" + urlencode({k: v for k, v in params.items() if v})

    def unfiltered(self) -> str:
        """This search without any filter."""
        return self.url(**{k: None for k in FILTERS})


def _names(reader: StoreAPI, given: dict[str, str]) -> dict[str, str]:
    """How each active filter reads: a language's name, a story's title, an entity's
    name, a country's name (ids of records that are gone stay ids)."""
    names = dict(given)
    if "source" in given:
        names["source"] = source_label(given["source"])
    if "lang" in given:
        names["lang"] = ", ".join(language_name(c.strip()) for c in given["lang"].split(","))
    for key in ("entity", "speaker"):
        if given.get(key, "").isdigit():
            found = reader.queries.entity(int(given[key]))
            names[key] = found["name"] if found else f"#{given[key]}"
    if given.get("story", "").isdigit():
        found = reader.queries.story(int(given["story"]))
        names["story"] = (found["title"] or f"story {given['story']}") if found else given["story"]
    place = given.get("place", "")
    code = place[3:] if place.lower().startswith("cc:") else place
    if len(code) == 2 and code.isalpha():
        names["place"] = country_name(code.upper())
    elif place.startswith(("gn:", "a1:")):
        found = reader.queries.places_by_id([place])
        names["place"] = found[0]["name"] if found else place
    return names


FILTER_LABELS = {"lang": "Language", "date_from": "From", "date_to": "To", "source": "Source",
                 "place": "Place", "entity": "Names", "story": "Story", "speaker": "Quoting",
                 "claim_status": "Claims"}


def _facets(reader: StoreAPI, facets: dict[str, list[dict[str, Any]]], links: Links,
            given: dict[str, str]) -> list[dict[str, Any]]:
    """The facet groups as ``{title, items: [{label, count, url, active}]}``."""
    titles = {}
    for row in facets["story"]:  # at most 20: the service keeps the top ones
        found = reader.queries.story(row["story"])
        titles[row["story"]] = (found["title"] if found else None) or f"Story {row['story']}"
    groups = []
    for key, title, rows in (
            ("lang", "Language", [(r["lang"], language_name(r["lang"]), r)
                                  for r in facets["lang"]]),
            ("country", "Country", [(f"cc:{r['country']}", country_name(r["country"]), r)
                                    for r in facets["country"]]),
            ("source", "Source", [(r["source"], source_label(r["source"]), r)
                                  for r in facets["source"]]),
            ("entity", "Names", [(str(r["id"]), r["name"], r) for r in facets["entity"]]),
            ("story", "Story", [(str(r["story"]), titles[r["story"]], r)
                                for r in facets["story"]])):
        name = FACET_FILTER[key]
        items = [{"label": label, "count": row["count"], "active": given.get(name) == value,
                  "url": links.url(**{name: None if given.get(name) == value else value})}
                 for value, label, row in rows if value]
        if items:
            groups.append({"title": title, "items": items})
    return groups


def _active(reader: StoreAPI, given: dict[str, str], links: Links) -> list[dict[str, Any]]:
    """The filters in use, each with the link that removes it; a name filter also
    links to the same search among that person's quotes (the speaker filter)."""
    out = []
    for key, value in _names(reader, given).items():
        item = {"key": key, "label": FILTER_LABELS[key], "value": value,
                "url": links.url(**{key: None}), "alt": None}
        if key == "entity":
            item["alt"] = {"text": "only what they are quoted saying",
                           "url": links.url(entity=None, speaker=given[key])}
        out.append(item)
    return out


def _story_titles(reader: StoreAPI, hits: list[dict[str, Any]]) -> None:
    """Give each article hit its story's title (one lookup per story on the page)."""
    titles: dict[int, str] = {}
    for hit in hits:
        sid = hit.get("story")
        if sid is not None and sid not in titles:
            found = reader.queries.story(sid)
            titles[sid] = (found["title"] if found else "") or f"story {sid}"
        hit["story_title"] = titles.get(sid, "") if sid is not None else ""


def _hit(item: dict[str, Any], stories: bool) -> dict[str, Any]:
    out = dict(item)
    out["segments"] = segments(item.get("snippet") or "")
    out["source_label"] = source_label(item.get("source"))
    if stories:
        out["lang"] = item["langs"][0] if len(item["langs"]) == 1 else ""
    return out


@router.get("/search")
def search(request: Request, q: Annotated[str, Query(max_length=10_000)] = "",
           mode: Annotated[str, Query(max_length=20)] = "articles",
           cursor: Annotated[str | None, Query(max_length=4096)] = None,
           lang: Param = None, date_from: Param = None, date_to: Param = None,
           source: Param = None, place: Param = None, entity: Param = None,
           story: Param = None, speaker: Param = None, claim_status: Param = None
           ) -> Response:
    """Hybrid search over the articles (or their stories), with filters and facets."""
    raw = {"lang": lang, "date_from": date_from, "date_to": date_to, "source": source,
           "place": place, "entity": entity, "story": story, "speaker": speaker,
           "claim_status": claim_status}
    given = {k: v.strip() for k, v in raw.items() if v and v.strip()}
    mode = mode if mode in MODES else "articles"
    links = Links(q.strip(), mode, given)
    reader = store(request)
    context: dict[str, Any] = {
        "q": q, "mode": mode, "form": {k: given.get(k, "") for k in FILTERS},
        "result": None, "error": None, "hits": [],
        "facets": [], "links": links, "languages": reader.queries.languages(),
        "statuses": CLAIM_STATUSES, "labels": FILTER_LABELS, "cursor": cursor,
        "active": [], "next_url": None}
    try:
        filters = read_filters(raw)
        context["active"] = _active(reader, given, links)
        if q.strip():
            tools = request.app.state.newsweave.search_tools()
            result = service_search.search(
                reader, q, filters=filters, limit=PER_PAGE, cursor=cursor,
                stories=mode == "stories", embedder=tools.embedder,
                identifier=tools.identifier, max_query_chars=tools.max_query_chars)
            hits = [_hit(h, mode == "stories") for h in result["items"]]
            if mode == "articles":
                _story_titles(reader, hits)
            context.update(result=result, hits=hits,
                           facets=_facets(reader, result["facets"], links, given),
                           next_url=links.url(cursor=result["next_cursor"])
                           if result["next_cursor"] else None)
    except service_search.SearchError as exc:
        context["error"] = str(exc)
        return page(request, "search.html", context, status=400)
    return page(request, "search.html", context)
