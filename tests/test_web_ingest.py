"""The ingest page over TestClient: the form, CSRF and the write token checked before
anything is read, size limits, uploads read into documents through the one writer,
the job's status and its report with every skip and its reason, and the page of a
server that takes no writes."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsweave.api import ServeConfig, create_app
from newsweave.web.pages.ingest import prepare
from tests.api_helpers import TOKEN

DATA = Path(__file__).resolve().parent / "data" / "pipeline"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    db = str(tmp_path_factory.mktemp("webingest") / "w.db")
    with TestClient(create_app(ServeConfig(db=db, token=TOKEN))) as c:
        yield c


def csrf(client: TestClient) -> str:
    """The form's CSRF token (the GET sets its cookie)."""
    page = client.get("/ui/ingest")
    assert page.status_code == 200
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def wait(client: TestClient, location: str, seconds: float = 300) -> dict:
    deadline = time.monotonic() + seconds
    while True:
        status = client.get(location + "/status").json()
        if status["state"] in ("done", "failed") or time.monotonic() > deadline:
            return status
        time.sleep(0.2)


def post(client: TestClient, token: str = TOKEN, csrf_token: str | None = None,
         files: list | None = None, urls: str = "", **kw: object):
    data = {"token": token, "urls": urls}
    if csrf_token is not None:
        data["csrf_token"] = csrf_token
    return client.post("/ui/ingest", data=data, files=files or [("files", ("", b""))],
                       follow_redirects=False, **kw)


def test_the_form_has_a_password_field_and_a_csrf_token(client: TestClient) -> None:
    page = client.get("/ui/ingest").text
    assert 'type="password"' in page and 'name="csrf_token"' in page
    assert 'type="file" multiple' in page and "<textarea" in page


def test_a_post_without_the_csrf_token_is_refused(client: TestClient) -> None:
    csrf(client)
    r = post(client, files=[("files", ("a.txt", b"Some text " * 20))])
    assert r.status_code == 403 and "security token does not match" in r.text


def test_a_post_from_another_origin_is_refused(client: TestClient) -> None:
    token = csrf(client)
    r = post(client, csrf_token=token, files=[("files", ("a.txt", b"Some text " * 20))],
             headers={"origin": "https://evil.example"})
    assert r.status_code == 403 and "sent from another site" in r.text


def test_a_wrong_token_is_refused(client: TestClient) -> None:
    r = post(client, token="not-it", csrf_token=csrf(client),
             files=[("files", ("a.txt", b"Some text " * 20))])
    assert r.status_code == 401 and "not the server&#39;s write token" in r.text


def test_nothing_to_ingest_says_what_to_give(client: TestClient) -> None:
    r = post(client, csrf_token=csrf(client))
    assert r.status_code == 400 and "choose files to upload or paste URLs" in r.text


def test_an_upload_over_the_size_limit_is_refused(client: TestClient,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSWEAVE_MAX_INPUT_BYTES", "2000")
    r = post(client, csrf_token=csrf(client), files=[("files", ("big.txt", b"x" * 1_100_000))])
    assert r.status_code == 413 and "setting max_input_bytes" in r.text


def test_files_are_ingested_with_a_report_of_every_skip(client: TestClient) -> None:
    files = [("files", (p.name, p.read_bytes())) for p in sorted(DATA.glob("harbour_*.txt"))]
    files += [("files", ("empty.txt", b"   \n")),
              ("files", ("logo.png", b"\x89PNG\r\n\x1a\n" + bytes(64)))]
    r = post(client, csrf_token=csrf(client), files=files, urls="ftp://files.example/x\n")
    assert r.status_code == 303, r.text
    location = r.headers["location"]
    status = wait(client, location)
    assert status["state"] == "done", status
    report = status["report"]
    assert report["new"] == 3 and report["exact_duplicates"] + report["unchanged"] == 1, report
    reasons = {s["source"]: s["reason"] for s in report["skipped"]}
    assert reasons["upload:empty.txt"].startswith("E001")
    assert "upload:logo.png" in reasons and "ftp://files.example/x" in reasons
    page = client.get(location).text
    assert "Ingest finished" in page and "Skipped, and why" in page
    assert "upload:logo.png" in unescape(page)
    assert client.get("/ui/search", params={"q": "Brisola"}).text.count('class="hit"') >= 3


ARABIC = {"id": "ar-1", "title": "عاصفة تغمر ميناء بريزولا القديم", "lang": "ar",
          "published": "2026-11-30",
          "text": "غمرت عاصفة بحرية ميناء بريزولا القديم ليلة الاثنين، وتضررت أربعون سفينة "
                  "صيد، واضطر مئتا ساكن إلى مغادرة منازلهم. وقالت رئيسة البلدية إن الجدار "
                  "البحري الذي بني عام 1978 قد غمرته المياه لأول مرة."}


def test_a_json_lines_upload_in_arabic_reads_right_to_left(client: TestClient) -> None:
    import json

    body = (json.dumps(ARABIC, ensure_ascii=False) + "\n").encode()
    r = post(client, csrf_token=csrf(client), files=[("files", ("news.jsonl", body))])
    assert r.status_code == 303, r.text
    assert wait(client, r.headers["location"])["report"]["new"] == 1
    page = client.get("/ui/search", params={"q": "بريزولا", "lang": "ar"}).text
    assert page.count('class="hit"') == 1
    assert 'lang="ar" dir="rtl">عاصفة تغمر ميناء بريزولا القديم</a>' in page
    assert '<p class="snippet" lang="ar" dir="rtl">' in page and "<mark>بريزولا</mark>" in page


def test_an_unknown_job_is_a_404_page(client: TestClient) -> None:
    r = client.get("/ui/ingest/jobs/nosuchjob")
    assert r.status_code == 404 and "no ingest job" in r.text


def test_documents_beyond_the_limit_are_skipped_with_the_reason() -> None:
    docs, skipped, inputs = prepare([], "https://a.example/1\nhttps://a.example/2\n"
                                        "https://a.example/3\n", 10_000, 2)
    assert docs == [{"url": "https://a.example/1"}, {"url": "https://a.example/2"}]
    assert skipped == [{"source": "https://a.example/3", "reason": "one ingest from this "
                        "page takes at most 2 documents (setting api_max_records)"}]
    assert len(inputs) == 3


@pytest.mark.parametrize("config", [{"token": ""}, {"token": TOKEN, "read_only": True}])
def test_a_server_without_writes_says_how_to_enable_them(tmp_path: Path, config: dict) -> None:
    db = str(tmp_path / "ro.db")
    with TestClient(create_app(ServeConfig(db=db, **config))) as c:
        from newsweave.store.open import open_store
        open_store(db).close()
        page = c.get("/ui/ingest")
        assert page.status_code == 200 and "This server takes no writes" in page.text
        assert ("NEWSWEAVE_API_TOKEN" in page.text) == (not config["token"])
        assert 'type="password"' not in page.text
        token = re.search(r"nw_csrf=([^;]+)", page.headers["set-cookie"]).group(1)
        r = post(c, csrf_token=token, files=[("files", ("a.txt", b"Some text " * 20))])
        assert r.status_code == 403


ARTICLE = (b"<html><head><title>Ferry service resumes to Isola Verde</title></head><body>"
           b"<article><h1>Ferry service resumes to Isola Verde</h1><p>The ferry between "
           b"Porto Lume and Isola Verde sailed again on Tuesday after three weeks of repairs "
           b"to the landing stage, the harbour office said. Islanders had relied on fishing "
           b"boats for supplies while the pier was rebuilt with new timber piles.</p>"
           b"</article></body></html>")


@pytest.fixture()
def article_server() -> Iterator[str]:
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server name
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(ARTICLE)))
            self.end_headers()
            self.wfile.write(ARTICLE)

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/ferry.html"
    finally:
        server.shutdown()
        server.server_close()


def test_a_pasted_url_is_fetched_and_ingested(tmp_path: Path, article_server: str,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSWEAVE_FETCH_ALLOW_HOSTS", "127.0.0.1")
    monkeypatch.setenv("NEWSWEAVE_FETCH_LINKED_PAGES", "false")
    with TestClient(create_app(ServeConfig(db=str(tmp_path / "u.db"), token=TOKEN))) as c:
        r = post(c, csrf_token=csrf(c), urls=f"{article_server}\n")
        assert r.status_code == 303, r.text
        status = wait(c, r.headers["location"])
        assert status["state"] == "done" and status["report"]["new"] == 1, status
