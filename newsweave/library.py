"""The Python API: ``nw = newsweave.open("news.db")``, one object over the service layer.

The CLI and the REST API (:mod:`newsweave.api`) are thin layers over the same
functions: :func:`ingest_into` runs an ingest and stores the ``--set`` values the way
``newsweave ingest`` does, :class:`Annotate` is ``newsweave annotate``, and the
read methods of :class:`Newsweave` are :mod:`newsweave.service`'s queries, returning
the same plain dicts the CLI prints with ``--json`` (docs/api.md).

Reads use a read-only store opened on the first read (so opening a database that
does not exist yet is fine until something reads it); the first ``ingest`` opens a
writing store and keeps it, with its writer lock and its loaded models, until
:meth:`Newsweave.close`.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from os import PathLike
from pathlib import Path
from typing import Any, BinaryIO

from . import service
from .errors import NewsweaveError, StoreError
from .ingest.dates import DatePolicy
from .ingest.sources import FetchURL, is_url
from .ingest.tabular import record_fields
from .pipeline import IngestReport, Pipeline
from .service import facts as service_facts
from .settings import SETTINGS, Settings
from .store.base import StoreAPI
from .store.open import open_store
from .store.postgres import is_postgres_url
from .store.settings import store_settings, stored_settings

log = logging.getLogger(__name__)

RECORDS_SOURCE = "<records>"  # what a Python API ingest of dicts names its source
SECRETS = frozenset({"api_token"})  # settings never stored with the database


class RecordStream(io.StringIO):
    """Records as a JSON Lines stream for the pipeline's ``-`` source, with
    ``source_name``: what the stored articles and skip reasons name as their source
    (``<api>``, ``<records>``) instead of ``<stdin>``. A ``None`` is a blank line: a
    record read elsewhere keeps its number (``<api>#line N`` is the Nth record)."""

    def __init__(self, records: Iterable[Mapping[str, Any] | None], name: str) -> None:
        super().__init__("".join(
            "\n" if r is None else json.dumps(dict(r), ensure_ascii=False, default=str) + "\n"
            for r in records))
        self.source_name = name


def record_sources(records: Sequence[Mapping[str, Any]], name: str
                   ) -> tuple[list[str], RecordStream | None]:
    """The sources an ingest of in-memory records reads, and the stream ``-`` reads.

    Records with a text go into one JSON Lines stream named ``name``. A record that
    gives an http(s) ``url`` and no ``text`` is fetched, after the stream, exactly as
    ``newsweave ingest URL`` fetches (the safe fetcher, its settings and skip reasons,
    E044 for an address the policy refuses): it becomes a
    :class:`~newsweave.ingest.sources.FetchURL` whose other fields are laid over what
    the page states. Shared by ``nw.ingest`` and ``POST /ingest``."""
    fetched = [_fetch_source(record, f"{name}#line {number}")
               for number, record in enumerate(records, start=1)]
    urls = [url for url in fetched if url is not None]
    if len(urls) == len(records):
        return urls, None
    stream = RecordStream([None if url is not None else record
                           for record, url in zip(records, fetched, strict=True)], name)
    return ["-", *urls], stream


def _fetch_source(record: Mapping[str, Any], where: str) -> str | None:
    """The URL to fetch for ``record`` (one with no text and an http(s) url), or None."""
    url = record.get("url")
    if record.get("text") is not None or not isinstance(url, str) or not is_url(url.strip()):
        return None
    return FetchURL(url.strip(), record_fields(record, where))


def settings_for(store: StoreAPI, flags: Mapping[str, Any] | None = None) -> Settings:
    """Settings in force on ``store``: defaults < file < env < stored < ``flags``."""
    stored = stored_settings(store)
    unknown = sorted(set(stored) - {s.name for s in SETTINGS})
    if unknown:
        log.warning("ignoring settings stored in %s that this version does not know: %s",
                    store.location, ", ".join(unknown))
    return Settings(dict(flags or {}), stored=stored)


def remember(store: StoreAPI, settings: Settings, flags: Mapping[str, Any],
             command: str) -> None:
    """Store the explicitly given values (typed) with the database, for later commands;
    a secret (the API token) never."""
    kept = [name for name in flags if name not in SECRETS]
    if kept:
        store_settings(store, {name: getattr(settings, name) for name in kept}, command)


def ingest_into(pipeline: Pipeline, sources: Iterable[str], flags: Mapping[str, Any],
                *, stdin: io.TextIOBase | None = None,
                progress: Callable[[int], None] | None = None,
                dates: DatePolicy | None = None) -> IngestReport:
    """Run one ingest on ``pipeline`` (its store, its settings) and remember ``flags``
    with the database: what ``newsweave ingest``, ``nw.ingest`` and ``POST /ingest``
    all do. ``-`` among ``sources`` reads JSON Lines records from ``stdin``."""
    report = pipeline.ingest(sources, stdin=stdin, progress=progress, dates=dates)
    remember(pipeline.store, pipeline.settings, flags, "ingest")
    return report


class Annotate:
    """``newsweave annotate``: mentions, dates, quotes and quantities of texts, nothing
    stored. The models are loaded once, when the object is made."""

    def __init__(self, settings: Settings) -> None:
        from .enrich.dates import DateFinder
        from .enrich.entities import Annotator
        from .enrich.quantities import QuantityFinders

        self.settings = settings
        cache = Path(settings.cache_dir) if settings.cache_dir else None
        self.annotator = Annotator.load(settings, cache)
        self.dates = DateFinder(max_expressions=settings.max_dates_per_article)
        self.finders = QuantityFinders()

    def record(self, rid: str, text: str, lang: str | None, published: str | None,
               warn: Callable[[str], None]) -> dict[str, Any]:
        """One output record ``{id, lang, mentions, dates, quotes, quantities}``;
        what was left out or could not be read is said through ``warn``."""
        from .enrich.dates import dates_json
        from .enrich.entities.records import record_json
        from .enrich.quantities import scan_quantities
        from .enrich.quotes import find_quotes

        analysis = self.annotator.analyse(text, lang)
        out = record_json(rid, analysis)
        out["dates"], warnings = dates_json(self.dates, text, analysis.lang, published,
                                            analysis.sentences)
        for warning in warnings:
            warn(f"{rid}: {warning}")
        out["quotes"] = [q.to_dict() for q in find_quotes(
            text, analysis.lang, analysis.sentences, analysis.mentions,
            self.settings.quote_max_chars)]
        scan = scan_quantities(text, analysis.lang, analysis.sentences, finders=self.finders,
                               max_quantities=self.settings.max_quantities_per_article,
                               max_value=self.settings.max_quantity_value)
        for note in scan.notes:
            warn(f"{rid}: quantities: {note}")
        out["quantities"] = [q.to_dict() for q in scan.quantities]
        return out


def _annotation_input(item: str | Mapping[str, Any], number: int
                      ) -> tuple[str, str, str | None, str | None]:
    """``(id, text, lang, published)`` of one ``nw.annotate`` input: a text, or a
    record ``{id?, text, lang?, published?}`` (as ``newsweave annotate`` reads)."""
    if isinstance(item, str):
        return str(number), item, None, None
    if not isinstance(item, Mapping) or not isinstance(item.get("text"), str):
        raise NewsweaveError(f"annotate input {number}: expected a text or a record with a "
                             f"\"text\" string, got {type(item).__name__}")
    lang, published = item.get("lang"), item.get("published")
    return (str(item.get("id", number)), item["text"],
            lang if isinstance(lang, str) else None,
            published if isinstance(published, str) else None)


class Newsweave:
    """A newsweave database from Python: ``newsweave.open(db)``.

    The read methods return what the CLI prints with ``--json`` (docs/cli.md);
    listings return a list, or one page ``{items, next_cursor}`` when ``page_size`` or
    ``cursor`` is given. Use it as a context manager, or call :meth:`close`.
    """

    def __init__(self, db: str | PathLike[str], *, readonly: bool = False,
                 settings: Mapping[str, Any] | None = None) -> None:
        self.db = str(db)
        self.readonly = readonly
        self.flags = dict(settings or {})
        Settings(self.flags)  # a bad setting fails here, before anything is opened
        self._reader: StoreAPI | None = None
        self._pipeline: Pipeline | None = None
        self._annotate: Annotate | None = None
        self._search_tools: tuple[Any, Any] | None = None  # embedder, language identifier

    # -- life -------------------------------------------------------------------
    def __enter__(self) -> Newsweave:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the stores (and release the writer lock, if an ingest took it)."""
        if self._pipeline is not None:
            self._pipeline.store.close()
            self._pipeline = None
        if self._reader is not None:
            self._reader.close()
            self._reader = None

    def __repr__(self) -> str:
        return f"Newsweave({self.db!r}{', readonly=True' if self.readonly else ''})"

    @property
    def store(self) -> StoreAPI:
        """The read-only store the queries read, opened on first use."""
        if self._reader is None:
            if not is_postgres_url(self.db) and not Path(self.db).exists():
                raise StoreError(f"no database at {self.db}: ingest something first")
            self._reader = open_store(self.db, readonly=True)
        return self._reader

    # -- reads --------------------------------------------------------------------
    @staticmethod
    def _listing(page_fn: Callable[..., dict[str, Any]], limit: int | None,
                 page_size: int | None, cursor: str | None, **filters: Any) -> Any:
        if page_size is None and cursor is None:
            return page_fn(limit, None, **filters)["items"]
        if limit is not None:
            raise ValueError("limit caps a whole listing; with pages, use page_size")
        return page_fn(page_size or 100, cursor, **filters)

    def articles(self, *, story: int | None = None, lang: str | None = None,
                 limit: int | None = None, page_size: int | None = None,
                 cursor: str | None = None) -> Any:
        """Articles in stream order (``newsweave articles --json``)."""
        return self._listing(lambda n, c, **f: service.articles_page(self.store, n, c, **f),
                             limit, page_size, cursor, story=story, lang=lang)

    def article(self, article_id: int) -> dict[str, Any]:
        """One article with its text and provenance; :class:`NotFound` if none."""
        return service.get_article(self.store, article_id)

    def stories(self, *, min_size: int = 1, limit: int | None = None,
                page_size: int | None = None, cursor: str | None = None) -> Any:
        """Stories, largest first (``newsweave stories --json``)."""
        return self._listing(lambda n, c, **f: service.stories_page(self.store, n, c, **f),
                             limit, page_size, cursor, min_size=min_size)

    def story(self, story_id: int) -> dict[str, Any]:
        """One story with its sources, timeline, quotes and claims."""
        return service.get_story(self.store, story_id)

    def timeline(self, story_id: int) -> list[dict[str, Any]]:
        """A story's dated events, by date."""
        self._story_exists(story_id)
        return service_facts.story_timeline(self.store, story_id)

    def entities(self, *, type: str | None = None, min_articles: int = 1,  # noqa: A002
                 limit: int | None = None, page_size: int | None = None,
                 cursor: str | None = None) -> Any:
        """People, organisations, places and more, most articles first."""
        return self._listing(lambda n, c, **f: service.entities_page(self.store, n, c, **f),
                             limit, page_size, cursor, type_=type, min_articles=min_articles)

    def entity(self, entity_id: int) -> dict[str, Any]:
        """One entity with its mentions, stories and company."""
        return service.get_entity(self.store, entity_id)

    def places(self, *, limit: int | None = None, page_size: int | None = None,
               cursor: str | None = None) -> Any:
        """Resolved places with coordinates, most articles first."""
        return self._listing(lambda n, c: service.places_page(self.store, n, c),
                             limit, page_size, cursor)

    def quotes(self, *, story: int | None = None, entity: int | None = None,
               limit: int | None = None) -> list[dict[str, Any]]:
        """Quotes with their speakers, across stories or of one story or speaker."""
        return service_facts.list_quotes(self.store, story, entity, limit)

    def claims(self, *, story: int | None = None, entity: int | None = None,
               status: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        """Claims with their status (corroborated, contradicted, single)."""
        return service_facts.list_claims(self.store, story, entity, status, limit)

    def skipped(self, *, limit: int | None = None, page_size: int | None = None,
                cursor: str | None = None) -> Any:
        """Inputs that were not ingested, and why."""
        return self._listing(lambda n, c: service.skipped_page(self.store, n, c),
                             limit, page_size, cursor)

    def search(self, query: str, *, limit: int = 10, cursor: str | None = None,
               stories: bool = False, vectors: bool = True, **filters: Any) -> dict[str, Any]:
        """``newsweave search --json --page``: ``{query, items, next_cursor, total,
        facets}``, articles (or, with ``stories``, stories) best first. ``filters``:
        date_from, date_to, lang, source, story, entity, place, speaker, claim_status
        (docs/search.md). ``vectors=False`` searches the full text alone and loads no
        model. The embedder is loaded on the first search and kept."""
        from .service import search as service_search

        unknown = sorted(set(filters) - set(service_search.Filters.__dataclass_fields__))
        if unknown:
            raise service_search.SearchError(f"search has no filter {', '.join(unknown)}")
        settings = settings_for(self.store, self.flags)
        embedder, identifier = self._searching(settings) if vectors else (None, None)
        return service_search.search(
            self.store, query, filters=service_search.Filters(**filters), limit=limit,
            cursor=cursor, stories=stories, embedder=embedder, identifier=identifier,
            max_query_chars=settings.search_max_query_chars)

    def _searching(self, settings: Settings) -> tuple[Any, Any]:
        if self._search_tools is None:
            from .enrich.embed import make_embedder
            from .enrich.language import LanguageIdentifier

            embedder = make_embedder(settings.embedder, settings.embed_max_tokens,
                                     settings.embed_batch_size)
            self._search_tools = (embedder, LanguageIdentifier())
        return self._search_tools

    def export(self, what: str, format: str, out: str | PathLike[str] | BinaryIO,  # noqa: A002
               **filters: Any) -> dict[str, int]:
        """``newsweave export``: every ``what`` (articles, stories, entities, places,
        claims, quotes) that passes ``filters`` (story, lang, since, until, entity, type,
        country, status, speaker: docs/export.md) written to ``out``, a path or a binary
        stream, as jsonl, csv, geojson or parquet. Rows written and rows left out (GeoJSON:
        those without coordinates)."""
        from .export import export as write
        from .service.export import ExportError, ExportFilters

        unknown = sorted(set(filters) - set(ExportFilters.__dataclass_fields__))
        if unknown:
            raise ExportError(f"export has no filter {', '.join(unknown)}")
        target = out if hasattr(out, "write") else str(out)
        written = write(self.store, what, format, target, ExportFilters(**filters))
        return {"rows": written.rows, "left_out": written.left_out}

    def stats(self) -> dict[str, Any]:
        """Counts: articles, duplicates, stories, languages, skipped sources."""
        return service.summary(self.store)

    summary = stats

    def _story_exists(self, story_id: int) -> None:
        if self.store.queries.story(story_id) is None:
            from .errors import NotFound

            raise NotFound(f"no story with id {story_id}")

    # -- writes -------------------------------------------------------------------
    def _writer(self) -> Pipeline:
        if self.readonly:
            raise StoreError(f"{self.db} was opened read-only: newsweave.open(db) to ingest")
        if self._pipeline is None:
            store = open_store(self.db)
            try:
                self._pipeline = Pipeline(store, settings_for(store, self.flags))
            except BaseException:
                store.close()
                raise
        return self._pipeline

    def ingest(self, items: str | PathLike[str] | Mapping[str, Any]
               | Iterable[str | PathLike[str] | Mapping[str, Any]], *,
               published: Any = None, date_from_path: bool = False,
               date_from_text: bool = True) -> dict[str, Any]:
        """Ingest files, folders, globs, URLs and records ``{id?, title?, text, url?,
        lang?, published?, source?}``; the report ``newsweave ingest --json`` prints.
        A record with an http(s) ``url`` and no ``text`` is fetched like a URL
        (:func:`record_sources`).

        A path that names nothing is refused before anything is written, as the CLI
        does. ``published`` (a datetime or ``YYYY-MM-DD``) dates every input."""
        from .ingest.dates import parse_cli_date
        from .ingest.preflight import missing_sources

        sources, records = _split_inputs(items)
        missing = missing_sources(tuple(sources))
        if missing:
            raise NewsweaveError(f"not found: {', '.join(missing)} (no file, folder or glob "
                                 "match); nothing was ingested")
        if isinstance(published, str):
            published = parse_cli_date(published)
        more, stdin = record_sources(records, RECORDS_SOURCE)
        sources += more
        pipeline = self._writer()
        report = ingest_into(pipeline, sources, self.flags, stdin=stdin,
                             dates=DatePolicy(published, date_from_path, date_from_text))
        return report.to_dict()

    def annotate(self, texts: str | Mapping[str, Any] | Iterable[str | Mapping[str, Any]]
                 ) -> list[dict[str, Any]]:
        """What ``newsweave annotate`` prints, one dict per text or record; nothing is
        stored. Warnings (a ``published`` that is no date, a cut scan) are logged."""
        if self._annotate is None:
            self._annotate = Annotate(Settings(self.flags))
        if isinstance(texts, str | Mapping):
            texts = [texts]
        return [self._annotate.record(*_annotation_input(item, n), warn=log.warning)
                for n, item in enumerate(texts, start=1)]


def _split_inputs(items: Any) -> tuple[list[str], list[Mapping[str, Any]]]:
    """Paths and URLs apart from records (dicts)."""
    if isinstance(items, str | PathLike | Mapping):
        items = [items]
    sources: list[str] = []
    records: list[Mapping[str, Any]] = []
    for item in items:
        if isinstance(item, Mapping):
            records.append(item)
        elif isinstance(item, str | PathLike):
            sources.append(str(item))
        else:
            raise NewsweaveError(f"cannot ingest a {type(item).__name__}: give paths, URLs "
                                 "or records (dicts with a \"text\")")
    return sources, records


def open(db: str | PathLike[str], *, readonly: bool = False,  # noqa: A001
         settings: Mapping[str, Any] | None = None) -> Newsweave:
    """A newsweave database (a SQLite file or a ``postgresql://`` URL) from Python."""
    return Newsweave(db, readonly=readonly, settings=settings)
