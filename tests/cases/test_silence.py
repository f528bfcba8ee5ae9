"""Silence and lateness (issue #8, finding 8, and ``interview_provided`` of finding 9).

Silence means acceptance where the terms say so: the sweep deems the application accepted
(once, as the system), the transfer limit starts, and a late reply is refused. Elsewhere a
late reply is taken but stored and shown as late, never as met.
"""

from __future__ import annotations

import datetime as dt

import pytest

from readmit.audit.models import AuditEvent
from readmit.cases.models import Case, Deadline
from readmit.cases.services import case_transition
from readmit.cases.silence import deemed_acceptance_sweep, deemed_at
from readmit.cli import main
from readmit.core import clock
from readmit.core.errors import Forbidden, TransitionRefused
from readmit.deadlines import TimeLimit, Unit, WorkingCalendar, due
from tests.exchange.conftest import Api
from tests.factories import make_agreement, make_case

LIMITS = {
    "reply": {"amount": 12, "unit": "calendar_days", "start_event": "application received"},
    "transfer": {"amount": 3, "unit": "months"},
    "interview": {"amount": 7, "unit": "working_days"},
}


def agreement(world, *, silence: bool, interview: bool = True):  # type: ignore[no-untyped-def]
    return make_agreement(
        world.us,
        world.me,
        kind="readmission",
        terms={
            "time_limits": LIMITS,
            "silence_means_acceptance": silence,
            "interview_provided": interview,
        },
    )


def reply_due(case: Case) -> dt.date:
    return Deadline.objects.get(case=case, kind="reply").due_on


def move_clock(monkeypatch, moment: dt.datetime) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(clock, "now", lambda: moment)


def after(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


def snapshot(case: Case) -> tuple[object, ...]:
    case.refresh_from_db()
    return (
        AuditEvent.objects.count(),
        case.version,
        case.state,
        *Deadline.objects.filter(case=case).values_list("met_at", "met_late", "lapsed_at"),
    )


@pytest.fixture
def api(client) -> Api:  # type: ignore[no-untyped-def]
    return Api(client)


# The sweep ------------------------------------------------------------------------------------


def test_the_sweep_deems_an_unanswered_application_accepted_once_where_silence_is_acceptance(
    world, monkeypatch
):
    case = make_case(agreement(world, silence=True), nationality="ME")
    case_transition(case_id=case.id, action="acknowledge", acting_user=world.user("me_caseworker"))
    due_on = reply_due(case)
    move_clock(monkeypatch, after(due_on + dt.timedelta(days=3)))
    assert deemed_acceptance_sweep() == 1
    case.refresh_from_db()
    assert case.state == "deemed_accepted"
    assert case.data["decision"]["decision"] == "deemed_accepted"
    event = AuditEvent.objects.get(case_id=case.id, data__action="deem_accepted")
    assert (event.actor_id, event.actor_username) == (None, "system: deadline sweep")
    assert (event.data["from"], event.data["to"]) == ("acknowledged", "deemed_accepted")
    reply = Deadline.objects.get(case=case, kind="reply")
    assert (reply.status, reply.met_at, reply.lapsed_at) == ("lapsed", None, deemed_at(due_on))
    # The transfer limit runs from the deemed acceptance (the day after the reply was due),
    # not from the day the sweep happened to run.
    transfer = Deadline.objects.get(case=case, kind="transfer")
    expected = due(due_on + dt.timedelta(days=1), TimeLimit(3, Unit.MONTHS), WorkingCalendar([]))
    assert transfer.due_on == expected
    before = snapshot(case)
    assert deemed_acceptance_sweep() == 0
    assert snapshot(case) == before
    assert Deadline.objects.filter(case=case, kind="transfer").count() == 1


def test_the_sweep_leaves_the_application_pending_where_silence_is_not_acceptance(
    world, monkeypatch
):
    case = make_case(agreement(world, silence=False), nationality="ME")
    move_clock(monkeypatch, after(reply_due(case) + dt.timedelta(days=3)))
    before = snapshot(case)
    assert deemed_acceptance_sweep() == 0
    assert snapshot(case) == before
    assert case.state == "submitted"


def test_the_sweep_waits_until_the_due_day_has_ended(world, monkeypatch):
    case = make_case(agreement(world, silence=True), nationality="ME")
    move_clock(monkeypatch, after(reply_due(case), hour=23))
    assert deemed_acceptance_sweep() == 0
    move_clock(monkeypatch, after(reply_due(case) + dt.timedelta(days=1), hour=0))
    assert deemed_acceptance_sweep() == 1


def test_the_sweep_does_not_deem_an_answered_application(world, monkeypatch):
    case = make_case(agreement(world, silence=True), nationality="ME")
    case_transition(
        case_id=case.id,
        action="reject",
        reason="not a national",
        acting_user=world.user("me_supervisor"),
    )
    move_clock(monkeypatch, after(reply_due(case) + dt.timedelta(days=3)))
    assert deemed_acceptance_sweep() == 0
    assert Case.objects.get(id=case.id).state == "rejected"


def test_the_sweep_deems_nothing_accepted_under_a_suspended_agreement(world, monkeypatch):
    from readmit.agreements.models import Agreement

    readmission = agreement(world, silence=True)
    case = make_case(readmission, nationality="ME")
    # The suspension itself is the lifecycle's business; here only its effect matters.
    Agreement.objects.filter(id=readmission.id).update(status="suspended")
    move_clock(monkeypatch, after(reply_due(case) + dt.timedelta(days=1)))
    assert deemed_acceptance_sweep() == 0
    assert Case.objects.get(id=case.id).state == "submitted"


def test_readmit_sweep_reports_the_deemed_acceptances(world, monkeypatch, capsys):
    case = make_case(agreement(world, silence=True), nationality="ME")
    move_clock(monkeypatch, after(reply_due(case) + dt.timedelta(days=1)))
    assert main(["sweep"]) == 0
    assert "1 application(s) deemed accepted by silence" in capsys.readouterr().out
    assert main(["sweep"]) == 0
    assert "0 application(s) deemed accepted by silence" in capsys.readouterr().out


def test_a_deemed_acceptance_goes_on_like_an_acceptance(world, monkeypatch, api):
    case = make_case(agreement(world, silence=True), nationality="ME")
    move_clock(monkeypatch, after(reply_due(case) + dt.timedelta(days=1)))
    deemed_acceptance_sweep()
    sender = api.get(f"/api/v1/cases/{case.id}", world.user("us_caseworker")).json()
    receiver = api.get(f"/api/v1/cases/{case.id}", world.user("me_caseworker")).json()
    assert sender["state"] == "deemed_accepted"
    assert "schedule_transfer" in sender["allowed_actions"]
    assert "issue_travel_document" in receiver["allowed_actions"]
    reply = next(d for d in sender["deadlines"] if d["kind"] == "reply")
    assert (reply["status"], reply["late"]) == ("lapsed", True)


@pytest.mark.parametrize("user", ["me_supervisor", "us_supervisor"])
def test_no_party_may_deem_an_application_accepted_itself(world, user):
    case = make_case(agreement(world, silence=True), nationality="ME")
    with pytest.raises(Forbidden) as refused:
        case_transition(case_id=case.id, action="deem_accepted", acting_user=world.user(user))
    assert refused.value.type == "wrong-party"


# Late replies ---------------------------------------------------------------------------------


@pytest.mark.parametrize("action", ["reject", "accept"])
def test_a_late_reply_is_refused_where_silence_means_acceptance(world, monkeypatch, action):
    case = make_case(agreement(world, silence=True), nationality="ME")
    move_clock(monkeypatch, after(reply_due(case) + dt.timedelta(days=2)))
    before = snapshot(case)
    with pytest.raises(TransitionRefused) as refused:
        case_transition(
            case_id=case.id,
            action=action,
            reason="no proof of nationality",
            acting_user=world.user("me_supervisor"),
        )
    assert refused.value.rule == "reply-late"
    assert reply_due(case).isoformat() in refused.value.message
    assert snapshot(case) == before


def test_the_api_refuses_a_late_reject_with_reply_late(world, monkeypatch, api):
    case = make_case(agreement(world, silence=True), nationality="ME")
    move_clock(monkeypatch, after(reply_due(case) + dt.timedelta(days=2)))
    response = api.transition(
        case, world.user("me_supervisor"), {"action": "reject", "reason": "late"}
    )
    assert response.status_code == 409
    assert response.json()["rule"] == "reply-late"
    assert Case.objects.get(id=case.id).state == "submitted"


def test_a_late_reply_is_taken_but_stored_and_shown_as_late_where_silence_is_not_acceptance(
    world, monkeypatch, api, login
):
    case = make_case(agreement(world, silence=False), nationality="ME")
    move_clock(monkeypatch, after(reply_due(case) + dt.timedelta(days=2)))
    case_transition(
        case_id=case.id,
        action="reject",
        reason="no proof of nationality",
        acting_user=world.user("me_supervisor"),
    )
    event = AuditEvent.objects.get(case_id=case.id, data__action="reject")
    assert event.data["late"] == {"due_on": reply_due(case).isoformat()}
    reply = Deadline.objects.get(case=case, kind="reply")
    assert (reply.met_late, reply.status) == (True, "late")
    body = api.get(f"/api/v1/cases/{case.id}", world.user("us_caseworker")).json()
    shown = next(d for d in body["deadlines"] if d["kind"] == "reply")
    assert (shown["status"], shown["late"]) == ("late", True)
    page = login("us_caseworker").get(f"/cases/{case.id}/").content.decode()
    assert "Late: met" in page
    assert 'badge-done">Met' not in page


def test_a_reply_on_the_due_day_is_met_not_late(world, monkeypatch):
    case = make_case(agreement(world, silence=True), nationality="ME")
    move_clock(monkeypatch, after(reply_due(case), hour=23))
    case_transition(case_id=case.id, action="accept", acting_user=world.user("me_supervisor"))
    reply = Deadline.objects.get(case=case, kind="reply")
    assert (reply.met_late, reply.status) == (False, "met")


# Interviews -------------------------------------------------------------------------------------


def test_an_interview_is_refused_where_the_agreement_provides_none(world):
    case = make_case(agreement(world, silence=False, interview=False), nationality="ME")
    before = snapshot(case)
    with pytest.raises(TransitionRefused) as refused:
        case_transition(
            case_id=case.id, action="request_interview", acting_user=world.user("me_caseworker")
        )
    assert refused.value.rule == "interview-not-provided"
    assert snapshot(case) == before


def test_an_interview_is_requested_where_the_agreement_provides_one(world):
    case = make_case(agreement(world, silence=False, interview=True), nationality="ME")
    case_transition(
        case_id=case.id, action="request_interview", acting_user=world.user("me_caseworker")
    )
    assert Case.objects.get(id=case.id).state == "interview_requested"
    assert Deadline.objects.filter(case=case, kind="interview").exists()
