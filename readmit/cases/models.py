"""People (names as written, never translated), their documents, cases and attachments."""

from __future__ import annotations

import datetime as dt
import functools
import operator

from django.db import models
from django.utils.translation import gettext_lazy as _

from readmit.accounts.models import Organisation, User
from readmit.agreements.models import Agreement, AgreementKind
from readmit.cases.workflow import WORKFLOWS
from readmit.core.models import BaseModel, Country
from readmit.core.sealed import DocumentNumberIndexField, SealedField


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    OTHER = "X", _("Other / unspecified")
    UNKNOWN = "U", _("Unknown")


class Person(BaseModel):
    """A person as the sending state recorded them.

    ``given_names`` / ``family_name`` keep the script the name was written in (Cyrillic,
    Latin with diacritics ...); the ``*_latin`` fields hold a Latin form for display and
    matching. Names are data, never translated. Birth dates may be partial (year, or year
    and month), as real documents are.
    """

    given_names = models.CharField(max_length=200, blank=True)
    family_name = models.CharField(max_length=200)
    given_names_latin = models.CharField(max_length=200, blank=True)
    family_name_latin = models.CharField(max_length=200, blank=True)
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)
    birth_month = models.PositiveSmallIntegerField(null=True, blank=True)
    birth_day = models.PositiveSmallIntegerField(null=True, blank=True)
    place_of_birth = models.CharField(max_length=200, blank=True)
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    nationalities = models.ManyToManyField(Country, related_name="nationals", blank=True)
    languages = models.JSONField(default=list, blank=True)
    # Criminal data and vulnerabilities are encrypted at rest (readmit.core.sealed, ADR 0012).
    convictions = SealedField(
        default=list,
        blank=True,
        help_text="[{offence, category, date, country}] as the sending state reported them.",
    )
    pending_criminal_case = SealedField(
        default=None, blank=True, help_text="true, false, or null: not known."
    )
    vulnerabilities = SealedField(
        default=list,
        blank=True,
        help_text="e.g. pregnant, unaccompanied_minor, medical, disability, trafficking_victim.",
    )
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="people",
        help_text="The organisation that recorded this person.",
    )
    anonymised_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the retention purge removed the personal data (cases.retention).",
    )

    class Meta:
        verbose_name_plural = "people"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(birth_month__isnull=True)
                | (
                    models.Q(birth_month__gte=1)
                    & models.Q(birth_month__lte=12)
                    & models.Q(birth_year__isnull=False)
                ),
                name="person_birth_month_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(birth_day__isnull=True)
                | (
                    models.Q(birth_day__gte=1)
                    & models.Q(birth_day__lte=31)
                    & models.Q(birth_month__isnull=False)
                ),
                name="person_birth_day_valid",
            ),
            models.CheckConstraint(condition=models.Q(sex__in=Sex.values), name="person_sex_valid"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        written = " ".join(p for p in (self.given_names, self.family_name) if p)
        latin = " ".join(p for p in (self.given_names_latin, self.family_name_latin) if p)
        if latin and latin != written:
            return f"{written} ({latin})"
        return written

    @property
    def birth_date_display(self) -> str:
        if self.birth_year is None:
            return "unknown"
        if self.birth_month is None:
            return f"{self.birth_year:04d}"
        if self.birth_day is None:
            return f"{self.birth_year:04d}-{self.birth_month:02d}"
        return f"{self.birth_year:04d}-{self.birth_month:02d}-{self.birth_day:02d}"

    def age_on(self, day: dt.date) -> int | None:
        """Age in whole years, the lowest consistent with a partial birth date."""
        if self.birth_year is None:
            return None
        month = self.birth_month or 12
        birth_day = self.birth_day or 31 if self.birth_month else 31
        age = day.year - self.birth_year
        if (day.month, day.day) < (month, birth_day):
            age -= 1
        return age


class NameKind(models.TextChoices):
    ALIAS = "alias", _("Alias")
    FORMER = "former", _("Former name")
    BIRTH = "birth", _("Name at birth")
    OTHER_SCRIPT = "script", _("Same name in another script")


class PersonName(BaseModel):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="other_names")
    kind = models.CharField(max_length=10, choices=NameKind.choices)
    given_names = models.CharField(max_length=200, blank=True)
    family_name = models.CharField(max_length=200)

    def __str__(self) -> str:
        return f"{self.given_names} {self.family_name} ({self.kind})"


class DocumentType(models.TextChoices):
    PASSPORT = "passport", _("Passport")
    ID_CARD = "id_card", _("Identity card")
    EMERGENCY_TRAVEL = "emergency_travel_document", _("Emergency travel document")
    EU_TRAVEL = "eu_travel_document", _("EU travel document for return")
    BIRTH_CERTIFICATE = "birth_certificate", _("Birth certificate")
    DRIVING_LICENCE = "driving_licence", _("Driving licence")
    OTHER = "other", _("Other document")


class IdentityDocument(BaseModel):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="documents")
    type = models.CharField(max_length=30, choices=DocumentType.choices)
    # Encrypted at rest; found and compared by its blind index (ADR 0012).
    number = SealedField(help_text="As written on the document (at most 40 characters).")
    number_index = DocumentNumberIndexField(source="number")
    issuing_country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    issued_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    is_copy = models.BooleanField(default=False)
    flagged_false = models.BooleanField(
        default=False, help_text="A document flagged false never counts."
    )

    class Meta:
        indexes = [
            models.Index(
                fields=["type", "number_index", "issuing_country"], name="cases_document_blind"
            ),
            # The search finds a document by its number alone, whatever its type.
            models.Index(fields=["number_index"], name="cases_document_number"),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.number} ({self.issuing_country_id})"


class CaseQuerySet(models.QuerySet["Case"]):
    def open(self) -> CaseQuerySet:
        """Cases not closed yet."""
        return self.filter(closed_at__isnull=True)


# The database's copy of the transition tables' states: a state outside its kind's is refused.
_STATE_OF_KIND = functools.reduce(
    operator.or_,
    (
        models.Q(kind=kind, state__in=[str(s) for s in w.states])
        for kind, w in sorted(WORKFLOWS.items())
    ),
)


class Case(BaseModel):
    """One person under one agreement. ``state`` moves only through ``case_transition``."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="cases")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases")
    kind = models.CharField(max_length=20, choices=AgreementKind.choices)
    state = models.CharField(max_length=30)
    reference = models.CharField(max_length=40, unique=True)
    external_id = models.CharField(
        max_length=80, blank=True, help_text="The sending state's own identifier."
    )
    legal_hold = models.BooleanField(default=False)
    family_group = models.CharField(
        max_length=80, blank=True, help_text="Cases with the same group move together or not."
    )
    version = models.PositiveIntegerField(default=1, help_text="Bumped on every change; ETag.")
    closed_at = models.DateTimeField(null=True, blank=True)
    data = models.JSONField(
        default=dict, blank=True, help_text="Per-kind details recorded by transitions."
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "external_id"],
                condition=~models.Q(external_id=""),
                name="case_external_id_unique_per_agreement",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=AgreementKind.values), name="case_kind_valid"
            ),
            # A case's state is one of its kind's workflow (cases/workflow.py).
            models.CheckConstraint(condition=_STATE_OF_KIND, name="case_state_of_kind"),
        ]
        indexes = [
            models.Index(fields=["agreement", "state"]),
            # The search finds a case by the sending state's id (readmit.search).
            models.Index(fields=["external_id"], name="case_external_id"),
            # A page of the list walks the cases newest first and stops (docs/performance.md).
            models.Index(fields=["-created_at", "reference"], name="case_newest_first"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.state})"

    @property
    def workflow(self):  # type: ignore[no-untyped-def]
        return WORKFLOWS[self.kind]

    @property
    def etag(self) -> str:
        return f'"{self.id}-{self.version}"'


class ApplicationSource(models.TextChoices):
    API = "api", _("API")
    WEB = "web", _("Web form")
    CSV = "csv", _("CSV batch")
    XLSX = "xlsx", _("XLSX batch")


class ReadmissionApplication(BaseModel):
    """The application that opened a readmission case: its procedure and particulars.

    The person's names, birth, sex, nationalities and languages are on ``Person``; the rest
    of what the application carried (parents, civil status, last address in the requested
    state, medical and escort needs, where "none" is an answer) is kept here as sent.
    ``received_on`` is the receipt date in the requested state's time zone, which starts
    the reply limit.
    """

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="application")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()
    received_on = models.DateField(help_text="The receipt date in the requested state's zone.")
    procedure = models.CharField(max_length=12)
    apprehended_on = models.DateField(null=True, blank=True)
    # Parents, civil status, last address, medical and escort needs: encrypted at rest.
    particulars = SealedField(default=dict, blank=True)
    source = models.CharField(max_length=10, choices=ApplicationSource.choices)
    idempotency_key = models.CharField(max_length=200, null=True, blank=True)  # noqa: DJ001
    request_digest = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "idempotency_key"],
                condition=models.Q(idempotency_key__isnull=False),
                name="readmission_application_idempotency_key_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(procedure__in=["normal", "accelerated"]),
                name="readmission_application_procedure_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(procedure="accelerated")
                | models.Q(apprehended_on__isnull=False),
                name="readmission_application_accelerated_has_apprehension",
            ),
        ]

    def __str__(self) -> str:
        return f"application of {self.case_id} ({self.procedure})"


class EvidenceItem(BaseModel):
    """One item of evidence of nationality on a readmission case (``readmit.cases.evidence``
    weighs it with the agreement's annexes). A machine-readable zone is stored only after
    its check digits were verified; a false document counts for nothing."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence_items")
    kind = models.CharField(max_length=30)
    reference = models.CharField(max_length=200, blank=True)
    document = models.ForeignKey(
        IdentityDocument, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    mrz = models.TextField(blank=True, help_text="As sent; its check digits were verified.")
    mrz_fields = models.JSONField(default=dict, blank=True)
    false_document = models.BooleanField(default=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} on {self.case_id}"


class VulnerabilityAssessment(BaseModel):
    """Who assessed a person's vulnerabilities, when, and what they found (possibly none).

    Until one exists, a person whose list did not say their vulnerabilities is *not
    assessed*, and every exclusion that reads vulnerabilities answers unknown, which blocks
    the decision. The latest assessment sets ``Person.vulnerabilities``.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="assessments")
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="vulnerability_assessments"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    assessed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField()
    vulnerabilities = SealedField(
        default=list, blank=True, help_text="Codes of agreements.vocabularies; empty: none."
    )
    note = SealedField(default="", blank=True)

    class Meta:
        ordering = ["-assessed_at"]

    def __str__(self) -> str:
        return f"{self.person_id} assessed {self.assessed_at:%Y-%m-%d}"


class DeadlineQuerySet(models.QuerySet["Deadline"]):
    def open(self) -> DeadlineQuerySet:
        """Deadlines still running: neither met, cancelled nor lapsed."""
        return self.filter(met_at__isnull=True, cancelled_at__isnull=True, lapsed_at__isnull=True)

    def live(self) -> DeadlineQuerySet:
        """Deadlines not cancelled (running, met or lapsed): what a case shows."""
        return self.filter(cancelled_at__isnull=True)


class Deadline(BaseModel):
    """A time limit running on a case, computed by ``readmit.deadlines`` from the terms."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines")
    kind = models.CharField(max_length=40)
    label = models.CharField(max_length=200)
    due_on = models.DateField()
    met_at = models.DateTimeField(null=True, blank=True)
    met_late = models.BooleanField(
        default=False, help_text="Met after its due date: shown as late, never as met."
    )
    lapsed_at = models.DateTimeField(
        null=True, blank=True, help_text="Ran out unmet and silence took effect (deemed)."
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    extended_at = models.DateTimeField(
        null=True, blank=True, help_text="When the limit was extended (at most once)."
    )
    explanation = models.CharField(max_length=300, blank=True)

    objects = DeadlineQuerySet.as_manager()

    class Meta:
        ordering = ["due_on"]

    def __str__(self) -> str:
        return f"{self.label} by {self.due_on}"

    @property
    def is_open(self) -> bool:
        return self.met_at is None and self.cancelled_at is None and self.lapsed_at is None

    @property
    def status(self) -> str:
        """open, met, late (met after the due date), lapsed (ran out unmet) or cancelled."""
        if self.met_at is not None:
            return "late" if self.met_late else "met"
        if self.lapsed_at is not None:
            return "lapsed"
        return "cancelled" if self.cancelled_at is not None else "open"


class AttachmentKind(models.TextChoices):
    EVIDENCE_OF_NATIONALITY = "evidence_of_nationality", _("Evidence of nationality")
    TRAVEL_DOCUMENT = "travel_document", _("Travel document")
    NOTICE = "notice", _("Notice to the person")
    COURT_DECISION = "court_decision", _("Court decision")
    PHOTO = "photo", _("Photo of the person")
    LETTER = "letter", _("Letter to the person (generated)")
    OTHER = "other", _("Other")


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"cases/{instance.case_id}/{instance.id}"


class Attachment(BaseModel):
    """A file on a case. Stored under an opaque name; served only through the case gate."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="attachments")
    kind = models.CharField(max_length=30, choices=AttachmentKind.choices)
    file = models.FileField(upload_to=attachment_path)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return self.filename


class QuotaAllocation(BaseModel):
    """One place of an agreement's quota, taken by a selection in one period."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="quota_allocations"
    )
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="quota_allocations")
    period_start = models.DateField()
    period_end = models.DateField()
    released_at = models.DateTimeField(null=True, blank=True)
    release_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(released_at__isnull=True),
                name="one_live_allocation_per_case",
            ),
        ]
        indexes = [models.Index(fields=["agreement", "period_start"])]

    def __str__(self) -> str:
        return f"{self.case_id} in {self.period_start}"


class TravelDocumentType(models.TextChoices):
    EMERGENCY = "emergency_travel_document", _("Emergency travel document")
    EU_RETURN = "eu_travel_document", _("EU travel document for return (Regulation (EU) 2016/1953)")


class TravelDocument(BaseModel):
    """The document a readmitted person travels on, issued for one case (``cases.travel``).

    Recorded by the requested state with ``issue_travel_document``; ``revoke_travel_document``
    revokes it with a reason. The latest document of a case is the one that counts: revoked
    or expired, it blocks the transfer.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="travel_documents")
    type = models.CharField(max_length=30, choices=TravelDocumentType.choices)
    number = models.CharField(max_length=40)
    issuing_mission = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="An organisation of the requested state (ministry, embassy, consulate).",
    )
    valid_from = models.DateField()
    valid_until = models.DateField()
    single_journey = models.BooleanField(default=True)
    consent_reference = models.CharField(
        max_length=120,
        blank=True,
        help_text="The requested state's prior consent to the EU document, where needed.",
    )
    consent_given_on = models.DateField(null=True, blank=True)
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    revocation_reason = models.CharField(max_length=2000, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        get_latest_by = "issued_at"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(type__in=TravelDocumentType.values),
                name="travel_document_type_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("valid_from")),
                name="travel_document_validity_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.number}"

    def valid_on(self, day: dt.date) -> bool:
        return self.revoked_at is None and self.valid_from <= day <= self.valid_until


class CostLeg(models.TextChoices):
    TRANSPORT_TO_BORDER = "transport_to_border", _("Transport to the border crossing point")
    ONWARD = "onward", _("Onward transport")


class TransferCost(BaseModel):
    """One cost of a readmission transfer, paid by the party the agreement's ``costs`` name."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="transfer_costs"
    )
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="transfer_costs")
    leg = models.CharField(max_length=30, choices=CostLeg.choices)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3, help_text="ISO 4217 alphabetic code.")
    payer = models.CharField(max_length=10, help_text="sending or requested, from the terms.")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(leg__in=CostLeg.values), name="transfer_cost_leg_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="transfer_cost_amount_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(payer__in=["sending", "requested"]),
                name="transfer_cost_payer_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.leg}: {self.amount} {self.currency}"
