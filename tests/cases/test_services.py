"""Services: the change and its audit row land together; a refusal writes nothing."""

from __future__ import annotations

import pytest

from readmit.accounts.roles import Role
from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.cases.models import Case, QuotaAllocation
from readmit.cases.services import case_transition
from readmit.core.errors import (
    ApplicationError,
    Forbidden,
    NotFound,
    PreconditionFailed,
    TransitionRefused,
    ValidationFailed,
)
from tests.factories import SYSTEM, make_agreement, make_case, make_user

TRANSFER = {
    "planned_for": "2099-01-15T08:00:00+00:00",
    "route": "charter flight to Pristina",
    "notice_language": "es",
}


def snapshot(case: Case) -> tuple[int, int, str, bool, int]:
    case.refresh_from_db()
    return (
        AuditEvent.objects.count(),
        case.version,
        case.state,
        case.legal_hold,
        QuotaAllocation.objects.count(),
    )


def test_a_transition_changes_the_state_and_writes_one_audit_row(world):
    case = make_case(world.agreement)
    before = AuditEvent.objects.count()
    case_transition(case_id=case.id, action="recommend", acting_user=world.user("xk_caseworker"))
    case.refresh_from_db()
    assert case.state == "recommended"
    assert case.version == 2
    rows = list(AuditEvent.objects.filter(seq__gt=before))
    assert len(rows) == 1
    assert rows[0].event_type == AuditEventType.CASE_TRANSITIONED
    assert rows[0].case_id == case.id
    assert rows[0].actor_username == "xk_caseworker"
    assert rows[0].data["from"] == "proposed"
    assert rows[0].data["to"] == "recommended"


@pytest.mark.parametrize(
    ("user", "action", "error"),
    [
        ("xk_caseworker", "select", TransitionRefused),  # not recommended yet
        ("us_caseworker", "recommend", Forbidden),  # wrong side
        ("xk_auditor", "recommend", Forbidden),  # read-only role
        ("xk_liaison", "recommend", Forbidden),  # role not in the table
        ("me_supervisor", "recommend", NotFound),  # not a party at all
        ("xk_administrator", "recommend", NotFound),  # administrators see no cases
        ("xk_caseworker", "fly_away", TransitionRefused),  # unknown action
    ],
)
def test_a_refused_transition_writes_nothing(world, user, action, error):
    case = make_case(world.agreement)
    before = snapshot(case)
    with pytest.raises(error):
        case_transition(case_id=case.id, action=action, acting_user=world.user(user))
    assert snapshot(case) == before


def test_a_reason_is_required_where_the_table_says_so_and_nothing_is_written_without(world):
    case = make_case(world.agreement)
    before = snapshot(case)
    with pytest.raises(ValidationFailed) as refused:
        case_transition(
            case_id=case.id, action="decline", reason="  ", acting_user=world.user("xk_supervisor")
        )
    assert refused.value.errors[0]["loc"] == ["reason"]
    assert snapshot(case) == before
    case_transition(
        case_id=case.id,
        action="decline",
        reason="fails public-order criterion",
        acting_user=world.user("xk_supervisor"),
    )
    assert Case.objects.get(id=case.id).state == "declined"


def test_a_stale_version_is_refused_and_writes_nothing(world):
    case = make_case(world.agreement)
    case_transition(case_id=case.id, action="recommend", acting_user=world.user("xk_caseworker"))
    before = snapshot(case)
    with pytest.raises(PreconditionFailed):
        case_transition(
            case_id=case.id,
            action="select",
            acting_user=world.user("xk_supervisor"),
            expected_version=1,
        )
    assert snapshot(case) == before


def test_a_legal_hold_blocks_transfer_until_lifted(world):
    case = make_case(world.agreement)
    sup, us = world.user("xk_supervisor"), world.user("us_caseworker")
    case_transition(case_id=case.id, action="recommend", acting_user=sup)
    case_transition(case_id=case.id, action="select", acting_user=sup)
    case_transition(
        case_id=case.id,
        action="place_legal_hold",
        acting_user=us,
        reason="court challenge",
        payload={
            "kind": "court_challenge",
            "reference": "2026-CV-0001",
            "authority": "Court (fictional)",
            "decided_on": "2024-03-01",
        },
    )
    before = snapshot(case)
    with pytest.raises(TransitionRefused) as refused:
        case_transition(
            case_id=case.id, action="schedule_transfer", acting_user=us, payload=TRANSFER
        )
    assert refused.value.rule == "legal-hold"
    assert snapshot(case) == before
    case_transition(
        case_id=case.id,
        action="lift_legal_hold",
        acting_user=world.user("us_supervisor"),
        reason="challenge dismissed",
    )
    case_transition(case_id=case.id, action="schedule_transfer", acting_user=us, payload=TRANSFER)
    assert Case.objects.get(id=case.id).state == "transfer_scheduled"


def _select(case: Case, user) -> None:
    case_transition(case_id=case.id, action="recommend", acting_user=user)
    case_transition(case_id=case.id, action="select", acting_user=user)


def test_the_selection_beyond_the_quota_is_refused_and_writes_nothing(world):
    agreement = make_agreement(
        world.us, world.xk, terms={"quota": {"limit": 2, "period": "rolling_year"}}
    )
    sup = make_user(world.xk, Role.SUPERVISOR)
    cases = [make_case(agreement) for _ in range(3)]
    _select(cases[0], sup)
    _select(cases[1], sup)
    case_transition(case_id=cases[2].id, action="recommend", acting_user=sup)
    before = snapshot(cases[2])
    with pytest.raises(TransitionRefused) as refused:
        case_transition(case_id=cases[2].id, action="select", acting_user=sup)
    assert refused.value.rule == "quota-exceeded"
    assert "2" in refused.value.message
    assert snapshot(cases[2]) == before


def test_a_withdrawal_frees_exactly_the_place_the_case_took(world):
    agreement = make_agreement(
        world.us, world.xk, terms={"quota": {"limit": 1, "period": "rolling_year"}}
    )
    sup = make_user(world.xk, Role.SUPERVISOR)
    sender = make_user(world.us, Role.CASEWORKER)
    first, second, third = (make_case(agreement) for _ in range(3))
    _select(first, sup)
    # Withdrawing a case that took no place frees nothing.
    case_transition(case_id=third.id, action="withdraw", acting_user=sender, reason="moved")
    case_transition(case_id=second.id, action="recommend", acting_user=sup)
    with pytest.raises(TransitionRefused):
        case_transition(case_id=second.id, action="select", acting_user=sup)
    case_transition(case_id=first.id, action="withdraw", acting_user=sender, reason="moved")
    live = QuotaAllocation.objects.filter(agreement=agreement, released_at__isnull=True)
    assert live.count() == 0
    case_transition(case_id=second.id, action="select", acting_user=sup)
    assert live.count() == 1


def test_no_case_opens_under_an_agreement_not_in_force(world):
    from readmit.cases.services import PersonInput, case_open, person_create

    agreement = make_agreement(world.us, world.xk, status="negotiating")
    person = person_create(
        data=PersonInput(family_name="Ficticia"), owner=world.us, acting_user=SYSTEM
    )
    with pytest.raises(TransitionRefused) as refused:
        case_open(agreement=agreement, person=person, acting_user=SYSTEM, organisation=world.us)
    assert refused.value.rule == "agreement-not-in-force"


def test_every_application_error_carries_a_status_and_a_type():
    for error in (
        NotFound("x"),
        Forbidden("x"),
        TransitionRefused("x", rule="quota-exceeded"),
        PreconditionFailed("x"),
        ValidationFailed("x"),
    ):
        assert isinstance(error, ApplicationError)
        assert error.status in {403, 404, 409, 412, 422}
        assert error.type


def test_a_suspended_agreement_refuses_selection_but_still_allows_withdrawal(world):
    from readmit.agreements.models import Agreement

    case = make_case(world.agreement)
    sup = world.user("xk_supervisor")
    case_transition(case_id=case.id, action="recommend", acting_user=sup)
    Agreement.objects.filter(id=world.agreement.id).update(status="suspended")
    before = snapshot(case)
    with pytest.raises(TransitionRefused) as refused:
        case_transition(case_id=case.id, action="select", acting_user=sup)
    assert refused.value.rule == "agreement-not-in-force"
    assert snapshot(case) == before
    case_transition(
        case_id=case.id,
        action="withdraw",
        reason="agreement suspended by a court",
        acting_user=world.user("us_caseworker"),
    )
    assert Case.objects.get(id=case.id).state == "withdrawn"


def test_a_full_quota_does_not_hide_the_criterion_that_really_refuses(world):
    agreement = make_agreement(
        world.us,
        world.xk,
        terms={
            "quota": {"limit": 0, "period": "rolling_year"},
            "criteria": [{"rule": "nationality_in", "params": {"codes": ["CU"]}}],
        },
    )
    sup = make_user(world.xk, Role.SUPERVISOR)
    case = make_case(agreement, nationality="VE")
    case_transition(case_id=case.id, action="recommend", acting_user=sup)
    with pytest.raises(TransitionRefused) as refused:
        case_transition(case_id=case.id, action="select", acting_user=sup)
    assert refused.value.rule == "criteria"
    eligible = make_case(agreement, nationality="CU")
    case_transition(case_id=eligible.id, action="recommend", acting_user=sup)
    with pytest.raises(TransitionRefused) as full:
        case_transition(case_id=eligible.id, action="select", acting_user=sup)
    assert full.value.rule == "quota-exceeded"
