"""Agreements between states, their parties, reception sites and the diplomatic record."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from readmit.accounts.models import Organisation, User
from readmit.agreements.terms import AgreementTerms
from readmit.core.models import BaseModel, Country


class AgreementKind(models.TextChoices):
    RELOCATION = "relocation", _("Third-country relocation")
    READMISSION = "readmission", _("Readmission of own nationals")
    RECEPTION = "reception", _("Reception centres abroad")


class AgreementStatus(models.TextChoices):
    APPROACHED = "approached", _("Approached")
    NEGOTIATING = "negotiating", _("Negotiating")
    SIGNED = "signed", _("Signed")
    IN_FORCE = "in_force", _("In force")
    SUSPENDED = "suspended", _("Suspended")
    ENDED = "ended", _("Ended")


class PartySide(models.TextChoices):
    SENDING = "sending", _("Sending / requesting state")
    RECEIVING = "receiving", _("Receiving / requested state")


class Agreement(BaseModel):
    reference = models.SlugField(max_length=60, unique=True)
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=AgreementKind.choices)
    status = models.CharField(
        max_length=20, choices=AgreementStatus.choices, default=AgreementStatus.APPROACHED
    )
    terms = models.JSONField(default=dict, help_text="Validated by AgreementTerms.")
    signed_on = models.DateField(null=True, blank=True)
    in_force_from = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    source = models.TextField(blank=True, help_text="Where the text or the terms come from.")

    class Meta:
        ordering = ["reference"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=AgreementKind.values), name="agreement_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=AgreementStatus.values), name="agreement_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def parsed_terms(self) -> AgreementTerms:
        return AgreementTerms.model_validate(self.terms)

    def party(self, side: str) -> AgreementParty | None:
        for party in self.parties.all():
            if party.side == side:
                return party
        return None

    @property
    def sending_party(self) -> AgreementParty | None:
        return self.party(PartySide.SENDING)

    @property
    def receiving_party(self) -> AgreementParty | None:
        return self.party(PartySide.RECEIVING)

    def terms_summary(self) -> dict[str, Any]:
        return self.parsed_terms.model_dump(exclude_defaults=True)


class AgreementParty(BaseModel):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="agreement_parties"
    )
    side = models.CharField(max_length=10, choices=PartySide.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organisation"], name="party_once_per_agreement"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.side})"


class Site(BaseModel):
    """A reception site in the receiving state, with its own capacity."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField(max_length=200)
    country = models.ForeignKey(Country, on_delete=models.PROTECT)
    location = models.CharField(max_length=200, blank=True)
    capacity = models.PositiveIntegerField()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "name"], name="site_name_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.capacity} places)"


class ContactChannel(models.TextChoices):
    DIPLOMATIC_NOTE = "note", _("Diplomatic note")
    MEETING = "meeting", _("Meeting")
    EMBASSY = "embassy", _("Through an embassy")
    PUBLIC_STATEMENT = "public", _("Public statement")
    MEDIA = "media", _("Reported by media")
    OTHER = "other", _("Other")


class DiplomaticContact(BaseModel):
    """One approach or exchange between states about an (intended) agreement."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="contacts")
    occurred_on = models.DateField()
    from_country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    to_country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=10, choices=ContactChannel.choices)
    summary = models.TextField()
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-occurred_on"]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.from_country_id}→{self.to_country_id}"


class Stance(models.TextChoices):
    READY = "ready", _("Ready to cooperate")
    OPEN = "open", _("Open, with conditions")
    NO_COMMUNICATION = "no_communication", _("No communication so far")
    OWN_NATIONALS_ONLY = "own_nationals_only", _("Takes back own nationals only")
    REFUSES = "refuses", _("Refuses")
    NO_COMMENT = "no_comment", _("Does not comment")


class PublicPosition(BaseModel):
    """What a state said in public on the topic of an agreement, with its source."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="positions")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    stated_on = models.DateField()
    stance = models.CharField(max_length=20, choices=Stance.choices)
    statement = models.TextField()
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-stated_on"]

    def __str__(self) -> str:
        return f"{self.country_id}: {self.get_stance_display()}"


class AgreementStatusChange(BaseModel):
    """One move in the agreement's lifecycle: when, from what, to what, on what source."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="status_changes"
    )
    on = models.DateField(
        help_text="When the change took effect (signature, entry into force ...)."
    )
    from_status = models.CharField(max_length=20, choices=AgreementStatus.choices)
    to_status = models.CharField(max_length=20, choices=AgreementStatus.choices)
    source = models.TextField(
        help_text="Where this is known from: a note, a gazette, a press release."
    )
    reason = models.TextField(blank=True)
    ground = models.CharField(
        max_length=80,
        blank=True,
        help_text="A suspension's ground: 'court_order' or a ground the terms list.",
    )
    ground_reference = models.CharField(
        max_length=200, blank=True, help_text="The court order's reference, for 'court_order'."
    )
    changed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["agreement", "on", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(from_status=models.F("to_status")), name="status_change_changes"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.on}: {self.from_status} → {self.to_status}"


class AgreementVersion(BaseModel):
    """The agreement's terms as amended: version 1 is the original, each amendment the next.

    The terms in force at a moment are those of the newest version whose ``valid_from`` is
    not after it (``selectors.terms_at``); ``Agreement.terms`` mirrors the current one.
    """

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    terms = models.JSONField(help_text="Validated by AgreementTerms.")
    valid_from = models.DateTimeField()
    reason = models.TextField(blank=True)
    source = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"], name="agreement_version_number_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(number__gte=1), name="agreement_version_number_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id} v{self.number} from {self.valid_from:%Y-%m-%d}"

    @property
    def parsed_terms(self) -> AgreementTerms:
        return AgreementTerms.model_validate(self.terms)


class ProposalState(models.TextChoices):
    PENDING = "pending", _("Pending the other party's confirmation")
    CONFIRMED = "confirmed", _("Confirmed by both parties")
    WITHDRAWN = "withdrawn", _("Withdrawn by the proposing party")
    REJECTED = "rejected", _("Rejected by the other party")


class AmendmentProposal(BaseModel):
    """A change of shared terms proposed by one party; in force only once the other confirms.

    ``changes`` is a patch of the named keys (deep-merged into the terms in force when it is
    confirmed); ``version`` is the version the confirmation recorded.
    """

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="proposals")
    changes = models.JSONField(help_text="Only the keys that change, e.g. {quota: {limit: 60}}.")
    valid_from = models.DateTimeField()
    reason = models.TextField()
    source = models.TextField(blank=True)
    state = models.CharField(
        max_length=10, choices=ProposalState.choices, default=ProposalState.PENDING
    )
    proposed_by_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+"
    )
    proposed_by_side = models.CharField(max_length=10, choices=PartySide.choices)
    proposed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    version = models.OneToOneField(
        AgreementVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="proposal"
    )

    class Meta:
        ordering = ["agreement", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=ProposalState.values), name="proposal_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id}: {self.state} amendment by {self.proposed_by_organisation_id}"


class NoticeState(models.TextChoices):
    PENDING = "pending", _("Running")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EFFECTIVE = "effective", _("Took effect")


class TerminationNotice(BaseModel):
    """One party's notice of termination: the agreement ends on ``takes_effect_on``.

    ``takes_effect_on`` is the day the notice was given plus the terms'
    ``termination_notice_days``; until then the party that gave it may withdraw it.
    """

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="termination_notices"
    )
    given_on = models.DateField()
    takes_effect_on = models.DateField()
    reason = models.TextField()
    source = models.TextField()
    state = models.CharField(
        max_length=10, choices=NoticeState.choices, default=NoticeState.PENDING
    )
    given_by_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+"
    )
    given_by_side = models.CharField(max_length=10, choices=PartySide.choices)
    given_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    withdrawn_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdraw_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["agreement", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=NoticeState.values), name="notice_state_valid"
            ),
            models.UniqueConstraint(
                fields=["agreement"],
                condition=models.Q(state="pending"),
                name="one_running_notice_per_agreement",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id}: notice given {self.given_on}, ends {self.takes_effect_on}"
