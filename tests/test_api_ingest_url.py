"""Documents given by URL alone, through ``POST /ingest`` and ``nw.ingest``: fetched by
the writer as ``newsweave ingest URL`` fetches (the safe fetcher, its settings, its
skip reasons), on both backends, from a loopback server the test starts. Loopback is
not public: it is fetched only where ``fetch_allow_hosts`` names it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

import newsweave
from newsweave.api import ServeConfig, create_app
from tests.api_helpers import TOKEN, built_db
from tests.ingest_helpers import LocalServer, Route, article_html, local_server

pytestmark = pytest.mark.network

AUTH = {"Authorization": f"Bearer {TOKEN}"}
ALLOW = {"fetch_allow_hosts": "127.0.0.1"}
REFUSED = ("E044 URL refused: 127.0.0.1 is a loopback address; only public addresses are "
           "fetched unless the setting fetch_allow_hosts names the host or its network")
HARBOUR = ("The harbour of Kessmark stays closed after the storm until Friday, the port "
           "authority said on Tuesday, and ferries will sail from Orlen instead.")
BRIDGE = ("Road crews in Tollbury began repairing the old stone bridge over the Wend on "
          "Monday; the council expects traffic to return by the end of next month.")
ORCHARD = ("Apple growers around Hallin reported the smallest harvest in twenty years, "
           "blaming a late frost in April that killed most of the blossom.")
LOCK = ("Die Schleuse von Varnow ist nach der Reparatur wieder geöffnet, teilte das "
        "Wasserstraßenamt am Mittwoch mit; die ersten Frachter passierten am Abend.")


@pytest.fixture(scope="module", params=("sqlite", "postgres"))
def db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
       ) -> Iterator[str]:
    with built_db(request.param, tmp_path_factory.mktemp("url"), request) as location:
        yield location


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    routes = {"/ferries": Route(article_html("Ferries sail from Orlen").encode()),
              "/lock": Route(article_html("Schleuse wieder offen", paragraphs=[LOCK]).encode()),
              "/secret": Route(article_html("Internal memo").encode())}
    with local_server(routes) as running:
        yield running


def _post(client: TestClient, *documents: dict) -> dict:
    response = client.post("/ingest", json={"documents": list(documents)}, headers=AUTH)
    assert response.status_code == 200, response.text
    return response.json()


def _article_by_source(client: TestClient, source: str) -> dict:
    items = client.get("/articles", params={"limit": 1000}).json()["items"]
    found = [a for a in items if a["source"] == source]
    assert len(found) == 1, [a["source"] for a in items]
    return client.get(f"/articles/{found[0]['id']}").json()


def test_an_allowed_url_is_fetched_by_the_writer(db: str, server: LocalServer) -> None:
    before = list(server.requested)
    config = ServeConfig(db=db, token=TOKEN, flags=ALLOW)  # as `serve --set` gives them
    with TestClient(create_app(config)) as client:
        url = server.url("/ferries")
        report = _post(client, {"url": url}, {"id": "u-text", "text": HARBOUR, "lang": "en"})
        assert report["new"] == 2 and report["skipped"] == []
        fetched = _article_by_source(client, url)
        assert "Porto Vento" in fetched["text"] and fetched["title"] == "Ferries sail from Orlen"
        # the fields given with the URL replace what the page states
        lock = server.url("/lock")
        report = _post(client, {"url": lock, "id": "lock-1", "published": "2026-03-04",
                                "source": "Varnow Bote", "lang": "de"})
        article = _article_by_source(client, lock)
        assert report["new"] == 1 and article["external_id"] == "lock-1"
        assert article["published"].startswith("2026-03-04") and article["lang"] == "de"
        assert "Frachter" in article["text"]
    assert server.requested[len(before):] == ["/ferries", "/lock"]


def test_a_refused_url_is_skipped_and_the_batch_goes_on(db: str, server: LocalServer) -> None:
    before = list(server.requested)
    with TestClient(create_app(ServeConfig(db=db, token=TOKEN))) as client:
        url = server.url("/secret")
        report = _post(client, {"url": url}, {"id": "after", "text": BRIDGE, "lang": "en"})
        assert report["new"] == 1
        assert report["skipped"] == [{"source": url, "reason": REFUSED}]
        skipped = client.get("/skipped").json()["items"]
        assert {"source": url, "reason": REFUSED} in skipped
    assert server.requested == before  # never connected to


@pytest.mark.parametrize("document", [
    {"url": "ftp://127.0.0.1/etc/passwd"}, {"url": "/etc/passwd"}, {"url": "file:///etc/x"},
    {"title": "neither text nor url"}, {"url": "http://"}, {"text": "", "url": "http://x.y"}])
def test_a_document_without_text_needs_an_http_url(db: str, document: dict) -> None:
    with TestClient(create_app(ServeConfig(db=db, token=TOKEN))) as client:
        response = client.post("/ingest", json={"documents": [document]}, headers=AUTH)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"


def test_a_url_beside_a_text_is_kept_not_fetched(db: str, server: LocalServer) -> None:
    with TestClient(create_app(ServeConfig(db=db, token=TOKEN, flags=ALLOW))) as client:
        report = _post(client, {"text": ORCHARD, "url": server.url("/secret"), "lang": "en"})
        assert report["new"] == 1
    assert "/secret" not in server.requested


def test_the_openapi_document_offers_both_kinds_of_document(db: str) -> None:
    with TestClient(create_app(ServeConfig(db=db))) as client:
        doc = client.get("/openapi.json").json()
    schemas = doc["components"]["schemas"]
    items = schemas["IngestRequest"]["properties"]["documents"]["items"]
    assert {ref["$ref"].rsplit("/", 1)[1] for ref in items["anyOf"]} == {"Document",
                                                                        "UrlDocument"}
    assert schemas["UrlDocument"]["required"] == ["url"]
    assert "text" not in schemas["UrlDocument"]["properties"]


def test_python_api_fetches_urls_and_url_records(backend: str, new_db,
                                                 server: LocalServer) -> None:
    db = new_db("pyurl.db")
    url, lock = server.url("/ferries"), server.url("/lock")
    with newsweave.open(db, settings={"fetch_linked_pages": False}) as nw:
        refused = nw.ingest([url, {"url": lock}])
        assert refused["new"] == 0
        assert refused["skipped"] == [{"source": url, "reason": REFUSED},
                                      {"source": lock, "reason": REFUSED}]
    with newsweave.open(db, settings=ALLOW) as nw:
        report = nw.ingest([url, {"url": lock, "id": "lk", "lang": "de"},
                            {"id": "t", "text": HARBOUR, "lang": "en"}])
        assert report["new"] == 3 and report["skipped"] == []
        sources = {a["source"]: a for a in nw.articles()}
        assert set(sources) == {url, lock, "<records>"}
        assert sources[lock]["external_id"] == "lk"


def test_a_malformed_url_is_a_skip_not_a_crash(backend: str, new_db) -> None:
    with newsweave.open(new_db("bad.db"), settings={"fetch_linked_pages": False}) as nw:
        report = nw.ingest([{"url": "http://[oops/x"}])
    assert report["new"] == 0
    assert report["skipped"][0]["source"] == "http://[oops/x"
    assert report["skipped"][0]["reason"].startswith("E014 could not fetch URL: invalid URL")


def test_the_writer_reads_serve_set_values() -> None:
    from newsweave.settings import Settings

    config = ServeConfig.from_settings("x.db", Settings(ALLOW, environ={}), flags=ALLOW)
    assert config.flags == ALLOW
