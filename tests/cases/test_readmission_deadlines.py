"""Readmission time limits come from the agreement's terms and both parties' calendars."""

from __future__ import annotations

import datetime as dt

import pytest

from readmit.cases.models import Deadline
from readmit.cases.services import case_transition
from readmit.core import clock
from readmit.core.errors import TransitionRefused
from readmit.deadlines import TimeLimit, Unit, WorkingCalendar, due
from tests.factories import make_agreement, make_case

TERMS = {
    "time_limits": {
        "reply": {"amount": 12, "unit": "calendar_days", "start_event": "application received"},
        "extension": {"amount": 6, "unit": "calendar_days"},
        "transfer": {"amount": 3, "unit": "months"},
    }
}


@pytest.fixture
def readmission(world):
    return make_agreement(world.us, world.me, kind="readmission", terms=TERMS)


def test_opening_an_application_starts_the_reply_limit_on_both_calendars(world, readmission):
    case = make_case(readmission, nationality="ME")
    deadline = Deadline.objects.get(case=case, kind="reply")
    expected = due(clock.today(), TimeLimit(12, Unit.CALENDAR_DAYS), WorkingCalendar(["ME", "US"]))
    assert deadline.due_on == expected
    assert deadline.due_on >= clock.today() + dt.timedelta(days=12)


def test_the_reply_limit_can_be_extended_once_with_a_reason(world, readmission):
    case = make_case(readmission, nationality="ME")
    first_due = Deadline.objects.get(case=case, kind="reply").due_on
    me = world.user("me_caseworker")
    case_transition(
        case_id=case.id, action="extend", reason="verifying the birth register", acting_user=me
    )
    reply = Deadline.objects.get(case=case, kind="reply")
    extended = reply.due_on
    assert extended >= first_due + dt.timedelta(days=6)
    assert reply.extended_at is not None
    with pytest.raises(TransitionRefused) as refused:
        case_transition(case_id=case.id, action="extend", reason="again", acting_user=me)
    assert refused.value.rule == "extension-used"
    assert Deadline.objects.get(case=case, kind="reply").due_on == extended


def test_the_one_extension_is_read_from_extended_at_not_from_the_words_of_the_explanation(
    world, readmission
):
    case = make_case(readmission, nationality="ME")
    Deadline.objects.filter(case=case, kind="reply").update(
        explanation="12 calendar days from the date the extended family filed"
    )
    me = world.user("me_caseworker")
    case_transition(case_id=case.id, action="extend", reason="register", acting_user=me)
    assert Deadline.objects.get(case=case, kind="reply").extended_at is not None
    Deadline.objects.filter(case=case, kind="reply").update(extended_at=None)
    case_transition(case_id=case.id, action="extend", reason="again", acting_user=me)
    assert Deadline.objects.get(case=case, kind="reply").extended_at is not None


def test_the_migration_marks_deadlines_extended_before_the_column_existed(world, readmission):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("readmit.cases.migrations.0010_s16h_deadline_extended_at")
    extended, plain = (
        make_case(readmission, nationality="ME"),
        make_case(readmission, nationality="ME"),
    )
    Deadline.objects.filter(case=extended, kind="reply").update(
        explanation="12 calendar days from 2026-01-05; extended by 6 calendar days"
    )
    migration.backfill_extended_at(apps, None)
    backfilled = Deadline.objects.get(case=extended, kind="reply")
    assert backfilled.extended_at == backfilled.updated_at
    assert Deadline.objects.get(case=plain, kind="reply").extended_at is None
    with pytest.raises(TransitionRefused) as refused:
        case_transition(
            case_id=extended.id,
            action="extend",
            reason="again",
            acting_user=world.user("me_caseworker"),
        )
    assert refused.value.rule == "extension-used"


def test_acceptance_meets_the_reply_limit_and_starts_the_transfer_limit(world, readmission):
    case = make_case(readmission, nationality="ME")
    case_transition(case_id=case.id, action="accept", acting_user=world.user("me_supervisor"))
    reply = Deadline.objects.get(case=case, kind="reply")
    transfer = Deadline.objects.get(case=case, kind="transfer")
    assert reply.met_at is not None
    assert transfer.met_at is None
    assert transfer.due_on >= clock.today() + dt.timedelta(days=89)
