"""Search over the REST API and the Python API, on both backends: the same results as
``newsweave search --json --page``, facets, story ranking, filters and bad queries."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

import newsweave
from newsweave.api import ServeConfig, create_app
from newsweave.cli import main
from newsweave.service.search import SearchError
from tests.api_helpers import built_db

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module", params=("sqlite", "postgres"))
def db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
       ) -> Iterator[str]:
    with built_db(request.param, tmp_path_factory.mktemp("search"), request) as location:
        yield location


@pytest.fixture(scope="module")
def client(db: str) -> Iterator[TestClient]:
    with TestClient(create_app(ServeConfig(db=db))) as c:
        yield c


def _cli(db: str, *args: str) -> dict:
    result = CliRunner().invoke(main, ["search", *args, "--db", db, "--json", "--page"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_rest_python_and_cli_give_the_same_results(db: str, client: TestClient) -> None:
    query = "storm floods the old harbour"
    response = client.get("/search", params={"q": query, "limit": 5})
    assert response.status_code == 200, response.text
    body = response.json()
    with newsweave.open(db, readonly=True) as nw:
        assert nw.search(query, limit=5) == body == _cli(db, query, "--limit", "5")
    hits = body["items"]
    assert {h["lang"] for h in hits[:4]} >= {"it", "de", "en"}  # the harbour story, any language
    assert all(set(h) >= {"article_id", "story", "title", "lang", "score", "snippet"}
               for h in hits)
    assert body["facets"]["lang"] and body["total"] >= len(hits)


def test_a_name_finds_its_article_first(client: TestClient) -> None:
    hits = client.get("/search", params={"q": "Quiroga"}).json()["items"]
    assert hits and hits[0]["lang"] == "es" and "<mark>Quiroga</mark>" in hits[0]["snippet"]


def test_filters_stories_and_facets(client: TestClient) -> None:
    italian = client.get("/search", params={"q": "harbour storm", "lang": "it"}).json()
    assert italian["items"] and {h["lang"] for h in italian["items"]} == {"it"}
    stories = client.get("/search/stories", params={"q": "harbour storm"}).json()
    assert stories["items"][0]["size"] >= 3 and stories["items"][0]["articles"]
    facets = client.get("/facets", params={"q": "harbour storm"}).json()
    assert set(facets) >= {"lang", "source", "story", "entity", "country"}
    assert sum(f["count"] for f in facets["lang"]) >= 3


@pytest.mark.parametrize("params", [{"q": "x" * 1001}, {"q": "storm", "date_from": "2024-13"},
                                    {"q": "storm", "place": "nowhere at all"},
                                    {"q": "storm", "cursor": "not-a-cursor"}])
def test_bad_searches_are_400_problems(client: TestClient, params: dict) -> None:
    response = client.get("/search", params=params)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == PROBLEM and "Traceback" not in response.text


@pytest.mark.parametrize("q", ["", "\" * NEAR - : (", "'; DROP TABLE articles; --"])
def test_syntax_and_injection_strings_are_plain_words(client: TestClient, q: str) -> None:
    response = client.get("/search", params={"q": q})
    assert response.status_code == 200, response.text
    assert isinstance(response.json()["items"], list)


def test_a_query_too_long_for_the_schema_is_a_422(client: TestClient) -> None:
    response = client.get("/search", params={"q": "x" * 10_001})
    assert response.status_code == 422 and response.headers["content-type"] == PROBLEM


def test_python_search_refuses_unknown_filters(db: str) -> None:
    with newsweave.open(db, readonly=True) as nw, pytest.raises(SearchError, match="colour"):
        nw.search("storm", colour="red")
    with newsweave.open(db, readonly=True) as nw:
        assert nw.search("Quiroga", vectors=False)["items"][0]["lang"] == "es"
