"""The REST API on both backends: endpoints, pages, problems, the token, the writer,
offline docs, CORS, and a real uvicorn server on loopback."""

from __future__ import annotations

import base64
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from newsweave.api import ServeConfig, create_app
from tests.api_helpers import TOKEN, built_db

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module", params=("sqlite", "postgres"))
def db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
       ) -> Iterator[str]:
    with built_db(request.param, tmp_path_factory.mktemp("rest"), request) as location:
        yield location


@pytest.fixture(scope="module")
def client(db: str) -> Iterator[TestClient]:
    with TestClient(create_app(ServeConfig(db=db, token=TOKEN))) as c:
        yield c


def _problem(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    assert "Traceback" not in response.text
    return body


def test_read_endpoints(client: TestClient) -> None:
    assert client.get("/health").json()["writes"] is True
    assert client.get("/stats").json()["articles"] == 7
    stories = client.get("/stories").json()
    assert stories["next_cursor"] is None and stories["items"]
    sid = stories["items"][0]["id"]
    story = client.get(f"/stories/{sid}").json()
    for part in ("timeline", "quotes", "claims"):
        assert client.get(f"/stories/{sid}/{part}").json() == story[part]
    article = client.get("/articles/1").json()
    assert article["text"] and article["id"] == 1
    entity = client.get("/entities", params={"limit": 1}).json()["items"][0]
    assert client.get(f"/entities/{entity['id']}").json()["name"] == entity["name"]
    assert client.get("/places").status_code == 200
    assert client.get("/skipped").json()["items"][0]["reason"].startswith("E001")
    assert client.get("/quotes").status_code == 200
    assert client.get("/claims", params={"status": "single"}).status_code == 200


@pytest.mark.parametrize("listing", ["articles", "stories", "entities", "places", "quotes",
                                     "claims", "skipped"])
def test_cursor_pages_cover_the_listing_once(client: TestClient, listing: str) -> None:
    whole = client.get(f"/{listing}", params={"limit": 1000}).json()["items"]
    seen, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = client.get(f"/{listing}", params=params).json()
        seen += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == whole


def _cursor(*values: object) -> str:
    raw = json.dumps(list(values)).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize("params", [
    {"cursor": "not a cursor"},
    {"cursor": _cursor("stories", 1, 0, 1)},          # another listing's
    {"cursor": _cursor("articles", "x\u0000", 1)},    # NUL in a key
    {"cursor": _cursor("articles", 10 ** 30, 1)},     # beyond 64 bits
    {"cursor": _cursor("articles", 1)},               # too few keys
    {"cursor": "' OR 1=1 --"},
])
def test_bad_cursors_are_400_problems(client: TestClient, params: dict) -> None:
    assert "cursor" in _problem(client.get("/articles", params=params), 400)["detail"]


@pytest.mark.parametrize(("url", "params"), [
    ("/articles", {"limit": 0}),
    ("/articles", {"limit": 10 ** 6}),
    ("/articles", {"limit": "ten"}),
    ("/articles", {"story": 2 ** 70}),
    ("/articles", {"lang": "x" * 10_000}),
    ("/articles", {"cursor": "A" * 10_000}),
    ("/entities", {"type": "PERSON"}),
    ("/claims", {"status": "true"}),
    ("/stories", {"min_size": -1}),
    ("/articles/abc", {}),
    ("/articles/0", {}),
    ("/stories/99999999999999999999999", {}),
])
def test_bad_parameters_are_422_problems(client: TestClient, url: str, params: dict) -> None:
    body = _problem(client.get(url, params=params), 422)
    assert body["errors"] and "x" * 100 not in json.dumps(body)  # the input is not echoed


@pytest.mark.parametrize("value", ["' OR 1=1 --", "it'; DROP TABLE articles; --",
                                   "\" OR \"\"=\"", "NEAR(a b)", "*", "-", ":", "(", "it\x00"])
def test_injection_and_syntax_strings_are_refused(client: TestClient, value: str) -> None:
    _problem(client.get("/articles", params={"lang": value}), 422)
    assert client.get("/stats").json()["articles"] == 7


@pytest.mark.parametrize(("url", "params"), [
    ("/search", {"q": "harbour", "source": "a\x00b"}),
    ("/facets", {"q": "harbour", "source": "\x00"}),
    ("/search/stories", {"q": "harbour", "source": "x,\x00"}),
])
def test_a_nul_in_a_text_filter_is_a_400_problem(client: TestClient, url: str,
                                                 params: dict) -> None:
    body = _problem(client.get(url, params=params), 400)
    assert "NUL character" in body["detail"] and body["type"].endswith("invalid-parameter")


def test_a_well_formed_language_that_is_not_there_is_an_empty_page(client: TestClient) -> None:
    assert client.get("/articles", params={"lang": "xx"}).json() == {"items": [],
                                                                      "next_cursor": None}
    assert client.get("/articles", params={"lang": "it"}).json()["items"]


@pytest.mark.parametrize("url", ["/articles/999999", "/stories/999999",
                                 "/stories/999999/timeline", "/stories/999999/quotes",
                                 "/stories/999999/claims", "/entities/999999", "/nowhere"])
def test_missing_records_are_404_problems(client: TestClient, url: str) -> None:
    _problem(client.get(url), 404)


def test_openapi_declares_problems_and_docs_are_served_locally(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    assert "Problem" in doc["components"]["schemas"]
    for path, item in doc["paths"].items():
        for operation in item.values():
            for status, response in operation["responses"].items():
                if status.startswith(("4", "5")):
                    assert PROBLEM in response["content"], (path, status)
    page = client.get("/docs").text
    assert "cdn" not in page.lower() and "/docs/static/swagger-ui-bundle.js" in page
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js"):
        assert client.get(f"/docs/static/{asset}").status_code == 200
    assert "cdn" not in client.get("/redoc").text.lower()


def test_ingest_needs_the_token(client: TestClient) -> None:
    doc = {"documents": [{"text": "A short text that is long enough to be kept."}]}
    body = _problem(client.post("/ingest", json=doc), 401)
    assert "Bearer" in body["detail"]
    wrong = client.post("/ingest", json=doc, headers={"Authorization": "Bearer nope"})
    assert _problem(wrong, 401) and wrong.headers["www-authenticate"] == "Bearer"
    assert client.get("/stats").json()["articles"] == 7


def test_ingest_writes_through_the_writer(db: str, client: TestClient) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    text = ("Der Hafen von Kessmark bleibt nach dem Sturm bis Freitag gesperrt, teilte die "
            "Hafenbehörde am Dienstag mit.")
    bad = client.post("/ingest", json={"documents": [{"title": "no text"}]}, headers=auth)
    _problem(bad, 422)
    _problem(client.post("/ingest", json={"documents": []}, headers=auth), 422)
    undated = {"documents": [{"text": text, "published": "last Tuesday"}]}
    assert "published" in _problem(client.post("/ingest", json=undated, headers=auth),
                                   422)["detail"]
    report = client.post("/ingest", headers=auth, json={"documents": [
        {"id": "api-1", "text": text, "lang": "de", "published": "2026-02-03"},
        {"id": "api-2", "text": "   "}]}).json()
    assert report["new"] == 1 and report["skipped"][0]["source"] == "<api>#line 2"
    articles = client.get("/articles", params={"limit": 1000}).json()["items"]
    assert articles[-1]["source"] == "<api>" and articles[-1]["external_id"] == "api-1"


def test_too_many_documents_is_413(db: str) -> None:
    app = create_app(ServeConfig(db=db, token=TOKEN, max_records=2))
    with TestClient(app) as c:
        docs = {"documents": [{"text": "t"}] * 3}
        _problem(c.post("/ingest", json=docs, headers={"Authorization": f"Bearer {TOKEN}"}),
                 413)


@pytest.mark.parametrize(("config", "kind"), [
    ({"token": ""}, "writes-disabled"), ({"token": TOKEN, "read_only": True}, "read-only")])
def test_no_token_or_read_only_means_no_writes(db: str, config: dict, kind: str) -> None:
    with TestClient(create_app(ServeConfig(db=db, **config))) as c:
        assert c.get("/health").json()["writes"] is False
        response = c.post("/ingest", json={"documents": [{"text": "x"}]},
                          headers={"Authorization": f"Bearer {TOKEN}"})
        assert _problem(response, 403)["type"].endswith(kind)


def test_cors_origins_are_configurable(db: str) -> None:
    config = ServeConfig(db=db, cors_origins=("https://news.example",))
    with TestClient(create_app(config)) as c:
        ok = c.get("/stats", headers={"Origin": "https://news.example"})
        assert ok.headers["access-control-allow-origin"] == "https://news.example"
        other = c.get("/stats", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers
    with TestClient(create_app(ServeConfig(db=db))) as c:
        plain = c.get("/stats", headers={"Origin": "https://news.example"})
        assert "access-control-allow-origin" not in plain.headers


def test_a_missing_database_is_a_503_problem(tmp_path: Path) -> None:
    with TestClient(create_app(ServeConfig(db=str(tmp_path / "none.db")))) as c:
        assert c.get("/health").status_code == 200
        assert "no database" in _problem(c.get("/stats"), 503)["detail"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_real_server_on_loopback_answers_concurrent_readers(db: str) -> None:
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(ServeConfig(db=db)), host="127.0.0.1",
                                           port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        results: list[int] = []

        def read() -> None:
            with httpx.Client(base_url=base, timeout=30) as http:
                for url in ("/stories", "/articles", "/entities", "/stats"):
                    results.append(http.get(url).status_code)

        readers = [threading.Thread(target=read) for _ in range(8)]
        for r in readers:
            r.start()
        for r in readers:
            r.join()
        assert results == [200] * 32
    finally:
        server.should_exit = True
        thread.join(timeout=20)


@pytest.mark.parametrize(("args", "code", "message"), [
    (["--db", "missing.db"], 1, "no database at missing.db"),
    (["--db", "missing.db", "--token-env", "NEWSWEAVE_TEST_UNSET_TOKEN"], 2, "not set"),
    (["--db", "missing.db", "--set", "api_token=x"], 2, "not on the command line"),
    (["--db", "missing.db", "--set", "api_max_records=0"], 1, "must be positive"),
])
def test_serve_refuses_bad_options_before_starting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   args: list[str], code: int,
                                                   message: str) -> None:
    from click.testing import CliRunner

    from newsweave.cli import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEWSWEAVE_API_TOKEN", raising=False)
    monkeypatch.delenv("NEWSWEAVE_TEST_UNSET_TOKEN", raising=False)
    result = CliRunner().invoke(main, ["serve", *args])
    assert result.exit_code == code and message in result.output, result.output
    assert "Traceback" not in result.output and not (tmp_path / "missing.db").exists()


def test_every_route_is_documented(tmp_path: Path) -> None:
    import re

    text = (Path(__file__).resolve().parents[1] / "docs" / "api.md").read_text("utf-8")
    documented = {re.sub(r"\{\w+\}", "{}", p) for p in re.findall(r"`(?:GET|POST) ([^`?]+)",
                                                                    text)}
    app = create_app(ServeConfig(db=str(tmp_path / "none.db")))
    for path in app.openapi()["paths"]:
        assert re.sub(r"\{\w+\}", "{}", path) in documented, f"docs/api.md lacks {path}"
