"""The pipeline: the stages' shared resources, and the loop that feeds them batches.

Each batch of the stream runs through every enabled stage
(:data:`~newsweave.pipeline.stages.STAGES`) in one transaction, committed whole or not
at all. The heavy resources a stage uses (the embedder, the story clusterer, the
entity annotator) are built on first use, so a pipeline whose batches are all
already stored loads no model.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar

from ..clean.dedupe import MinHasher
from ..clean.document import Cleaner
from ..enrich.embed import Embedder, make_embedder
from ..enrich.language import LanguageIdentifier
from ..ingest import DatePolicy, iter_documents
from ..ingest.http import Fetcher
from ..models import RawDocument, Skipped
from ..settings import Settings
from ..store.base import StoreAPI, VectorSearch
from ..stories.cluster import StoryClusterer
from ..stories.normalise import load_prior
from .report import IngestReport, Ticks
from .stage import Batch, Stage, enabled_stages
from .stages import STAGES
from .stages.stories import weights_from

if TYPE_CHECKING:
    import numpy as np

    from ..enrich.entities import Annotator
    from ..enrich.entities.memory import SurnameMemory

T = TypeVar("T")


NAME_VECTORS = 20_000  # names whose vectors a pipeline keeps (1.5 KB each)


class Pipeline:
    """Runs sources through every stage into one store (:class:`~newsweave.store.base.StoreAPI`).

    ``stages`` defaults to :data:`~newsweave.pipeline.stages.STAGES`; the ones the
    settings turn on are checked for order here, when the pipeline is built.
    """

    BATCH = 64

    def __init__(self, store: StoreAPI, settings: Settings, embedder: Embedder | None = None,
                 fetcher: Fetcher | None = None, annotator: Annotator | None = None,
                 stages: Sequence[Stage] = STAGES) -> None:
        self.store = store
        self.settings = settings
        self.stages = enabled_stages(stages, settings)
        self.fetcher = fetcher
        self.language = LanguageIdentifier()
        self.minhasher = MinHasher(num_perm=settings.minhash_perm)
        self.cleaner = Cleaner(store.lines, settings.boilerplate_recurrence)
        self._embedder = embedder
        self._index: VectorSearch | None = None
        self._clusterer: StoryClusterer | None = None
        self._annotator = annotator
        self._surnames: SurnameMemory | None = None  # the stream's, read from the store
        self._resources: dict[str, Any] = {}

    # -- resources the stages share, built on first use ---------------------------
    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = make_embedder(self.settings.embedder, self.settings.embed_max_tokens,
                                           self.settings.embed_batch_size)
        return self._embedder

    @property
    def index(self) -> VectorSearch:
        if self._index is None:
            self._index = self.store.vector_index(self.embedder.dim)
        return self._index

    @property
    def clusterer(self) -> StoryClusterer:
        if self._clusterer is None:
            self._clusterer = StoryClusterer(
                self.store.stories, self.index, weights_from(self.settings),
                self.settings.story_candidates,
                load_prior(self.embedder.model_name, self.embedder.dim))
        return self._clusterer

    @property
    def annotator(self) -> Annotator:
        if self._annotator is None:
            from ..enrich.entities import Annotator

            cache = Path(self.settings.cache_dir) if self.settings.cache_dir else None
            self._annotator = Annotator.load(self.settings, cache)
        return self._annotator

    @property
    def surnames(self) -> SurnameMemory:
        """The stream's memory of surnames, read from the store on first use and
        after a batch is rolled back (docs/store.md, "Stream state")."""
        if self._surnames is None:
            from ..enrich.entities.memory import SurnameMemory

            self._surnames = SurnameMemory.read(self.store.surnames)
        return self._surnames

    def resource(self, name: str, build: Callable[[], T]) -> T:
        """What a stage builds once per pipeline (word files read, rules compiled),
        under ``name``: built by ``build`` on first use, then kept."""
        if name not in self._resources:
            self._resources[name] = build()
        return self._resources[name]

    def name_similarity(self, name: str, others: Sequence[str]) -> list[float]:
        """Cosine of ``name`` with each of ``others`` under the embedder (used only to
        confirm a misspelt first name). The names not seen before are embedded in one
        call, and each name once per pipeline: the same few ("Mohammed", "Mohamed") come
        back in article after article, and every call to the embedder costs as much
        as several names. The embedder gives a text the same vector in any batch, so
        what was seen before changes no result."""
        memo: dict[str, np.ndarray] = self.resource("name vectors", dict)
        missing = list(dict.fromkeys(n for n in (name, *others) if n not in memo))
        if missing:
            if len(memo) + len(missing) > NAME_VECTORS:
                memo.clear()
                missing = list(dict.fromkeys((name, *others)))
            memo.update(zip(missing, self.embedder.embed_passages(missing), strict=True))
        return [float(memo[name] @ memo[other]) for other in others]

    def forget_uncommitted(self) -> None:
        """A transaction was rolled back: drop what this process holds of the stream's
        state beyond the store (vectors added to the index, the clusterer's running
        statistics, the surname memory), so that it is read again as last committed."""
        if self._index is not None:
            self._index.rollback()
        self._clusterer = None
        self._surnames = None

    # -- the main job -------------------------------------------------------------
    def ingest(self, sources: Iterable[str], stdin: IO[str] | None = None,
               progress: Callable[[int], None] | None = None,
               dates: DatePolicy | None = None) -> IngestReport:
        """Ingest every source; bad inputs are reported, never fatal. ``dates``: how
        inputs are dated (``--published``, ``--date-from-path``; docs/ingest.md)."""
        started = time.perf_counter()
        sources = list(sources)
        report = IngestReport()
        run_id = self.store.start_run(sources)
        stream = iter_documents(sources, self.settings, fetcher=self.fetcher, stdin=stdin,
                                dates=dates)
        try:
            for window in chunks(stream, self.settings.order_window):
                for chunk in chunks(iter(publication_order(window)), self.BATCH):
                    self.run_batch(chunk, run_id, report, progress)
        except KeyboardInterrupt:
            report.interrupted = True
            if self._index is not None:
                self._index.rollback()
        finally:
            if self._index is not None:
                self._index.save()
            report.seconds = time.perf_counter() - started
            status = "interrupted" if report.interrupted else "done"
            self.store.finish_run(run_id, status, report.to_dict())
        return report

    def run_batch(self, documents: list[RawDocument | Skipped], run_id: int,
                  report: IngestReport, progress: Callable[[int], None] | None = None
                  ) -> Batch:
        """Every stage over one batch, in one transaction; the batch's counts reach
        ``report`` only once it is committed.

        ``progress`` moves by one as each article passes the slowest stage (entities)
        and by the rest of the batch once it is committed."""
        ticks = Ticks(progress)
        batch = Batch(documents, run_id, IngestReport(), tick=ticks.one)
        try:
            with self.store.batch():
                for stage in self.stages:
                    started, cpu = time.perf_counter(), time.thread_time()
                    stage.run(self, batch)
                    _add(batch.report.stage_seconds, stage.name, time.perf_counter() - started)
                    _add(batch.report.stage_cpu_seconds, stage.name, time.thread_time() - cpu)
        except BaseException:
            self.forget_uncommitted()
            raise
        if self._index is not None:
            self._index.commit()
        report.merge(batch.report)
        ticks.up_to(len(documents))
        return batch


def _add(spent: dict[str, float], stage: str, seconds: float) -> None:
    spent[stage] = spent.get(stage, 0.0) + seconds


def publication_order(items: list) -> list:
    """Dated items in date order, in the slots dated items held; undated ones stay put.

    Works on anything with a ``published`` attribute (articles, raw documents);
    items without one (skip records) keep their place too.
    """
    dated_slots = [i for i, a in enumerate(items) if getattr(a, "published", None) is not None]
    dated = sorted((items[i] for i in dated_slots), key=lambda a: a.published)
    out = list(items)
    for slot, article in zip(dated_slots, dated, strict=True):
        out[slot] = article
    return out


def chunks(items: Iterator, size: int) -> Iterator[list]:
    """``items`` in lists of ``size`` (the last one shorter)."""
    chunk: list = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
