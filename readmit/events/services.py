"""Webhook subscriptions (managed by the organisation's administrators) and replays.

The gate: a member of the organisation in another role gets ``Forbidden``; anyone else
``NotFound``, as if the organisation or subscription did not exist. Every write is audited.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from readmit.accounts.access import roles_in
from readmit.accounts.models import Organisation, User
from readmit.accounts.roles import Role
from readmit.audit.events import AuditEventType
from readmit.audit.services import audit_record
from readmit.core.errors import N_, Forbidden, NotFound, TransitionRefused, ValidationFailed
from readmit.events.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from readmit.events.outbox import EVENT_TYPES
from readmit.events.urls import check_url

DESCRIPTION_MAX = 200


def _parse(value: uuid.UUID | str, missing: str) -> uuid.UUID:
    """The id as a UUID; not one: ``NotFound`` with ``missing`` (a marked "No such ...")."""
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        raise NotFound(missing) from None


def organisation_for_admin(acting_user: User, organisation_id: uuid.UUID | str) -> Organisation:
    """The organisation if the caller administers it; a member in another role: Forbidden."""
    pk = _parse(organisation_id, N_("No such organisation."))
    roles = roles_in(acting_user, pk)
    if not roles or not acting_user.is_active:
        raise NotFound(N_("No such organisation."))
    if Role.ADMINISTRATOR not in roles:
        raise Forbidden(
            N_("Only an administrator of the organisation manages its webhooks."),
            type="wrong-role",
        )
    return Organisation.objects.get(id=pk)


def subscription_for_admin(
    acting_user: User, subscription_id: uuid.UUID | str, *, for_update: bool = False
) -> WebhookSubscription:
    pk = _parse(subscription_id, N_("No such webhook subscription."))
    queryset = WebhookSubscription.objects.filter(id=pk)
    if for_update:
        queryset = queryset.select_for_update()
    subscription = queryset.first()
    if subscription is None or not roles_in(acting_user, subscription.organisation_id):
        raise NotFound(N_("No such webhook subscription."))
    organisation_for_admin(acting_user, subscription.organisation_id)
    return subscription


def _event_types(values: Iterable[Any]) -> list[str]:
    chosen = list(values)
    unknown = [v for v in chosen if not isinstance(v, str) or v not in EVENT_TYPES]
    if unknown:
        raise ValidationFailed(
            N_("event_types: unknown type(s) %(unknown)s; known: %(known)s."),
            params={"unknown": ", ".join(map(str, unknown)), "known": ", ".join(EVENT_TYPES)},
            errors=[{"loc": ["event_types"], "msg": f"unknown: {', '.join(map(str, unknown))}"}],
        )
    if not chosen:
        raise ValidationFailed(
            N_("event_types: choose at least one event type."),
            errors=[{"loc": ["event_types"], "msg": N_("at least one")}],
        )
    return sorted(set(chosen))


def _description(value: str) -> str:
    value = value.strip()
    if len(value) > DESCRIPTION_MAX or "\x00" in value:
        raise ValidationFailed(
            N_("description: at most %(limit)s characters, no NUL."),
            params={"limit": DESCRIPTION_MAX},
            errors=[{"loc": ["description"], "msg": f"at most {DESCRIPTION_MAX} characters"}],
        )
    return value


def _audit_data(subscription: WebhookSubscription) -> dict[str, Any]:
    # Never the secret.
    return {
        "url": subscription.url,
        "event_types": subscription.event_types,
        "active": subscription.active,
    }


def subscription_create(
    *,
    organisation_id: uuid.UUID | str,
    url: str,
    event_types: Iterable[Any],
    acting_user: User,
    description: str = "",
    active: bool = True,
) -> tuple[WebhookSubscription, str]:
    """A new subscription and its secret (shown to the caller once, never again)."""
    organisation = organisation_for_admin(acting_user, organisation_id)
    url = check_url(url)
    types = _event_types(event_types)
    description = _description(description)
    secret = "whsec_" + secrets.token_hex(32)
    with transaction.atomic():
        subscription = WebhookSubscription.objects.create(
            organisation=organisation,
            url=url,
            secret=secret,
            event_types=types,
            active=active,
            description=description,
            created_by=acting_user,
        )
        audit_record(
            event_type=AuditEventType.WEBHOOK_SUBSCRIPTION_CREATED,
            acting_user=acting_user,
            organisation_id=organisation.id,
            object_type="webhook_subscription",
            object_id=str(subscription.id),
            data=_audit_data(subscription),
        )
    return subscription, secret


def subscription_update(
    *,
    subscription_id: uuid.UUID | str,
    acting_user: User,
    url: str | None = None,
    event_types: Iterable[Any] | None = None,
    active: bool | None = None,
    description: str | None = None,
) -> WebhookSubscription:
    """Change what is given (audited); the secret stays."""
    with transaction.atomic():
        subscription = subscription_for_admin(acting_user, subscription_id, for_update=True)
        if url is not None:
            subscription.url = check_url(url)
        if event_types is not None:
            subscription.event_types = _event_types(event_types)
        if description is not None:
            subscription.description = _description(description)
        if active is not None:
            subscription.active = active
        subscription.save()
        audit_record(
            event_type=AuditEventType.WEBHOOK_SUBSCRIPTION_UPDATED,
            acting_user=acting_user,
            organisation_id=subscription.organisation_id,
            object_type="webhook_subscription",
            object_id=str(subscription.id),
            data=_audit_data(subscription),
        )
    return subscription


def subscription_delete(*, subscription_id: uuid.UUID | str, acting_user: User) -> None:
    """Remove a subscription and its deliveries (audited); its events stay in the outbox."""
    with transaction.atomic():
        subscription = subscription_for_admin(acting_user, subscription_id, for_update=True)
        data = _audit_data(subscription)
        organisation_id, pk = subscription.organisation_id, subscription.id
        subscription.delete()
        audit_record(
            event_type=AuditEventType.WEBHOOK_SUBSCRIPTION_DELETED,
            acting_user=acting_user,
            organisation_id=organisation_id,
            object_type="webhook_subscription",
            object_id=str(pk),
            data=data,
        )


def delivery_for_admin(acting_user: User, delivery_id: uuid.UUID | str) -> WebhookDelivery:
    pk = _parse(delivery_id, N_("No such delivery."))
    delivery = WebhookDelivery.objects.select_related("event", "subscription").filter(id=pk).first()
    if delivery is None or not roles_in(acting_user, delivery.subscription.organisation_id):
        raise NotFound(N_("No such delivery."))
    organisation_for_admin(acting_user, delivery.subscription.organisation_id)
    return delivery


def delivery_replay(*, delivery_id: uuid.UUID | str, acting_user: User) -> WebhookDelivery:
    """Send an event again: a failed one, or a delivered one the partner lost (audited).

    The delivery starts over (attempts from zero) and is sent now, after any earlier event
    of its case that is still waiting; the event keeps its id, so receivers dedupe it.
    """
    from readmit.events.outbox import _enqueue

    delivery = delivery_for_admin(acting_user, delivery_id)
    with transaction.atomic():
        locked = WebhookDelivery.objects.select_for_update().get(id=delivery.id)
        if locked.status == DeliveryStatus.SENDING:
            raise TransitionRefused(
                N_("This delivery is being sent right now; replay it once the attempt is over."),
                rule="delivery-in-progress",
            )
        previous = locked.status
        locked.status = DeliveryStatus.PENDING
        locked.attempts = 0
        locked.next_attempt_at = None
        locked.lease_until = None
        locked.save()
        audit_record(
            event_type=AuditEventType.WEBHOOK_DELIVERY_REPLAYED,
            acting_user=acting_user,
            organisation_id=delivery.subscription.organisation_id,
            object_type="webhook_delivery",
            object_id=str(locked.id),
            data={"event": str(locked.event_id), "was": previous},
        )
        ids = [str(locked.id)]
        transaction.on_commit(lambda: _enqueue(ids))
    return locked
