"""The outbox: audit rows that partners may hear about become events, in the same transaction.

``outbox_on_audit`` is registered with the audit log (``register_audit_listener``): every
audit row passes through it inside the transaction that records the change, so an event
exists if and only if the change was committed. It maps audit event types to public event
types and writes one ``OutboxEvent`` per party organisation with an active subscription to
that type, and one ``WebhookDelivery`` per such subscription.

Bodies carry ids, types and states only: no names, no reasons, no notes (the data-sharing
policy lets a party read a case's people only through the gates; an event is a prompt to
read, never the data itself).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from typing import Any

from django.db import transaction

from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.cases.workflow import WORKFLOWS
from readmit.work.notifications import partner_notifications

# The public event types and what each announces (docs/api.md "Events" lists the same).
EVENT_TYPES: Mapping[str, str] = {
    "case.created": "A case was opened (by a list, an application or by hand).",
    "case.transitioned": "A case took a workflow action (its new state in `state`).",
    "case.hold_placed": "A legal hold was placed on a case.",
    "case.hold_lifted": "A legal hold was lifted (`data.legal_hold`: whether another stands).",
    "list.received": "A proposal list was received.",
    "screening.finished": "A screening run finished.",
    "amendment.proposed": "A party proposed an amendment of the agreement's terms.",
    "amendment.confirmed": "The other party confirmed an amendment: a new version of terms.",
    "amendment.rejected": "The other party rejected a proposed amendment.",
    "amendment.withdrawn": "The proposing party withdrew its amendment.",
    "agreement.status_changed": "The agreement's status changed (its new status in `state`).",
}

# Actions that place or lift a legal hold, whatever the kind of case.
_HOLD_ACTIONS: Mapping[str, str] = {
    t.action: t.hold for w in WORKFLOWS.values() for t in w.transitions if t.hold
}


def _case_event(event: AuditEvent) -> tuple[str, str | None, dict[str, Any]]:
    data = event.data
    hold = _HOLD_ACTIONS.get(str(data.get("action", "")), "")
    kind = {"place": "case.hold_placed", "lift": "case.hold_lifted"}.get(hold, "case.transitioned")
    return (
        kind,
        str(data.get("to", "")),
        {
            "action": data.get("action"),
            "from_state": data.get("from"),
            "legal_hold": bool(data.get("legal_hold", False)),
        },
    )


def _object(name: str, kind: str) -> Callable[[AuditEvent], tuple[str, str | None, dict[str, Any]]]:
    return lambda event: (kind, None, {name: event.object_id})


Mapper = Callable[[AuditEvent], tuple[str, str | None, dict[str, Any]]]

# Audit event type -> (public type, state, data): ids and states, never personal data.
MAPPERS: Mapping[int, Mapper] = {
    AuditEventType.CASE_CREATED: lambda e: ("case.created", str(e.data.get("state", "")), {}),
    AuditEventType.CASE_TRANSITIONED: _case_event,
    AuditEventType.PROPOSAL_LIST_SUBMITTED: _object("list_id", "list.received"),
    AuditEventType.SCREENING_RUN_FINISHED: _object("run_id", "screening.finished"),
    AuditEventType.AMENDMENT_PROPOSED: _object("proposal_id", "amendment.proposed"),
    AuditEventType.AMENDMENT_CONFIRMED: _object("proposal_id", "amendment.confirmed"),
    AuditEventType.AMENDMENT_REJECTED: _object("proposal_id", "amendment.rejected"),
    AuditEventType.AMENDMENT_WITHDRAWN: _object("proposal_id", "amendment.withdrawn"),
    AuditEventType.AGREEMENT_STATUS_CHANGED: lambda e: (
        "agreement.status_changed",
        str(e.data.get("to", "")),
        {},
    ),
}


def event_body(
    *,
    event_id: uuid.UUID,
    event_type: str,
    audit: AuditEvent,
    state: str | None,
    data: Mapping[str, Any],
) -> dict[str, Any]:
    return {
        "id": str(event_id),
        "type": event_type,
        "occurred_at": audit.occurred_at.isoformat().replace("+00:00", "Z"),
        "agreement_id": str(audit.agreement_id) if audit.agreement_id else None,
        "case_id": str(audit.case_id) if audit.case_id else None,
        "state": state or None,
        "data": dict(data),
    }


def outbox_on_audit(audit: AuditEvent) -> None:
    """Write the events of one audit row (called inside its transaction)."""
    from readmit.agreements.models import AgreementParty
    from readmit.events.models import OutboxEvent, WebhookDelivery, WebhookSubscription

    mapper = MAPPERS.get(audit.event_type)
    if mapper is None or audit.agreement_id is None:
        return
    event_type, state, data = mapper(audit)
    # The partner's users hear of it in the app too (readmit.work.notifications).
    partner_notifications([(audit, event_type, state)])
    parties = AgreementParty.objects.filter(agreement_id=audit.agreement_id).values(
        "organisation_id"
    )
    subscriptions = [
        s
        for s in WebhookSubscription.objects.filter(active=True, organisation_id__in=parties)
        if event_type in s.event_types
    ]
    if not subscriptions:
        return
    by_org: dict[uuid.UUID, list[WebhookSubscription]] = {}
    for subscription in subscriptions:
        by_org.setdefault(subscription.organisation_id, []).append(subscription)
    deliveries: list[WebhookDelivery] = []
    for organisation_id, subs in by_org.items():
        event_id = uuid.uuid4()
        event = OutboxEvent.objects.create(
            id=event_id,
            organisation_id=organisation_id,
            audit_seq=audit.seq,
            event_type=event_type,
            occurred_at=audit.occurred_at,
            agreement_id=audit.agreement_id,
            case_id=audit.case_id,
            body=event_body(
                event_id=event_id, event_type=event_type, audit=audit, state=state, data=data
            ),
        )
        deliveries += [
            WebhookDelivery(event=event, subscription=s, audit_seq=audit.seq, case_id=audit.case_id)
            for s in subs
        ]
    WebhookDelivery.objects.bulk_create(deliveries)
    ids = [str(d.id) for d in deliveries]
    transaction.on_commit(lambda: _enqueue(ids))


def outbox_on_audit_many(audits: list[AuditEvent]) -> None:
    """The events of many audit rows (``audit_record_many``), in their order: the same
    rows as ``outbox_on_audit`` for each, with the subscriptions read once per agreement
    and every event and delivery written in one insert each."""
    from readmit.agreements.models import AgreementParty
    from readmit.events.models import OutboxEvent, WebhookDelivery, WebhookSubscription

    wanted = [a for a in audits if a.event_type in MAPPERS and a.agreement_id is not None]
    agreement_ids = {a.agreement_id for a in wanted}
    if not agreement_ids:
        return
    partner_notifications([(a, *MAPPERS[a.event_type](a)[:2]) for a in wanted])
    parties: dict[uuid.UUID, set[uuid.UUID]] = {}
    for agreement_id, organisation_id in AgreementParty.objects.filter(
        agreement_id__in=agreement_ids
    ).values_list("agreement_id", "organisation_id"):
        parties.setdefault(agreement_id, set()).add(organisation_id)
    every_org = set().union(*parties.values()) if parties else set()
    active = list(
        WebhookSubscription.objects.filter(active=True, organisation_id__in=every_org).order_by(
            "created_at", "id"
        )
    )
    if not active:
        return
    events: list[OutboxEvent] = []
    deliveries: list[WebhookDelivery] = []
    for audit in wanted:
        event_type, state, data = MAPPERS[audit.event_type](audit)
        orgs = parties.get(audit.agreement_id, set())  # type: ignore[arg-type]
        by_org: dict[uuid.UUID, list[WebhookSubscription]] = {}
        for subscription in active:
            if subscription.organisation_id in orgs and event_type in subscription.event_types:
                by_org.setdefault(subscription.organisation_id, []).append(subscription)
        for organisation_id, subs in by_org.items():
            event_id = uuid.uuid4()
            event = OutboxEvent(
                id=event_id,
                organisation_id=organisation_id,
                audit_seq=audit.seq,
                event_type=event_type,
                occurred_at=audit.occurred_at,
                agreement_id=audit.agreement_id,
                case_id=audit.case_id,
                body=event_body(
                    event_id=event_id, event_type=event_type, audit=audit, state=state, data=data
                ),
            )
            events.append(event)
            deliveries += [
                WebhookDelivery(
                    event=event, subscription=s, audit_seq=audit.seq, case_id=audit.case_id
                )
                for s in subs
            ]
    OutboxEvent.objects.bulk_create(events, batch_size=500)
    WebhookDelivery.objects.bulk_create(deliveries, batch_size=500)
    ids = [str(d.id) for d in deliveries]
    if ids:
        transaction.on_commit(lambda: _enqueue(ids))


def _enqueue(delivery_ids: list[str]) -> None:
    from readmit.events.tasks import deliver_webhook_task

    for delivery_id in delivery_ids:
        deliver_webhook_task.enqueue(delivery_id)
