"""Writes of the work app: assignment, teams, notification preferences, marking read, and
the deadline notices of the daily sweep. Each is audited in its own transaction."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from readmit.accounts.access import (
    _parse_id,
    access_case,
    memberships,
    standing,
    visible_agreements,
)
from readmit.accounts.models import Membership, User
from readmit.accounts.roles import Role
from readmit.audit.events import AuditEventType
from readmit.audit.services import audit_record
from readmit.cases.models import Case, Deadline
from readmit.core import clock
from readmit.core.actors import SystemActor
from readmit.core.errors import N_, Forbidden, NotFound, ValidationFailed
from readmit.relocation.models import ProposalList
from readmit.work.models import (
    Assignment,
    Channel,
    Notification,
    NotificationKind,
    NotificationPreference,
    Team,
)
from readmit.work.notifications import (
    Pending,
    assignment_notification,
    case_recipients,
    write,
)

ASSIGNERS = frozenset({Role.CASEWORKER, Role.SUPERVISOR})
MAX_BULK = 500


def _refuse(field: str, message: str, params: dict[str, object] | None = None) -> ValidationFailed:
    """``field`` refused with ``message``, a marked sentence (``params`` fill it in)."""
    filled = message % params if params else message
    return ValidationFailed(message, params=params, errors=[{"loc": [field], "msg": filled}])


def _owner_in(organisation_id: uuid.UUID, owner_id: int | None) -> User | None:
    """The owner, who must be an active caseworker or supervisor of the organisation."""
    if owner_id is None:
        return None
    member = (
        Membership.objects.filter(
            organisation_id=organisation_id,
            user_id=owner_id,
            user__is_active=True,
            role__in=[r.value for r in ASSIGNERS],
        )
        .select_related("user")
        .first()
    )
    if member is None:
        raise _refuse(
            "owner",
            N_("The owner must be an active caseworker or supervisor of your organisation."),
        )
    return member.user


def _team_in(organisation_id: uuid.UUID, team_id: uuid.UUID | str | None) -> Team | None:
    if team_id in (None, ""):
        return None
    try:
        pk = uuid.UUID(str(team_id))
    except ValueError:
        raise _refuse("team", N_("No such team in your organisation.")) from None
    team = Team.objects.filter(id=pk, organisation_id=organisation_id).first()
    if team is None:
        raise _refuse("team", N_("No such team in your organisation."))
    return team


def _assigning_organisation(user: User, agreement_id: uuid.UUID) -> uuid.UUID:
    from readmit.agreements.models import Agreement

    position = standing(user, Agreement.objects.get(id=agreement_id))
    if not position.is_party or position.organisation_id is None:
        raise NotFound(N_("No such case."))
    if not position.roles & ASSIGNERS:
        raise Forbidden(
            N_("Only caseworkers and supervisors assign cases and lists."), type="wrong-role"
        )
    return position.organisation_id


def _access_list(user: User, list_id: uuid.UUID | str) -> ProposalList:
    pk = _parse_id(list_id, "list")
    found = (
        ProposalList.objects.filter(id=pk, agreement__in=visible_agreements(user))
        .select_for_update(of=("self",))
        .first()
    )
    if found is None:
        raise NotFound(N_("No such list."))
    return found


def assignment_set(
    *,
    acting_user: User,
    case_ids: Sequence[uuid.UUID | str] = (),
    list_ids: Sequence[uuid.UUID | str] = (),
    owner_id: int | None,
    team_id: uuid.UUID | str | None = None,
) -> list[Assignment]:
    """Make ``owner`` (and/or ``team``) own these cases and lists on the caller's side.

    All or nothing: a case or list the caller cannot see answers 404 for the whole request,
    a caller who is not a caseworker or supervisor of a party 403, an owner or team not of
    the caller's own organisation 422 naming the field. Each case and list is audited and its
    new owner told (unless they assigned it to themselves).
    """
    if not case_ids and not list_ids:
        raise _refuse("cases", N_("Choose at least one case or list to assign."))
    if len(case_ids) + len(list_ids) > MAX_BULK:
        raise _refuse(
            "cases", N_("Assign at most %(limit)s cases and lists at once."), {"limit": MAX_BULK}
        )
    if owner_id is None and team_id in (None, ""):
        raise _refuse("owner", N_("Choose an owner, a team, or both."))
    now = clock.now()
    done: list[Assignment] = []
    with transaction.atomic():
        targets: list[tuple[Case | None, ProposalList | None]] = []
        for case_id in dict.fromkeys(str(c) for c in case_ids):
            targets.append((access_case(acting_user, case_id, for_update=True), None))
        for list_id in dict.fromkeys(str(x) for x in list_ids):
            targets.append((None, _access_list(acting_user, list_id)))
        for case, plist in targets:
            record: Case | ProposalList = case if case is not None else plist  # type: ignore[assignment]
            organisation_id = _assigning_organisation(acting_user, record.agreement_id)
            owner = _owner_in(organisation_id, owner_id)
            team = _team_in(organisation_id, team_id)
            previous = Assignment.objects.filter(
                organisation_id=organisation_id, case=case, proposal_list=plist
            ).first()
            assignment, _ = Assignment.objects.update_or_create(
                organisation_id=organisation_id,
                case=case,
                proposal_list=plist,
                defaults={
                    "owner": owner,
                    "team": team,
                    "assigned_at": now,
                    "assigned_by": acting_user,
                },
            )
            audit_record(
                event_type=AuditEventType.ASSIGNMENT_SET,
                acting_user=acting_user,
                organisation_id=organisation_id,
                agreement_id=record.agreement_id,
                case_id=case.id if case else None,
                object_type="case" if case else "proposal_list",
                object_id=str(record.id),
                data={
                    "owner": owner.get_username() if owner else None,
                    "team": team.name if team else None,
                    "previous_owner": (
                        previous.owner.get_username() if previous and previous.owner else None
                    ),
                },
            )
            if owner is not None and (previous is None or previous.owner_id != owner.pk):
                assignment_notification(
                    owner=owner,
                    acting_user=acting_user,
                    agreement_id=record.agreement_id,
                    case_id=case.id if case else None,
                    proposal_list_id=plist.id if plist else None,
                )
            done.append(assignment)
    return done


def team_create(*, acting_user: User, organisation_id: uuid.UUID | str, name: str) -> Team:
    """A team of one organisation, created by its supervisors or administrators."""
    pk = _parse_id(organisation_id, "organisation")
    roles = {Role(m.role) for m in memberships(acting_user) if m.organisation_id == pk}
    if not roles:
        raise NotFound(N_("No such organisation."))
    if not roles & {Role.SUPERVISOR, Role.ADMINISTRATOR}:
        raise Forbidden(N_("Only supervisors and administrators create teams."), type="wrong-role")
    name = name.strip()
    if not name or len(name) > 100:
        raise _refuse("name", N_("A team needs a name of 1 to 100 characters."))
    with transaction.atomic():
        if Team.objects.filter(organisation_id=pk, name__iexact=name).exists():
            raise _refuse("name", N_("Your organisation already has a team of that name."))
        team = Team.objects.create(organisation_id=pk, name=name)
        audit_record(
            event_type=AuditEventType.TEAM_CREATED,
            acting_user=acting_user,
            organisation_id=pk,
            object_type="team",
            object_id=str(team.id),
            data={"name": name},
        )
    return team


def notifications_mark_read(
    *, acting_user: User, notification_ids: Sequence[uuid.UUID | str] | None = None
) -> int:
    """Mark the caller's own notifications read (these, or all unread); others' are never
    touched. Answers how many changed."""
    unread = Notification.objects.filter(recipient=acting_user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(id__in=[_parse_id(n, "notification") for n in notification_ids])
    with transaction.atomic():
        changed = unread.update(read_at=clock.now())
        if changed:
            audit_record(
                event_type=AuditEventType.NOTIFICATIONS_READ,
                acting_user=acting_user,
                object_type="user",
                object_id=str(acting_user.pk),
                data={"count": changed},
            )
    return changed


def notification_preference_set(*, acting_user: User, kind: str, channel: str) -> None:
    if kind not in NotificationKind.values:
        raise _refuse("kind", N_("Unknown kind of notification '%(kind)s'."), {"kind": kind[:40]})
    if channel not in Channel.values:
        raise _refuse(kind, N_("Choose in the app, in the app and by e-mail, or not at all."))
    if channel == Channel.EMAIL and not acting_user.email:
        raise _refuse(kind, N_("Your account has no e-mail address; ask your administrator."))
    with transaction.atomic():
        NotificationPreference.objects.update_or_create(
            user=acting_user, kind=kind, defaults={"channel": channel}
        )
        audit_record(
            event_type=AuditEventType.NOTIFICATION_PREFERENCE_SET,
            acting_user=acting_user,
            object_type="user",
            object_id=str(acting_user.pk),
            data={"kind": kind, "channel": channel},
        )


def deadline_notifications(*, today: dt.date | None = None) -> int:
    """Tell each party of a case that an open deadline comes due within
    ``READMIT_DUE_SOON_DAYS`` (or ran out), once per deadline. Answers how many deadlines."""
    from readmit.accounts.models import OrganisationKind
    from readmit.agreements.models import AgreementParty

    today = today or clock.today()
    horizon = today + dt.timedelta(days=settings.READMIT_DUE_SOON_DAYS)
    told = Notification.objects.filter(
        kind=NotificationKind.DEADLINE_DUE, deadline_id__isnull=False
    ).values("deadline_id")
    deadlines = list(
        Deadline.objects.filter(
            met_at__isnull=True,
            cancelled_at__isnull=True,
            lapsed_at__isnull=True,
            due_on__lte=horizon,
            case__closed_at__isnull=True,
        )
        .exclude(Q(id__in=told))
        .select_related("case")
    )
    if not deadlines:
        return 0
    parties: dict[uuid.UUID, set[uuid.UUID]] = {}
    for agreement_id, org_id in (
        AgreementParty.objects.filter(agreement_id__in={d.case.agreement_id for d in deadlines})
        .exclude(organisation__kind=OrganisationKind.MISSION)
        .values_list("agreement_id", "organisation_id")
    ):
        parties.setdefault(agreement_id, set()).add(org_id)
    pairs = {(org, d.case_id) for d in deadlines for org in parties.get(d.case.agreement_id, ())}
    with transaction.atomic():
        recipients = case_recipients(pairs)
        pending = [
            Pending(
                recipient_id=user_id,
                kind=NotificationKind.DEADLINE_DUE,
                agreement_id=d.case.agreement_id,
                case_id=d.case_id,
                event=d.kind,
                state=d.due_on.isoformat(),
                deadline_id=d.id,
            )
            for d in deadlines
            for org in sorted(parties.get(d.case.agreement_id, ()))
            for user_id in sorted(recipients[(org, d.case_id)])
        ]
        write(pending)
        audit_record(
            event_type=AuditEventType.DEADLINE_NOTIFICATIONS_SENT,
            acting_user=SystemActor("deadline notifications"),
            object_type="deadline",
            data={"deadlines": len(deadlines), "notifications": len(pending)},
        )
    return len(deadlines)
