"""Watchlists and their versions, screening runs and their matches, duplicate people.

A watchlist is never edited: each import is a new :class:`WatchlistVersion` with its own
entries, and every screening run records the versions it used, so a decision can always be
traced to the list as it stood. Matching itself lives in ``readmit.screening.matching``
(pure Python); these models only hold what the workflow around it needs.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from readmit.accounts.models import Organisation, User
from readmit.agreements.models import Agreement
from readmit.cases.models import Case, Person
from readmit.core.models import BaseModel


class SourceKind(models.TextChoices):
    CSV = "csv", _("CSV (id, name, aliases, birth_date, nationality, document_number)")
    FTM = "ftm", _("FollowTheMoney / OpenSanctions JSON lines")
    UN_XML = "un_xml", _("UN Security Council consolidated list (XML)")


class Watchlist(BaseModel):
    """A named list of people, owned by one organisation; agreements choose which they use."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    owner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="watchlists")
    description = models.TextField(blank=True)
    source_kind = models.CharField(max_length=10, choices=SourceKind.choices)
    shared_with_parties = models.BooleanField(
        default=False,
        help_text=(
            "Parties of agreements that use this list may read its entries and the details"
            " of matches against them. Off: they see only its name and versions, and the"
            " outcome of each review."
        ),
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(source_kind__in=SourceKind.values),
                name="watchlist_source_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class WatchlistVersion(BaseModel):
    """One import of a watchlist. The newest number is the list in force."""

    watchlist = models.ForeignKey(Watchlist, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    imported_at = models.DateTimeField()
    imported_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_filename = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField(max_length=64)
    entry_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(
        default=0, help_text="Records of the file that are not people (FollowTheMoney)."
    )

    class Meta:
        ordering = ["watchlist", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["watchlist", "number"], name="watchlist_version_number_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(number__gte=1), name="watchlist_version_number_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.watchlist_id} v{self.number}"


class WatchlistEntry(BaseModel):
    """One person on one version of a list, as the list wrote them."""

    version = models.ForeignKey(WatchlistVersion, on_delete=models.CASCADE, related_name="entries")
    external_id = models.CharField(max_length=120)
    name = models.CharField(max_length=400)
    aliases = models.JSONField(default=list, blank=True)
    birth_date = models.CharField(
        max_length=10, blank=True, help_text="YYYY, YYYY-MM or YYYY-MM-DD (partial dates)."
    )
    nationality = models.CharField(
        max_length=80, blank=True, help_text="A country code, or the list's text when unknown."
    )
    document_number = models.CharField(max_length=80, blank=True)
    extra = models.JSONField(
        default=dict,
        blank=True,
        help_text="Further dates, nationalities, documents and source fields.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "external_id"], name="watchlist_entry_id_unique_per_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.external_id})"


class AgreementWatchlist(BaseModel):
    """An agreement screens against this list; ``threshold`` overrides the default."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="watchlist_links"
    )
    watchlist = models.ForeignKey(
        Watchlist, on_delete=models.PROTECT, related_name="agreement_links"
    )
    threshold = models.FloatField(
        null=True, blank=True, help_text="Empty: settings.READMIT_SCREENING_THRESHOLD."
    )
    added_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "watchlist"], name="agreement_watchlist_once"
            ),
            models.CheckConstraint(
                condition=models.Q(threshold__isnull=True)
                | (models.Q(threshold__gt=0) & models.Q(threshold__lte=1)),
                name="agreement_watchlist_threshold_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id} uses {self.watchlist_id}"


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class RunTrigger(models.TextChoices):
    MANUAL = "manual", _("Started by a user")
    WATCHLIST_UPDATE = "watchlist_update", _("A watchlist was updated")
    LIST_ARRIVED = "list_arrived", _("A proposal list arrived")
    PERSON_CHANGED = "person_changed", _("The person's names or documents changed")


class ScreeningRun(BaseModel):
    """One screening of a set of an agreement's cases against its lists' versions."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="screening_runs"
    )
    reference = models.CharField(
        max_length=120, blank=True, help_text="E.g. the proposal list this run screened."
    )
    trigger = models.CharField(max_length=20, choices=RunTrigger.choices, default=RunTrigger.MANUAL)
    started_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cases = models.ManyToManyField(Case, related_name="screening_runs")
    versions = models.ManyToManyField(WatchlistVersion, related_name="screening_runs")
    versions_used = models.JSONField(
        default=dict, blank=True, help_text="{watchlist slug: version number}, for reading."
    )
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    threshold = models.FloatField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    case_count = models.PositiveIntegerField(default=0)
    entry_count = models.PositiveIntegerField(default=0)
    match_count = models.PositiveIntegerField(default=0)
    not_screenable = models.JSONField(
        default=dict,
        blank=True,
        help_text="{case id: reason} for people none of whose names the matcher can read.",
    )
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=RunStatus.values), name="screening_run_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(threshold__gt=0) & models.Q(threshold__lte=1),
                name="screening_run_threshold_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Screening {self.id} ({self.status})"


class MatchStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    CONFIRMED = "confirmed", _("Confirmed: same person")
    DISMISSED = "dismissed", _("Dismissed: not the same person")


class ScreeningMatch(BaseModel):
    """A case's person scored at or above the threshold against a list entry."""

    run = models.ForeignKey(ScreeningRun, on_delete=models.PROTECT, related_name="matches")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="screening_matches")
    entry = models.ForeignKey(WatchlistEntry, on_delete=models.PROTECT, related_name="matches")
    entry_key = models.CharField(
        max_length=200, help_text="watchlist id + external id: the same listing across versions."
    )
    entry_fingerprint = models.CharField(max_length=64)
    score = models.FloatField()
    explanation = models.TextField(blank=True)
    matched_name = models.CharField(max_length=400, blank=True)
    status = models.CharField(
        max_length=10, choices=MatchStatus.choices, default=MatchStatus.PENDING
    )
    reviewed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-score", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=MatchStatus.values),
                name="screening_match_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status=MatchStatus.PENDING)
                | (~models.Q(reason="") & models.Q(reviewed_at__isnull=False)),
                name="screening_match_review_has_reason",
            ),
            models.UniqueConstraint(
                fields=["run", "case", "entry"], name="screening_match_once_per_run"
            ),
        ]
        indexes = [models.Index(fields=["case", "status"])]

    def __str__(self) -> str:
        return f"{self.case_id} ~ {self.entry_id} ({self.score:.2f}, {self.status})"


class DuplicateKind(models.TextChoices):
    CERTAIN = "certain", _("Certain: same identity document")
    POSSIBLE = "possible", _("Possible: similar name, compatible birth date")


class DuplicateStatus(models.TextChoices):
    OPEN = "open", _("Awaiting review")
    MERGED = "merged", _("Merged")
    DISTINCT = "distinct", _("Different people")


class DuplicateCandidate(BaseModel):
    """Two person records that may be one person. Only a reviewer's decision merges them."""

    person_a = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=DuplicateKind.choices)
    evidence = models.TextField()
    score = models.FloatField()
    status = models.CharField(
        max_length=10, choices=DuplicateStatus.choices, default=DuplicateStatus.OPEN
    )
    found_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["kind", "-score"]
        constraints = [
            models.UniqueConstraint(
                fields=["person_a", "person_b"], name="duplicate_candidate_pair_once"
            ),
            models.CheckConstraint(
                condition=~models.Q(person_a=models.F("person_b")),
                name="duplicate_candidate_two_people",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=DuplicateKind.values),
                name="duplicate_candidate_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status=DuplicateStatus.OPEN) | ~models.Q(reason=""),
                name="duplicate_candidate_decision_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_a_id} ~ {self.person_b_id} ({self.kind}, {self.status})"


class PersonMerge(BaseModel):
    """``merged`` is the same person as ``survivor``. Both rows and their cases stay."""

    survivor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_in")
    merged = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="merged_into")
    candidate = models.OneToOneField(
        DuplicateCandidate, on_delete=models.PROTECT, null=True, blank=True, related_name="merge"
    )
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(survivor=models.F("merged")), name="person_merge_two_people"
            ),
            models.CheckConstraint(condition=~models.Q(reason=""), name="person_merge_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.merged_id} → {self.survivor_id}"
