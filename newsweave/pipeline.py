"""The ingest pipeline: sources in, stories out, one batch (one transaction) at a time.

Stages, in the order data flows through them, each named by the package it lives in:

1. ``ingest``   sources → :class:`RawDocument` or :class:`Skipped` (with a reason)
2. ``clean``    boilerplate lines, title, normalised-text hash, idempotency key
3. ``enrich``   language; exact and near duplicates (linked to their original,
                never dropped); embeddings for originals only; sentences, names,
                entities and places (``enrich/entities``, ``enrich/places``)
4. ``stories``  streaming assignment to stories, in publication order
5. ``store``    everything above, committed once per batch

A batch is committed whole or not at all, so a crash or Ctrl-C leaves the database
consistent; re-running the same command skips what is already stored and resumes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING
from urllib.parse import urlsplit

import numpy as np

from .clean.dedupe import MinHasher, dedupe_text, jaccard_estimate
from .clean.document import Cleaned, Cleaner
from .clean.recurrence import document_key
from .clean.text import derive_title, normalise_for_hash
from .enrich.embed import Embedder, approx_tokens, make_embedder, passage_text
from .enrich.entities.crosslink import CrossLinker
from .enrich.language import LanguageIdentifier
from .errors import Reason
from .ingest import DatePolicy, iter_documents
from .ingest.http import Fetcher
from .models import Article, RawDocument, Skipped
from .settings import Settings
from .store.base import StoreAPI, VectorSearch
from .store.values import from_blob
from .stories.cluster import StoryClusterer
from .stories.normalise import load_prior
from .stories.scoring import ScoringWeights
from .stories.terms import extract_terms

if TYPE_CHECKING:
    from .enrich.entities import Annotator
    from .enrich.entities.memory import SurnameMemory


@dataclass(slots=True)
class IngestReport:
    """What one ``ingest`` call did; printed as the one-line summary."""

    new: int = 0
    exact_duplicates: int = 0
    near_duplicates: int = 0
    unchanged: int = 0
    new_stories: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    interrupted: bool = False
    seconds: float = 0.0
    mentions: int = 0
    entity_seconds: float = 0.0

    def merge(self, other: IngestReport) -> None:
        """Add a committed batch's counts."""
        for name in ("new", "exact_duplicates", "near_duplicates", "unchanged", "new_stories",
                     "mentions", "entity_seconds"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.skipped.extend(other.skipped)

    def to_dict(self) -> dict[str, object]:
        return {"new": self.new, "exact_duplicates": self.exact_duplicates,
                "near_duplicates": self.near_duplicates, "unchanged": self.unchanged,
                "new_stories": self.new_stories, "mentions": self.mentions,
                "interrupted": self.interrupted,
                "seconds": round(self.seconds, 2),
                "skipped": [s.to_dict() for s in self.skipped]}


def text_hash(title: str, text: str) -> str:
    """sha256 of the normalised body: the exact-duplicate key.

    A leading title line is left out, so a plain-text file whose first line is the
    headline and a JSON record with a separate ``title`` field hash alike.
    """
    body = normalise_for_hash(text)
    head = normalise_for_hash(title)
    if head and body.startswith(head) and len(body) > len(head):
        body = body[len(head):].lstrip()
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def as_days(when: datetime | None) -> float | None:
    """Stream time: days since the Unix epoch, or None when the date is unknown."""
    return when.timestamp() / 86400.0 if when is not None else None


def scope_of(raw: RawDocument) -> str:
    """The source whose articles share boilerplate: the site, else the host of the
    page's URL, else one scope for every local file and record.

    Files carry no site, and a folder of scraped pages mixes many sites; the folder
    a user named is no scope either, since ingesting a tree in one call or folder by
    folder must clean alike.
    """
    if raw.site:
        return raw.site.strip().lower()
    if raw.url:
        host = urlsplit(raw.url).hostname or ""
        return host.removeprefix("www.")
    return ""


def weights_from(settings: Settings) -> ScoringWeights:
    """The story-scoring weights, with the thresholds the user may have changed."""
    base = ScoringWeights()
    return ScoringWeights(**{**{k: getattr(base, k) for k in base.__dataclass_fields__},
                             "threshold": settings.story_threshold,
                             "threshold_short": settings.story_threshold_short,
                             "related_threshold": settings.related_threshold})


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


class Pipeline:
    """Runs sources through every stage into one store (:class:`~newsweave.store.base.StoreAPI`)."""

    BATCH = 64

    def __init__(self, store: StoreAPI, settings: Settings, embedder: Embedder | None = None,
                 fetcher: Fetcher | None = None, annotator: Annotator | None = None) -> None:
        self.store = store
        self.settings = settings
        self._embedder = embedder
        self.fetcher = fetcher
        self.language = LanguageIdentifier()
        self.minhasher = MinHasher(num_perm=settings.minhash_perm)
        self.cleaner = Cleaner(store.lines, settings.boilerplate_recurrence)
        self._index: VectorSearch | None = None
        self._clusterer: StoryClusterer | None = None
        self._annotator = annotator
        self._surnames: SurnameMemory | None = None  # the stream's, read from the store

    # -- lazily built heavy parts ----------------------------------------------
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
            from .enrich.entities import Annotator

            cache = Path(self.settings.cache_dir) if self.settings.cache_dir else None
            self._annotator = Annotator.load(self.settings, cache)
        return self._annotator

    @property
    def surnames(self) -> SurnameMemory:
        """The stream's memory of surnames, read from the store on first use and
        after a batch is rolled back (docs/store.md, "Stream state")."""
        if self._surnames is None:
            from .enrich.entities.memory import SurnameMemory

            self._surnames = SurnameMemory.read(self.store.surnames)
        return self._surnames

    # -- the main job -------------------------------------------------------
    def ingest(self, sources: Iterable[str], stdin: IO[str] | None = None,
               progress: Callable[[int], None] | None = None,
               dates: DatePolicy | None = None) -> IngestReport:
        """Ingest every source; bad inputs are reported, never fatal. ``dates``: how
        inputs are dated (``--published``, ``--date-from-path``; docs/ingest.md)."""
        import time

        started = time.perf_counter()
        sources = list(sources)
        report = IngestReport()
        run_id = self.store.start_run(sources)
        stream = iter_documents(sources, self.settings, fetcher=self.fetcher, stdin=stdin,
                                dates=dates)
        try:
            for window in _chunks(stream, self.settings.order_window):
                for chunk in _chunks(iter(publication_order(window)), self.BATCH):
                    self._ingest_batch(chunk, run_id, report, progress)
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

    def _ingest_batch(self, chunk: list[RawDocument | Skipped], run_id: int,
                      report: IngestReport, progress: Callable[[int], None] | None = None
                      ) -> None:
        """One transaction; the batch's counts reach ``report`` only once committed.

        ``progress`` moves by one as each stored article is annotated (the slow,
        per-article stage) and by the rest of the chunk once the batch is committed."""
        ticks = _Ticks(progress)
        part = IngestReport()
        try:
            self._write_batch(chunk, run_id, part, ticks)
        except BaseException:
            self._forget_uncommitted()
            raise
        if self._index is not None:
            self._index.commit()
        report.merge(part)
        ticks.up_to(len(chunk))

    def _write_batch(self, chunk: list[RawDocument | Skipped], run_id: int,
                     part: IngestReport, ticks: _Ticks) -> None:
        """Every stage of one batch, in one transaction."""
        articles: list[Article] = []
        with self.store.batch():
            # Cleaning reads and writes the stream's line memory: inside the transaction,
            # in stream order, so a crash forgets the batch's lines with its articles.
            for item in chunk:
                prepared = item if isinstance(item, Skipped) else self._prepare(item, part)
                if isinstance(prepared, Skipped):
                    part.skipped.append(prepared)
                elif prepared is not None:
                    articles.append(prepared)
            for item in part.skipped:
                self.store.record_skip(item, run_id)
            stored = self._store_articles(publication_order(articles), run_id, part)
            originals = [a for a in stored if a.duplicate_of is None]
            if originals:
                self._embed_and_cluster(originals, part)
            for a in stored:
                if a.duplicate_of is not None:
                    self.store.set_article_story(a.id, self.store.article_story(a.duplicate_of))
            if self.settings.entities and stored:
                self._annotate(stored, part, ticks.one)
            if self._clusterer is not None:
                self._clusterer.flush()

    def _forget_uncommitted(self) -> None:
        """A batch was rolled back: drop what this process holds of the stream's state
        beyond the store (vectors added to the index, the clusterer's running
        statistics, the surname memory), so that it is read again as last committed."""
        if self._index is not None:
            self._index.rollback()
        self._clusterer = None
        self._surnames = None

    # -- stages -------------------------------------------------------------
    def _prepare(self, raw: RawDocument, report: IngestReport) -> Article | Skipped | None:
        """clean: boilerplate, title, hashes; enrich: language. None when unchanged.

        The idempotency key is taken from the input as given (source, id, raw text), not
        from the cleaned text: what the stream has learnt since may clean a re-read
        input differently, and it must still be recognised as already stored.
        """
        key_src = "\x00".join((raw.source, raw.external_id or "", raw.title or "", raw.text))
        ingest_key = hashlib.sha256(key_src.encode("utf-8")).hexdigest()
        if self.store.has_ingest_key(ingest_key):
            report.unchanged += 1
            return None
        cleaned = self._clean(raw)
        text = cleaned.text
        where = f"{raw.source}#{raw.external_id}" if raw.external_id else raw.source
        if not text:
            reason = Reason.BOILERPLATE_ONLY if cleaned.removed else Reason.EMPTY
            return Skipped(where, reason.format(lines=len(cleaned.removed)))
        if len(text) < max(1, self.settings.min_text_chars):
            return Skipped(where, Reason.TOO_SHORT.format(chars=len(text),
                                                          limit=self.settings.min_text_chars))
        title = (raw.title or "").strip() or cleaned.headline or derive_title(text)
        content_hash = text_hash(title, text)
        article = Article(
            source=raw.source, text=text, title=title, external_id=raw.external_id,
            url=raw.url, published=raw.published, published_source=raw.published_source,
            author=raw.author, site=raw.site, fmt=raw.fmt, content_hash=content_hash,
            removed_lines=[r.to_dict() for r in cleaned.removed], ingest_key=ingest_key)
        result = self.language.identify(text, title)
        article.lang = (raw.lang or "").lower()[:2] or result.lang or "und"
        article.lang_confidence = 1.0 if raw.lang else result.confidence
        article.lang_model = "declared in input" if raw.lang else result.model
        return article

    def _clean(self, raw: RawDocument) -> Cleaned:
        """Plain text goes through every cleaning rule; text an extractor produced
        (HTML through trafilatura) is trimmed only."""
        if not raw.needs_cleaning:
            return Cleaned(raw.text.strip(), None, [])
        doc = document_key(raw.source, raw.external_id or "", raw.text)
        return self.cleaner.clean(raw.text, scope_of(raw), doc,
                                  find_headline=not (raw.title or "").strip())

    def _store_articles(self, articles: list[Article], run_id: int,
                        report: IngestReport) -> list[Article]:
        """dedupe + store: exact and near duplicates link to their original."""
        stored = []
        seq = self.store.next_seq()
        for a in articles:
            if self.store.has_ingest_key(a.ingest_key):  # the same record twice in one batch
                report.unchanged += 1
                continue
            original = self.store.original_by_hash(a.content_hash)
            signature = keys = None
            if original is not None:
                a.duplicate_of, a.duplicate_kind, a.duplicate_score = original, "exact", 1.0
                report.exact_duplicates += 1
            else:
                signature = self.minhasher.signature(dedupe_text(a.text))
                keys = self.minhasher.band_keys(signature, self.settings.minhash_bands)
                near = self._near_duplicate(signature, keys)
                if near is not None:
                    a.duplicate_of, a.duplicate_kind, a.duplicate_score = near[0], "near", near[1]
                    report.near_duplicates += 1
            a.id = self.store.insert_article(a, seq, run_id)
            a.seq = seq
            seq += 1
            if a.duplicate_of is None:
                report.new += 1
                if signature is not None and len(set(signature.tolist())) > 1:
                    self.store.add_minhash(a.id, signature, keys)
            stored.append(a)
        return stored

    def _near_duplicate(self, signature: np.ndarray, keys: list[int]) -> tuple[int, float] | None:
        best: tuple[int, float] | None = None
        for candidate, blob in self.store.minhash_candidates(keys):
            score = jaccard_estimate(signature, from_blob(blob, signature.dtype))
            if score >= self.settings.near_dup_threshold and (best is None or score > best[1]):
                best = (candidate, score)
        return best

    def _annotate(self, articles: list[Article], report: IngestReport,
                  done: Callable[[], None] = lambda: None) -> None:
        """Sentences, mentions, entities and places of each article (duplicates too:
        a syndicated copy is still a source that names these people)."""
        import time

        started = time.perf_counter()
        linker = CrossLinker(self.store.entities, self._name_similarity,
                             self.annotator.lexicons.given_names)
        limit = self.settings.max_entity_chars
        memory = self.surnames
        for a in articles:
            analysis = self.annotator.analyse(a.text[:limit], a.lang, memory)
            linker.save(a.id, analysis.sentences, analysis.mentions, self.annotator.version)
            report.mentions += len(analysis.mentions)
            done()
        memory.write(self.store.surnames)
        report.entity_seconds += time.perf_counter() - started

    def _name_similarity(self, a: str, b: str) -> float:
        """Cosine of two names under the embedder (used only to confirm a misspelling)."""
        vecs = self.embedder.embed_passages([a, b])
        return float(vecs[0] @ vecs[1])

    def _embed_and_cluster(self, originals: list[Article], report: IngestReport) -> None:
        """embed (originals only) + stories, in publication order."""
        texts = [passage_text(a.title, a.text, self.settings.embed_max_tokens) for a in originals]
        vectors = self.embedder.embed_passages(texts)
        clusterer = self.clusterer
        model = self.embedder.model_name
        for a, vec, text in zip(originals, vectors, texts, strict=True):
            cvec = clusterer.normaliser.normalise(a.lang or "und", vec)
            self.store.put_vector(a.id, model, vec, cvec)
            decision = clusterer.assign(a.id, a.lang or "und", cvec,
                                        extract_terms(a.title, a.text), as_days(a.published),
                                        approx_tokens(text), a.seq)
            a.story_id = decision.story_id
            report.new_stories += int(decision.new)


@dataclass(slots=True)
class ReclusterReport:
    """What ``recluster`` did."""

    articles: int
    stories: int
    seconds: float

    def to_dict(self) -> dict[str, object]:
        return {"articles": self.articles, "stories": self.stories,
                "seconds": round(self.seconds, 2)}


def recluster(pipeline: Pipeline, progress: Callable[[int], None] | None = None
              ) -> ReclusterReport:
    """Rebuild every story from the stored vectors, in the original stream order.

    Used after the story settings change. One transaction: if it is interrupted,
    the previous stories stay as they were.
    """
    import time

    started = time.perf_counter()
    try:
        count, index = _replay(pipeline, progress)
    except BaseException:  # rolled back: the index and statistics in memory are not
        pipeline._index = pipeline._clusterer = None  # the store's; read them again
        raise
    index.commit()
    index.save()
    return ReclusterReport(count, pipeline.store.count("stories"), time.perf_counter() - started)


def _replay(pipeline: Pipeline, progress: Callable[[int], None] | None
            ) -> tuple[int, VectorIndex]:
    """Every original again, in stream order, into new stories: one transaction."""
    store = pipeline.store
    count = 0
    with store.batch():
        index = pipeline.index
        store.stories.reset()
        index.reset()
        pipeline._clusterer = None
        clusterer = pipeline.clusterer
        for row in store.iter_originals():
            vec = row["vector"]
            cvec = clusterer.normaliser.normalise(row["lang"], vec)
            store.set_cvector(row["id"], cvec)
            published = datetime.fromisoformat(row["published"]) if row["published"] else None
            text = passage_text(row["title"], row["text"], pipeline.settings.embed_max_tokens)
            clusterer.assign(row["id"], row["lang"], cvec, extract_terms(row["title"], row["text"]),
                             as_days(published), approx_tokens(text), row["seq"])
            count += 1
            if progress is not None:
                progress(1)
        store.stories.duplicates_follow_originals()
        clusterer.flush()
    return count, index


class _Ticks:
    """Counts progress reported within one batch, so the batch reports its size once."""

    def __init__(self, progress: Callable[[int], None] | None) -> None:
        self.progress, self.done = progress, 0

    def one(self) -> None:
        if self.progress is not None:
            self.done += 1
            self.progress(1)

    def up_to(self, total: int) -> None:
        if self.progress is not None and total > self.done:
            self.progress(total - self.done)
            self.done = total


def _chunks(items: Iterator, size: int) -> Iterator[list]:
    chunk: list = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
