"""Consular districts of missions and consular requests routed to them."""

from __future__ import annotations

from django.db import models

from readmit.accounts.models import Organisation, User
from readmit.cases.models import Case, Person
from readmit.consular.districts import Requester, RequestKind, RequestState
from readmit.core.models import BaseModel

KIND_CHOICES = [(k.value, k.label) for k in RequestKind]
REQUESTER_CHOICES = [(r.value, r.label) for r in Requester]
STATE_CHOICES = [(s.value, s.value.replace("_", " ").capitalize()) for s in RequestState]


class DistrictArea(BaseModel):
    """One subdivision (ISO 3166-2, e.g. ``US-NY``) in a mission's consular district.

    ``ministry`` is the mission's parent: a subdivision belongs to at most one district per
    ministry, so routing a request has one answer.
    """

    mission = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="district_areas"
    )
    ministry = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    region = models.CharField(max_length=6)

    class Meta:
        ordering = ["region"]
        constraints = [
            models.UniqueConstraint(
                fields=["ministry", "region"], name="district_region_unique_per_ministry"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region} ({self.mission_id})"


class ConsularRequest(BaseModel):
    """A request for consular help, routed to the mission whose district covers the
    person's last address in the host state (or to the ministry when none does)."""

    reference = models.CharField(max_length=40, unique=True)
    kind = models.CharField(max_length=30, choices=KIND_CHOICES)
    requester = models.CharField(max_length=20, choices=REQUESTER_CHOICES)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="consular_requests")
    case = models.ForeignKey(
        Case,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consular_requests",
    )
    residence_region = models.CharField(
        max_length=6, help_text="ISO 3166-2 code of the person's last address in the host state."
    )
    ministry = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    routed_to = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="consular_requests"
    )
    routing_reason = models.CharField(max_length=300)
    requested_by = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    details = models.TextField(blank=True)
    state = models.CharField(max_length=20, choices=STATE_CHOICES, default=RequestState.OPEN)
    owner = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="consular_requests"
    )
    due_on = models.DateField()
    due_explanation = models.CharField(max_length=200)
    outcome = models.TextField(blank=True)
    reason = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    idempotency_key = models.CharField(max_length=200, null=True, blank=True)  # noqa: DJ001
    request_digest = models.CharField(max_length=64, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_on", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["requested_by", "idempotency_key"],
                condition=models.Q(idempotency_key__isnull=False),
                name="consular_request_idempotency_key_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=[k.value for k in RequestKind]),
                name="consular_request_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=[s.value for s in RequestState]),
                name="consular_request_state_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.state})"
