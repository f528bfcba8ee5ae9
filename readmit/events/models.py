"""Webhook subscriptions of an organisation, the outbox of events and their deliveries.

An ``OutboxEvent`` is written in the same transaction as the change it announces (the audit
row's transaction), one per subscribed organisation; a ``WebhookDelivery`` is one event on
its way to one subscription's URL. Bodies hold ids and types only (see docs/api.md "Events").
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from readmit.accounts.models import Organisation, User
from readmit.core.models import BaseModel


class WebhookSubscription(BaseModel):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="webhook_subscriptions"
    )
    url = models.URLField(max_length=500)
    # Kept in clear: signing needs it. Shown once, when the subscription is created.
    secret = models.CharField(max_length=80, editable=False)
    event_types = models.JSONField(default=list)
    active = models.BooleanField(default=True)
    description = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.url


class OutboxEvent(BaseModel):
    """One event for one organisation; ``id`` is the event id receivers dedupe by."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="outbox_events"
    )
    # The audit row that recorded the change: its seq orders events (one chain, one order).
    audit_seq = models.PositiveBigIntegerField()
    event_type = models.CharField(max_length=60)
    occurred_at = models.DateTimeField()
    agreement_id = models.UUIDField(null=True, blank=True)
    case_id = models.UUIDField(null=True, blank=True)
    body = models.JSONField()

    class Meta:
        ordering = ["audit_seq"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "audit_seq"], name="outbox_one_per_org_and_audit_row"
            )
        ]


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", pgettext_lazy("delivery status", "Sending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed (attempts exhausted)")


class WebhookDelivery(BaseModel):
    event = models.ForeignKey(OutboxEvent, on_delete=models.CASCADE, related_name="deliveries")
    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    # Copied from the event: a later event of a case waits for the earlier ones.
    audit_seq = models.PositiveBigIntegerField()
    case_id = models.UUIDField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["audit_seq"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "subscription"], name="delivery_one_per_event_and_subscription"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in DeliveryStatus]),
                name="delivery_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["subscription", "case_id", "audit_seq"])]
