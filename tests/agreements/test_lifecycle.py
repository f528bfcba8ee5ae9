"""The agreement lifecycle: every status change the table allows, every one it refuses."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from readmit.agreements import lifecycle
from readmit.agreements.lifecycle import TRANSITIONS, Status
from readmit.agreements.models import (
    Agreement,
    AgreementStatusChange,
    NoticeState,
    TerminationNotice,
)
from readmit.agreements.selectors import status_history
from readmit.agreements.services import (
    agreement_create,
    agreement_set_status,
    termination_notice_give,
    termination_notice_withdraw,
    termination_notices_due,
)
from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.core import clock
from readmit.core.errors import Forbidden, NotFound, TransitionRefused, ValidationFailed
from tests.factories import SYSTEM, make_case

D = dt.date
PAIRS = list(itertools.product(Status, Status))
MARCH_1 = D(2026, 3, 1)
ALLOWED = [(a, b) for a, b in PAIRS if b in TRANSITIONS[a]]
# An agreement in force (or suspended) ends by a notice of termination, never at once.
BY_NOTICE = [(a, b) for a, b in ALLOWED if b == Status.ENDED and a in lifecycle.ENDS_BY_NOTICE]
DIRECT = [pair for pair in ALLOWED if pair not in BY_NOTICE]
FORBIDDEN = [(a, b) for a, b in PAIRS if b not in TRANSITIONS[a]]


def draft(world, status: str = Status.APPROACHED, **dates: dt.date) -> Agreement:
    return agreement_create(
        reference=f"draft-{status}-{AuditEvent.objects.count()}",
        title="Draft",
        kind="relocation",
        sending=world.us,
        receiving=world.xk,
        terms={"quota": {"limit": 50}},
        acting_user=SYSTEM,
        status=status,
        **dates,
    )


def written() -> tuple[int, int, int]:
    return (
        AuditEvent.objects.count(),
        AgreementStatusChange.objects.count(),
        TerminationNotice.objects.count(),
    )


def give_notice(world, agreement: Agreement, user: str = "us_supervisor") -> TerminationNotice:
    return termination_notice_give(
        agreement=agreement,
        reason="the programme ends",
        source="Note verbale 12/2026",
        acting_user=world.user(user),
    )


def set_status(
    world,
    agreement: Agreement,
    status: str,
    *,
    on: dt.date = MARCH_1,
    user: str = "xk_supervisor",
    reason: str = "as reported",
    source: str = "note",
    ground: str = "court_order",
    ground_reference: str = "Constitutional Court KI-1/26",
):
    return agreement_set_status(
        agreement=agreement,
        status=status,
        on=on,
        source=source,
        reason=reason,
        ground=ground,
        ground_reference=ground_reference,
        acting_user=world.user(user),
    )


# The table -----------------------------------------------------------------------------------


def test_the_main_line_runs_from_approached_to_ended():
    path = [
        Status.APPROACHED,
        Status.NEGOTIATING,
        Status.SIGNED,
        Status.IN_FORCE,
        Status.SUSPENDED,
        Status.IN_FORCE,
        Status.ENDED,
    ]
    for current, target in itertools.pairwise(path):
        assert lifecycle.check_status_change(current, target) == target


def test_every_status_but_ended_can_end_and_nothing_leaves_ended():
    assert all(Status.ENDED in TRANSITIONS[s] for s in Status if s != Status.ENDED)
    assert {Status.ENDED} == lifecycle.FINAL


@pytest.mark.parametrize(("current", "target"), FORBIDDEN)
def test_the_table_refuses_every_other_change_naming_the_rule(current, target):
    with pytest.raises(TransitionRefused) as refused:
        lifecycle.check_status_change(current, target)
    assert refused.value.rule == "agreement-lifecycle"
    assert f"'{current}' cannot become '{target}'" in refused.value.message


def test_an_unknown_status_is_refused_with_the_known_ones_listed():
    with pytest.raises(TransitionRefused) as refused:
        lifecycle.check_status_change("approached", "ratified")
    assert "known statuses: approached, negotiating" in refused.value.message


def test_the_statuses_match_the_models_choices():
    from readmit.agreements.models import AgreementStatus

    assert [s.value for s in Status] == list(AgreementStatus.values)


# The service, every pair ---------------------------------------------------------------------


@pytest.mark.parametrize(("current", "target"), DIRECT)
def test_every_allowed_change_is_made_recorded_and_audited(world, current, target):
    agreement = draft(world, current)
    before_audit, before_changes, _ = written()
    changed = set_status(world, agreement, target, on=D(2026, 3, 1))
    assert changed.status == target
    change = AgreementStatusChange.objects.get(agreement=agreement)
    assert (
        change.on,
        change.from_status,
        change.to_status,
        change.source,
        change.reason,
        change.changed_by,
    ) == (D(2026, 3, 1), current, target, "note", "as reported", world.user("xk_supervisor"))
    event = AuditEvent.objects.get(seq=before_audit + 1)
    assert event.event_type == AuditEventType.AGREEMENT_STATUS_CHANGED
    assert event.agreement_id == agreement.id
    assert event.organisation_id == world.xk.id
    assert (event.data["from"], event.data["to"], event.data["on"]) == (
        current,
        target,
        "2026-03-01",
    )
    assert written()[:2] == (before_audit + 1, before_changes + 1)


@pytest.mark.parametrize(("current", "target"), FORBIDDEN)
def test_every_forbidden_change_is_refused_and_writes_nothing(world, current, target):
    agreement = draft(world, current)
    before = written()
    with pytest.raises(TransitionRefused) as refused:
        set_status(world, agreement, target)
    assert refused.value.rule == "agreement-lifecycle"
    assert written() == before
    agreement.refresh_from_db()
    assert agreement.status == current


# Dates ---------------------------------------------------------------------------------------


def test_signing_entering_into_force_and_ending_record_their_dates(world):
    agreement = draft(world, Status.NEGOTIATING)
    set_status(world, agreement, Status.SIGNED, on=D(2026, 2, 1))
    set_status(world, agreement, Status.IN_FORCE, on=D(2026, 3, 15))
    notice = give_notice(world, agreement)
    assert termination_notices_due(today=notice.takes_effect_on) == 1
    agreement.refresh_from_db()
    assert (agreement.signed_on, agreement.in_force_from, agreement.ends_on) == (
        D(2026, 2, 1),
        D(2026, 3, 15),
        notice.takes_effect_on,
    )
    assert [(c.from_status, c.to_status) for c in status_history(agreement)] == [
        ("negotiating", "signed"),
        ("signed", "in_force"),
        ("in_force", "ended"),
    ]


def test_resuming_after_a_suspension_keeps_the_first_entry_into_force(world):
    agreement = world.agreement
    set_status(world, agreement, Status.SUSPENDED, on=D(2026, 4, 1))
    set_status(world, agreement, Status.IN_FORCE, on=D(2026, 5, 1))
    agreement.refresh_from_db()
    assert agreement.status == Status.IN_FORCE
    assert agreement.in_force_from == D(2026, 1, 1)


def test_a_suspended_agreement_opens_no_cases_until_it_resumes(world):
    set_status(world, world.agreement, Status.SUSPENDED, on=D(2026, 4, 1))
    world.agreement.refresh_from_db()
    with pytest.raises(TransitionRefused) as refused:
        make_case(world.agreement)
    assert refused.value.rule == "agreement-not-in-force"
    set_status(world, world.agreement, Status.IN_FORCE, on=D(2026, 5, 1))
    world.agreement.refresh_from_db()
    assert make_case(world.agreement).state == "proposed"


def test_a_date_in_the_future_is_refused(world):
    before = written()
    with pytest.raises(ValidationFailed) as refused:
        set_status(
            world, world.agreement, Status.SUSPENDED, on=clock.today() + dt.timedelta(days=1)
        )
    assert refused.value.errors[0]["loc"] == ["on"]
    assert written() == before


def test_a_date_before_the_last_recorded_one_is_refused(world):
    agreement = draft(world, Status.NEGOTIATING)
    set_status(world, agreement, Status.SIGNED, on=D(2026, 3, 1))
    before = written()
    with pytest.raises(ValidationFailed) as refused:
        set_status(world, agreement, Status.IN_FORCE, on=D(2026, 2, 28))
    assert refused.value.errors[0]["loc"] == ["on"]
    assert "2026-03-01" in refused.value.message
    assert written() == before
    set_status(world, agreement, Status.IN_FORCE, on=D(2026, 3, 1))


@pytest.mark.parametrize("target", [Status.SUSPENDED, Status.ENDED])
def test_suspending_or_ending_needs_a_reason(world, target):
    agreement = world.agreement if target == Status.SUSPENDED else draft(world, Status.SIGNED)
    before = written()
    with pytest.raises(ValidationFailed) as refused:
        set_status(world, agreement, target, reason="  ")
    assert refused.value.errors[0]["loc"] == ["reason"]
    assert written() == before


def test_a_status_change_needs_a_source(world):
    agreement = draft(world)
    with pytest.raises(ValidationFailed) as refused:
        set_status(world, agreement, Status.NEGOTIATING, source=" ")
    assert refused.value.errors[0]["loc"] == ["source"]
    set_status(
        world, agreement, Status.NEGOTIATING, source="Press release of 2026-02-01", reason=""
    )


# Who may ------------------------------------------------------------------------------------


def test_a_non_party_cannot_change_the_status_and_a_party_supervisor_can(world):
    agreement = draft(world)
    before = written()
    with pytest.raises(NotFound):
        set_status(world, agreement, Status.NEGOTIATING, user="me_supervisor")
    with pytest.raises(NotFound):
        set_status(world, agreement.id, Status.NEGOTIATING, user="me_administrator")
    assert written() == before
    assert (
        set_status(world, agreement, Status.NEGOTIATING, user="us_supervisor").status
        == Status.NEGOTIATING
    )


@pytest.mark.parametrize("role", ["caseworker", "liaison", "auditor"])
def test_only_a_supervisor_or_administrator_may_change_the_status(world, role):
    agreement = draft(world)
    before = written()
    with pytest.raises(Forbidden) as refused:
        set_status(world, agreement, Status.NEGOTIATING, user=f"xk_{role}")
    assert refused.value.type == "wrong-role"
    assert written() == before
    assert (
        set_status(world, agreement, Status.NEGOTIATING, user="xk_administrator").status
        == Status.NEGOTIATING
    )


def test_an_agreement_id_is_accepted_as_well_as_the_agreement(world):
    agreement = draft(world)
    changed = set_status(world, str(agreement.id), Status.NEGOTIATING)
    assert changed.id == agreement.id and changed.status == Status.NEGOTIATING


# Ending by notice and suspending on a ground (issue #8, finding 13) ---------------------------


@pytest.mark.parametrize(("current", "target"), BY_NOTICE)
def test_an_agreement_in_force_is_never_ended_at_once_by_one_party(world, current, target):
    """Finding 13: a US supervisor ended agreements at once, one back-dated to 2000-01-01."""
    agreement = draft(world, current, in_force_from=D(2026, 1, 1))
    before = written()
    for on in (D(2000, 1, 1), clock.today()):
        with pytest.raises(TransitionRefused) as refused:
            set_status(world, agreement, target, on=on, user="us_supervisor")
        assert refused.value.rule == "termination-notice"
        assert "180 days" in refused.value.message
    assert written() == before
    agreement.refresh_from_db()
    assert (agreement.status, agreement.ends_on) == (current, None)


def test_the_default_notice_period_is_180_days_and_the_terms_can_set_another():
    from readmit.agreements.terms import AgreementTerms

    assert AgreementTerms().termination_notice_days == 180
    assert AgreementTerms(termination_notice_days=90).termination_notice_days == 90
    with pytest.raises(ValueError, match="termination_notice_days"):
        AgreementTerms.model_validate({"termination_notice_days": 0})


def test_a_notice_of_termination_ends_the_agreement_only_after_the_notice_period(world):
    agreement = draft(world, Status.IN_FORCE, in_force_from=D(2026, 1, 1))
    before_audit = AuditEvent.objects.count()
    notice = give_notice(world, agreement)
    assert notice.given_on == clock.today()
    assert notice.takes_effect_on == clock.today() + dt.timedelta(days=180)
    event = AuditEvent.objects.get(seq=before_audit + 1)
    assert event.event_type == AuditEventType.TERMINATION_NOTICE_GIVEN
    assert event.agreement_id == agreement.id
    assert event.data["takes_effect_on"] == notice.takes_effect_on.isoformat()
    day_before = notice.takes_effect_on - dt.timedelta(days=1)
    assert termination_notices_due(today=day_before) == 0
    agreement.refresh_from_db()
    assert agreement.status == Status.IN_FORCE
    assert termination_notices_due(today=notice.takes_effect_on) == 1
    assert termination_notices_due(today=notice.takes_effect_on) == 0  # once
    agreement.refresh_from_db()
    assert (agreement.status, agreement.ends_on) == (Status.ENDED, notice.takes_effect_on)
    change = status_history(agreement).last()
    assert change is not None and change.changed_by is None
    assert (change.from_status, change.to_status, change.on) == (
        "in_force",
        "ended",
        notice.takes_effect_on,
    )
    assert "Note verbale 12/2026" in change.source
    notice.refresh_from_db()
    assert notice.state == NoticeState.EFFECTIVE


def test_a_notice_is_withdrawn_only_by_the_party_that_gave_it_and_only_before_it_takes_effect(
    world, monkeypatch
):
    agreement = draft(world, Status.IN_FORCE, in_force_from=D(2026, 1, 1))
    notice = give_notice(world, agreement)
    before = written()
    with pytest.raises(TransitionRefused) as twice:
        give_notice(world, agreement, user="xk_supervisor")
    assert twice.value.rule == "termination-notice"
    with pytest.raises(Forbidden) as refused:
        termination_notice_withdraw(
            agreement=agreement, reason="no", acting_user=world.user("xk_supervisor")
        )
    assert refused.value.type == "wrong-party"
    with pytest.raises(ValidationFailed) as no_reason:
        termination_notice_withdraw(
            agreement=agreement, reason="", acting_user=world.user("us_supervisor")
        )
    assert no_reason.value.errors[0]["loc"] == ["reason"]
    assert written() == before
    withdrawn = termination_notice_withdraw(
        agreement=agreement, reason="talks resumed", acting_user=world.user("us_administrator")
    )
    assert withdrawn.state == NoticeState.WITHDRAWN
    assert AuditEvent.objects.last().event_type == AuditEventType.TERMINATION_NOTICE_WITHDRAWN  # type: ignore[union-attr]
    assert termination_notices_due(today=notice.takes_effect_on) == 0
    agreement.refresh_from_db()
    assert agreement.status == Status.IN_FORCE

    second = give_notice(world, agreement)
    monkeypatch.setattr(clock, "today", lambda: second.takes_effect_on)
    with pytest.raises(TransitionRefused) as late:
        termination_notice_withdraw(
            agreement=agreement, reason="too late", acting_user=world.user("us_supervisor")
        )
    assert "can no longer be withdrawn" in late.value.message


def test_giving_notice_needs_a_party_supervisor(world):
    agreement = draft(world, Status.IN_FORCE, in_force_from=D(2026, 1, 1))
    before = written()
    with pytest.raises(NotFound):
        give_notice(world, agreement, user="me_supervisor")
    with pytest.raises(Forbidden) as refused:
        give_notice(world, agreement, user="us_caseworker")
    assert refused.value.type == "wrong-role"
    with pytest.raises(TransitionRefused) as not_in_force:
        give_notice(world, draft(world, Status.NEGOTIATING))
    assert not_in_force.value.rule == "agreement-lifecycle"
    assert written()[2] == before[2]


def test_a_suspension_names_a_court_order_with_its_reference_or_a_ground_the_terms_list(world):
    agreement = world.agreement
    before = written()
    for ground, reference, loc in (
        ("", "", "ground"),
        ("politics", "", "ground"),
        ("court_order", " ", "ground_reference"),
    ):
        with pytest.raises(ValidationFailed) as refused:
            set_status(
                world, agreement, Status.SUSPENDED, ground=ground, ground_reference=reference
            )
        assert refused.value.errors[0]["loc"] == [loc]
    assert written() == before
    set_status(world, agreement, Status.SUSPENDED, on=D(2026, 4, 1))
    change = status_history(agreement).last()
    assert change is not None
    assert (change.ground, change.ground_reference) == (
        "court_order",
        "Constitutional Court KI-1/26",
    )
    event = AuditEvent.objects.last()
    assert event is not None and event.data["ground_reference"] == "Constitutional Court KI-1/26"
    set_status(world, agreement, Status.IN_FORCE, on=D(2026, 4, 2))
    listed = agreement_create(
        reference="listed-grounds",
        title="Listed grounds",
        kind="relocation",
        sending=world.us,
        receiving=world.xk,
        terms={"suspension_grounds": ["public health emergency"]},
        acting_user=SYSTEM,
        status=Status.IN_FORCE,
        in_force_from=D(2026, 1, 1),
    )
    set_status(world, listed, Status.SUSPENDED, ground="public health emergency")
    listed.refresh_from_db()
    assert listed.status == Status.SUSPENDED
