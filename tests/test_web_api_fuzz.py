"""schemathesis over /api/v1/openapi.json: generated requests never get a server error."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from search_app import create_app
from tests.web_corpus import build

EXAMPLES = 30  # per operation; the whole file runs in well under a minute


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> schemathesis.BaseSchema:
    app = create_app(
        {"TESTING": True, "API_RATE_LIMIT": ""},
        settings=build(tmp_path_factory.mktemp("fuzz") / "data"),
    )
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


def test_api_never_fails_with_server_error(api_schema: schemathesis.BaseSchema) -> None:
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 7
    seen: list[int] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def check(case: schemathesis.Case) -> None:
            response = case.call()
            seen.append(response.status_code)
            assert response.status_code < 500, (case.path, case.query, response.text[:300])
            content_type = {k.lower(): v for k, v in response.headers.items()}["content-type"]
            assert str(content_type).find("application/json") >= 0, content_type

        check()
    assert 200 in seen and 400 in seen
