"""Notifications are written in the transaction of their cause: the partner's action on a
shared case, a deadline coming due, an assignment; each user chooses per kind in the app,
by e-mail, or not at all, and an e-mail carries only the kind and the case reference."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from readmit.cases.models import Deadline
from readmit.cases.services import case_transition
from readmit.cli import main
from readmit.core import clock
from readmit.core.errors import ValidationFailed
from readmit.work.models import Channel, Notification, NotificationKind
from readmit.work.services import (
    assignment_set,
    notification_preference_set,
    notifications_mark_read,
)
from tests.factories import make_case


def _partner_notes(user):  # type: ignore[no-untyped-def]
    return Notification.objects.filter(recipient=user, kind=NotificationKind.PARTNER_ACTION)


def test_the_partner_hears_of_an_action_on_a_shared_case_and_the_actor_side_does_not(world):
    case = make_case(world.agreement)
    case_transition(case_id=case.id, action="recommend", acting_user=world.user("xk_caseworker"))
    note = _partner_notes(world.user("us_caseworker")).get(case=case)
    assert (note.event, note.state) == ("case.transitioned", "recommended")
    assert _partner_notes(world.user("us_supervisor")).filter(case=case).exists()
    # The acting side, the other party's auditors and outsiders hear nothing of it.
    assert not _partner_notes(world.user("xk_supervisor")).filter(case=case).exists()
    assert not _partner_notes(world.user("us_auditor")).exists()
    assert not Notification.objects.filter(recipient=world.user("me_caseworker")).exists()


def test_once_a_case_has_an_owner_only_the_owner_hears_of_the_partners_actions(world):
    case = make_case(world.agreement)
    assignment_set(
        acting_user=world.user("us_caseworker"),
        case_ids=[case.id],
        owner_id=world.user("us_caseworker").pk,
    )
    case_transition(case_id=case.id, action="recommend", acting_user=world.user("xk_caseworker"))
    assert _partner_notes(world.user("us_caseworker")).filter(case=case).count() == 1
    assert not _partner_notes(world.user("us_supervisor")).filter(case=case).exists()


def test_a_refused_action_leaves_no_notification(world):
    case = make_case(world.agreement)
    before = Notification.objects.count()
    with pytest.raises(Exception):
        case_transition(case_id=case.id, action="select", acting_user=world.user("xk_caseworker"))
    assert Notification.objects.count() == before


def test_a_user_who_chose_none_gets_nothing_and_in_the_app_gets_no_mail(
    world, django_capture_on_commit_callbacks
):
    us = world.user("us_caseworker")
    notification_preference_set(
        acting_user=us, kind=NotificationKind.PARTNER_ACTION, channel=Channel.NONE
    )
    case = make_case(world.agreement)
    with django_capture_on_commit_callbacks(execute=True):
        case_transition(
            case_id=case.id, action="recommend", acting_user=world.user("xk_caseworker")
        )
    assert not _partner_notes(us).exists()
    assert _partner_notes(world.user("us_supervisor")).exists()
    assert mail.outbox == []


def test_an_email_names_only_the_kind_and_the_case_reference(
    world, django_capture_on_commit_callbacks
):
    us = world.user("us_supervisor")
    us.email = "supervisor@dhs.example"
    us.save()
    notification_preference_set(
        acting_user=us, kind=NotificationKind.PARTNER_ACTION, channel=Channel.EMAIL
    )
    case = make_case(world.agreement, given_names="Vesna", family_name="Lazović")
    with django_capture_on_commit_callbacks(execute=True):
        case_transition(
            case_id=case.id, action="recommend", acting_user=world.user("xk_caseworker")
        )
    (message,) = mail.outbox
    assert message.to == ["supervisor@dhs.example"]
    assert case.reference in message.subject and case.reference in message.body
    text = message.subject + message.body
    for personal in ("Vesna", "Lazović", "Lazovic", str(case.person.birth_year)):
        assert personal not in text
    assert _partner_notes(us).filter(case=case).exists()


def test_e_mail_cannot_be_chosen_without_an_address_and_an_unknown_channel_is_refused(world):
    user = world.user("xk_caseworker")
    with pytest.raises(ValidationFailed) as refused:
        notification_preference_set(
            acting_user=user, kind=NotificationKind.ASSIGNED, channel=Channel.EMAIL
        )
    assert refused.value.errors[0]["loc"] == ["assigned"]
    with pytest.raises(ValidationFailed):
        notification_preference_set(acting_user=user, kind="assigned", channel="pigeon")


def test_marking_read_touches_only_the_callers_own_notifications(world):
    case = make_case(world.agreement)
    case_transition(case_id=case.id, action="recommend", acting_user=world.user("xk_caseworker"))
    mine = _partner_notes(world.user("us_caseworker")).get()
    theirs = _partner_notes(world.user("us_supervisor")).get()
    assert (
        notifications_mark_read(
            acting_user=world.user("us_caseworker"), notification_ids=[theirs.id]
        )
        == 0
    )
    assert notifications_mark_read(acting_user=world.user("us_caseworker")) == 1
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None and theirs.read_at is None


def _reply_deadline(world):  # type: ignore[no-untyped-def]
    case = make_case(world.agreement)
    return Deadline.objects.create(
        case=case, kind="reply", label="Reply to the application", due_on=clock.today()
    )


def test_the_sweep_tells_both_parties_once_that_a_deadline_comes_due(world, capsys):
    deadline = _reply_deadline(world)
    far = Deadline.objects.create(
        case=deadline.case,
        kind="transfer",
        label="Transfer",
        due_on=clock.today() + dt.timedelta(days=60),
    )
    assert main(["sweep"]) == 0
    assert "1 deadline(s) coming due notified" in capsys.readouterr().out
    told = Notification.objects.filter(kind=NotificationKind.DEADLINE_DUE)
    assert set(told.values_list("deadline_id", flat=True)) == {deadline.id}
    recipients = set(told.values_list("recipient__username", flat=True))
    assert {"us_caseworker", "xk_caseworker", "xk_supervisor"} <= recipients
    assert "me_caseworker" not in recipients and far.id not in told.values_list(
        "deadline_id", flat=True
    )
    count = told.count()
    assert main(["sweep"]) == 0
    assert "0 deadline(s) coming due notified" in capsys.readouterr().out
    assert Notification.objects.filter(kind=NotificationKind.DEADLINE_DUE).count() == count


def test_a_list_of_many_cases_is_one_notification_per_kind_not_one_per_case(world):
    from tests.relocation.conftest import kosovo, person, submit

    agreement = kosovo(world)
    result = submit(world, agreement, [person() for _ in range(4)])
    notes = _partner_notes(world.user("xk_caseworker")).filter(agreement=agreement)
    received = notes.get(event="list.received")
    assert received.proposal_list_id == result.proposal_list.id
    created = notes.filter(event="case.created")
    assert created.count() == 1 and created.get().count == 4
    assert not _partner_notes(world.user("us_caseworker")).filter(agreement=agreement).exists()
