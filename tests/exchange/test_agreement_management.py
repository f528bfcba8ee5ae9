"""The agreement administration endpoints: status, versions and amendments, the diplomatic
record. A non-party gets 404, the wrong role 403, a refusal writes nothing."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, get_args

import pytest

from readmit.agreements.models import (
    AgreementStatus,
    AgreementStatusChange,
    AgreementVersion,
    AmendmentProposal,
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
        AmendmentProposal.objects.count(),
    )


SUSPEND = {
    "status": "suspended",
    "on": "2026-03-01",
    "source": "Note verbale 12/2026",
    "reason": "Review of reception conditions",
    "ground": "court_order",
    "ground_reference": "Constitutional Court KI-1/26",
}
RAISED = {
    "changes": {"quota": {"limit": 60}},
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


def proposed_and_confirmed(api, world, body: Any = None) -> Any:
    """Kosovo proposes, the US confirms: the confirmed proposal."""
    proposal = post(api, world, "amendments", "xk_supervisor", body or raised())
    assert proposal.status_code == 201, proposal.content
    confirmed = post(api, world, f"amendments/{proposal.json()['id']}/confirm", "us_supervisor", {})
    assert confirmed.status_code == 200, confirmed.content
    return confirmed.json()


# Reads -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("tail", ["status", "versions", "amendments", "contacts", "positions"])
def test_every_read_is_not_found_for_a_non_party_and_answered_to_a_party(api, world, tail):
    assert_problem(api.get(path(world, tail), world.user("me_supervisor")), 404, "not-found")
    assert api.get(path(world, tail), world.user("xk_auditor")).status_code == 200


def test_a_malformed_agreement_id_answers_404_like_an_unknown_one(api, world):
    response = api.get("/api/v1/agreements/not-a-uuid/versions", world.user("xk_auditor"))
    assert_problem(response, 404, "not-found")


def test_versions_list_every_version_with_what_it_changed(api, world):
    proposed_and_confirmed(api, world)
    body = api.get(path(world, "versions"), world.user("us_caseworker")).json()
    assert [v["number"] for v in body] == [1, 2]
    assert body[0]["changes"] == {}
    assert body[1]["changes"] == {"quota.limit": {"from": 50, "to": 60}}
    assert body[1]["recorded_by"] == "us_supervisor"


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


def test_a_raised_cap_is_pending_until_the_other_party_confirms_it(api, world):
    """Finding 10 over the API: Kosovo alone cannot raise the cap."""
    response = post(api, world, "amendments", "xk_administrator", raised())
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["state"], body["version"], body["proposed_by_side"]) == (
        "pending",
        None,
        "receiving",
    )
    assert body["effect"] == {"quota.limit": {"from": 50, "to": 60}}
    detail = f"/api/v1/agreements/{world.agreement.id}"
    assert api.get(detail, world.user("us_caseworker")).json()["quota"]["limit"] == 50
    listed = api.get(path(world, "amendments"), world.user("us_auditor")).json()
    assert [p["id"] for p in listed] == [body["id"]]
    confirm = f"amendments/{body['id']}/confirm"
    before = written()
    assert_problem(post(api, world, confirm, "xk_supervisor", {}), 403, "wrong-party")
    assert_problem(post(api, world, confirm, "us_caseworker", {}), 403, "wrong-role")
    assert_problem(post(api, world, confirm, "me_supervisor", {}), 404, "not-found")
    assert written() == before
    confirmed = post(api, world, confirm, "us_supervisor", {})
    assert confirmed.status_code == 200, confirmed.content
    assert (confirmed.json()["state"], confirmed.json()["version"]) == ("confirmed", 2)
    assert api.get(detail, world.user("us_caseworker")).json()["quota"]["limit"] == 60
    assert_problem(post(api, world, confirm, "us_supervisor", {}), 409, "amendment-not-pending")


def test_the_docs_example_sending_only_the_quota_keeps_every_other_setting(api, world):
    """Finding 13: `{"changes": {"quota": ...}}` as in docs/api.md removes nothing."""
    from tests.factories import make_agreement

    world.agreement = make_agreement(
        world.us,
        world.xk,
        terms={
            "quota": {"limit": 50},
            "capacity": {"max_present": 40},
            "criteria": [{"rule": "age_between", "params": {"min": 18}}],
            "exclusions": {"pregnant": True, "vulnerable": True},
        },
    )
    before = dict(world.agreement.terms)
    proposed_and_confirmed(api, world)
    world.agreement.refresh_from_db()
    assert world.agreement.terms == {**before, "quota": {"limit": 60, "period": "rolling_year"}}


def test_the_old_complete_terms_body_is_refused_naming_the_member(api, world):
    before = written()
    body = assert_problem(
        post(api, world, "amendments", "xk_supervisor", {**raised(), "terms": {}}),
        422,
        "validation-failed",
    )
    assert ["body", "payload", "terms"] in [e["loc"] for e in body["errors"]]
    assert written() == before


def test_an_amendment_dated_in_9999_answers_422_naming_valid_from(api, world):
    before = written()
    body = assert_problem(
        post(api, world, "amendments", "xk_supervisor", raised(valid_from="9999-12-31T23:59:59Z")),
        422,
        "validation-failed",
    )
    assert ["body", "payload", "valid_from"] in [e["loc"] for e in body["errors"]]
    assert written() == before


def test_a_pending_amendment_is_withdrawn_by_its_proposer_or_rejected_with_a_reason(api, world):
    first = post(api, world, "amendments", "xk_supervisor", raised()).json()
    assert_problem(
        post(api, world, f"amendments/{first['id']}/withdraw", "us_supervisor", {}),
        403,
        "wrong-party",
    )
    withdrawn = post(api, world, f"amendments/{first['id']}/withdraw", "xk_supervisor", {})
    assert withdrawn.json()["state"] == "withdrawn"
    second = post(api, world, "amendments", "xk_supervisor", raised()).json()
    body = assert_problem(
        post(api, world, f"amendments/{second['id']}/reject", "us_supervisor", {"reason": " "}),
        422,
        "validation-failed",
    )
    assert ["body", "payload", "reason"] in [e["loc"] for e in body["errors"]]
    rejected = post(
        api, world, f"amendments/{second['id']}/reject", "us_supervisor", {"reason": "no"}
    )
    assert (rejected.json()["state"], rejected.json()["decision_reason"]) == ("rejected", "no")


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
        post(api, world, "amendments", "xk_supervisor", raised(changes=terms)),
        422,
        "validation-failed",
    )
    assert [e["loc"] for e in body["errors"]] == [
        ["body", "payload", "changes", "criteria", "1", "params"]
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


def test_an_agreement_in_force_is_ended_by_notice_not_at_once(api, world):
    """Finding 13: ending at once, back-dated to 2000-01-01, is refused; notice is given."""
    from readmit.agreements.services import termination_notices_due

    before = written()
    ended = {**SUSPEND, "status": "ended", "on": "2000-01-01", "reason": "denounced"}
    assert_problem(post(api, world, "status", "us_supervisor", ended), 409, "termination-notice")
    assert written() == before
    notice = {"reason": "denounced", "source": "Note 1/2026"}
    assert_problem(post(api, world, "termination", "me_supervisor", notice), 404, "not-found")
    assert_problem(post(api, world, "termination", "us_caseworker", notice), 403, "wrong-role")
    given = post(api, world, "termination", "us_supervisor", notice)
    assert given.status_code == 201, given.content
    effective = given.json()["takes_effect_on"]
    status = api.get(path(world, "status"), world.user("xk_caseworker")).json()
    assert status["status"] == "in_force"
    assert status["termination_notices"][0]["takes_effect_on"] == effective
    assert_problem(
        post(api, world, "termination/withdraw", "xk_supervisor", {"reason": "no"}),
        403,
        "wrong-party",
    )
    termination_notices_due(today=dt.date.fromisoformat(effective))
    assert api.get(path(world, "status"), world.user("xk_caseworker")).json()["status"] == "ended"


def test_an_ended_agreement_cannot_be_amended(api, world):
    from readmit.agreements.services import termination_notices_due

    post(api, world, "termination", "us_supervisor", {"reason": "denounced", "source": "Note"})
    termination_notices_due(today=clock.today() + dt.timedelta(days=365))
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
        "amendments": {"get", "post"},
        "termination": {"post"},
        "contacts": {"get", "post"},
        "positions": {"get", "post"},
    }.items():
        assert methods <= set(paths[f"/api/v1/agreements/{{id}}/{tail}"]), tail
