"""Decision support on proposal lists and families, through the services and our own API:
the predicates the pages ask agree with what the service refuses; bulk actions take each case
through the one transition service; a supervisor reconsiders a decline; a family travels on
one date."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db import transaction
from django.test import Client

from readmit.accounts.access import standing
from readmit.agreements.selectors import quota_status
from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.cases.access import action_refusal, quota_refusal, transition_refusal
from readmit.cases.models import Case
from readmit.cases.services import case_transition
from readmit.core import clock
from readmit.core.errors import ApplicationError, Forbidden, TransitionRefused, ValidationFailed
from readmit.relocation.access import family_date_refusal, family_schedule_refusal
from readmit.relocation.decisions import (
    ListFilters,
    list_board,
    list_bulk_transition,
    selection_quota_impact,
)
from readmit.relocation.models import ProposalList
from readmit.relocation.services import family_schedule_transfer
from tests.exchange.conftest import Api, assert_problem
from tests.relocation.conftest import act, kosovo, person, select, submit, transfer_payload

ACTIONS = ("recommend", "select", "decline", "reconsider", "withdraw", "schedule_transfer")
USERS = ("xk_caseworker", "xk_supervisor", "us_caseworker", "us_supervisor")
PAYLOADS = {
    "recommend": {"recommendation": "select"},
    "reconsider": {"ground": "declined_in_error"},
    "schedule_transfer": transfer_payload(),
}


def _service_refusal(case: Case, action: str, user) -> ApplicationError | None:  # type: ignore[no-untyped-def]
    """What the service answers, undone afterwards so every pair starts from the same case."""
    savepoint = transaction.savepoint()
    try:
        case_transition(
            case_id=case.id,
            action=action,
            acting_user=user,
            reason="Checked against the list.",
            payload=PAYLOADS.get(action),
        )
    except ApplicationError as exc:
        return exc
    finally:
        transaction.savepoint_rollback(savepoint)
    return None


TABLE_RULES = {"workflow", "legal-hold", "agreement-not-in-force", "unknown-action"}


def test_the_predicate_the_pages_ask_and_the_transition_service_refuse_alike(world, agreement):
    proposed, recommended, declined, selected = submit(
        world, agreement, [person() for _ in range(4)]
    ).cases
    act(recommended, "recommend", world.user("xk_caseworker"))
    act(declined, "decline", world.user("xk_supervisor"), reason="Declined in the test.")
    select(world, selected)
    checked = 0
    for case, action, key in itertools.product(
        (proposed, recommended, declined, selected), ACTIONS, USERS
    ):
        case = Case.objects.select_related("agreement").get(id=case.id)
        user = world.user(key)
        predicted = transition_refusal(case, action, standing(user, case.agreement))
        got = _service_refusal(case, action, user)
        if predicted is not None:
            assert got is not None, (case.state, action, key)
            assert (type(got), got.type) == (type(predicted), predicted.type), (action, key)
            assert got.message == predicted.message
        else:
            # The table and the agreement allow it: only a data rule of a hook may refuse.
            assert got is None or getattr(got, "rule", "") not in TABLE_RULES, (action, key)
        checked += 1
    assert checked == 4 * len(ACTIONS) * len(USERS)


def test_the_quota_predicate_names_the_refusal_the_selection_meets(world):
    agreement = kosovo(world, quota={"limit": 1, "period": "rolling_year"})
    first, second = submit(world, agreement, [person(), person()]).cases
    status = quota_status(agreement)
    assert status is not None
    assert quota_refusal(status, agreement=agreement, day=clock.today()) is None
    select(world, first)
    status = quota_status(agreement)
    assert status is not None
    predicted = quota_refusal(status, agreement=agreement, day=clock.today())
    assert predicted is not None and predicted.rule == "quota-exceeded"
    act(second, "recommend", world.user("xk_caseworker"))
    with pytest.raises(TransitionRefused) as refused:
        act(second, "select", world.user("xk_supervisor"))
    assert refused.value.rule == "quota-exceeded"
    assert refused.value.message == predicted.message


def test_the_quota_impact_of_a_selection_is_what_would_be_left(world):
    agreement = kosovo(world, quota={"limit": 3, "period": "rolling_year"})
    one = submit(world, agreement, [person()]).cases[0]
    select(world, one)
    impact = selection_quota_impact(agreement, 2)
    assert (impact.left, impact.refused, impact.refusal) == (0, 0, None)
    over = selection_quota_impact(agreement, 5)
    assert over.refusal is not None and over.refusal.rule == "quota-exceeded"
    assert over.refused == 3


def test_the_list_board_counts_and_filters_by_criteria_nationality_and_family(world, agreement):
    people = [
        person(nationalities=["VE"], family_group="FAM-A"),
        person(nationalities=["VE"], family_group="FAM-A"),
        person(nationalities=["CO"], pending_cases=True),
        person(nationalities=["CO"], pending_cases=None),
    ]
    result = submit(world, agreement, people)
    proposal_list = ProposalList.objects.get(id=result.proposal_list.id)
    user = world.user("xk_caseworker")
    board = list_board(user, proposal_list, ListFilters())
    assert board.counts == {"pass": 2, "fail": 1, "unknown": 1, "not_evaluated": 0}
    assert board.total == 4 and len(board.rows) == 4
    assert [
        r.outcome for r in list_board(user, proposal_list, ListFilters(outcome="fail")).rows
    ] == ["fail"]
    colombians = list_board(user, proposal_list, ListFilters(nationality="CO")).rows
    assert {r.case.id for r in colombians} == {c.id for c in result.cases[2:]}
    family = list_board(user, proposal_list, ListFilters(family="FAM-A")).rows
    assert {r.case.id for r in family} == {c.id for c in result.cases[:2]}
    assert len(list_board(user, proposal_list, ListFilters(family="any")).rows) == 2
    not_screened = list_board(user, proposal_list, ListFilters(screening="not_screened")).rows
    assert len(not_screened) == 4  # the agreement screens against no watchlist


def test_the_board_shows_select_refused_to_a_caseworker_and_open_to_a_supervisor(world, agreement):
    result = submit(world, agreement, [person()])
    act(result.cases[0], "recommend", world.user("xk_caseworker"))
    proposal_list = ProposalList.objects.get(id=result.proposal_list.id)
    caseworker = list_board(world.user("xk_caseworker"), proposal_list, ListFilters()).rows[0]
    supervisor = list_board(world.user("xk_supervisor"), proposal_list, ListFilters()).rows[0]
    refusal = caseworker.refusals["select"]
    assert isinstance(refusal, Forbidden) and refusal.type == "wrong-role"
    assert supervisor.refusals["select"] is None
    assert supervisor.refusals["recommend"] is not None  # already recommended: workflow
    assert supervisor.refusals["recommend"].type == "workflow"  # type: ignore[union-attr]


# Bulk actions ------------------------------------------------------------------------------


def test_a_bulk_selection_takes_each_case_through_the_service_and_lists_each_refusal(world):
    agreement = kosovo(world, quota={"limit": 2, "period": "rolling_year"})
    result = submit(world, agreement, [person(), person(pending_cases=True), person(), person()])
    ok1, failing, ok2, ok3 = result.cases
    proposal_list = ProposalList.objects.get(id=result.proposal_list.id)
    recommended = list_bulk_transition(
        proposal_list=proposal_list,
        case_ids=[c.id for c in result.cases],
        action="recommend",
        reason="Fits the profile.",
        acting_user=world.user("xk_caseworker"),
    )
    assert len(recommended.done) == 4 and not recommended.refused
    before = AuditEvent.objects.filter(event_type=AuditEventType.CASE_TRANSITIONED).count()
    outcome = list_bulk_transition(
        proposal_list=proposal_list,
        case_ids=[c.id for c in result.cases],
        action="select",
        reason="Selected from the list.",
        acting_user=world.user("xk_supervisor"),
    )
    assert [c.id for c in outcome.done] == [ok1.id, ok2.id]
    assert [(r.case.id, r.rule) for r in outcome.refused] == [
        (failing.id, "criteria"),
        (ok3.id, "quota-exceeded"),
    ]
    states = dict(Case.objects.filter(agreement=agreement).values_list("id", "state"))
    assert [states[c.id] for c in result.cases] == [
        "selected",
        "recommended",
        "selected",
        "recommended",
    ]
    # Each case done is audited as its own transition, and the request once.
    after = AuditEvent.objects.filter(event_type=AuditEventType.CASE_TRANSITIONED).count()
    assert after - before == 2
    summary = AuditEvent.objects.filter(event_type=AuditEventType.LIST_BULK_ACTION).last()
    assert summary is not None and summary.data["action"] == "select"
    assert summary.data["refused"] == [
        {"case": str(failing.id), "rule": "criteria"},
        {"case": str(ok3.id), "rule": "quota-exceeded"},
    ]


def test_a_bulk_action_the_caller_can_never_take_is_refused_whole_and_writes_nothing(
    world, agreement
):
    result = submit(world, agreement, [person(), person()])
    proposal_list = ProposalList.objects.get(id=result.proposal_list.id)
    rows = AuditEvent.objects.count()
    for key, action, slug in (
        ("xk_caseworker", "decline", "wrong-role"),
        ("us_supervisor", "recommend", "wrong-party"),
    ):
        with pytest.raises(Forbidden) as refused:
            list_bulk_transition(
                proposal_list=proposal_list,
                case_ids=[c.id for c in result.cases],
                action=action,
                reason="Not for us.",
                acting_user=world.user(key),
            )
        assert refused.value.type == slug
        predicted = action_refusal(agreement.kind, action, standing(world.user(key), agreement))
        assert predicted is not None and predicted.type == slug
    assert AuditEvent.objects.count() == rows
    assert set(Case.objects.filter(agreement=agreement).values_list("state", flat=True)) == {
        "proposed"
    }


@pytest.mark.parametrize(
    ("action", "reason", "ids", "field"),
    [
        ("decline", "", "all", "reason"),
        ("select_all", "Go.", "all", "action"),
        ("recommend", "Go.", "none", "cases"),
        ("recommend", "Go.", "foreign", "cases"),
    ],
)
def test_bad_bulk_input_names_the_field_and_writes_nothing(
    world, agreement, action, reason, ids, field
):
    result = submit(world, agreement, [person(), person()])
    other = submit(world, agreement, [person()]).cases[0]
    proposal_list = ProposalList.objects.get(id=result.proposal_list.id)
    chosen = {
        "all": [c.id for c in result.cases],
        "none": [],
        "foreign": [result.cases[0].id, other.id],
    }
    rows = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        list_bulk_transition(
            proposal_list=proposal_list,
            case_ids=chosen[ids],
            action=action,
            reason=reason,
            acting_user=world.user("xk_supervisor"),
        )
    assert refused.value.errors[0]["loc"][-1] == field
    assert AuditEvent.objects.count() == rows


# Reconsidering a decline --------------------------------------------------------------------


def test_a_supervisor_reconsiders_a_decline_made_in_error_with_a_reason(world, agreement):
    api = Api(Client())
    case = submit(world, agreement, [person()]).cases[0]
    act(case, "decline", world.user("xk_supervisor"), reason="Wrong person declined.")
    body = {"action": "reconsider", "reason": "Declined in error: wrong row.", "payload": {}}
    missing = api.transition(case, world.user("xk_supervisor"), body)
    assert missing.status_code == 422 and "ground" in missing.content.decode()
    assert_problem(
        api.transition(
            case, world.user("xk_caseworker"), {**body, "payload": {"ground": "declined_in_error"}}
        ),
        403,
        "wrong-role",
    )
    assert_problem(
        api.transition(
            case, world.user("us_supervisor"), {**body, "payload": {"ground": "declined_in_error"}}
        ),
        403,
        "wrong-party",
    )
    assert_problem(
        api.transition(
            case, world.user("me_supervisor"), {**body, "payload": {"ground": "declined_in_error"}}
        ),
        404,
        "not-found",
    )
    no_reason = {"action": "reconsider", "reason": "", "payload": {"ground": "declined_in_error"}}
    assert api.transition(case, world.user("xk_supervisor"), no_reason).status_code == 422
    assert Case.objects.get(id=case.id).state == "declined"
    response = api.transition(
        case, world.user("xk_supervisor"), {**body, "payload": {"ground": "declined_in_error"}}
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "proposed"
    event = AuditEvent.objects.filter(
        event_type=AuditEventType.CASE_TRANSITIONED, case_id=case.id
    ).last()
    assert event is not None and event.data["action"] == "reconsider"
    assert event.data["reason"] == "Declined in error: wrong row."
    assert event.data["reconsidered"]["ground"] == "declined_in_error"
    assert event.data["reconsidered"]["declined_by"] == "xk_supervisor"


def test_reconsider_is_a_typed_member_of_the_transition_union_in_the_openapi_document(client):
    document = client.get("/api/v1/openapi.json").json()
    schemas = document["components"]["schemas"]
    union = [ref["$ref"].rsplit("/", 1)[-1] for ref in schemas["TransitionIn"]["oneOf"]]
    member = next(name for name in union if name == "TransitionReconsider")
    payload = schemas[member]["properties"]["payload"]
    text = str(payload) + str(schemas)
    assert "declined_in_error" in text and "new_facts" in text


# Families ------------------------------------------------------------------------------------


def test_members_of_one_family_on_different_transfer_dates_are_refused_in_the_api(world, agreement):
    first, second = submit(
        world, agreement, [person(family_group="FAM-D"), person(family_group="FAM-D")]
    ).cases
    select(world, first)
    select(world, second)
    act(first, "schedule_transfer", world.user("us_caseworker"), payload=transfer_payload(48))
    second = Case.objects.select_related("agreement").get(id=second.id)
    other_date = transfer_payload(72)
    predicted = family_date_refusal(second, dt.datetime.fromisoformat(other_date["planned_for"]))
    assert predicted is not None and predicted.rule == "family-date"
    api = Api(Client())
    body = {"action": "schedule_transfer", "reason": "", "payload": other_date}
    problem = assert_problem(
        api.transition(second, world.user("us_caseworker"), body), 409, "family-date"
    )
    assert first.reference in problem["detail"]
    assert Case.objects.get(id=second.id).state == "selected"
    same = Case.objects.get(id=first.id).transfer_plans.get().planned_for.isoformat()
    response = api.transition(
        second, world.user("us_caseworker"), {**body, "payload": transfer_payload(planned_for=same)}
    )
    assert response.status_code == 200, response.content


def test_the_whole_family_is_scheduled_for_one_date_each_member_audited(world, agreement):
    family = submit(world, agreement, [person(family_group="FAM-W") for _ in range(3)]).cases
    first = Case.objects.select_related("agreement").get(id=family[0].id)
    position = standing(world.user("us_caseworker"), first.agreement)
    refusal = family_schedule_refusal(first, position, at=clock.now())
    assert refusal is not None and refusal.type == "workflow"  # not selected yet
    for member in family:
        select(world, member)
    first.refresh_from_db()
    assert family_schedule_refusal(first, position, at=clock.now()) is None
    xk = standing(world.user("xk_caseworker"), first.agreement)
    wrong_party = family_schedule_refusal(first, xk, at=clock.now())
    assert wrong_party is not None and wrong_party.type == "wrong-party"
    scheduled = family_schedule_transfer(
        case=first, acting_user=world.user("us_caseworker"), payload=transfer_payload()
    )
    assert len(scheduled) == 3
    dates = {
        c.transfer_plans.get().planned_for
        for c in Case.objects.filter(id__in=[c.id for c in family])
    }
    assert len(dates) == 1
    transitions = AuditEvent.objects.filter(
        event_type=AuditEventType.CASE_TRANSITIONED,
        case_id__in=[c.id for c in family],
        data__action="schedule_transfer",
    )
    assert transitions.count() == 3
