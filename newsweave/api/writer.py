"""One writer fed by a queue: every write of the server happens in one thread.

As datasette does with SQLite: request threads never write. ``POST /ingest`` puts its
documents on the queue and waits for the writer's report; the writer thread opens a
writing store (taking the database's writer lock) at its first job and keeps it, with
its loaded models, until the server stops. Jobs run one at a time, in arrival order,
each as the same ingest ``newsweave ingest`` runs. A document given by its URL alone
is fetched here, in the writer thread, as ``newsweave ingest URL`` fetches it
(:func:`~newsweave.library.record_sources`).
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from typing import Any

from ..errors import NewsweaveError
from ..ingest import Fetcher
from ..library import ingest_into, record_sources, settings_for
from ..pipeline import Pipeline
from ..store.open import open_store

log = logging.getLogger(__name__)

API_SOURCE = "<api>"  # what articles ingested through the API name as their source
QUEUE_SIZE = 64  # jobs waiting; one more is refused as busy (503) rather than queued


Job = tuple[Future, list[Mapping[str, Any]], Callable[[int], None] | None]


class WriterBusy(NewsweaveError):
    """The writer's queue is full."""


class Writer:
    """The server's one writer: a thread that ingests the jobs of a queue in order.

    ``flags`` are the settings given to ``newsweave serve --set`` (applied over those
    stored with the database, not stored); ``fetcher`` is the network seam for the
    documents given by URL (default: the safe fetcher of the settings)."""

    def __init__(self, db: str, flags: Mapping[str, Any] | None = None,
                 fetcher: Fetcher | None = None) -> None:
        self.db = db
        self.flags = dict(flags or {})
        self.fetcher = fetcher
        self._jobs: queue.Queue[Job | None] = queue.Queue(QUEUE_SIZE)
        self._thread: threading.Thread | None = None
        self._start = threading.Lock()

    def submit(self, documents: Sequence[Mapping[str, Any]],
               progress: Callable[[int], None] | None = None) -> Future:
        """Queue an ingest of ``documents``; the future gives its report (a dict).
        ``progress`` is called in the writer thread with the count of documents each
        step got through (the web UI's ingest page shows it)."""
        self._ensure_thread()
        future: Future = Future()
        try:
            self._jobs.put_nowait((future, list(documents), progress))
        except queue.Full:
            raise WriterBusy(f"{QUEUE_SIZE} ingests are already waiting; try again "
                             "later") from None
        return future

    def _ensure_thread(self) -> None:
        with self._start:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="newsweave-writer",
                                                daemon=True)
                self._thread.start()

    def _run(self) -> None:
        pipeline: Pipeline | None = None
        try:
            while (job := self._jobs.get()) is not None:
                future, documents, progress = job
                if not future.set_running_or_notify_cancel():
                    continue
                try:
                    if pipeline is None:
                        pipeline = self._open()
                    sources, stream = record_sources(documents, API_SOURCE)
                    report = ingest_into(pipeline, sources, {}, stdin=stream, progress=progress)
                    future.set_result(report.to_dict())
                except BaseException as exc:  # the request that sent it reports it
                    future.set_exception(exc)
        finally:
            if pipeline is not None:
                pipeline.store.close()

    def _open(self) -> Pipeline:
        store = open_store(self.db)
        try:
            return Pipeline(store, settings_for(store, self.flags), fetcher=self.fetcher)
        except BaseException:
            store.close()
            raise

    def close(self) -> None:
        """Finish the queued jobs, then stop the thread and close the store."""
        if self._thread is not None:
            self._jobs.put(None)
            self._thread.join()
            self._thread = None
