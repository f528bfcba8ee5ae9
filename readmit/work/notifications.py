"""Writing notifications, in the transaction of their cause, and e-mailing them after it.

Three causes: the partner's actions on a shared case (``partner_notifications``, called by
``readmit.events.outbox`` where the partner's webhook events are written, so both come from
the same audit rows), deadlines coming due (``deadline_notifications``, from ``readmit
sweep``) and assignments (``readmit.work.services.assignment_set``).

Who hears about a case: its owner on the recipient organisation's side, else every active
caseworker and supervisor of that organisation. Consular missions see only what is routed to
them, so they are never told about a case by these rules.

An e-mail says the kind and the case reference, nothing more (docs/security.md "E-mail
notifications"): the page behind the link reads the case through the gates.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from readmit.accounts.models import Membership, OrganisationKind, User
from readmit.accounts.roles import Role
from readmit.audit.models import AuditEvent
from readmit.work.models import (
    Assignment,
    Channel,
    Notification,
    NotificationKind,
    NotificationPreference,
)

log = logging.getLogger(__name__)
WORKER_ROLES = (Role.CASEWORKER.value, Role.SUPERVISOR.value)


@dataclass(frozen=True)
class Pending:
    """A notification to write: its recipient and cause."""

    recipient_id: int
    kind: str
    agreement_id: uuid.UUID | None
    case_id: uuid.UUID | None = None
    proposal_list_id: uuid.UUID | None = None
    event: str = ""
    state: str = ""
    deadline_id: uuid.UUID | None = None


def channels(user_ids: Iterable[int], kind: str) -> dict[int, str]:
    """Each user's channel for ``kind``: their choice, else in the app."""
    ids = set(user_ids)
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=ids, kind=kind).values_list(
            "user_id", "channel"
        )
    )
    return {user_id: chosen.get(user_id, Channel.IN_APP) for user_id in ids}


def write(pending: Sequence[Pending]) -> list[Notification]:
    """Write ``pending`` (one row per recipient and cause, a repeat counted in ``count``),
    as each recipient chose; e-mail those who chose e-mail once the transaction commits."""
    counted: dict[Pending, int] = {}
    for item in pending:
        counted[item] = counted.get(item, 0) + 1
    by_kind: dict[str, set[int]] = {}
    for item in counted:
        by_kind.setdefault(item.kind, set()).add(item.recipient_id)
    chosen = {kind: channels(ids, kind) for kind, ids in by_kind.items()}
    rows = [
        Notification(
            recipient_id=item.recipient_id,
            kind=item.kind,
            agreement_id=item.agreement_id,
            case_id=item.case_id,
            proposal_list_id=item.proposal_list_id,
            event=item.event,
            state=item.state,
            deadline_id=item.deadline_id,
            count=n,
        )
        for item, n in counted.items()
        if chosen[item.kind][item.recipient_id] != Channel.NONE
    ]
    Notification.objects.bulk_create(rows, batch_size=500)
    mail = [n.id for n in rows if chosen[n.kind][n.recipient_id] == Channel.EMAIL]
    if mail:
        transaction.on_commit(lambda: email_notifications(mail))
    return rows


def email_text(notification: Notification) -> tuple[str, str]:
    """Subject and body: the kind and the case (or list) reference only, never a name."""
    label = NotificationKind(notification.kind).label
    reference = notification.case.reference if notification.case else ""
    subject = f"Readmit: {label}" + (f" ({reference})" if reference else "")
    lines = [label + "."]
    if reference:
        lines.append(f"Case: {reference}")
    lines.append("Sign in to Readmit to read it: /notifications/")
    return subject, "\n".join(lines) + "\n"


def email_notifications(notification_ids: Sequence[uuid.UUID]) -> int:
    """Send one e-mail per notification whose recipient has an address; answers how many.
    A mail server that fails is logged and skipped: the notification stays in the app."""
    sent = 0
    for notification in Notification.objects.filter(id__in=notification_ids).select_related(
        "recipient", "case"
    ):
        address = notification.recipient.email
        if not address or not notification.recipient.is_active:
            continue
        subject, body = email_text(notification)
        try:
            sent += send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
        except OSError:
            log.exception("notification e-mail %s not sent", notification.id)
    return sent


def _workers(organisation_ids: set[uuid.UUID]) -> dict[uuid.UUID, set[int]]:
    """The active caseworkers and supervisors of each organisation."""
    found: dict[uuid.UUID, set[int]] = {}
    for org_id, user_id in Membership.objects.filter(
        organisation_id__in=organisation_ids, role__in=WORKER_ROLES, user__is_active=True
    ).values_list("organisation_id", "user_id"):
        found.setdefault(org_id, set()).add(user_id)
    return found


def case_recipients(
    pairs: set[tuple[uuid.UUID, uuid.UUID]],
) -> dict[tuple[uuid.UUID, uuid.UUID], set[int]]:
    """For each (organisation, case): its owner there, else the organisation's workers."""
    if not pairs:
        return {}
    owners: dict[tuple[uuid.UUID, uuid.UUID], int] = {}
    for org_id, case_id, owner_id in Assignment.objects.filter(
        case_id__in={c for _, c in pairs},
        organisation_id__in={o for o, _ in pairs},
        owner__isnull=False,
    ).values_list("organisation_id", "case_id", "owner_id"):
        owners[(org_id, case_id)] = owner_id
    workers = _workers({o for o, _ in pairs if (o, _) not in owners})
    return {
        pair: {owners[pair]} if pair in owners else workers.get(pair[0], set()) for pair in pairs
    }


def partner_notifications(items: Sequence[tuple[AuditEvent, str, str | None]]) -> None:
    """Tell the other parties of an agreement what one party did: ``items`` are audit rows
    with their public event type and state (``readmit.events.outbox`` maps them). Rows
    without an actor (the system's own sweeps) or without an agreement tell nobody."""
    from readmit.agreements.models import AgreementParty

    wanted = [i for i in items if i[0].actor_id is not None and i[0].agreement_id is not None]
    if not wanted:
        return
    agreement_ids = {a.agreement_id for a, _, _ in wanted}
    parties: dict[uuid.UUID, set[uuid.UUID]] = {}
    for agreement_id, org_id in (
        AgreementParty.objects.filter(agreement_id__in=agreement_ids)
        .exclude(organisation__kind=OrganisationKind.MISSION)
        .values_list("agreement_id", "organisation_id")
    ):
        parties.setdefault(agreement_id, set()).add(org_id)
    actor_orgs: dict[int, set[uuid.UUID]] = {}
    for user_id, org_id in Membership.objects.filter(
        user_id__in={a.actor_id for a, _, _ in wanted}
    ).values_list("user_id", "organisation_id"):
        actor_orgs.setdefault(user_id, set()).add(org_id)
    targets: list[tuple[AuditEvent, str, str | None, uuid.UUID]] = []
    for audit, event_type, state in wanted:
        assert audit.actor_id is not None and audit.agreement_id is not None
        others = parties.get(audit.agreement_id, set()) - actor_orgs.get(audit.actor_id, set())
        targets += [(audit, event_type, state, org) for org in sorted(others)]
    pairs = {(org, a.case_id) for a, _, _, org in targets if a.case_id is not None}
    per_case = case_recipients(pairs)
    workers = _workers({org for a, _, _, org in targets if a.case_id is None})
    # Many events of one kind in one batch (a list's cases) are one notification each.
    batch: dict[tuple[uuid.UUID, uuid.UUID | None, str], int] = {}
    for audit, event_type, _, org in targets:
        key = (org, audit.agreement_id, event_type)
        batch[key] = batch.get(key, 0) + 1
    pending = []
    for audit, event_type, state, org in targets:
        case_id = uuid.UUID(str(audit.case_id)) if audit.case_id else None
        recipients = per_case[(org, case_id)] if case_id else workers.get(org, set())
        if batch[(org, audit.agreement_id, event_type)] > 1:
            case_id, state = None, ""  # counted: the agreement's page lists them
        list_id = audit.object_id if audit.object_type == "proposal_list" else None
        pending += [
            Pending(
                recipient_id=user_id,
                kind=NotificationKind.PARTNER_ACTION,
                agreement_id=audit.agreement_id,
                case_id=case_id,
                proposal_list_id=uuid.UUID(list_id) if list_id else None,
                event=event_type,
                state=state or "",
            )
            for user_id in sorted(recipients)
        ]
    write(pending)


def assignment_notification(
    *,
    owner: User,
    acting_user: User,
    agreement_id: uuid.UUID,
    case_id: uuid.UUID | None,
    proposal_list_id: uuid.UUID | None,
) -> None:
    """Tell a new owner (unless they assigned it to themselves)."""
    if owner.pk == acting_user.pk:
        return
    write(
        [
            Pending(
                recipient_id=owner.pk,
                kind=NotificationKind.ASSIGNED,
                agreement_id=agreement_id,
                case_id=case_id,
                proposal_list_id=proposal_list_id,
                event="assigned",
            )
        ]
    )
