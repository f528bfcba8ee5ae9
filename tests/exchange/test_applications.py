"""``POST /api/v1/agreements/{id}/applications``: readmission intake through our own API."""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import pytest

from readmit.audit.models import AuditEvent
from readmit.cases.models import Case, Deadline, EvidenceItem, Person, ReadmissionApplication
from readmit.cases.mrz import check_digit
from readmit.core import clock
from readmit.deadlines import TimeLimit, Unit, WorkingCalendar, due
from tests.exchange.conftest import assert_problem
from tests.factories import make_agreement

TERMS: dict[str, Any] = {
    "time_limits": {
        "reply": {"amount": 12, "unit": "calendar_days", "start_event": "application received"},
        "reply_accelerated": {"amount": 2, "unit": "working_days"},
        "extension": {"amount": 6, "unit": "calendar_days"},
        "transfer": {"amount": 3, "unit": "months"},
        "interview": {"amount": 7, "unit": "working_days"},
    },
    "silence_means_acceptance": True,
    "interview_provided": True,
}


def td3(number: str, *, birth: str = "900412", expiry: str = "300101") -> str:
    """A Montenegrin passport's machine-readable zone with correct check digits."""
    line1 = "P<MNEPEROVIC<<MARKO".ljust(44, "<")
    body = (
        f"{number}{check_digit(number)}MNE{birth}{check_digit(birth)}M"
        f"{expiry}{check_digit(expiry)}{'<' * 14}<"
    )
    composite = body[0:10] + body[13:20] + body[21:43]
    return f"{line1}\n{body}{check_digit(composite)}"


def application(external_id: str = "DHS-ME-1", **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "external_id": external_id,
        "procedure": "normal",
        "person": {
            "given_names": "Марко",
            "family_name": "Перовић",
            "given_names_latin": "Marko",
            "family_name_latin": "Perović",
            "other_names": [{"kind": "alias", "given_names": "Mark", "family_name": "Perry"}],
            "birth_date": "1990-04-12",
            "place_of_birth": "Nikšić",
            "sex": "M",
            "nationalities": ["ME"],
            "parents": [{"relation": "father", "given_names": "Petar", "family_name": "Perović"}],
            "civil_status": "single",
            "languages": ["Montenegrin", "English"],
        },
        "last_address": "Njegoševa 1, Nikšić",
        "medical_needs": "none",
        "escort_needs": "none",
        "evidence": [
            {
                "kind": "valid_passport",
                "class": "proof",
                "document": {
                    "type": "passport",
                    "number": "ME1234567",
                    "issuing_country": "ME",
                    "expires_on": "2030-01-01",
                },
                "mrz": td3("ME1234567"),
            }
        ],
    }
    body.update(changes)
    return body


@pytest.fixture
def montenegro(world):
    return make_agreement(world.us, world.me, kind="readmission", terms=TERMS)


def submit(api, user, agreement, body, key: str | None = None):  # type: ignore[no-untyped-def]
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return api.client.post(
        f"/api/v1/agreements/{agreement.id}/applications",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api.token(user)}",
        **headers,
    )


def test_a_montenegro_application_runs_from_submission_with_evidence_to_acceptance(
    api, world, montenegro
):
    sent = submit(api, world.user("us_caseworker"), montenegro, application(), key="k-1")
    assert sent.status_code == 201, sent.content
    body = sent.json()
    assert body["state"] == "submitted" and body["external_id"] == "DHS-ME-1"
    assert body["procedure"] == "normal"
    assert body["person"]["family_name"] == "Перовић"
    assert body["person"]["family_name_latin"] == "Perović"
    assert body["evidence"]["effect"] == "nationality_established"
    assert "valid passport ME1234567" in body["evidence"]["explanation"]
    assert body["evidence"]["items"][0]["evidence_class"] == "proof"
    reply = next(d for d in body["deadlines"] if d["kind"] == "reply")
    application_row = ReadmissionApplication.objects.get(case_id=body["id"])
    expected = due(
        application_row.received_on,
        TimeLimit(12, Unit.CALENDAR_DAYS),
        WorkingCalendar(["ME", "US"]),
    )
    assert reply["due_on"] == expected.isoformat()
    assert application_row.particulars["medical_needs"] == "none"
    assert application_row.particulars["parents"][0]["given_names"] == "Petar"
    person = Person.objects.get(cases__id=body["id"])
    assert {(n.kind, n.family_name) for n in person.other_names.all()} == {("alias", "Perry")}
    item = EvidenceItem.objects.get(case_id=body["id"])
    assert item.mrz_fields["document_number"] == "ME1234567"
    assert item.added_by == world.user("us_caseworker") and item.document is not None

    case = Case.objects.get(id=body["id"])
    detail = api.get(f"/api/v1/cases/{case.id}", world.user("me_caseworker")).json()
    assert detail["evidence"]["effect"] == "nationality_established"
    assert "acknowledge" in detail["allowed_actions"]
    acknowledged = api.transition(case, world.user("me_caseworker"), {"action": "acknowledge"})
    assert acknowledged.status_code == 200, acknowledged.content
    accepted = api.transition(case, world.user("me_supervisor"), {"action": "accept"})
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["state"] == "accepted"
    assert {d["kind"]: d["status"] for d in accepted.json()["deadlines"]} == {
        "reply": "met",
        "transfer": "open",
    }


def test_an_incomplete_application_is_refused_naming_each_missing_part_and_writes_nothing(
    api, world, montenegro
):
    body = application(procedure="accelerated")
    del body["medical_needs"]
    del body["person"]["place_of_birth"]
    del body["person"]["given_names_latin"]
    before = (Case.objects.count(), Person.objects.count(), AuditEvent.objects.count())
    problem = assert_problem(
        submit(api, world.user("us_caseworker"), montenegro, body), 422, "validation-failed"
    )
    named = {".".join(map(str, e["loc"][2:])) for e in problem["errors"]}
    assert {
        "medical_needs",
        "person.place_of_birth",
        "person.given_names_latin",
        "apprehended_on",
    } <= named
    assert (Case.objects.count(), Person.objects.count(), AuditEvent.objects.count()) == before


def test_none_is_an_answer_for_the_needs_but_an_empty_one_is_missing(api, world, montenegro):
    problem = assert_problem(
        submit(api, world.user("us_caseworker"), montenegro, application(escort_needs="")),
        422,
        "validation-failed",
    )
    assert [e["loc"][2:] for e in problem["errors"]] == [["escort_needs"]]


def test_a_bad_check_digit_is_a_422_naming_the_mrz_field_and_writes_nothing(api, world, montenegro):
    body = application()
    zone = td3("ME1234567")
    body["evidence"][0]["mrz"] = zone[:-1] + str((int(zone[-1]) + 1) % 10)
    before = (Case.objects.count(), AuditEvent.objects.count())
    problem = assert_problem(
        submit(api, world.user("us_caseworker"), montenegro, body), 422, "validation-failed"
    )
    assert problem["errors"][0]["loc"] == ["body", "payload", "evidence", 0, "mrz"]
    assert problem["errors"][0]["msg"].startswith("composite: check digit")
    assert (Case.objects.count(), AuditEvent.objects.count()) == before


def test_a_class_other_than_the_agreements_is_refused_naming_the_item(api, world, montenegro):
    body = application()
    body["evidence"][0]["class"] = "prima_facie"
    problem = assert_problem(
        submit(api, world.user("us_caseworker"), montenegro, body), 422, "validation-failed"
    )
    assert problem["errors"][0]["loc"] == ["body", "payload", "evidence", 0, "class"]
    assert "as proof" in problem["errors"][0]["msg"]


def test_the_same_key_and_body_answer_the_same_case_and_another_body_is_a_conflict(
    api, world, montenegro
):
    user = world.user("us_caseworker")
    first = submit(api, user, montenegro, application(), key="same")
    again = submit(api, user, montenegro, application(), key="same")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert Case.objects.filter(agreement=montenegro).count() == 1
    other = application()
    other["person"]["place_of_birth"] = "Podgorica"
    assert_problem(submit(api, user, montenegro, other, key="same"), 409, "idempotency-key-reused")
    assert Case.objects.filter(agreement=montenegro).count() == 1


def test_a_non_party_gets_404_and_the_wrong_side_or_role_403_then_a_worker_submits(
    api, world, montenegro
):
    outsider = make_agreement(world.xk, world.me, kind="readmission", terms=TERMS)
    assert_problem(
        submit(api, world.user("us_caseworker"), outsider, application()), 404, "not-found"
    )
    assert_problem(
        submit(api, world.user("me_caseworker"), montenegro, application()), 403, "wrong-party"
    )
    for role in ("liaison", "auditor"):
        assert_problem(
            submit(api, world.user(f"us_{role}"), montenegro, application()), 403, "wrong-role"
        )
    assert not Case.objects.filter(agreement=montenegro).exists()
    assert submit(api, world.user("us_supervisor"), montenegro, application()).status_code == 201


def test_applications_are_refused_under_an_agreement_that_is_not_for_readmission(api, world):
    assert_problem(
        submit(api, world.user("us_caseworker"), world.agreement, application()),
        409,
        "agreement-kind",
    )


def test_the_accelerated_procedure_takes_its_own_reply_limit_beside_the_normal_one(
    api, world, montenegro
):
    apprehended = (clock.today() - dt.timedelta(days=1)).isoformat()
    body = application(procedure="accelerated", apprehended_on=apprehended)
    sent = submit(api, world.user("us_caseworker"), montenegro, body)
    assert sent.status_code == 201, sent.content
    row = ReadmissionApplication.objects.get(case_id=sent.json()["id"])
    reply = Deadline.objects.get(case_id=row.case_id, kind="reply")
    calendar = WorkingCalendar(["ME", "US"])
    assert reply.due_on == due(row.received_on, TimeLimit(2, Unit.WORKING_DAYS), calendar)
    assert reply.due_on != due(row.received_on, TimeLimit(12, Unit.CALENDAR_DAYS), calendar)
    assert "reply accelerated" in reply.explanation
    assert row.apprehended_on.isoformat() == apprehended


def test_an_agreement_without_an_accelerated_limit_refuses_the_accelerated_procedure(api, world):
    terms = copy.deepcopy(TERMS)
    del terms["time_limits"]["reply_accelerated"]
    agreement = make_agreement(world.us, world.me, kind="readmission", terms=terms)
    body = application(procedure="accelerated", apprehended_on=clock.today().isoformat())
    problem = assert_problem(
        submit(api, world.user("us_caseworker"), agreement, body), 422, "validation-failed"
    )
    assert problem["errors"][0]["loc"] == ["body", "payload", "procedure"]


def test_a_known_person_is_flagged_as_a_duplicate_at_intake(api, world, montenegro):
    user = world.user("us_caseworker")
    assert submit(api, user, montenegro, application("DHS-ME-1")).json()["duplicates"] == []
    again = submit(api, user, montenegro, application("DHS-ME-2")).json()
    assert [d["kind"] for d in again["duplicates"]] == ["certain"]
    assert "ME1234567" in again["duplicates"][0]["evidence"]


def test_the_other_party_reads_document_references_only_where_the_agreement_shares_them(api, world):
    terms = {**TERMS, "data_sharing": {"categories": ["identity", "nationality"]}}
    agreement = make_agreement(world.us, world.me, kind="readmission", terms=terms)
    sent = submit(api, world.user("us_caseworker"), agreement, application()).json()
    assert sent["evidence"]["items"][0]["reference"] == "ME1234567"
    seen = api.get(f"/api/v1/cases/{sent['id']}", world.user("me_caseworker")).json()
    assert seen["evidence"]["effect"] == "nationality_established"
    assert seen["evidence"]["items"][0]["reference"] == ""
    assert "ME1234567" not in seen["evidence"]["explanation"]


def add_evidence(api, user, case_id: str, item: dict[str, Any]):  # type: ignore[no-untyped-def]
    return api.client.post(
        f"/api/v1/cases/{case_id}/evidence",
        data=json.dumps(item),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api.token(user)}",
    )


def test_evidence_added_while_the_reply_is_awaited_is_weighed_again(api, world, montenegro):
    sent = submit(api, world.user("us_caseworker"), montenegro, application(evidence=[])).json()
    assert sent["evidence"]["effect"] == "interview_due"
    passport = {
        "kind": "expired_passport",
        "document": {"type": "passport", "number": "ME1111111", "issuing_country": "ME"},
        "mrz": td3("ME1111111", expiry="200101"),
    }
    audit_rows = AuditEvent.objects.count()
    added = add_evidence(api, world.user("us_caseworker"), sent["id"], passport)
    assert added.status_code == 201, added.content
    assert added.json()["evidence"]["effect"] == "nationality_established"
    assert added.json()["version"] == sent["version"] + 1
    assert AuditEvent.objects.filter(event_type=601, case_id=sent["id"]).count() == 1
    assert AuditEvent.objects.count() > audit_rows


def test_evidence_with_a_bad_check_digit_is_refused_naming_mrz_and_adds_nothing(
    api, world, montenegro
):
    sent = submit(api, world.user("us_caseworker"), montenegro, application(evidence=[])).json()
    zone = td3("ME1111111")
    item = {"kind": "valid_passport", "mrz": zone[:-1] + str((int(zone[-1]) + 1) % 10)}
    problem = assert_problem(
        add_evidence(api, world.user("us_caseworker"), sent["id"], item), 422, "validation-failed"
    )
    assert problem["errors"][0]["loc"] == ["body", "payload", "mrz"]
    assert not EvidenceItem.objects.filter(case_id=sent["id"]).exists()


def test_evidence_is_added_only_by_the_requesting_sides_workers(api, world, montenegro):
    sent = submit(api, world.user("us_caseworker"), montenegro, application(evidence=[])).json()
    item = {"kind": "birth_certificate", "reference": "Nikšić register 12/1990"}
    assert_problem(
        add_evidence(api, world.user("xk_caseworker"), sent["id"], item), 404, "not-found"
    )
    assert_problem(
        add_evidence(api, world.user("me_caseworker"), sent["id"], item), 403, "wrong-party"
    )
    assert_problem(add_evidence(api, world.user("us_liaison"), sent["id"], item), 403, "wrong-role")
    assert not EvidenceItem.objects.filter(case_id=sent["id"]).exists()
    added = add_evidence(api, world.user("us_supervisor"), sent["id"], item)
    assert added.status_code == 201
    assert added.json()["evidence"]["effect"] == "presumed"


def test_no_evidence_is_added_once_the_application_was_answered(api, world, montenegro):
    sent = submit(api, world.user("us_caseworker"), montenegro, application()).json()
    case = Case.objects.get(id=sent["id"])
    assert (
        api.transition(case, world.user("me_supervisor"), {"action": "accept"}).status_code == 200
    )
    item = {"kind": "birth_certificate"}
    assert_problem(
        add_evidence(api, world.user("us_caseworker"), sent["id"], item), 409, "workflow"
    )
