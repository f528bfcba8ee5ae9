"""``POST /api/v1/cases/assignments``: the caller's side assigns, the other party and other
organisations cannot, a repeat with the same Idempotency-Key assigns nothing twice."""

from __future__ import annotations

import json

from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.work.models import Assignment
from tests.exchange.conftest import assert_problem
from tests.factories import make_case

PATH = "/api/v1/cases/assignments"


def _post(api, user, body, **headers):  # type: ignore[no-untyped-def]
    return api.client.post(
        PATH,
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api.token(user)}",
        **headers,
    )


def test_bulk_assignment_through_the_api_answers_each_assignment(world, api):
    cases = [make_case(world.agreement, family_name=f"Apiperson{n}") for n in range(2)]
    response = _post(
        api,
        world.user("xk_caseworker"),
        {"cases": [str(c.id) for c in cases], "owner": "xk_supervisor"},
    )
    assert response.status_code == 201, response.content
    body = response.json()["assignments"]
    assert {a["case"] for a in body} == {str(c.id) for c in cases}
    assert {a["owner"] for a in body} == {"xk_supervisor"}
    assert Assignment.objects.filter(owner=world.user("xk_supervisor")).count() == 2


def test_a_repeat_with_the_same_idempotency_key_is_replayed_and_audits_nothing_more(world, api):
    case = make_case(world.agreement)
    body = {"cases": [str(case.id)], "owner": "xk_caseworker"}
    first = _post(api, world.user("xk_caseworker"), body, HTTP_IDEMPOTENCY_KEY="assign-1")
    assert first.status_code == 201
    audits = AuditEvent.objects.filter(event_type=AuditEventType.ASSIGNMENT_SET).count()
    again = _post(api, world.user("xk_caseworker"), body, HTTP_IDEMPOTENCY_KEY="assign-1")
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert AuditEvent.objects.filter(event_type=AuditEventType.ASSIGNMENT_SET).count() == audits


def test_a_non_party_gets_404_a_wrong_role_403_and_a_foreign_owner_422_naming_the_field(world, api):
    case = make_case(world.agreement)
    body = {"cases": [str(case.id)], "owner": "xk_caseworker"}
    assert_problem(_post(api, world.user("me_caseworker"), body), 404, "not-found")
    assert_problem(_post(api, world.user("xk_auditor"), body), 403, "wrong-role")
    foreign = _post(api, world.user("xk_caseworker"), {**body, "owner": "us_caseworker"})
    problem = assert_problem(foreign, 422, "validation-failed")
    assert ["body", "owner"] in [e["loc"] for e in problem["errors"]]
    assert not Assignment.objects.exists()
    assert _post(api, world.user("xk_caseworker"), body).status_code == 201
