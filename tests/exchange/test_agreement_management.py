"""The agreement administration endpoints: status, versions and amendments, the diplomatic
record. A non-party gets 404, the wrong role 403, a refusal writes nothing."""

from __future__ import annotations

import json
from typing import Any, get_args

import pytest

from readmit.agreements.models import (
    AgreementStatus,
    AgreementStatusChange,
    AgreementVersion,
    ContactChannel,
    DiplomaticContact,
    PublicPosition,
    Stance,
)
from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.core import clock
from readmit.exchange.routers import agreement_admin
from tests.exchange.conftest import assert_problem


def path(world, tail: str) -> str:
    return f"/api/v1/agreements/{world.agreement.id}/{tail}"


def post(api, world, tail: str, user: str, body: Any) -> Any:
    return api.client.post(
        path(world, tail),
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api.token(world.user(user))}",
    )


def written() -> tuple[int, ...]:
    return (
        AuditEvent.objects.count(),
        AgreementStatusChange.objects.count(),
        AgreementVersion.objects.count(),
        DiplomaticContact.objects.count(),
        PublicPosition.objects.count(),
    )


SUSPEND = {
    "status": "suspended",
    "on": "2026-03-01",
    "source": "Note verbale 12/2026",
    "reason": "Review of reception conditions",
}
RAISED = {
    "terms": {"quota": {"limit": 60, "period": "rolling_year"}},
    "reason": "cap raised by mutual consent",
    "source": "Exchange of notes",
}
CONTACT = {
    "occurred_on": "2026-02-03",
    "from_country": "US",
    "to_country": "XK",
    "channel": "note",
    "summary": "Proposal for a second list",
    "source": "Note 7/2026",
}
POSITION = {
    "country": "XK",
    "stated_on": "2026-02-04",
    "stance": "ready",
    "statement": "Kosovo is ready to receive the next group.",
    "source": "Press conference",
}


def raised(**overrides: Any) -> dict[str, Any]:
    return {**RAISED, "valid_from": clock.now().isoformat(), **overrides}


# Reads -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("tail", ["status", "versions", "contacts", "positions"])
def test_every_read_is_not_found_for_a_non_party_and_answered_to_a_party(api, world, tail):
    assert_problem(api.get(path(world, tail), world.user("me_supervisor")), 404, "not-found")
    assert api.get(path(world, tail), world.user("xk_auditor")).status_code == 200


def test_a_malformed_agreement_id_answers_404_like_an_unknown_one(api, world):
    response = api.get("/api/v1/agreements/not-a-uuid/versions", world.user("xk_auditor"))
    assert_problem(response, 404, "not-found")


def test_versions_list_every_version_with_what_it_changed(api, world):
    post(api, world, "amendments", "xk_supervisor", raised())
    body = api.get(path(world, "versions"), world.user("us_caseworker")).json()
    assert [v["number"] for v in body] == [1, 2]
    assert body[0]["changes"] == {}
    assert body[1]["changes"] == {"quota.limit": {"from": 50, "to": 60}}
    assert body[1]["recorded_by"] == "xk_supervisor"


# Status ----------------------------------------------------------------------------------------


def test_a_status_change_by_a_non_party_is_not_found_and_writes_nothing(api, world):
    before = written()
    assert_problem(post(api, world, "status", "me_supervisor", SUSPEND), 404, "not-found")
    assert written() == before


def test_a_status_change_by_a_caseworker_of_a_party_is_forbidden_and_writes_nothing(api, world):
    before = written()
    assert_problem(post(api, world, "status", "us_caseworker", SUSPEND), 403, "wrong-role")
    assert written() == before


def test_a_status_change_by_a_supervisor_writes_history_and_an_audit_row(api, world):
    audit_before = AuditEvent.objects.count()
    response = post(api, world, "status", "us_supervisor", SUSPEND)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "suspended"
    assert [(h["from_status"], h["to_status"], h["changed_by"]) for h in body["history"]] == [
        ("in_force", "suspended", "us_supervisor")
    ]
    assert AuditEvent.objects.count() == audit_before + 1
    assert AuditEvent.objects.latest("seq").event_type == AuditEventType.AGREEMENT_STATUS_CHANGED


def test_a_move_the_lifecycle_table_refuses_answers_409_and_writes_nothing(api, world):
    before = written()
    body = assert_problem(
        post(api, world, "status", "xk_administrator", {**SUSPEND, "status": "negotiating"}),
        409,
        "agreement-lifecycle",
    )
    assert body["rule"] == "agreement-lifecycle"
    assert written() == before


def test_suspending_without_a_reason_answers_422_naming_the_reason(api, world):
    before = written()
    body = assert_problem(
        post(api, world, "status", "us_supervisor", {**SUSPEND, "reason": ""}),
        422,
        "validation-failed",
    )
    assert {"loc": ["body", "payload", "reason"], "msg": "a reason is required"} in body["errors"]
    assert written() == before


def test_a_status_change_without_a_source_or_with_an_unknown_member_answers_422(api, world):
    before = written()
    body = assert_problem(
        post(api, world, "status", "us_supervisor", {**SUSPEND, "source": "  "}),
        422,
        "validation-failed",
    )
    assert ["body", "payload", "source"] in [e["loc"] for e in body["errors"]]
    body = assert_problem(
        post(api, world, "status", "us_supervisor", {**SUSPEND, "when": "now"}),
        422,
        "validation-failed",
    )
    assert ["body", "payload", "when"] in [e["loc"] for e in body["errors"]]
    assert written() == before


# Amendments ------------------------------------------------------------------------------------


def test_an_amendment_by_a_non_party_is_not_found_and_by_a_liaison_officer_forbidden(api, world):
    before = written()
    assert_problem(post(api, world, "amendments", "me_administrator", raised()), 404, "not-found")
    assert_problem(post(api, world, "amendments", "xk_liaison", raised()), 403, "wrong-role")
    assert written() == before


def test_a_raised_cap_answers_201_with_version_two_and_shows_in_the_quota(api, world):
    response = post(api, world, "amendments", "xk_administrator", raised())
    assert response.status_code == 201, response.content
    assert response.json()["number"] == 2
    assert response.json()["terms"]["quota"]["limit"] == 60
    agreement = api.get(
        f"/api/v1/agreements/{world.agreement.id}", world.user("us_caseworker")
    ).json()
    assert agreement["quota"]["limit"] == 60


def test_invalid_criterion_params_answer_422_naming_the_field_and_nothing_is_saved(api, world):
    before = written()
    terms = {
        "quota": {"limit": 50},
        "criteria": [
            {"rule": "no_watchlist_match"},
            {"rule": "no_conviction_within_years", "params": {"years": 0}},
        ],
    }
    body = assert_problem(
        post(api, world, "amendments", "xk_supervisor", raised(terms=terms)),
        422,
        "validation-failed",
    )
    assert [e["loc"] for e in body["errors"]] == [
        ["body", "payload", "terms", "criteria", "1", "params"]
    ]
    assert "years" in body["errors"][0]["msg"]
    assert written() == before


def test_an_amendment_with_a_naive_valid_from_answers_422_naming_it(api, world):
    before = written()
    body = assert_problem(
        post(api, world, "amendments", "xk_supervisor", raised(valid_from="2026-03-01T00:00:00")),
        422,
        "validation-failed",
    )
    assert ["body", "payload", "valid_from"] in [e["loc"] for e in body["errors"]]
    assert written() == before


def test_an_ended_agreement_cannot_be_amended(api, world):
    post(
        api, world, "status", "us_supervisor", {**SUSPEND, "status": "ended", "reason": "denounced"}
    )
    before = written()
    assert_problem(
        post(api, world, "amendments", "xk_supervisor", raised()), 409, "agreement-lifecycle"
    )
    assert written() == before


# The diplomatic record -------------------------------------------------------------------------


@pytest.mark.parametrize(("tail", "body"), [("contacts", CONTACT), ("positions", POSITION)])
def test_recording_by_a_non_party_or_a_caseworker_is_refused_and_writes_nothing(
    api, world, tail, body
):
    before = written()
    assert_problem(post(api, world, tail, "me_liaison", body), 404, "not-found")
    assert_problem(post(api, world, tail, "xk_caseworker", body), 403, "wrong-role")
    assert_problem(post(api, world, tail, "xk_auditor", body), 403, "wrong-role")
    assert written() == before


def test_a_liaison_officer_records_a_contact_both_parties_then_read(api, world):
    before = AuditEvent.objects.count()
    response = post(api, world, "contacts", "us_liaison", {**CONTACT, "to_country": "xk"})
    assert response.status_code == 201, response.content
    assert response.json()["to_country"] == "XK"
    assert AuditEvent.objects.count() == before + 1
    listed = api.get(path(world, "contacts"), world.user("xk_caseworker")).json()
    assert [c["summary"] for c in listed] == ["Proposal for a second list"]


def test_a_supervisor_records_a_public_position(api, world):
    response = post(api, world, "positions", "xk_supervisor", POSITION)
    assert response.status_code == 201, response.content
    listed = api.get(path(world, "positions"), world.user("us_auditor")).json()
    assert [(p["country"], p["stance"]) for p in listed] == [("XK", "ready")]


def test_an_unknown_country_or_channel_answers_422_naming_it_and_writes_nothing(api, world):
    before = written()
    body = assert_problem(
        post(api, world, "contacts", "us_liaison", {**CONTACT, "to_country": "ZZ"}),
        422,
        "validation-failed",
    )
    assert [e["loc"] for e in body["errors"]] == [["body", "payload", "to_country"]]
    body = assert_problem(
        post(api, world, "contacts", "us_liaison", {**CONTACT, "channel": "pigeon"}),
        422,
        "validation-failed",
    )
    assert ["body", "payload", "channel"] in [e["loc"] for e in body["errors"]]
    assert written() == before


def test_the_documented_names_are_the_models_choices():
    assert set(get_args(agreement_admin.StatusName)) == set(AgreementStatus.values)
    assert set(get_args(agreement_admin.ChannelName)) == set(ContactChannel.values)
    assert set(get_args(agreement_admin.StanceName)) == set(Stance.values)


def test_the_openapi_document_lists_the_administration_endpoints(api, world):
    paths = api.client.get("/api/v1/openapi.json").json()["paths"]
    for tail, methods in {
        "status": {"get", "post"},
        "versions": {"get"},
        "amendments": {"post"},
        "contacts": {"get", "post"},
        "positions": {"get", "post"},
    }.items():
        assert methods <= set(paths[f"/api/v1/agreements/{{id}}/{tail}"]), tail
