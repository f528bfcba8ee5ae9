"""Schemathesis against the real app: bodies the OpenAPI document calls invalid (negative
generation, including text that breaks the declared no-control-characters pattern) are all
refused, and a filter for any agreement answers only what the document declares."""

from __future__ import annotations

from typing import Any

import pytest
from schemathesis import GenerationMode
from schemathesis.checks import negative_data_rejection, not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from readmit.agreements.models import DiplomaticContact
from tests.exchange.test_schemathesis import schema  # noqa: F401
from tests.factories import make_agreement


def _run(strategy: Any, token: str, checks: list[Any]) -> int:
    from hypothesis import HealthCheck, given, settings

    sent = []

    @given(case=strategy)
    @settings(
        max_examples=30,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: Any) -> None:
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=checks)
        sent.append(case)

    check()
    return len(sent)


def test_bodies_the_document_calls_invalid_are_refused_and_write_nothing(
    schema,  # noqa: F811
    api,
    world,
):
    operation = schema["/api/v1/agreements/{id}/contacts"]["POST"]
    strategy = operation.as_strategy(
        GenerationMode.NEGATIVE, path_parameters={"id": str(world.agreement.id)}
    )
    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
        negative_data_rejection,
    ]
    assert _run(strategy, api.token(world.user("us_liaison")), checks) > 0
    assert DiplomaticContact.objects.count() == 0


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_case_list_filters_answer_only_declared_statuses(schema, api, world, mode):  # noqa: F811
    make_agreement(world.xk, world.me)
    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]
    strategy = schema["/api/v1/cases"]["GET"].as_strategy(mode)
    assert _run(strategy, api.token(world.user("us_caseworker")), checks) > 0
