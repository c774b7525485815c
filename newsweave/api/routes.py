"""The read endpoints: the service layer's queries, a page at a time.

Every route is a plain function (FastAPI runs it in its thread pool), reads through
the app's read-only store (each thread its own connection), and returns the
service's dicts, checked against :mod:`.schemas`. Listings take ``limit`` (a page
size) and ``cursor``; bad parameters are answered with a problem, never a 500.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request

from .. import __version__, service
from ..errors import NotFound
from ..service import facts as service_facts
from ..service import search as service_search
from ..store.base import StoreAPI
from . import schemas as s
from .problems import responses

MAX_ID = 2 ** 63 - 1  # the largest id a database column holds
MAX_PAGE = 1000
DEFAULT_PAGE = 100
# A language code (``it``, ``und``, ``zh-Hant``): anything else is refused with a 422
# rather than sent to the database (PostgreSQL refuses a NUL character in a string).
LANG_PATTERN = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$"

router = APIRouter()

Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="Items per page.")]
Cursor = Annotated[str | None, Query(max_length=4096, description=(
    "The next_cursor of the previous page of the same listing; omit for the first page."))]
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
OptionalId = Annotated[int | None, Query(ge=1, le=MAX_ID)]
READ_ERRORS = responses(400, 422, 500, 503)
ONE_ERRORS = responses(404, 422, 500, 503)


def read_store(request: Request) -> StoreAPI:
    """The app's read-only store (opened on first use)."""
    return request.app.state.newsweave.reader()


Store = Annotated[StoreAPI, Depends(read_store)]


@router.get("/health", response_model=s.Health, responses=responses(500), tags=["meta"])
def health(request: Request) -> dict[str, Any]:
    """Whether the server is up, which backend it reads, and whether it takes writes."""
    state = request.app.state.newsweave
    return {"status": "ok", "version": __version__, "backend": state.backend,
            "writes": state.config.writes_enabled}


@router.get("/stats", response_model=s.Stats, responses=responses(500, 503), tags=["meta"])
def stats(store: Store) -> dict[str, Any]:
    """Counts: articles, duplicates, stories, languages, skipped sources."""
    return service.summary(store)


@router.get("/articles", response_model=s.Page[s.Article], responses=READ_ERRORS,
            tags=["articles"])
def articles(store: Store, limit: Limit = DEFAULT_PAGE, cursor: Cursor = None,
             story: OptionalId = None,
             lang: Annotated[str | None, Query(pattern=LANG_PATTERN, max_length=35,
                                               description="ISO 639 code: it, de, en…")] = None
             ) -> dict[str, Any]:
    """Articles in stream order, optionally of one story or one language."""
    return service.articles_page(store, limit, cursor, story=story, lang=lang)


@router.get("/articles/{article_id}", response_model=s.ArticleDetail, responses=ONE_ERRORS,
            tags=["articles"])
def article(store: Store, article_id: Id) -> dict[str, Any]:
    """One article: text, language, provenance, duplicate link, removed lines."""
    return service.get_article(store, article_id)


@router.get("/stories", response_model=s.Page[s.Story], responses=READ_ERRORS,
            tags=["stories"])
def stories(store: Store, limit: Limit = DEFAULT_PAGE, cursor: Cursor = None,
            min_size: Annotated[int, Query(ge=1, le=MAX_ID)] = 1) -> dict[str, Any]:
    """Stories, largest first, with their articles, languages, entities and places."""
    return service.stories_page(store, limit, cursor, min_size=min_size)


@router.get("/stories/{story_id}", response_model=s.StoryDetail, responses=ONE_ERRORS,
            tags=["stories"])
def story(store: Store, story_id: Id) -> dict[str, Any]:
    """One story with its sources, related stories, timeline, quotes and claims."""
    return service.get_story(store, story_id)


def _story(store: StoreAPI, story_id: int) -> int:
    if store.queries.story(story_id) is None:
        raise NotFound(f"no story with id {story_id}")
    return story_id


@router.get("/stories/{story_id}/timeline", response_model=list[s.TimelineEntry],
            responses=ONE_ERRORS, tags=["stories"])
def story_timeline(store: Store, story_id: Id) -> list[dict[str, Any]]:
    """The story's dated events, by date."""
    return service_facts.story_timeline(store, _story(store, story_id))


@router.get("/stories/{story_id}/quotes", response_model=list[s.Quote],
            responses=ONE_ERRORS, tags=["stories"])
def story_quotes(store: Store, story_id: Id) -> list[dict[str, Any]]:
    """The story's quotes with their speakers, in stream order."""
    return service_facts.story_quotes(store, _story(store, story_id))


@router.get("/stories/{story_id}/claims", response_model=list[s.Claim],
            responses=ONE_ERRORS, tags=["stories"])
def story_claims(store: Store, story_id: Id) -> list[dict[str, Any]]:
    """The story's claims, each corroborated, contradicted or single-source."""
    return service_facts.story_claims(store, _story(store, story_id))


@router.get("/entities", response_model=s.Page[s.Entity], responses=READ_ERRORS,
            tags=["entities"])
def entities(store: Store, limit: Limit = DEFAULT_PAGE, cursor: Cursor = None,
             type: Literal["PER", "ORG", "LOC", "MISC"] | None = None,  # noqa: A002
             min_articles: Annotated[int, Query(ge=1, le=MAX_ID)] = 1) -> dict[str, Any]:
    """People, organisations, places, platforms and events, most articles first."""
    return service.entities_page(store, limit, cursor, type_=type, min_articles=min_articles)


@router.get("/entities/{entity_id}", response_model=s.EntityDetail, responses=ONE_ERRORS,
            tags=["entities"])
def entity(store: Store, entity_id: Id,
           mentions: Annotated[int, Query(ge=0, le=10_000)] = 200) -> dict[str, Any]:
    """One entity: names, mentions in their sentences, company, stories, place."""
    return service.get_entity(store, entity_id, limit=mentions)


@router.get("/places", response_model=s.Page[s.Place], responses=READ_ERRORS,
            tags=["entities"])
def places(store: Store, limit: Limit = DEFAULT_PAGE, cursor: Cursor = None
           ) -> dict[str, Any]:
    """Resolved places with coordinates and country, most articles first."""
    return service.places_page(store, limit, cursor)


@router.get("/quotes", response_model=s.Page[s.StoryQuote], responses=READ_ERRORS,
            tags=["facts"])
def quotes(store: Store, limit: Limit = DEFAULT_PAGE, cursor: Cursor = None,
           story: OptionalId = None, entity: OptionalId = None) -> dict[str, Any]:
    """Quotes across stories, of one story, or said by one entity."""
    return service_facts.quotes_page(store, limit, cursor, story=story, entity=entity)


@router.get("/claims", response_model=s.Page[s.StoryClaim], responses=READ_ERRORS,
            tags=["facts"])
def claims(store: Store, limit: Limit = DEFAULT_PAGE, cursor: Cursor = None,
           story: OptionalId = None, entity: OptionalId = None,
           status: Literal["corroborated", "contradicted", "single"] | None = None
           ) -> dict[str, Any]:
    """Claims across stories: of one story, naming one entity, of one status."""
    return service_facts.claims_page(store, limit, cursor, story=story, entity=entity,
                                     status=status)


@router.get("/skipped", response_model=s.Page[s.SkippedInput], responses=READ_ERRORS,
            tags=["meta"])
def skipped(store: Store, limit: Limit = DEFAULT_PAGE, cursor: Cursor = None
            ) -> dict[str, Any]:
    """Inputs that were not ingested, newest first, with the reason."""
    return service.skipped_page(store, limit, cursor)


# -- search ------------------------------------------------------------------------------
Text = Annotated[str, Query(max_length=10_000, description=(
    "What to look for, in any language; words in double quotes are a phrase. Longer "
    "than the setting search_max_query_chars (1,000) is refused."))]
Day = Annotated[str | None, Query(max_length=10, description="YYYY, YYYY-MM or YYYY-MM-DD.")]


def search_filters(date_from: Day = None, date_to: Day = None,
                   lang: Annotated[str | None, Query(pattern=LANG_PATTERN, max_length=35,
                                                     description="ISO 639 code.")] = None,
                   source: Annotated[str | None, Query(max_length=500, description=(
                       "A site or source, as the results name it."))] = None,
                   story: OptionalId = None, entity: OptionalId = None,
                   place: Annotated[str | None, Query(max_length=100, description=(
                       "A place id (gn:…, a1:…), or a country (IQ, cc:IQ): any place "
                       "in it."))] = None,
                   speaker: OptionalId = None,
                   claim_status: Literal["corroborated", "contradicted", "single"] | None = None
                   ) -> service_search.Filters:
    """The search filters of a request, as the service takes them."""
    return service_search.Filters(date_from=date_from, date_to=date_to, lang=lang, source=source,
                   story=story, entity=entity, place=place, speaker=speaker,
                   claim_status=claim_status)


SearchLimit = Annotated[int, Query(ge=1, le=100, description="Results per page.")]
SEARCH_ERRORS = responses(400, 422, 500, 503)


def _search(request: Request, store: StoreAPI, q: str, filters: service_search.Filters,
            limit: int, cursor: str | None, stories: bool) -> dict[str, Any]:
    tools = request.app.state.newsweave.search_tools()
    return service_search.search(store, q, filters=filters, limit=limit, cursor=cursor,
                                 stories=stories, embedder=tools.embedder,
                                 identifier=tools.identifier,
                                 max_query_chars=tools.max_query_chars)


@router.get("/search", response_model=s.SearchPage[s.SearchHit], responses=SEARCH_ERRORS,
            tags=["search"])
def search_articles(request: Request, store: Store, q: Text,
                    filters: Annotated[service_search.Filters, Depends(search_filters)],
                    limit: SearchLimit = 10, cursor: Cursor = None) -> dict[str, Any]:
    """Articles in any language for a query in any language: full text and vectors,
    fused; snippets, each hit's story, facet counts."""
    return _search(request, store, q, filters, limit, cursor, stories=False)


@router.get("/search/stories", response_model=s.SearchPage[s.StoryHit],
            responses=SEARCH_ERRORS, tags=["search"])
def search_stories(request: Request, store: Store, q: Text,
                   filters: Annotated[service_search.Filters, Depends(search_filters)],
                   limit: SearchLimit = 10, cursor: Cursor = None) -> dict[str, Any]:
    """Stories ranked for a query: each story by its best articles among the hits."""
    return _search(request, store, q, filters, limit, cursor, stories=True)


@router.get("/facets", response_model=s.Facets, responses=SEARCH_ERRORS, tags=["search"])
def facets(request: Request, store: Store, q: Text,
           filters: Annotated[service_search.Filters, Depends(search_filters)]) -> dict[str, Any]:
    """How the results of a query divide: by language, source, story, entity named and
    country."""
    return _search(request, store, q, filters, 1, None, stories=False)["facets"]
