"""The list endpoint of the exchange contract: 201 with the cases, 200 on replay, 422 naming
each bad person and field, 409 for a reused key, and the Kosovo arrangement end to end."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from readmit.accounts.services import token_create
from readmit.agreements.services import site_create
from readmit.audit.models import AuditEvent
from readmit.cases.models import Case
from readmit.relocation.models import ProposalList, ReceptionStay
from tests.factories import SYSTEM
from tests.relocation.conftest import person, transfer_payload

PROBLEM = "application/problem+json"


class Caller:
    def __init__(self, user: Any) -> None:
        _, self.token = token_create(user=user, name="test", acting_user=SYSTEM)
        self.client = Client()

    def post(self, path: str, body: Any, **headers: str) -> Any:
        return self.client.post(
            path,
            data=json.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {self.token}",
            **headers,
        )

    def put(self, path: str, body: Any, **headers: str) -> Any:
        return self.client.put(
            path,
            data=json.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {self.token}",
            **headers,
        )

    def get(self, path: str) -> Any:
        return self.client.get(path, HTTP_AUTHORIZATION=f"Bearer {self.token}")


def url(agreement: Any) -> str:
    return f"/api/v1/agreements/{agreement.id}/lists"


def test_a_list_answers_201_with_its_cases_and_a_replay_answers_200_with_the_same_body(
    world, agreement
):
    sender = Caller(world.user("us_caseworker"))
    body = {"reference": "US-XK-2026-01", "people": [person(), person()]}
    created = sender.post(url(agreement), body, HTTP_IDEMPOTENCY_KEY="abc-1")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["reference"] == "US-XK-2026-01"
    assert [c["external_id"] for c in data["cases"]] == [p["external_id"] for p in body["people"]]
    assert {c["state"] for c in data["cases"]} == {"proposed"}
    rows = AuditEvent.objects.count()
    again = sender.post(url(agreement), body, HTTP_IDEMPOTENCY_KEY="abc-1")
    assert again.status_code == 200
    assert again.json() == data
    assert AuditEvent.objects.count() == rows
    other = sender.post(
        url(agreement), {**body, "reference": "other"}, HTTP_IDEMPOTENCY_KEY="abc-1"
    )
    assert other.status_code == 409
    assert other["Content-Type"] == PROBLEM
    assert other.json()["type"] == "urn:readmit:problem:idempotency-key-reused"


def test_an_invalid_list_answers_422_naming_each_bad_person_and_field_and_creates_nothing(
    world, agreement
):
    sender = Caller(world.user("us_caseworker"))
    before = (ProposalList.objects.count(), Case.objects.count(), AuditEvent.objects.count())
    body = {
        "reference": "bad",
        "people": [person(), person(sex="Q"), person(birth_date="1990-02-31")],
    }
    response = sender.post(url(agreement), body)
    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    locs = [e["loc"] for e in response.json()["errors"]]
    assert locs == [
        ["body", "payload", "people", 1, "sex"],
        ["body", "payload", "people", 2, "birth_date"],
    ]
    assert (
        ProposalList.objects.count(),
        Case.objects.count(),
        AuditEvent.objects.count(),
    ) == before


@pytest.mark.parametrize(
    ("user", "status"), [("xk_supervisor", 403), ("me_caseworker", 404), ("us_auditor", 403)]
)
def test_only_the_sending_party_may_post_a_list(world, agreement, user, status):
    response = Caller(world.user(user)).post(
        url(agreement), {"reference": "x", "people": [person()]}
    )
    assert response.status_code == status
    assert ProposalList.objects.count() == 0


def test_the_kosovo_arrangement_runs_from_list_to_closure_through_the_api(world, agreement):
    """USA proposes, Kosovo screens and selects within the quota, the USA transfers with
    notice, Kosovo receives, records the return plan and the departure, and closes."""
    us, xk_worker = Caller(world.user("us_caseworker")), Caller(world.user("xk_caseworker"))
    xk_sup = Caller(world.user("xk_supervisor"))
    site = site_create(
        agreement=agreement, name="Prishtina", country_code="XK", capacity=50, acting_user=SYSTEM
    )
    listed = us.post(url(agreement), {"reference": "US-XK-1", "people": [person()]}).json()
    case_id = listed["cases"][0]["id"]

    def step(caller: Caller, action: str, reason: str = "", payload: Any = None) -> Any:
        etag = caller.get(f"/api/v1/cases/{case_id}")["ETag"]
        response = caller.post(
            f"/api/v1/cases/{case_id}/transitions",
            {"action": action, "reason": reason, "payload": payload or {}},
            HTTP_IF_MATCH=etag,
        )
        assert response.status_code == 200, response.content
        return response.json()

    step(xk_worker, "recommend", payload={"recommendation": "select"})
    assert step(xk_sup, "select")["state"] == "selected"
    quota = us.get(f"/api/v1/agreements/{agreement.id}").json()["quota"]
    assert (quota["used"], quota["limit"]) == (1, 50)
    step(us, "schedule_transfer", payload=transfer_payload())
    step(xk_worker, "record_arrival", payload={"site": str(site.id)})
    refused = xk_worker.post(
        f"/api/v1/cases/{case_id}/transitions",
        {"action": "record_departure", "payload": {"outcome": "returned_to_origin"}},
        HTTP_IF_MATCH=xk_worker.get(f"/api/v1/cases/{case_id}")["ETag"],
    )
    assert refused.status_code == 409
    assert refused.json()["type"] == "urn:readmit:problem:return-plan"
    stay_etag = xk_worker.get(f"/api/v1/cases/{case_id}/stays").json()[0]["etag"]
    plan = xk_worker.put(
        f"/api/v1/cases/{case_id}/return-plan",
        {"plan": "Return to Caracas with IOM, flight booked"},
        HTTP_IF_MATCH=stay_etag,
    )
    assert plan.status_code == 200, plan.content
    assert plan["ETag"] == plan.json()["etag"] != stay_etag
    assert plan.json()["return_plan"].startswith("Return to Caracas")
    step(xk_worker, "record_departure", payload={"outcome": "returned_to_origin"})
    assert step(xk_worker, "close")["state"] == "closed"
    assert ReceptionStay.objects.get(case_id=case_id).outcome == "returned_to_origin"


def test_a_return_plan_needs_an_open_stay_text_and_a_party(world, agreement):
    case = agreement_case(world, agreement)
    worker = Caller(world.user("xk_caseworker"))
    no_stay = worker.put(f"/api/v1/cases/{case.id}/return-plan", {"plan": "x"}, HTTP_IF_MATCH="*")
    assert no_stay.status_code == 409
    assert no_stay.json()["type"] == "urn:readmit:problem:no-open-stay"
    empty = worker.put(f"/api/v1/cases/{case.id}/return-plan", {"plan": " "}, HTTP_IF_MATCH="*")
    assert empty.status_code == 422
    assert empty.json()["errors"][0]["loc"] == ["body", "payload", "plan"]
    outsider = Caller(world.user("me_caseworker")).put(
        f"/api/v1/cases/{case.id}/return-plan", {"plan": "x"}
    )
    assert outsider.status_code == 404


def agreement_case(world, agreement) -> Case:
    from tests.relocation.conftest import submit

    return submit(world, agreement, [person()]).cases[0]
