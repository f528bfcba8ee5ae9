"""Property-based requests generated from our own OpenAPI document, against the real app."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import make_agreement, make_case

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def schema(world):
    """The real WSGI handler. Like Django's test client, keep its request signals from closing
    the database connection: on PostgreSQL that would end the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def run(strategy: Any, token: str) -> int:
    """Send up to 25 generated requests (deterministic); answers how many were sent."""
    sent = []

    @given(case=strategy)
    @settings(
        max_examples=25,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: Any) -> None:
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
        sent.append(case)

    check()
    return len(sent)


@pytest.mark.parametrize(
    "path", ["/api/v1/agreements", "/api/v1/agreements/{id}", "/api/v1/cases", "/api/v1/cases/{id}"]
)
def test_generated_requests_to_read_endpoints_conform_and_never_fail_on_the_server(
    schema, api, world, path
):
    make_agreement(
        world.us,
        world.xk,
        kind="readmission",
        terms={"time_limits": {"reply": {"amount": 12, "unit": "calendar_days"}}},
    )
    make_case(world.agreement, birth_year=1990, birth_month=4)
    assert run(schema[path]["GET"].as_strategy(), api.token(world.user("xk_caseworker"))) > 0


@pytest.mark.parametrize(
    ("path", "target"), [("/api/v1/agreements/{id}", "agreement"), ("/api/v1/cases/{id}", "case")]
)
def test_generated_requests_for_a_real_record_conform_and_never_fail_on_the_server(
    schema, api, world, path, target
):
    case = make_case(world.agreement)
    record_id = world.agreement.id if target == "agreement" else case.id
    strategy = schema[path]["GET"].as_strategy(path_parameters={"id": str(record_id)})
    assert run(strategy, api.token(world.user("xk_caseworker"))) > 0


@pytest.mark.parametrize(
    "record",
    ["person", "evidence", "attachments", "deadlines", "transfer-plans", "stays", "duplicates"],
)
def test_generated_requests_for_a_cases_records_conform_and_never_fail_on_the_server(
    schema, api, world, record
):
    case = make_case(world.agreement)
    strategy = schema[f"/api/v1/cases/{{id}}/{record}"]["GET"].as_strategy(
        path_parameters={"id": str(case.id)}
    )
    assert run(strategy, api.token(world.user("xk_caseworker"))) > 0
