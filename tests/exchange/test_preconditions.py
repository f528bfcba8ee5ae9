"""Every creating request takes an Idempotency-Key and every update an If-Match: the OpenAPI
document declares them, and a stale If-Match is refused with 412, a missing one with 428."""

from __future__ import annotations

import json

import pytest

from readmit.agreements.services import site_create
from readmit.audit.models import AuditEvent
from readmit.events.models import WebhookSubscription
from readmit.exchange import idempotency
from readmit.relocation.models import ReceptionStay
from tests.exchange.conftest import assert_problem
from tests.factories import SYSTEM
from tests.relocation.conftest import kosovo, person, submit, to_reception

UPDATES = ("put", "patch")


@pytest.fixture
def document(api, world):
    response = api.get("/api/v1/openapi.json", world.user("us_caseworker"))
    assert response.status_code == 200
    return response.json()


def _headers(operation):
    return {p["name"] for p in operation.get("parameters", []) if p.get("in") == "header"}


def test_every_creating_post_declares_and_honours_an_idempotency_key(document):
    creating = {
        op["operationId"]: op
        for ops in document["paths"].values()
        for method, op in ops.items()
        if method == "post" and {"201", "202"} & set(op["responses"])
    }
    assert {"case_attachment_create", "agreement_contact_create", "webhook_create"} <= set(creating)
    assert [o for o, op in creating.items() if "Idempotency-Key" not in _headers(op)] == []
    # ... and each is either replayed by the one helper or applies its service's own rule.
    assert set(creating) - idempotency.COVERED - idempotency.OWN_RULE == set()
    assert set(creating) >= idempotency.OWN_RULE


def test_every_update_declares_if_match_and_its_412_and_428(document):
    updates = [
        (path, method, op)
        for path, ops in document["paths"].items()
        for method, op in ops.items()
        if method in UPDATES
    ]
    assert {op["operationId"] for _, _, op in updates} >= {"case_return_plan", "webhook_update"}
    for path, method, op in updates:
        assert "If-Match" in _headers(op), (method, path)
        assert {"412", "428"} <= set(op["responses"]), (method, path)


# The return plan ---------------------------------------------------------------------------


@pytest.fixture
def stay_case(world):
    agreement = kosovo(world)
    site = site_create(
        agreement=agreement,
        name="Reception centre (fictional)",
        country_code="XK",
        capacity=10,
        acting_user=SYSTEM,
    )
    case = submit(world, agreement, [person()]).cases[0]
    to_reception(world, case, site)
    return case


def put_plan(api, world, case, plan, if_match=None, user="xk_caseworker"):
    headers = {"HTTP_IF_MATCH": if_match} if if_match is not None else {}
    return api.client.put(
        f"/api/v1/cases/{case.id}/return-plan",
        data=json.dumps({"plan": plan}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api.token(world.user(user))}",
        **headers,
    )


def test_a_return_plan_needs_the_stays_etag_and_a_stale_one_is_refused_with_412(
    api, world, stay_case
):
    etag = api.get(f"/api/v1/cases/{stay_case.id}/stays", world.user("xk_caseworker")).json()[0][
        "etag"
    ]
    assert_problem(
        put_plan(api, world, stay_case, "Flight home (fictional)"), 428, "precondition-required"
    )
    first = put_plan(api, world, stay_case, "Flight home (fictional)", etag)
    assert first.status_code == 200, first.content
    before = AuditEvent.objects.count()
    stale = put_plan(api, world, stay_case, "Bus home (fictional)", etag)
    body = assert_problem(stale, 412, "precondition-failed")
    assert body["etag"] == first["ETag"]
    assert ReceptionStay.objects.get(case=stay_case).return_plan == "Flight home (fictional)"
    assert AuditEvent.objects.count() == before
    again = put_plan(api, world, stay_case, "Bus home (fictional)", first["ETag"])
    assert again.status_code == 200
    assert ReceptionStay.objects.get(case=stay_case).return_plan == "Bus home (fictional)"


def test_a_return_plan_is_refused_to_a_non_party_and_to_the_wrong_role(api, world, stay_case):
    assert_problem(
        put_plan(api, world, stay_case, "x", "*", user="me_caseworker"), 404, "not-found"
    )
    assert_problem(put_plan(api, world, stay_case, "x", "*", user="xk_auditor"), 403, "wrong-role")
    assert ReceptionStay.objects.get(case=stay_case).return_plan == ""


# Webhook subscriptions ---------------------------------------------------------------------


def test_a_webhook_change_needs_its_etag_and_a_stale_one_is_refused_with_412(api, world):
    admin = world.user("us_administrator")
    created = api.client.post(
        f"/api/v1/organisations/{world.us.id}/webhooks",
        data=json.dumps({"url": "http://127.0.0.1:9/hooks", "event_types": ["case.created"]}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api.token(admin)}",
    ).json()
    etag = api.get(f"/api/v1/webhooks/{created['id']}", admin)["ETag"]

    def patch(body, **headers):
        return api.client.patch(
            f"/api/v1/webhooks/{created['id']}",
            data=json.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {api.token(admin)}",
            **headers,
        )

    assert_problem(patch({"active": False}), 428, "precondition-required")
    changed = patch({"description": "Partner system (fictional)"}, HTTP_IF_MATCH=etag)
    assert changed.status_code == 200, changed.content
    assert_problem(patch({"active": False}, HTTP_IF_MATCH=etag), 412, "precondition-failed")
    assert WebhookSubscription.objects.get(id=created["id"]).active is True


# Agreement status ----------------------------------------------------------------------------


def test_an_agreement_status_change_with_a_stale_if_match_is_refused_with_412(api, world):
    from tests.exchange.test_agreement_management import SUSPEND, written

    supervisor = world.user("us_supervisor")
    status_path = f"/api/v1/agreements/{world.agreement.id}/status"
    etag = api.get(status_path, supervisor)["ETag"]

    def change(body, if_match):
        return api.client.post(
            status_path,
            data=json.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {api.token(supervisor)}",
            HTTP_IF_MATCH=if_match,
        )

    suspended = change(SUSPEND, etag)
    assert suspended.status_code == 200, suspended.content
    assert suspended["ETag"] != etag
    before = written()
    resumed = {"status": "in_force", "on": "2026-03-02", "source": "Note verbale 13/2026"}
    assert_problem(change(resumed, etag), 412, "precondition-failed")
    assert written() == before
    assert change(resumed, suspended["ETag"]).status_code == 200
