"""Finding 7 of issue #8: a decision's reason is read by the other party, and the form says
so; an internal note is read only by the organisation that wrote it (page, API, history,
audit log), and it is still stored and audited."""

from __future__ import annotations

from typing import Any

from django.test import Client

from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.cases.models import Case
from tests.exchange.conftest import Api
from tests.factories import log_in
from tests.relocation.conftest import kosovo, person, submit

NOTE = "Entry 4471 of our national list matches his alias, do not tell them."
REASON = "Fits the criteria of the agreement."


def login(world: Any, who: str) -> Client:
    client = Client()
    log_in(client, world.user(who))
    return client


def case_page(world: Any, who: str, case: Case) -> str:
    response = login(world, who).get(f"/cases/{case.id}/")
    assert response.status_code == 200
    return response.content.decode()


def proposed(world: Any) -> Case:
    return submit(world, kosovo(world), [person()]).cases[0]


def test_every_decision_form_names_the_partner_organisation_that_reads_the_reason(world):
    case = proposed(world)
    receiving = case_page(world, "xk_caseworker", case)
    assert f"Read by {world.us.name}" in receiving
    assert 'name="internal_note"' in receiving
    assert "only your organisation reads it" in receiving
    sending = case_page(world, "us_caseworker", case)
    assert f"Read by {world.xk.name}" in sending


def test_an_internal_note_from_a_page_is_read_only_by_its_own_organisation(world):
    case = proposed(world)
    response = login(world, "xk_caseworker").post(
        f"/cases/{case.id}/transitions/",
        {
            "action": "recommend",
            "version": case.version,
            "reason": REASON,
            "internal_note": NOTE,
            "payload-recommendation": "select",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.filter(
        case_id=case.id, event_type=AuditEventType.CASE_TRANSITIONED
    ).get()
    assert event.data["internal_note"] == NOTE  # stored and audited
    assert event.data["reason"] == REASON
    own = case_page(world, "xk_caseworker", case)
    assert NOTE in own and REASON in own
    other = case_page(world, "us_caseworker", case)
    assert REASON in other and NOTE not in other
    # Auditors: their own organisation's note, never the other's.
    assert NOTE in login(world, "xk_auditor").get("/audit/").content.decode()
    audit = login(world, "us_auditor").get("/audit/").content.decode()
    assert REASON in audit and NOTE not in audit


def test_an_internal_note_sent_through_the_api_never_comes_back_to_the_other_party(world):
    case = proposed(world)
    api = Api(Client())
    body = {
        "action": "recommend",
        "reason": REASON,
        "internal_note": NOTE,
        "payload": {"recommendation": "select"},
    }
    response = api.transition(case, world.user("xk_caseworker"), body)
    assert response.status_code == 200
    assert NOTE not in response.content.decode()  # the API never returns notes
    read = api.get(f"/api/v1/cases/{case.id}", world.user("us_caseworker"))
    assert read.status_code == 200 and NOTE not in read.content.decode()
    assert NOTE not in case_page(world, "us_caseworker", case)
    assert NOTE in case_page(world, "xk_supervisor", case)


def test_an_internal_note_too_long_is_refused_naming_the_field_and_nothing_is_written(world):
    case = proposed(world)
    api = Api(Client())
    body = {"action": "recommend", "internal_note": "x" * 2001, "payload": {}}
    response = api.transition(case, world.user("xk_caseworker"), body)
    assert response.status_code == 422
    assert "internal_note" in response.content.decode()
    assert not AuditEvent.objects.filter(
        case_id=case.id, event_type=AuditEventType.CASE_TRANSITIONED
    ).exists()
    assert Case.objects.get(id=case.id).state == case.state


def test_a_decline_carries_a_standard_reason_code_that_both_parties_read(world):
    case = proposed(world)
    api = Api(Client())
    body = {
        "action": "decline",
        "reason_code": "public_order",
        "reason": "Public-order ground under the agreement.",
        "internal_note": NOTE,
    }
    assert api.transition(case, world.user("xk_supervisor"), body).status_code == 200
    event = AuditEvent.objects.get(case_id=case.id, event_type=AuditEventType.CASE_TRANSITIONED)
    assert event.data["reason_code"] == "public_order"
    other = case_page(world, "us_caseworker", case)
    assert "Reason code: public order" in other and NOTE not in other


def test_a_reason_code_outside_the_actions_vocabulary_is_refused_naming_the_field(world):
    case = proposed(world)
    api = Api(Client())
    body = {"action": "decline", "reason_code": "murder", "reason": "Because."}
    response = api.transition(case, world.user("xk_supervisor"), body)
    assert response.status_code == 422
    problem = response.json()
    assert ["body", "reason_code"] in [e["loc"] for e in problem["errors"]]
    assert "criteria_not_met" in problem["detail"]  # the allowed codes are named
    assert Case.objects.get(id=case.id).state == "proposed"
    assert not AuditEvent.objects.filter(
        case_id=case.id, event_type=AuditEventType.CASE_TRANSITIONED
    ).exists()


def test_the_decline_form_offers_the_standard_codes(world):
    case = proposed(world)
    page = case_page(world, "xk_supervisor", case)
    assert 'name="reason_code"' in page and '<option value="quota_exhausted"' in page
