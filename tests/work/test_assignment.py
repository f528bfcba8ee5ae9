"""Each party owns its side of a case or list: an owner (a caseworker or supervisor of that
party) and/or a team; assigning is audited, told to the new owner, and refused across
organisations."""

from __future__ import annotations

import pytest

from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.core.errors import Forbidden, NotFound, ValidationFailed
from readmit.work.models import Assignment, Notification, NotificationKind
from readmit.work.services import assignment_set, team_create
from tests.factories import make_case


def test_a_caseworker_assigns_a_case_to_a_colleague_who_is_told_and_the_change_is_audited(world):
    case = make_case(world.agreement)
    owner = world.user("xk_supervisor")
    before = AuditEvent.objects.filter(event_type=AuditEventType.ASSIGNMENT_SET).count()
    (assignment,) = assignment_set(
        acting_user=world.user("xk_caseworker"), case_ids=[case.id], owner_id=owner.pk
    )
    assert (assignment.organisation_id, assignment.owner_id) == (world.xk.id, owner.pk)
    audit = AuditEvent.objects.filter(event_type=AuditEventType.ASSIGNMENT_SET)
    assert audit.count() == before + 1
    assert audit.last().data["owner"] == "xk_supervisor"
    told = Notification.objects.get(recipient=owner, kind=NotificationKind.ASSIGNED)
    assert told.case_id == case.id


def test_each_party_owns_its_own_side_of_the_same_case(world):
    case = make_case(world.agreement)
    assignment_set(
        acting_user=world.user("xk_caseworker"),
        case_ids=[case.id],
        owner_id=world.user("xk_caseworker").pk,
    )
    assignment_set(
        acting_user=world.user("us_caseworker"),
        case_ids=[case.id],
        owner_id=world.user("us_supervisor").pk,
    )
    owners = dict(Assignment.objects.filter(case=case).values_list("organisation_id", "owner_id"))
    assert owners == {
        world.xk.id: world.user("xk_caseworker").pk,
        world.us.id: world.user("us_supervisor").pk,
    }


def test_a_user_of_another_organisation_cannot_be_the_owner_and_nothing_is_written(world):
    case = make_case(world.agreement)
    with pytest.raises(ValidationFailed) as refused:
        assignment_set(
            acting_user=world.user("xk_caseworker"),
            case_ids=[case.id],
            owner_id=world.user("us_caseworker").pk,
        )
    assert refused.value.errors[0]["loc"] == ["owner"]
    assert not Assignment.objects.filter(case=case).exists()
    # The same owner from the right organisation is accepted.
    assignment_set(
        acting_user=world.user("us_caseworker"),
        case_ids=[case.id],
        owner_id=world.user("us_caseworker").pk,
    )
    assert Assignment.objects.filter(case=case, organisation=world.us).exists()


def test_a_non_party_is_told_the_case_does_not_exist_and_a_wrong_role_is_forbidden(world):
    case = make_case(world.agreement)
    with pytest.raises(NotFound):
        assignment_set(
            acting_user=world.user("me_caseworker"),
            case_ids=[case.id],
            owner_id=world.user("me_caseworker").pk,
        )
    with pytest.raises(Forbidden):
        assignment_set(
            acting_user=world.user("xk_auditor"),
            case_ids=[case.id],
            owner_id=world.user("xk_caseworker").pk,
        )
    assignment_set(
        acting_user=world.user("xk_supervisor"),
        case_ids=[case.id],
        owner_id=world.user("xk_caseworker").pk,
    )
    assert Assignment.objects.filter(case=case).count() == 1


def test_bulk_assignment_is_all_or_nothing(world):
    cases = [make_case(world.agreement, family_name=f"Bulkperson{n}") for n in range(3)]
    foreign = make_case(world.agreement, family_name="Foreigncase")
    with pytest.raises(NotFound):
        assignment_set(
            acting_user=world.user("xk_caseworker"),
            case_ids=[*(c.id for c in cases), "not-a-uuid"],
            owner_id=world.user("xk_caseworker").pk,
        )
    assert not Assignment.objects.exists()
    done = assignment_set(
        acting_user=world.user("xk_caseworker"),
        case_ids=[c.id for c in [*cases, foreign]],
        owner_id=world.user("xk_caseworker").pk,
    )
    assert len(done) == 4
    assert Assignment.objects.filter(owner=world.user("xk_caseworker")).count() == 4


def test_a_team_of_another_organisation_is_refused_naming_the_team(world):
    case = make_case(world.agreement)
    us_team = team_create(
        acting_user=world.user("us_supervisor"), organisation_id=world.us.id, name="Intake"
    )
    with pytest.raises(ValidationFailed) as refused:
        assignment_set(
            acting_user=world.user("xk_caseworker"),
            case_ids=[case.id],
            owner_id=None,
            team_id=us_team.id,
        )
    assert refused.value.errors[0]["loc"] == ["team"]
    xk_team = team_create(
        acting_user=world.user("xk_supervisor"), organisation_id=world.xk.id, name="Intake"
    )
    (done,) = assignment_set(
        acting_user=world.user("xk_caseworker"),
        case_ids=[case.id],
        owner_id=None,
        team_id=xk_team.id,
    )
    assert done.team_id == xk_team.id and done.owner_id is None


def test_only_supervisors_and_administrators_create_teams(world):
    with pytest.raises(Forbidden):
        team_create(acting_user=world.user("xk_caseworker"), organisation_id=world.xk.id, name="A")
    with pytest.raises(NotFound):
        team_create(acting_user=world.user("us_supervisor"), organisation_id=world.xk.id, name="A")
    assert (
        team_create(
            acting_user=world.user("xk_administrator"), organisation_id=world.xk.id, name="A"
        ).organisation_id
        == world.xk.id
    )
