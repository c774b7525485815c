"""schemathesis property tests against /openapi.json, on both backends: generated
requests never get a 5xx, and every answer conforms to the schema the document
declares (status codes, content types, bodies). In-process (ASGI), kept short for CI."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable

from newsweave.api import ServeConfig, create_app
from newsweave.errors import FetchError
from newsweave.ingest import Response
from tests.api_helpers import TOKEN, built_db

MAX_EXAMPLES = 12  # per operation, mode and backend: about 30 s per backend
# A cursor is opaque: any string fits its schema, and one that is not a cursor of ours
# is refused with 400. So a schema-valid request may also meet 400, besides the
# statuses schemathesis expects of one by default.
CONFIG = {"checks": {"positive_data_acceptance": {
    "expected-statuses": ["2xx", "400", "401", "403", "404"]}}}


class NoNetwork:
    """The fetcher seam: generated documents given by URL name any host, and a test
    never reaches the network, so every fetch fails as an unreachable host would."""

    def fetch(self, url: str) -> Response:
        raise FetchError(f"{url}: no network in the schema tests")


@pytest.fixture(scope="module", params=("sqlite", "postgres"))
def api_schema(request: pytest.FixtureRequest,
               tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    with built_db(request.param, tmp_path_factory.mktemp("schema"), request) as db:
        app = create_app(ServeConfig(db=db, token=TOKEN), fetcher=NoNetwork())  # type: ignore[arg-type]
        config = schemathesis.config.SchemathesisConfig.from_dict(CONFIG)
        yield schemathesis.openapi.from_asgi("/openapi.json", app, config=config)
        app.state.newsweave.close()


def _operations(schema: object) -> list:
    return [result.ok() for result in schema.get_all_operations()]


def test_the_api_conforms_to_its_openapi_document(api_schema: object) -> None:
    """Each operation in turn, with valid requests and with invalid ones (which must
    get a 4xx problem). schemathesis' pytest plugin does not run on this pytest, so
    hypothesis drives the same cases and checks directly."""
    operations = _operations(api_schema)
    assert len(operations) >= 16
    modes = (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE)
    for operation, mode in itertools.product(operations, modes):
        @given(case=operation.as_strategy(mode))
        @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case: schemathesis.Case) -> None:
            case.call_and_validate()

        try:
            check()
        except Unsatisfiable:
            # an operation without parameters (/health) has no invalid request to make
            assert mode == schemathesis.GenerationMode.NEGATIVE, operation.label
