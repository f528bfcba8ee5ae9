"""Teams, assignments (who owns a case or a proposal list on one party's side) and
notifications with each user's choice of how to receive each kind.

An assignment belongs to one organisation: each party to an agreement organises its own
work, so the sending and the receiving state each have their own owner of the same case,
and neither sees or changes the other's (docs/security.md "Assignment").
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from readmit.accounts.models import Organisation, User
from readmit.agreements.models import Agreement
from readmit.cases.models import Case
from readmit.core.models import BaseModel
from readmit.relocation.models import ProposalList


class Team(BaseModel):
    """A small group of one organisation's users that can own cases together."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="team_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Assignment(BaseModel):
    """Who owns a case or a proposal list on ``organisation``'s side: a user, a team, or both."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="assignments"
    )
    proposal_list = models.ForeignKey(
        ProposalList, on_delete=models.CASCADE, null=True, blank=True, related_name="assignments"
    )
    owner = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="assignments"
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="assignments"
    )
    assigned_at = models.DateTimeField()
    assigned_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(case__isnull=False) & models.Q(proposal_list__isnull=True))
                | (models.Q(case__isnull=True) & models.Q(proposal_list__isnull=False)),
                name="assignment_case_or_list",
            ),
            models.UniqueConstraint(
                fields=["organisation", "case"],
                condition=models.Q(case__isnull=False),
                name="assignment_one_per_case_and_party",
            ),
            models.UniqueConstraint(
                fields=["organisation", "proposal_list"],
                condition=models.Q(proposal_list__isnull=False),
                name="assignment_one_per_list_and_party",
            ),
        ]
        indexes = [models.Index(fields=["owner", "organisation"], name="assignment_owner")]

    def __str__(self) -> str:
        return f"{self.case_id or self.proposal_list_id} → {self.owner_id or self.team_id}"


class NotificationKind(models.TextChoices):
    PARTNER_ACTION = "partner_action", _("The other party acted")
    DEADLINE_DUE = "deadline_due", _("A deadline is coming due")
    ASSIGNED = "assigned", _("A case or list was assigned to you")


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In the app")
    EMAIL = "email", _("In the app and by e-mail")
    NONE = "none", _("Not at all")


class Notification(BaseModel):
    """One thing a user should know, written in the same transaction as its cause.

    It names its cause by kind, event type and state only; the case page says the rest,
    through the gates, so a notification shows nothing the recipient could not read anyway.
    """

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    proposal_list = models.ForeignKey(
        ProposalList, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    event = models.CharField(
        max_length=60, blank=True, help_text="The public event type or the deadline's kind."
    )
    state = models.CharField(max_length=30, blank=True)
    count = models.PositiveIntegerField(default=1, help_text="Events of one batch it stands for.")
    deadline_id = models.UUIDField(null=True, blank=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=NotificationKind.values), name="notification_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"


class NotificationPreference(BaseModel):
    """How one user receives one kind; without a row, in the app."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_unique"),
            models.CheckConstraint(
                condition=models.Q(channel__in=Channel.values), name="notification_channel_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.channel}"
