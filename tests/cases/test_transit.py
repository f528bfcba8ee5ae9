"""Transit and erroneous readmission (take-back) as readmission variants, with their limits."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import ValidationError

from readmit.audit.models import AuditEvent
from readmit.cases.applications import ApplicationIn, application_errors
from readmit.cases.intake import readmission_application_submit
from readmit.cases.models import Case, Deadline, ReadmissionApplication
from readmit.cases.selectors import case_allowed_actions
from readmit.cases.services import case_transition
from readmit.core import clock
from readmit.core.errors import Forbidden, NotFound, TransitionRefused, ValidationFailed
from readmit.deadlines import TimeLimit, Unit, WorkingCalendar, due
from tests.cases.test_travel_documents import document, plan
from tests.exchange.test_applications import TERMS, application
from tests.factories import make_agreement

TRANSIT = {"destination_state": "AL", "escort": "Two officers of the US Marshals Service"}


@pytest.fixture
def montenegro(world):
    return make_agreement(world.us, world.me, kind="readmission", terms=TERMS)


def submit(world, agreement, body: dict[str, Any], user: str = "us_caseworker") -> Case:  # type: ignore[no-untyped-def]
    return readmission_application_submit(
        agreement=agreement,
        application=ApplicationIn.model_validate(body),
        acting_user=world.user(user),
    ).case


def transit(external_id: str = "DHS-T-1") -> dict[str, Any]:
    return application(external_id, variant="transit", transit=TRANSIT)


def act(world, case: Case, action: str, user: str, **kwargs: Any) -> Case:  # type: ignore[no-untyped-def]
    return case_transition(case_id=case.id, action=action, acting_user=world.user(user), **kwargs)


def move_clock(monkeypatch, day: dt.date) -> None:  # type: ignore[no-untyped-def]
    moment = dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC)
    monkeypatch.setattr(clock, "now", lambda: moment)
    monkeypatch.setattr(clock, "today", lambda: day)


def days_later(start: dt.date, days: int) -> dt.date:
    """``days`` calendar days on, rolled forward past a weekend or a US or Montenegrin holiday."""
    result = due(start, TimeLimit(days, Unit.CALENDAR_DAYS), WorkingCalendar(["ME", "US"]))
    assert isinstance(result, dt.date)
    return result


def received(case: Case) -> dt.date:
    return ReadmissionApplication.objects.get(case=case).received_on


# Transit -----------------------------------------------------------------------------------


def test_a_transit_names_its_destination_and_escort_and_its_reply_is_due_in_transit_reply(
    world, montenegro
):
    case = submit(world, montenegro, transit())
    assert case.data["variant"] == "transit"
    assert case.data["transit"] == TRANSIT
    reply = Deadline.objects.get(case=case, kind="reply")
    assert reply.due_on == days_later(received(case), 5)  # the default
    assert "transit reply" in reply.explanation

    terms = {
        **TERMS,
        "time_limits": {
            **TERMS["time_limits"],
            "transit_reply": {"amount": 3, "unit": "calendar_days"},
        },
    }
    other = make_agreement(world.us, world.me, kind="readmission", terms=terms)
    case = submit(world, other, transit("DHS-T-2"))
    assert Deadline.objects.get(case=case, kind="reply").due_on == days_later(received(case), 3)


def test_a_transit_without_its_destination_and_escort_is_refused_naming_the_part():
    with pytest.raises(ValidationError) as refused:
        ApplicationIn.model_validate(application(variant="transit"))
    assert application_errors(refused.value) == [
        {"loc": ["transit"], "msg": "is required for a transit application"}
    ]
    with pytest.raises(ValidationError) as refused:
        ApplicationIn.model_validate(
            application(take_back_of="8f1c2a56-1c5e-4a4e-9d2c-000000000001")
        )
    assert application_errors(refused.value) == [
        {"loc": ["take_back_of"], "msg": "is only for a take-back application"}
    ]
    with pytest.raises(ValidationError) as refused:
        ApplicationIn.model_validate(
            application(variant="transit", transit={**TRANSIT, "destination_state": "XX"})
        )
    assert application_errors(refused.value)[0]["loc"] == ["transit", "destination_state"]


def test_only_the_requesting_party_submits_a_transit_and_a_stranger_sees_no_agreement(
    world, montenegro
):
    with pytest.raises(Forbidden) as refused:
        submit(world, montenegro, transit(), user="me_caseworker")
    assert refused.value.type == "wrong-party"
    with pytest.raises(NotFound):
        submit(world, montenegro, transit(), user="xk_caseworker")
    assert not Case.objects.filter(agreement=montenegro).exists()


def test_consent_opens_the_transit_window_and_a_transit_after_it_is_refused(
    world, montenegro, monkeypatch
):
    case = act(world, submit(world, montenegro, transit()), "accept", "me_supervisor")
    window = Deadline.objects.get(case=case, kind="transit")
    assert window.due_on == days_later(clock.today(), 30)
    assert not Deadline.objects.filter(case=case, kind="transfer").exists()

    move_clock(monkeypatch, window.due_on + dt.timedelta(days=1))
    with pytest.raises(TransitionRefused) as refused:
        act(world, case, "schedule_transfer", "us_caseworker", payload=plan(5))
    assert refused.value.rule == "transit-window"
    assert Case.objects.get(id=case.id).state == "accepted"


def test_a_revoked_transit_leaves_a_take_back_deadline_the_requesting_side_meets(world, montenegro):
    case = act(world, submit(world, montenegro, transit()), "accept", "me_supervisor")
    with pytest.raises(Forbidden):
        act(world, case, "revoke_transit", "us_caseworker", reason="changed our mind")
    with pytest.raises(NotFound):
        act(world, case, "revoke_transit", "xk_caseworker", reason="not ours")
    with pytest.raises(ValidationFailed):
        act(world, case, "revoke_transit", "me_caseworker")
    case = act(world, case, "revoke_transit", "me_caseworker", reason="public order grounds arose")
    assert case.state == "take_back_due"
    assert Deadline.objects.get(case=case, kind="transit").met_at is not None
    take_back = Deadline.objects.get(case=case, kind="take_back")
    assert take_back.due_on == days_later(clock.today(), 3)
    assert "record_take_back" in case_allowed_actions(world.user("us_caseworker"), case)
    with pytest.raises(Forbidden):
        act(world, case, "record_take_back", "me_caseworker")
    case = act(world, case, "record_take_back", "us_caseworker")
    assert case.state == "taken_back"
    assert Deadline.objects.get(case=case, kind="take_back").met_at is not None
    assert act(world, case, "close", "us_caseworker").state == "closed"


def test_either_side_records_a_failed_transit_and_the_take_back_falls_due(world, montenegro):
    case = act(world, submit(world, montenegro, transit()), "accept", "me_supervisor")
    act(world, case, "issue_travel_document", "me_liaison", payload=document())
    act(world, case, "schedule_transfer", "us_caseworker", payload=plan(5))
    case = act(
        world,
        case,
        "record_transit_failed",
        "us_caseworker",
        reason="Albania refused entry at the border",
    )
    assert case.state == "take_back_due"
    assert Deadline.objects.filter(case=case, kind="take_back", met_at__isnull=True).exists()


def test_transit_actions_are_neither_offered_nor_taken_on_a_plain_readmission(world, montenegro):
    case = act(world, submit(world, montenegro, application()), "accept", "me_supervisor")
    assert "revoke_transit" not in case_allowed_actions(world.user("me_caseworker"), case)
    with pytest.raises(TransitionRefused) as refused:
        act(world, case, "revoke_transit", "me_caseworker", reason="no transit here")
    assert refused.value.rule == "variant"
    assert Case.objects.get(id=case.id).state == "accepted"


# Erroneous readmission ---------------------------------------------------------------------


def _transferred(world, agreement, external_id: str, nationality: str) -> Case:  # type: ignore[no-untyped-def]
    body = application(external_id)
    body["person"]["nationalities"] = [nationality]
    case = act(world, submit(world, agreement, body), "accept", "me_supervisor")
    act(world, case, "issue_travel_document", "me_liaison", payload=document())
    act(world, case, "schedule_transfer", "us_caseworker", payload=plan(5))
    handed_over = (clock.now() - dt.timedelta(minutes=5)).isoformat()
    return act(
        world,
        case,
        "record_transfer",
        "me_caseworker",
        payload={
            "received_by": "Officer M. Vuković",
            "place": "Podgorica",
            "handed_over_at": handed_over,
        },
    )


def _take_back(external_id: str, earlier: Case) -> dict[str, Any]:
    return application(external_id, variant="take_back", take_back_of=str(earlier.id))


def test_a_take_back_after_the_window_is_refused_at_intake_naming_the_rule(
    world, montenegro, monkeypatch
):
    national = _transferred(world, montenegro, "DHS-E-1", "ME")
    other = _transferred(world, montenegro, "DHS-E-2", "RS")
    handed_over = clock.today()

    move_clock(monkeypatch, handed_over + dt.timedelta(days=200))  # past 6, within 12 months
    rows = Case.objects.count(), AuditEvent.objects.count()
    with pytest.raises(TransitionRefused) as refused:
        submit(world, montenegro, _take_back("DHS-TB-1", national))
    assert refused.value.rule == "take-back-window"
    assert "take_back_nationals" in str(refused.value)
    assert (Case.objects.count(), AuditEvent.objects.count()) == rows
    case = submit(world, montenegro, _take_back("DHS-TB-2", other))
    assert case.data["variant"] == "take_back"
    assert case.data["take_back_of"]["reference"] == other.reference
    assert case.data["take_back_of"]["window"] == "take_back_others"

    move_clock(monkeypatch, handed_over + dt.timedelta(days=370))
    with pytest.raises(TransitionRefused) as refused:
        submit(world, montenegro, _take_back("DHS-TB-3", other))
    assert refused.value.rule == "take-back-window"


def test_the_take_back_windows_are_the_agreements_terms(world, monkeypatch):
    limits = {
        **TERMS["time_limits"],
        "take_back_nationals": {"amount": 9, "unit": "months"},
        "take_back_others": {"amount": 3, "unit": "months"},
    }
    agreement = make_agreement(
        world.us, world.me, kind="readmission", terms={**TERMS, "time_limits": limits}
    )
    national = _transferred(world, agreement, "DHS-E-3", "ME")
    other = _transferred(world, agreement, "DHS-E-4", "RS")
    move_clock(monkeypatch, clock.today() + dt.timedelta(days=200))
    case = submit(world, agreement, _take_back("DHS-TB-4", national))
    assert case.data["take_back_of"]["window"] == "take_back_nationals"
    with pytest.raises(TransitionRefused) as refused:
        submit(world, agreement, _take_back("DHS-TB-7", other))
    assert refused.value.rule == "take-back-window"
    assert "take_back_others: 3 months" in str(refused.value)


def test_a_take_back_must_name_a_transferred_case_of_the_same_agreement(world, montenegro):
    pending = submit(world, montenegro, application("DHS-P-1"))
    with pytest.raises(ValidationFailed) as refused:
        submit(world, montenegro, _take_back("DHS-TB-5", pending))
    assert [(e["loc"], e["msg"]) for e in refused.value.errors] == [
        (["take_back_of"], f"case {pending.reference} was never transferred (no handover recorded)")
    ]
    elsewhere = make_agreement(world.us, world.me, kind="readmission", terms=TERMS)
    with pytest.raises(ValidationFailed) as refused:
        submit(world, elsewhere, _take_back("DHS-TB-6", pending))
    assert refused.value.errors[0]["loc"] == ["take_back_of"]
