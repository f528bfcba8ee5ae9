"""Reads on subscriptions and deliveries; callers pass what the gates in services returned."""

from __future__ import annotations

from django.db.models import QuerySet

from readmit.accounts.models import Organisation, User
from readmit.events.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from readmit.events.services import organisation_for_admin, subscription_for_admin


def organisation_subscriptions(organisation: Organisation) -> QuerySet[WebhookSubscription]:
    return WebhookSubscription.objects.filter(organisation=organisation).order_by("created_at")


def subscription_deliveries(
    subscription: WebhookSubscription, *, status: str = ""
) -> QuerySet[WebhookDelivery]:
    deliveries = WebhookDelivery.objects.filter(subscription=subscription).select_related("event")
    if status:
        deliveries = deliveries.filter(status=status)
    return deliveries.order_by("-audit_seq")


def administered_organisations(user: User) -> list[Organisation]:
    from readmit.accounts.access import memberships
    from readmit.accounts.roles import Role

    return [m.organisation for m in memberships(user) if m.role == Role.ADMINISTRATOR]


__all__ = [
    "DeliveryStatus",
    "administered_organisations",
    "organisation_for_admin",
    "organisation_subscriptions",
    "subscription_deliveries",
    "subscription_for_admin",
]
