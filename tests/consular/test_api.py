"""Consular requests through the API: routing by district, the mission gate, owners, limits."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.consular.models import ConsularRequest
from readmit.core import clock
from tests.exchange.conftest import Api, assert_problem

URL = "/api/v1/consular-requests"
MONDAY = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def api(consular) -> Api:  # type: ignore[no-untyped-def]
    client = Api(__import__("django.test", fromlist=["Client"]).Client())
    for user in (*consular.world.users.values(), *consular.users.values()):
        client.token(user)
    return client


@pytest.fixture
def monday(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(clock, "now", lambda: MONDAY)
    monkeypatch.setattr(clock, "today", lambda: MONDAY.date())


def post(api: Api, user: Any, body: dict[str, Any], **headers: str) -> Any:
    return api.client.post(
        URL,
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api.token(user)}",
        **headers,
    )


def act(api: Api, user: Any, request_id: str, body: dict[str, Any]) -> Any:
    return api.client.post(
        f"{URL}/{request_id}/transitions",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api.token(user)}",
    )


def ask(api: Api, consular: Any, region: str = "US-NJ", **extra: Any) -> Any:
    body = {
        "kind": "travel_document",
        "requester": "sending_state",
        "residence_region": region,
        "case": str(consular.case.id),
        "details": "Emergency travel document for the transfer.",
        **extra,
    }
    return post(api, consular.user("us_caseworker"), body)


def test_the_sending_states_request_is_routed_to_the_mission_whose_district_covers_the_address(
    api, consular, monday
):
    response = ask(api, consular, "US-NJ")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["routed_to_id"] == str(consular.ny.id)
    assert "covers US-NJ (New Jersey)" in body["routing_reason"]
    assert body["state"] == "open" and body["owner"] is None
    assert body["case"] == str(consular.case.id)
    # 10 working days (the default for a travel document) from Monday 2 March 2026.
    assert body["due_on"] == "2026-03-16"
    assert "default" in body["due_explanation"]
    event = AuditEvent.objects.get(event_type=AuditEventType.CONSULAR_REQUEST_CREATED)
    assert event.case_id == consular.case.id and event.data["residence_region"] == "US-NJ"
    washington = ask(api, consular, "US-VA").json()
    assert washington["routed_to_id"] == str(consular.dc.id)


def test_an_address_no_district_covers_goes_to_the_ministry_with_the_reason(api, consular):
    body = ask(api, consular, "US-TX").json()
    assert body["routed_to_id"] == str(consular.mfa.id)
    assert body["routing_reason"] == (
        f"No consular district of {consular.mfa.name} covers US-TX (Texas): routed to the ministry."
    )


@pytest.mark.parametrize(
    "consular_terms",
    [{"time_limits": {"consular_travel_document": {"amount": 3, "unit": "calendar_days"}}}],
)
def test_the_agreements_time_limit_replaces_the_default(api, consular, monday):
    body = ask(api, consular).json()
    assert body["due_on"] == "2026-03-05"
    assert body["due_explanation"] == "3 calendar days from 2026-03-02 (the agreement)"


def test_the_mission_sees_only_the_requests_and_cases_routed_to_it(api, consular):
    ny, dc = consular.user("ny_liaison"), consular.user("dc_liaison")
    case_url = f"/api/v1/cases/{consular.case.id}"
    # Before any request is routed, no mission sees the case, though both are parties.
    assert_problem(api.get(case_url, ny), 404, "not-found")
    request_id = ask(api, consular, "US-NY").json()["id"]
    assert api.get(case_url, ny).status_code == 200
    assert api.get(f"{URL}/{request_id}", ny).status_code == 200
    assert [r["id"] for r in api.get(URL, ny).json()["items"]] == [request_id]
    # The other mission and the other state: as if it did not exist.
    assert_problem(api.get(f"{URL}/{request_id}", dc), 404, "not-found")
    assert_problem(api.get(case_url, dc), 404, "not-found")
    assert api.get(URL, dc).json()["items"] == []
    kosovo = consular.user("xk_caseworker")
    assert_problem(api.get(f"{URL}/{request_id}", kosovo), 404, "not-found")
    assert_problem(act(api, kosovo, request_id, {"action": "take"}), 404, "not-found")
    assert_problem(act(api, dc, request_id, {"action": "take"}), 404, "not-found")
    # The ministry of the missions and the state that asked see it.
    assert api.get(f"{URL}/{request_id}", consular.user("mfa_caseworker")).status_code == 200
    assert api.get(f"{URL}/{request_id}", consular.user("us_caseworker")).status_code == 200


def test_the_mission_takes_the_request_and_only_its_owner_completes_it_with_an_outcome(
    api, consular
):
    request_id = ask(api, consular, "US-CT").json()["id"]
    ny, ny2 = consular.user("ny_liaison"), consular.user("ny_liaison2")
    # The state that asked, the ministry and the mission's auditor see it but may not act.
    assert_problem(
        act(api, consular.user("us_caseworker"), request_id, {"action": "take"}), 403, "wrong-party"
    )
    assert_problem(
        act(api, consular.user("mfa_caseworker"), request_id, {"action": "take"}),
        403,
        "wrong-party",
    )
    assert_problem(
        act(api, consular.user("ny_auditor"), request_id, {"action": "take"}), 403, "wrong-role"
    )
    assert_problem(
        act(api, ny, request_id, {"action": "complete", "outcome": "x"}), 409, "workflow"
    )
    taken = act(api, ny, request_id, {"action": "take"})
    assert taken.status_code == 200
    assert taken.json()["state"] == "in_progress" and taken.json()["owner"] == str(ny)
    assert taken.json()["allowed_actions"] == ["complete", "decline"]
    assert_problem(
        act(api, ny2, request_id, {"action": "complete", "outcome": "Issued."}), 403, "not-owner"
    )
    missing = act(api, ny, request_id, {"action": "complete"})
    body = assert_problem(missing, 422, "validation-failed")
    assert body["errors"][0]["loc"][-1] == "outcome"
    assert ConsularRequest.objects.get(id=request_id).state == "in_progress"
    done = act(api, ny, request_id, {"action": "complete", "outcome": "ETD issued, valid 30 days."})
    assert done.json()["state"] == "done"
    assert done.json()["outcome"] == "ETD issued, valid 30 days."
    assert_problem(act(api, ny, request_id, {"action": "decline", "reason": "x"}), 409, "workflow")
    actions = list(
        AuditEvent.objects.filter(event_type=AuditEventType.CONSULAR_REQUEST_TRANSITIONED)
        .order_by("seq")
        .values_list("data__action", flat=True)
    )
    assert actions == ["take", "complete"]


def test_a_decline_needs_a_reason(api, consular):
    request_id = ask(api, consular, "US-NY").json()["id"]
    ny = consular.user("ny_liaison")
    body = assert_problem(act(api, ny, request_id, {"action": "decline"}), 422, "validation-failed")
    assert body["errors"][0]["loc"][-1] == "reason"
    declined = act(api, ny, request_id, {"action": "decline", "reason": "Not our citizen."})
    assert (
        declined.json()["state"] == "declined" and declined.json()["reason"] == "Not our citizen."
    )


def test_a_bad_request_names_each_field_and_writes_nothing(api, consular):
    before = (ConsularRequest.objects.count(), AuditEvent.objects.count())
    response = ask(api, consular, "US-XX", kind="passport_please", requester="lawyer")
    body = assert_problem(response, 422, "validation-failed")
    fields = {e["loc"][-1] for e in body["errors"]}
    assert {"kind", "requester", "residence_region"} <= fields
    no_case = post(
        api,
        consular.user("us_caseworker"),
        {"kind": "interview", "requester": "sending_state", "residence_region": "US-NY"},
    )
    assert {e["loc"][-1] for e in assert_problem(no_case, 422, "validation-failed")["errors"]} == {
        "case",
        "person",
    }
    assert (ConsularRequest.objects.count(), AuditEvent.objects.count()) == before


def test_only_the_sending_partys_writers_ask_on_a_case(api, consular):
    kosovo = post(
        api,
        consular.user("xk_caseworker"),
        {
            "kind": "interview",
            "requester": "sending_state",
            "residence_region": "US-NY",
            "case": str(consular.case.id),
        },
    )
    assert_problem(kosovo, 404, "not-found")
    wrong_side = post(
        api,
        consular.user("me_caseworker"),
        {
            "kind": "interview",
            "requester": "sending_state",
            "residence_region": "US-NY",
            "case": str(consular.case.id),
        },
    )
    assert_problem(wrong_side, 403, "wrong-party")
    auditor = post(
        api,
        consular.user("us_auditor"),
        {
            "kind": "interview",
            "requester": "sending_state",
            "residence_region": "US-NY",
            "case": str(consular.case.id),
        },
    )
    assert_problem(auditor, 403, "wrong-role")
    assert ConsularRequest.objects.count() == 0


def test_the_idempotency_key_creates_once_and_refuses_another_body(api, consular):
    body = {
        "kind": "identity_verification",
        "requester": "sending_state",
        "residence_region": "US-MD",
        "case": str(consular.case.id),
    }
    user = consular.user("us_caseworker")
    first = post(api, user, body, HTTP_IDEMPOTENCY_KEY="k-1")
    again = post(api, user, body, HTTP_IDEMPOTENCY_KEY="k-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    other = post(api, user, {**body, "residence_region": "US-NY"}, HTTP_IDEMPOTENCY_KEY="k-1")
    assert_problem(other, 409, "idempotency-key-reused")
    assert ConsularRequest.objects.count() == 1


def test_a_citizen_without_a_case_is_recorded_by_the_mission_and_routed_by_district(api, consular):
    response = post(
        api,
        consular.user("ny_liaison"),
        {
            "kind": "legal_information",
            "requester": "citizen",
            "residence_region": "US-VA",
            "person": {
                "family_name": "Петровић",
                "family_name_latin": "Petrović",
                "given_names": "Јована",
                "given_names_latin": "Jovana",
                "birth_date": "1991-04",
            },
            "details": "Walked in: asks about her rights on return.",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["routed_to_id"] == str(consular.dc.id)
    assert body["person"] == "Јована Петровић (Jovana Petrović)"
    assert body["case"] is None
    # Routed to Washington: New York, which recorded it, no longer sees it; Washington does.
    assert_problem(api.get(f"{URL}/{body['id']}", consular.user("ny_liaison")), 404, "not-found")
    assert api.get(f"{URL}/{body['id']}", consular.user("dc_liaison")).status_code == 200
    bad_date = post(
        api,
        consular.user("dc_liaison"),
        {
            "kind": "interview",
            "requester": "citizen",
            "residence_region": "US-DC",
            "person": {"family_name": "X", "birth_date": "1991-13"},
        },
    )
    assert assert_problem(bad_date, 422, "validation-failed")["errors"][0]["loc"][-1] == (
        "birth_date"
    )


def test_a_citizens_name_longer_than_the_record_holds_is_named(api, consular):
    response = post(
        api,
        consular.user("dc_liaison"),
        {
            "kind": "interview",
            "requester": "citizen",
            "residence_region": "US-DC",
            "person": {"family_name": "Ж" * 201, "given_names_latin": "A" * 201},
        },
    )
    body = assert_problem(response, 422, "validation-failed")
    assert {tuple(e["loc"][-2:]) for e in body["errors"]} == {
        ("person", "family_name"),
        ("person", "given_names_latin"),
    }
    assert ConsularRequest.objects.count() == 0
