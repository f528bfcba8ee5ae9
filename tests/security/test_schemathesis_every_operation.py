"""Schemathesis with authentication over EVERY operation of /api/v1/openapi.json, with every
check schemathesis has (the CLI's ``--checks all``), in both generation modes.

The operations are read from our own OpenAPI document when the tests are collected, so an
endpoint added to the API is walked without anyone touching this file. Path ids are filled
with real records of the world where the path names one (so the generated bodies reach the
rules, not just the 404), and left to schemathesis otherwise. A few examples per operation
and mode keep the whole walk within minutes on CI.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS, load_all_checks

from readmit.accounts.roles import Role
from tests.consular.conftest import Consular, consular, consular_terms  # noqa: F401
from tests.exchange.test_schemathesis import schema  # noqa: F401
from tests.factories import make_case, make_user

# A few per operation and mode on CI; more locally with READMIT_SCHEMATHESIS_EXAMPLES=50.
EXAMPLES = int(os.environ.get("READMIT_SCHEMATHESIS_EXAMPLES", "6"))

load_all_checks()
# Every check schemathesis registers, as ``--checks all`` does, except the two that assert
# what this walk cannot promise, said once here:
# - positive_data_acceptance expects a 2xx for every body the document allows; a body can be
#   well formed and still be refused by a rule (409: quota, capacity, workflow state; 404:
#   a generated id of a record that does not exist).
# - object_level_authorization needs two users' requests for the same object in one run (the
#   stateful mode); tenancy is tested by the party/role tests of every endpoint instead.
EXCLUDED = {"positive_data_acceptance", "object_level_authorization"}
ALL_CHECKS = [check for check in CHECKS.get_all() if check.__name__ not in EXCLUDED]


def _operations() -> list[tuple[str, str]]:
    from readmit.exchange.api import api

    document = api.get_openapi_schema(path_prefix="/api/v1/")
    return sorted(
        (path, method.upper())
        for path, operations in document["paths"].items()
        for method in operations
    )


OPERATIONS = _operations()


def test_the_walk_covers_every_operation_of_the_document(client):
    document = client.get("/api/v1/openapi.json").json()
    published = {(p, m.upper()) for p, ops in document["paths"].items() for m in ops}
    assert published == set(OPERATIONS)
    assert len(OPERATIONS) > 40
    assert {
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
        "response_headers_conformance",
        "negative_data_rejection",
        "use_after_free",
        "ensure_resource_availability",
        "ignored_auth",
    } <= {check.__name__ for check in ALL_CHECKS}


@pytest.fixture
def records(world, consular: Consular) -> dict[str, str]:  # noqa: F811
    """Real records named by the first id in a path, by the path's first segment."""
    from readmit.agreements.services import amendment_propose
    from readmit.consular.services import consular_request_create
    from readmit.events.services import subscription_create

    case = make_case(world.agreement)
    sender = world.user("us_supervisor")
    proposal = amendment_propose(
        agreement=world.agreement,
        changes={"max_stay_days": 200},
        valid_from=dt.datetime(2030, 1, 1, tzinfo=dt.UTC),
        reason="A generated walk needs one proposal.",
        acting_user=sender,
    )
    routed = consular_request_create(
        acting_user=world.user("us_caseworker"),
        kind="travel_document",
        requester="sending_state",
        residence_region="US-NY",
        case_id=consular.case.id,
        details="For the walk.",
    )
    subscription, _ = subscription_create(
        organisation_id=world.us.id,
        url="https://partner.example.org/hook",
        event_types=["case.created"],
        acting_user=world.user("us_administrator"),
    )
    return {
        "agreements": str(world.agreement.id),
        "cases": str(case.id),
        "consular-requests": str(routed.request.id),
        "organisations": str(world.us.id),
        "webhooks": str(subscription.id),
        "proposal_id": str(proposal.id),
    }


def _path_parameters(path: str, records: dict[str, str]) -> dict[str, str]:
    segment = path.removeprefix("/api/v1/").split("/")[0]
    known: dict[str, str] = {}
    if "{id}" in path and segment in records:
        known["id"] = records[segment]
    if "{proposal_id}" in path:
        known["proposal_id"] = records["proposal_id"]
    return known


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_every_operation_answers_generated_requests_as_its_document_says(
    schema,  # noqa: F811
    api,
    world,
    records,
    path,
    method,
    mode,
):
    # One caller holding every role of the sending party: the furthest a single token gets.
    everyone = make_user(world.us, *Role, username="us_every_role")
    token = api.token(everyone)
    operation = schema[path][method]
    strategy = operation.as_strategy(mode, path_parameters=_path_parameters(path, records))
    sent: list[int] = []

    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: Any) -> None:
        response = case.call_and_validate(
            headers={"Authorization": f"Bearer {token}"}, checks=ALL_CHECKS
        )
        sent.append(response.status_code)

    check()
    assert sent, "schemathesis generated no request"
