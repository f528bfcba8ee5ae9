"""Organisations (authorities of a state), users, their memberships and API tokens."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from readmit.accounts.roles import Role
from readmit.core.models import BaseModel, Country


class OrganisationKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministry")
    AGENCY = "agency", _("Agency")
    MISSION = "mission", _("Diplomatic or consular mission")
    OTHER = "other", _("Other authority")


class Organisation(BaseModel):
    """An authority of a state. Everything a user sees is scoped to their organisations."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="organisations")
    kind = models.CharField(
        max_length=20, choices=OrganisationKind.choices, default=OrganisationKind.MINISTRY
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
        help_text="E.g. a consular mission belongs to its ministry.",
    )
    time_zone = models.CharField(
        max_length=64,
        default="UTC",
        help_text="IANA name; how its users' pages read and show times (stored in UTC).",
    )

    class Meta:
        ordering = ["country__code", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.country_id})"


class User(AbstractUser):
    """A person who logs in. What they may do comes from their memberships, never from flags."""

    display_name = models.CharField(max_length=150, blank=True)
    time_zone = models.CharField(
        max_length=64, blank=True, help_text="IANA name; empty: the organisation's."
    )
    language = models.CharField(
        max_length=16, blank=True, help_text="Interface language code; empty: the browser's."
    )

    def __str__(self) -> str:
        return self.display_name or self.username


ROLE_CHOICES = [(r.value, r.label) for r in Role]


class Membership(BaseModel):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=ROLE_CHOICES)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=[r.value for r in Role]), name="membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.role} at {self.organisation}"


class ApiToken(BaseModel):
    """A bearer token. Only its SHA-256 is stored; the token itself is shown once.

    ``scopes`` lists what it may do (see ``readmit.accounts.scopes``); it stops at
    ``expires_at``, when revoked, or as soon as its user is deactivated.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    replaces = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The token this one rotated (which lives on until it expires or is revoked).",
    )

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


class LoginFailure(models.Model):
    """One failed password check (or unknown username): what throttling counts.

    ``username`` is the name as typed, folded to lower case, whether or not such a user
    exists, so a lock says nothing about existence. An administrator's unlock sets
    ``account_cleared_at`` on the account's rows; the address keeps counting them until they
    leave the window.
    """

    username = models.CharField(max_length=150)
    address = models.CharField(max_length=45, blank=True)
    at = models.DateTimeField()
    account_cleared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["username", "at"], name="loginfailure_username_at"),
            models.Index(fields=["address", "at"], name="loginfailure_address_at"),
        ]

    def __str__(self) -> str:
        return f"{self.username} from {self.address or '?'} at {self.at:%Y-%m-%d %H:%M}"
