"""Proposal lists, criteria evaluations, transfer plans, reception stays and legal holds."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from readmit.accounts.models import Organisation, User
from readmit.agreements.models import Agreement, Site
from readmit.cases.models import Case
from readmit.core.models import BaseModel
from readmit.core.sealed import SealedField


class ListSource(models.TextChoices):
    WEB_CSV = "web-csv", _("Web upload (CSV)")
    WEB_XLSX = "web-xlsx", _("Web upload (XLSX)")
    API = "api", _("Exchange API")


class ProposalList(BaseModel):
    """A list of people the sending state proposes; each valid row became a case."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="proposal_lists"
    )
    reference = models.CharField(max_length=80, help_text="The sending state's list reference.")
    idempotency_key = models.CharField(max_length=200, null=True, blank=True)  # noqa: DJ001
    submitted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()
    row_count = models.PositiveIntegerField()
    imported_count = models.PositiveIntegerField()
    source = models.CharField(max_length=10, choices=ListSource.choices)
    request_digest = models.CharField(
        max_length=64, help_text="SHA-256 of the canonical request body."
    )

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "reference"], name="proposal_list_reference_unique"
            ),
            models.UniqueConstraint(
                fields=["organisation", "idempotency_key"],
                condition=models.Q(idempotency_key__isnull=False),
                name="proposal_list_idempotency_key_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(source__in=ListSource.values), name="proposal_list_source_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.imported_count}/{self.row_count})"


class EvaluationOutcome(models.TextChoices):
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")
    UNKNOWN = "unknown", _("Unknown")


class EvaluationTrigger(models.TextChoices):
    LIST = "list", _("List submitted")
    RECHECK = "recheck", _("Checked again")
    DECISION = "decision", _("At the decision")
    SCREENING = "screening", _("Screening changed")


class CriteriaEvaluation(BaseModel):
    """The agreement's criteria applied to one person at one moment, rule by rule."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evaluations")
    evaluated_at = models.DateTimeField()
    terms_version = models.PositiveIntegerField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=EvaluationOutcome.choices)
    results = models.JSONField(
        default=list, help_text="[{rule, label, outcome, explanation}] per criterion."
    )
    trigger = models.CharField(max_length=10, choices=EvaluationTrigger.choices)

    class Meta:
        ordering = ["-evaluated_at"]
        get_latest_by = "evaluated_at"
        indexes = [models.Index(fields=["case", "evaluated_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome__in=EvaluationOutcome.values),
                name="evaluation_outcome_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.outcome}"

    def not_passed(self) -> list[dict[str, str]]:
        return [r for r in self.results if r.get("outcome") != EvaluationOutcome.PASS]


class TransferPlan(BaseModel):
    """A planned transfer and the notice the person was given, in a language they understand."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transfer_plans")
    planned_for = models.DateTimeField()
    route = models.CharField(max_length=300)
    escort = models.CharField(max_length=300, blank=True)
    crossing_point = models.CharField(
        max_length=200, blank=True, help_text="The agreed border crossing point, if by land."
    )
    flight = models.CharField(max_length=80, blank=True, help_text="Flight number and airports.")
    # Health data: encrypted at rest (ADR 0012); at most 1000 characters (the payload's).
    medical_needs = SealedField(
        blank=True, default="", help_text='"none" is an answer; empty: not stated.'
    )
    notice_language = models.CharField(max_length=35)
    notice_given_at = models.DateTimeField()
    urgent = models.BooleanField(default=False)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.case_id} on {self.planned_for:%Y-%m-%d %H:%M}"


class StayOutcome(models.TextChoices):
    RETURNED_TO_ORIGIN = "returned_to_origin", _("Returned to the country of origin")
    DEPARTED_VOLUNTARILY = "departed_voluntarily", _("Departed voluntarily")
    PROTECTION_GRANTED = "protection_granted", _("Protection granted")
    TRANSFERRED_BACK = "transferred_back", _("Transferred back to the sending state")
    RELEASED = "released", _("Released (e.g. detention not validated by a court)")
    ABSCONDED = "absconded", _("Absconded")


# Departures that take the person away from protection: a legal hold blocks them. The
# transfer back, a release, protection granted and an absconding are never blocked: a hold
# stops removal, never the remedy a court ordered.
REMOVAL_OUTCOMES = frozenset({StayOutcome.RETURNED_TO_ORIGIN, StayOutcome.DEPARTED_VOLUNTARILY})


class ReceptionStay(BaseModel):
    """A person's stay at a reception site: open (counts against capacity) until ended."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="stays")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="stays")
    arrived_at = models.DateTimeField()
    max_end = models.DateField(
        null=True, blank=True, help_text="Last day of the stay the agreement allows."
    )
    return_plan = models.TextField(blank=True)
    return_plan_recorded_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=30, choices=StayOutcome.choices, blank=True)

    class Meta:
        ordering = ["-arrived_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(ended_at__isnull=True),
                name="one_open_stay_per_case",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True, outcome="")
                | (models.Q(ended_at__isnull=False) & models.Q(outcome__in=StayOutcome.values)),
                name="stay_outcome_when_ended",
            ),
        ]
        indexes = [models.Index(fields=["site", "ended_at"])]

    def __str__(self) -> str:
        return f"{self.case_id} at {self.site_id}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None


class HoldKind(models.TextChoices):
    COURT_CHALLENGE = "court_challenge", _("Court challenge")
    INTERIM_MEASURE = "interim_measure", _("Interim measure")
    FEAR_CLAIM = "fear_claim", _("Fear claim")
    DETENTION_NOT_VALIDATED = "detention_not_validated", _("Detention not validated")
    APPEAL = "appeal", _("Appeal")
    MEDICAL = "medical", _("Medical")
    OTHER = "other", _("Other")


class LegalHold(BaseModel):
    """A decision that halts removal: its kind, the authority (court or body) that took it,
    its reference and date, and the side, organisation and user that recorded it. A case may
    carry several; ``Case.legal_hold`` is on while any is open. Lifted by the placing side's
    supervisor, or by anyone of either side recording the court decision that lifts it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="legal_holds")
    kind = models.CharField(max_length=30, choices=HoldKind.choices)
    authority = models.CharField(max_length=200, blank=True, help_text="Court or body.")
    reference = models.CharField(max_length=120)
    decided_on = models.DateField(null=True, blank=True)
    side = models.CharField(max_length=10, blank=True, help_text="sending or receiving")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    placed_at = models.DateTimeField()
    placed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    lift_reason = models.TextField(blank=True)
    lift_court_reference = models.CharField(
        max_length=120, blank=True, help_text="The court decision that lifted it, if any."
    )

    class Meta:
        ordering = ["-placed_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=HoldKind.values), name="legal_hold_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference}"

    @property
    def is_open(self) -> bool:
        return self.lifted_at is None


class ProposalListEntry(BaseModel):
    """Which case each imported row of a list became (a list's cases, in file order)."""

    proposal_list = models.ForeignKey(
        ProposalList, on_delete=models.CASCADE, related_name="entries"
    )
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="proposal_entry")
    row = models.PositiveIntegerField(help_text="Line in the file, or index in the JSON list.")

    class Meta:
        ordering = ["proposal_list", "row"]

    def __str__(self) -> str:
        return f"{self.proposal_list_id} row {self.row}"


class ImportState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ListImport(BaseModel):
    """A proposal list too large for one request, imported in the background in batches.

    ``people`` holds the rows as received until the job ends (then it is emptied: the
    cases hold the people from then on). Every row is checked before anything is written,
    so an invalid list fails whole (``errors``) unless ``only_valid_rows``.
    """

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(max_length=80)
    idempotency_key = models.CharField(max_length=200, null=True, blank=True)  # noqa: DJ001
    request_digest = models.CharField(max_length=64)
    only_valid_rows = models.BooleanField(default=False)
    people = models.JSONField(default=list, blank=True)
    state = models.CharField(max_length=10, choices=ImportState.choices, default=ImportState.QUEUED)
    row_count = models.PositiveIntegerField()
    rows_done = models.PositiveIntegerField(default=0)
    rows_failed = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    proposal_list = models.ForeignKey(
        ProposalList, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "idempotency_key"],
                condition=models.Q(idempotency_key__isnull=False),
                name="list_import_idempotency_key_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=ImportState.values), name="list_import_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Import {self.reference} ({self.state}, {self.rows_done}/{self.row_count})"
