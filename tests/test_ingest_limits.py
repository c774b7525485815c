"""Inputs that used to break ingest (issue 11, item 9), one regression test each.

Each case once crashed the batch, hung it, took minutes or gigabytes, or lost good
inputs beside the bad one. Now each gets a reason (or is read correctly) while the
rest is stored, in bounded time. Tests that could hang run their work in a thread
with a time limit, so a regression fails instead of stopping the suite.
"""

from __future__ import annotations

import errno
import io
import json
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

from newsweave.clean.boilerplate import looks_like_code
from newsweave.clean.text import clean_text, derive_title, first_sentence
from newsweave.cli import main
from newsweave.enrich.entities.datelines import find_dateline, is_dateline
from newsweave.enrich.entities.lexicon import LexiconSet
from newsweave.enrich.language import LanguageIdentifier
from newsweave.enrich.sentences import split_sentences, tokens
from newsweave.errors import StoreError
from newsweave.ingest.decode import binary_kind, decode_bytes
from newsweave.ingest.files import strip_markdown_headings
from newsweave.ingest.preflight import count_documents, missing_sources
from newsweave.store.sqlite import MAX_IN_VALUES, Store
from newsweave.store.vectors import VectorIndex
from tests.ingest_helpers import collect, settings

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX file system features")
ARTICLE = "The harbour authority of Porto Vento finished the new breakwater on Tuesday."


def within(seconds: float, work: Callable[[], Any]) -> Any:
    """``work()``'s result, or a test failure if it takes longer than ``seconds``."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["result"] = work()
        except BaseException as exc:  # handed to the test below
            box["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s"
    if "error" in box:
        raise box["error"]
    return box["result"]


def seconds_for(work: Callable[[], Any]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


# --- crashes: names and bytes that are not UTF-8, too many SQL variables ---------------

@posix_only
def test_file_name_with_non_utf8_bytes_is_read(tmp_path: Path) -> None:
    folder = os.fsencode(tmp_path)
    try:
        with open(os.path.join(folder, b"caf\xe9.txt"), "wb") as handle:
            handle.write(ARTICLE.encode())
    except OSError:
        pytest.skip("this file system refuses names that are not UTF-8")
    (tmp_path / "good.txt").write_text("Another article about the ferry.", encoding="utf-8")
    named = os.fsdecode(os.path.join(folder, b"caf\xe9.txt"))
    for sources in ([str(tmp_path)], [named, str(tmp_path / "good.txt")]):
        docs, skips = collect(sources)
        assert not skips
        assert sorted(os.path.basename(d.source) for d in docs) == ["caf\\xe9.txt", "good.txt"]
        for d in docs:
            d.source.encode("utf-8")  # storable: no surrogates left


def test_file_name_with_non_utf8_bytes_is_stored(tmp_path: Path, make_pipeline) -> None:
    (tmp_path / "in").mkdir()
    bad = os.path.join(os.fsencode(tmp_path / "in"), b"na\xefve.txt")
    try:
        with open(bad, "wb") as handle:
            handle.write(ARTICLE.encode())
    except OSError:
        pytest.skip("this file system refuses names that are not UTF-8")
    pipeline = make_pipeline()
    report = pipeline.ingest([str(tmp_path / "in")])
    assert report.new == 1 and not report.skipped
    source = pipeline.store.conn.execute("SELECT source FROM articles").fetchone()[0]
    assert source.endswith("na\\xefve.txt")


def stdin_of(data: bytes) -> io.TextIOWrapper:
    """A text stream over ``data`` with a ``buffer``, as ``sys.stdin`` is."""
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")


def test_stdin_with_non_utf8_bytes() -> None:
    data = (b'{"id": "1", "text": "La citt\xe0 di Porto Vento apre il nuovo molo."}\n'
            b'{"id": "2", "text": "A second record, in UTF-8: caf\xc3\xa9."}\n'
            b'{"id": "3", "text": "' + bytes(range(0x80, 0x100)) * 3 + b'"}\n')
    docs, skips = collect(["-"], stdin=stdin_of(data))
    assert [d.text for d in docs] == ["La città di Porto Vento apre il nuovo molo.",
                                      "A second record, in UTF-8: café."]
    assert [s.source for s in skips] == ["<stdin>#line 3"]
    assert skips[0].reason.startswith("E005 undecodable text")


def test_lone_surrogate_escape_in_json_is_replaced() -> None:
    data = b'{"text": "broken \\ud800 escape", "title": "A \\udc80 title"}\n'
    docs, skips = collect(["-"], stdin=stdin_of(data))
    assert not skips and docs[0].text == "broken \ufffd escape"
    assert docs[0].title == "A \ufffd title"


def test_record_with_more_distinct_words_than_sql_variables(make_pipeline,
                                                            tmp_path: Path) -> None:
    words = " ".join(f"w{n:06d}x" for n in range(260_000))  # 260,000 distinct terms
    path = tmp_path / "wide.jsonl"
    path.write_text(json.dumps({"title": words, "text": "A short body about the port."})
                    + "\n" + json.dumps({"text": ARTICLE}) + "\n", encoding="utf-8")
    report = make_pipeline().ingest([str(path)])
    assert report.new == 2 and not report.skipped


def test_select_in_splits_long_lists(tmp_path: Path) -> None:
    with Store(tmp_path / "x.db") as store:
        store.conn.execute("CREATE TEMP TABLE t(v INTEGER)")
        store.conn.executemany("INSERT INTO t VALUES (?)", [(n,) for n in range(3000)])
        wanted = list(range(0, 6000, 2))
        rows = store.select_in("SELECT v FROM t WHERE v IN ({marks})", wanted)
        assert sorted(r[0] for r in rows) == list(range(0, 3000, 2))
        assert len(wanted) > MAX_IN_VALUES


# --- hangs: FIFOs and servers that trickle -----------------------------------------

@posix_only
def test_fifo_is_never_opened_for_reading(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "good.txt").write_text(ARTICLE, encoding="utf-8")
    for sources in ([str(tmp_path)], [str(tmp_path / "pipe.txt"), str(tmp_path / "good.txt")],
                    [str(tmp_path / "*.txt")]):
        docs, skips = within(10, lambda s=sources: collect(s))
        assert [os.path.basename(d.source) for d in docs] == ["good.txt"], sources
        assert [os.path.basename(s.source) for s in skips] == ["pipe.txt"]
        assert skips[0].reason.startswith("E040 not a regular file but a named pipe (FIFO)")


@posix_only
def test_fifo_is_not_opened_to_count_records(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.jsonl")
    assert within(10, lambda: count_documents([str(tmp_path)], 32)) == 1
    assert within(10, lambda: missing_sources([str(tmp_path / "*.jsonl")])) == []


@posix_only
def test_device_is_not_read() -> None:
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    _, skips = within(10, lambda: collect(["/dev/zero"]))
    assert skips[0].reason.startswith("E040 not a regular file but a character device")


@contextmanager
def dripping_server(interval: float, in_headers: bool = False) -> Iterator[int]:
    """A loopback server that sends its answer one byte every ``interval`` seconds."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(4)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                return
            with conn:
                conn.recv(65536)
                head = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 900\r\n"
                drip = head + b"\r\n" + b"x" * 900 if in_headers else b"x" * 900
                if not in_headers:
                    conn.sendall(head + b"\r\n")
                for byte in drip:
                    if stop.wait(interval):
                        return
                    try:
                        conn.sendall(bytes([byte]))
                    except OSError:
                        break

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield sock.getsockname()[1]
    finally:
        stop.set()
        sock.close()


@pytest.mark.network
@pytest.mark.parametrize("in_headers", [False, True])
def test_fetch_has_an_overall_deadline(in_headers: bool) -> None:
    config = settings(fetch_timeout=5.0, fetch_deadline=1.0, fetch_linked_pages=False,
                      fetch_allow_hosts="127.0.0.1")
    with dripping_server(0.2, in_headers) as port:
        started = time.perf_counter()
        _, skips = within(10, lambda: collect([f"http://127.0.0.1:{port}/slow"], config=config))
        elapsed = time.perf_counter() - started
    assert skips[0].reason == ("E014 could not fetch URL: gave up after fetch_deadline=1 s "
                               "(the server sends too slowly)")
    assert elapsed < 4


# --- quadratic regexes --------------------------------------------------------------

DOTS = "Il sindaco di Porto Vento ha parlato" + "." * 100_000 + "Poi ha taciuto."
SPACES = "Mario Rossi" + " " * 100_000 + "e Luigi Bianchi sono arrivati."
PAREN_LINE = "( " + "parola " * 200_000  # one line, one sentence, opening like "(ANSA)"


@pytest.mark.parametrize(("name", "work"), [
    ("sentences, run of dots", lambda: split_sentences(DOTS)),
    ("sentences, dots then a space", lambda: split_sentences("Un fatto" + "." * 100_000 + " X")),
    ("first sentence, run of dots", lambda: first_sentence(DOTS)),
    ("first sentence, many initials", lambda: first_sentence("A. " * 40_000 + "end")),
    ("title, run of dots", lambda: derive_title(DOTS)),
    ("cleaning, run of dots", lambda: clean_text(DOTS)),
    ("markdown heading padded", lambda: strip_markdown_headings(
        "# Porto Vento" + " " * 100_000 + "news\n\nBody.")),
    ("markdown heading of spaces", lambda: strip_markdown_headings("#" + " " * 100_000 + "x")),
    ("list glue, run of spaces", lambda: LexiconSet().shared.list_glue.match(" " * 100_000 + "x")),
    ("language window, long word", lambda: LanguageIdentifier().prepare("a" * 100_000, "b")),
    ("code test, long word", lambda: looks_like_code("a" * 100_000)),
    ("code test, long line before a brace", lambda: looks_like_code("a " * 50_000 + "{")),
    ("dateline, a long line opening with a parenthesis", lambda: find_dateline(
        PAREN_LINE, tokens(PAREN_LINE), LexiconSet().get("it"), lambda _name: 0)),
    ("dateline test, every place of a long line", lambda: [
        is_dateline(PAREN_LINE, k, k + 6) for k in range(0, len(PAREN_LINE), 700)]),
])
def test_pathological_text_takes_linear_time(name: str, work: Callable[[], Any]) -> None:
    assert seconds_for(work) < 2.0, name


def test_pathological_articles_ingest_quickly(make_pipeline, tmp_path: Path) -> None:
    (tmp_path / "dots.txt").write_text(DOTS, encoding="utf-8")
    (tmp_path / "spaces.txt").write_text(SPACES, encoding="utf-8")
    (tmp_path / "heading.md").write_text("# Porto Vento" + " " * 100_000 + "news\n\n"
                                         + ARTICLE, encoding="utf-8")
    pipeline = make_pipeline()
    pipeline.ingest([str(tmp_path / "spaces.txt")])  # models warmed up outside the clock
    elapsed = seconds_for(lambda: pipeline.ingest([str(tmp_path / "dots.txt"),
                                                   str(tmp_path / "heading.md")]))
    assert pipeline.store.count("articles") == 3
    assert elapsed < 20  # minutes before (292 s and 125 s)


# --- silent loss ----------------------------------------------------------------------

@posix_only
def test_symlink_loop_does_not_end_the_walk(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    for name in ("a.txt", "z.txt", "sub/m.txt"):
        (tmp_path / name).write_text(f"{ARTICLE} ({name})", encoding="utf-8")
    (tmp_path / "l1").symlink_to(tmp_path / "l2")
    (tmp_path / "l2").symlink_to(tmp_path / "l1")
    (tmp_path / "sub" / "up").symlink_to(tmp_path, target_is_directory=True)
    docs, skips = within(10, lambda: collect([str(tmp_path)]))
    assert sorted(os.path.relpath(d.source, tmp_path) for d in docs) == \
        ["a.txt", "sub/m.txt", "z.txt"]
    reasons = {os.path.relpath(s.source, tmp_path): s.reason for s in skips}
    assert sorted(reasons) == ["l1", "l2", "sub/up"]
    assert all(r.startswith("E041 symbolic link loop") for r in reasons.values())


@posix_only
def test_double_star_glob_does_not_follow_link_loops(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "m.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "sub" / "self").symlink_to(tmp_path / "sub", target_is_directory=True)
    (tmp_path / "sub" / "up").symlink_to(tmp_path, target_is_directory=True)
    docs, skips = within(10, lambda: collect([str(tmp_path / "**" / "*.txt")]))
    assert [os.path.relpath(d.source, tmp_path) for d in docs] == ["sub/m.txt"] and not skips
    docs, skips = within(10, lambda: collect([str(tmp_path / "**")]))
    assert [os.path.relpath(d.source, tmp_path) for d in docs] == ["sub/m.txt"]
    assert sorted(os.path.relpath(s.source, tmp_path) for s in skips) == ["sub/self", "sub/up"]
    assert missing_sources([str(tmp_path / "**" / "*.txt")]) == []


@pytest.mark.parametrize("name", ["deep.jsonl", "deep"])
def test_deeply_nested_json_line_is_skipped_alone(tmp_path: Path, name: str) -> None:
    deep = '{"text": "x", "extra": ' + "[" * 100_000 + "]" * 100_000 + "}"
    lines = [json.dumps({"id": "1", "text": ARTICLE}), deep,
             json.dumps({"id": "3", "text": "Three."})]
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    docs, skips = collect([str(path)])
    assert [d.external_id for d in docs] == ["1", "3"]
    assert [s.source for s in skips] == [f"{path}#line 2"]
    assert skips[0].reason.startswith("E043 nested too deeply")


def test_nul_byte_in_one_json_line(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    path.write_bytes(json.dumps({"id": "1", "text": ARTICLE}).encode() + b"\n"
                     + b'{"id": "2", "text": "a \x00 in the middle"}\n'
                     + json.dumps({"id": "3", "text": "Third record."}).encode() + b"\n")
    docs, skips = collect([str(path)])
    assert [d.external_id for d in docs] == ["1", "3"]
    assert [s.source for s in skips] == [f"{path}#line 2"]
    assert skips[0].reason.startswith("E010 malformed JSON at line 2")


def test_stray_nul_is_not_binary_but_many_are() -> None:
    text = ARTICLE.encode() * 20
    assert binary_kind(text[:500] + b"\x00" + text[500:]) is None
    assert binary_kind(b"abc\x00\x01\x02\x03\xfe\xff\x00\x10" * 10) == "data with NUL bytes"


def test_utf8_with_one_bad_byte_stays_utf8(tmp_path: Path) -> None:
    text = "La città è più bella; perché il sindaco ha già detto così.\n"
    path = tmp_path / "damaged.txt"
    path.write_bytes(text.encode() * 3 + b"Un byte rotto: \xff qui.\n")
    docs, skips = collect([str(path)])
    assert not skips
    assert docs[0].text == text * 3 + "Un byte rotto: \ufffd qui.\n"
    assert decode_bytes("città".encode("latin-1") + b" e basta").text == "città e basta"


# --- guards that leaked -----------------------------------------------------------------

def test_stdin_line_over_the_size_cap_is_skipped() -> None:
    data = (json.dumps({"id": "1", "text": ARTICLE}).encode() + b"\n"
            + json.dumps({"id": "2", "text": "x " * 100_000}).encode() + b"\n"
            + json.dumps({"id": "3", "text": "Third record."}).encode() + b"\n")
    config = settings(max_input_bytes=10_000, fetch_linked_pages=False)
    docs, skips = collect(["-"], stdin=stdin_of(data), config=config)
    assert [d.external_id for d in docs] == ["1", "3"]
    assert [(s.source, s.reason) for s in skips] == [(
        "<stdin>#line 2",
        "E042 record too large: more than max_input_bytes=10000 bytes on one line")]


@posix_only
def test_writer_lock_holds_through_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "news.db"
    link = tmp_path / "alias.db"
    link.symlink_to(real)
    with Store(real):
        with pytest.raises(StoreError, match="another newsweave process is writing"):
            Store(link)
    with Store(link):
        with pytest.raises(StoreError, match="another newsweave process is writing"):
            Store(real)


def small_index(path: Path, count: int = 50) -> VectorIndex:
    index = VectorIndex(path, 8)
    index._index = index._new(count)
    rng = np.random.default_rng(0)
    for article_id in range(1, count + 1):
        vec = rng.normal(size=8).astype(np.float32)
        index.add(article_id, vec / np.linalg.norm(vec))
    return index


def test_failed_index_save_keeps_the_old_index(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "news.db.hnsw"
    small_index(path).save()
    good = path.read_bytes()

    def disk_full(self: VectorIndex, target: Path) -> None:
        target.write_bytes(b"")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def short_write(self: VectorIndex, target: Path) -> None:  # what hnswlib really does
        self._index.save_index(str(target))
        os.truncate(target, target.stat().st_size // 2)

    for writer, message in ((disk_full, "No space left on device"),
                            (short_write, "incomplete")):
        monkeypatch.setattr(VectorIndex, "_write", writer)
        with pytest.raises(StoreError, match=message):
            small_index(path, 80).save()
        assert path.read_bytes() == good
        assert not path.with_name(path.name + ".tmp").exists()


def test_full_disk_is_a_clear_cli_error(tmp_path: Path, monkeypatch) -> None:
    db = tmp_path / "news.db"
    (tmp_path / "one.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "two.txt").write_text("The ferry strike ended on Friday night in Valdoro.",
                                      encoding="utf-8")
    runner = CliRunner()
    first = runner.invoke(main, ["ingest", str(tmp_path / "one.txt"), "--db", str(db),
                                 "--no-progress"])
    assert first.exit_code == 0, first.output
    index = tmp_path / "news.db.hnsw"
    good = index.read_bytes()

    def disk_full(self: VectorIndex, target: Path) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(VectorIndex, "_write", disk_full)
    second = runner.invoke(main, ["ingest", str(tmp_path / "two.txt"), "--db", str(db),
                                  "--no-progress"])
    assert second.exit_code != 0
    assert "cannot save the vector index" in second.output
    assert "No space left on device" in second.output
    assert "Traceback" not in second.output and not isinstance(second.exception, OSError)
    assert index.read_bytes() == good


@pytest.mark.sqlite_only
def test_full_database_is_a_store_error(make_pipeline, tmp_path: Path) -> None:
    pipeline = make_pipeline()
    pipeline.ingest([])  # creates the tables
    pages = pipeline.store.conn.execute("PRAGMA page_count").fetchone()[0]
    pipeline.store.conn.execute(f"PRAGMA max_page_count = {pages}")  # SQLite's "disk full"
    (tmp_path / "a.txt").write_text(ARTICLE * 200, encoding="utf-8")
    with pytest.raises(StoreError, match="database or disk is full"):
        pipeline.ingest([str(tmp_path / "a.txt")])
