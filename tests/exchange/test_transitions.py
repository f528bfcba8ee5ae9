from __future__ import annotations

import datetime as dt

import pytest

from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.cases.models import Case
from readmit.cases.services import case_transition
from readmit.core import clock
from tests.exchange.conftest import assert_problem, snapshot
from tests.factories import make_agreement, make_case


@pytest.fixture
def case(world):
    return make_case(world.agreement)


def recommended(world, case):
    return case_transition(
        case_id=case.id, action="recommend", acting_user=world.user("xk_caseworker")
    )


def test_a_transition_answers_the_updated_case_with_its_new_etag(api, world, case):
    before = AuditEvent.objects.filter(event_type=AuditEventType.CASE_TRANSITIONED).count()
    response = api.transition(case, world.user("xk_caseworker"), {"action": "recommend"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["state"], body["version"]) == ("recommended", 2)
    assert response["ETag"] == Case.objects.get(id=case.id).etag != case.etag
    assert "select" not in body["allowed_actions"]  # a caseworker may not select
    rows = AuditEvent.objects.filter(event_type=AuditEventType.CASE_TRANSITIONED)
    assert rows.count() == before + 1
    row = rows.last()
    assert (row.case_id, row.data["action"], row.actor_username) == (
        case.id,
        "recommend",
        "xk_caseworker",
    )


def test_a_transition_records_the_reason_and_the_payload_reaches_the_service(api, world, case):
    response = api.transition(
        case,
        world.user("xk_caseworker"),
        {
            "action": "recommend",
            "reason": "Meets the criteria",
            "payload": {"recommendation": "select"},
        },
    )
    assert response.status_code == 200, response.content
    row = AuditEvent.objects.filter(event_type=AuditEventType.CASE_TRANSITIONED).last()
    assert row.data["reason"] == "Meets the criteria"
    assert row.data["recommendation"] == "select"


@pytest.mark.parametrize(
    ("action", "user", "payload", "loc"),
    [
        ("withdraw", "us_caseworker", {"note": "self-departed"}, ["note"]),
        ("recommend", "xk_caseworker", {"recommendation": "maybe"}, ["recommendation"]),
        ("recommend", "xk_caseworker", {"recommendation": "select", "extra": 1}, ["extra"]),
    ],
)
def test_a_payload_the_action_does_not_take_is_refused_naming_the_field_and_writes_nothing(
    api, world, case, action, user, payload, loc
):
    before = snapshot(case)
    response = api.transition(
        case, world.user(user), {"action": action, "reason": "r", "payload": payload}
    )
    problem = assert_problem(response, 422, "validation-failed")
    assert [e["loc"] for e in problem["errors"]] == [["body", "payload", "payload", *loc]]
    assert snapshot(case) == before


def test_if_match_star_accepts_any_current_version(api, world, case):
    response = api.transition(
        case, world.user("xk_caseworker"), {"action": "recommend"}, if_match="*"
    )
    assert response.status_code == 200


# Tenancy and roles: refused, then the one thing changed, allowed -----------------------------


def test_an_outsider_cannot_find_the_case_and_a_party_can_act_on_it(api, world, case):
    before = snapshot(case)
    refused = api.transition(case, world.user("me_caseworker"), {"action": "recommend"})
    assert_problem(refused, 404, "not-found")
    assert snapshot(case) == before
    allowed = api.transition(case, world.user("xk_caseworker"), {"action": "recommend"})
    assert allowed.status_code == 200


def test_the_wrong_party_is_forbidden_and_the_right_one_allowed(api, world, case):
    before = snapshot(case)
    refused = api.transition(case, world.user("us_caseworker"), {"action": "recommend"})
    assert_problem(refused, 403, "wrong-party")
    assert snapshot(case) == before
    assert (
        api.transition(case, world.user("xk_caseworker"), {"action": "recommend"}).status_code
        == 200
    )


def test_the_wrong_role_is_forbidden_and_the_right_one_allowed(api, world, case):
    recommended(world, case)
    before = snapshot(case)
    refused = api.transition(case, world.user("xk_caseworker"), {"action": "select"})
    assert_problem(refused, 403, "wrong-role")
    assert snapshot(case) == before
    assert (
        api.transition(case, world.user("xk_supervisor"), {"action": "select"}).status_code == 200
    )


def test_an_auditor_reads_but_may_not_act(api, world, case):
    # The read itself is audited (the other party's person); the refused action writes nothing.
    assert api.get(f"/api/v1/cases/{case.id}", world.user("xk_auditor")).status_code == 200
    before = snapshot(case)
    refused = api.transition(case, world.user("xk_auditor"), {"action": "recommend"})
    assert_problem(refused, 403, "wrong-role")
    assert snapshot(case) == before


def test_an_administrator_cannot_find_the_case(api, world, case):
    before = snapshot(case)
    refused = api.transition(case, world.user("xk_administrator"), {"action": "recommend"})
    assert_problem(refused, 404, "not-found")
    assert snapshot(case) == before


# Rules --------------------------------------------------------------------------------------


def test_select_without_recommend_is_refused_by_the_workflow(api, world, case):
    before = snapshot(case)
    refused = api.transition(case, world.user("xk_supervisor"), {"action": "select"})
    body = assert_problem(refused, 409, "workflow")
    assert body["rule"] == "workflow"
    assert "proposed" in body["detail"]
    assert snapshot(case) == before


def test_a_selection_beyond_the_quota_is_refused_naming_the_quota(api, world):
    agreement = make_agreement(
        world.us,
        world.xk,
        terms={"quota": {"limit": 1, "period": "rolling_year"}},
        in_force_from=clock.today() - dt.timedelta(days=30),
    )
    first, second = make_case(agreement), make_case(agreement)
    for case in (first, second):
        recommended(world, case)
    supervisor = world.user("xk_supervisor")
    assert api.transition(first, supervisor, {"action": "select"}).status_code == 200
    before = snapshot(second)
    refused = api.transition(second, supervisor, {"action": "select"})
    body = assert_problem(refused, 409, "quota-exceeded")
    assert body["rule"] == "quota-exceeded"
    assert snapshot(second) == before


def test_a_legal_hold_blocks_a_transfer_until_lifted(api, world, case):
    recommended(world, case)
    case_transition(case_id=case.id, action="select", acting_user=world.user("xk_supervisor"))
    sender = world.user("us_caseworker")
    placed = api.transition(
        case,
        sender,
        {
            "action": "place_legal_hold",
            "reason": "Court challenge filed",
            "payload": {
                "kind": "court_challenge",
                "reference": "Appeal 12/2026",
                "authority": "Court (fictional)",
                "decided_on": "2024-03-01",
            },
        },
    )
    assert placed.status_code == 200, placed.content
    assert placed.json()["legal_hold"] is True
    assert "schedule_transfer" not in placed.json()["allowed_actions"]
    before = snapshot(case)
    assert_problem(api.transition(case, sender, {"action": "schedule_transfer"}), 409, "legal-hold")
    assert snapshot(case) == before
    lifted = api.transition(
        case, world.user("us_supervisor"), {"action": "lift_legal_hold", "reason": "Dismissed"}
    )
    assert lifted.status_code == 200, lifted.content
    assert "schedule_transfer" in lifted.json()["allowed_actions"]


def test_an_unknown_action_is_refused_naming_action_and_the_known_ones(api, world, case):
    before = snapshot(case)
    body = assert_problem(
        api.transition(case, world.user("xk_caseworker"), {"action": "teleport"}),
        422,
        "validation-failed",
    )
    assert [e["loc"] for e in body["errors"]] == [["body", "payload", "action"]]
    assert "recommend" in body["errors"][0]["msg"]
    assert snapshot(case) == before


def test_an_action_of_another_kind_of_case_is_refused_by_the_workflow(api, world, case):
    before = snapshot(case)
    body = assert_problem(
        api.transition(case, world.user("xk_caseworker"), {"action": "acknowledge"}),
        409,
        "unknown-action",
    )
    assert "recommend" in body["detail"]
    assert snapshot(case) == before


# Preconditions ------------------------------------------------------------------------------


def test_a_stale_if_match_is_refused_with_412(api, world, case):
    stale = case.etag
    recommended(world, case)
    before = snapshot(case)
    refused = api.transition(
        case, world.user("xk_supervisor"), {"action": "select"}, if_match=stale
    )
    assert_problem(refused, 412, "precondition-failed")
    assert snapshot(case) == before


@pytest.mark.parametrize("if_match", ['W/"{etag}"', "{bare}", '"someone-else-1"', "garbage"])
def test_an_if_match_that_is_weak_or_not_this_cases_etag_is_refused_with_412(
    api, world, case, if_match
):
    etag = case.etag
    header = if_match.format(etag=etag.strip('"'), bare=etag.strip('"'))
    before = snapshot(case)
    refused = api.transition(
        case, world.user("xk_caseworker"), {"action": "recommend"}, if_match=header
    )
    assert_problem(refused, 412, "precondition-failed")
    assert snapshot(case) == before


def test_a_transition_without_if_match_is_refused_with_428(api, world, case):
    before = snapshot(case)
    refused = api.transition(
        case, world.user("xk_caseworker"), {"action": "recommend"}, if_match=None
    )
    assert_problem(refused, 428, "precondition-required")
    assert snapshot(case) == before
    assert (
        api.transition(case, world.user("xk_caseworker"), {"action": "recommend"}).status_code
        == 200
    )


def test_a_stale_etag_of_a_case_that_is_not_yours_answers_404_not_412(api, world, case):
    refused = api.transition(
        case,
        world.user("me_caseworker"),
        {"action": "recommend"},
        if_match='"00000000-0000-0000-0000-000000000000-1"',
    )
    assert_problem(refused, 404, "not-found")


# Malformed bodies ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({}, ["body", "payload", "action"]),
        ({"reason": "no action"}, ["body", "payload", "action"]),
        ({"action": 42}, ["body", "payload", "action"]),
        ({"action": ""}, ["body", "payload", "action"]),
        ({"action": "recommend", "reason": ["a", "list"]}, ["body", "payload", "reason"]),
        ({"action": "recommend", "payload": "not an object"}, ["body", "payload", "payload"]),
        ({"action": "recommend", "reasn": "typo"}, ["body", "payload", "reasn"]),
    ],
)
def test_a_malformed_body_is_refused_naming_the_field(api, world, case, body, loc):
    before = snapshot(case)
    response = api.transition(case, world.user("xk_caseworker"), body)
    problem = assert_problem(response, 422, "validation-failed")
    assert [e["loc"] for e in problem["errors"]] == [loc]
    assert all(e["msg"] for e in problem["errors"])
    assert snapshot(case) == before


def test_a_body_that_is_not_json_is_refused_naming_the_body(api, world, case):
    before = snapshot(case)
    response = api.transition(case, world.user("xk_caseworker"), '{"action": "recommend"', raw=True)
    problem = assert_problem(response, 422, "validation-failed")
    assert problem["errors"] == [{"loc": ["body"], "msg": "malformed JSON"}]
    assert snapshot(case) == before


def test_an_action_that_needs_a_reason_is_refused_without_one_naming_reason(api, world, case):
    before = snapshot(case)
    response = api.transition(case, world.user("us_caseworker"), {"action": "withdraw"})
    problem = assert_problem(response, 422, "validation-failed")
    assert [e["loc"] for e in problem["errors"]] == [["body", "payload", "reason"]]
    assert snapshot(case) == before
