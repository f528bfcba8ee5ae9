"""Reads about users and organisations that are not gates."""

from __future__ import annotations

import zoneinfo

from readmit.accounts.access import memberships
from readmit.accounts.models import ApiToken, Membership, Organisation, User
from readmit.accounts.roles import Role
from readmit.core.zones import UTC_NAME, ZoneError, zone


def organisation_zone(organisation: Organisation) -> zoneinfo.ZoneInfo:
    try:
        return zone(organisation.time_zone)
    except ZoneError:  # a name the system's zone data no longer knows: show UTC, named
        return zone(UTC_NAME)


def user_zone(user: User) -> zoneinfo.ZoneInfo:
    """The user's own zone, else their (first) organisation's, else UTC."""
    if user.time_zone:
        try:
            return zone(user.time_zone)
        except ZoneError:
            pass
    ordered = sorted(memberships(user), key=lambda m: m.created_at)
    return organisation_zone(ordered[0].organisation) if ordered else zone(UTC_NAME)


def tokens_visible(user: User) -> tuple[list[ApiToken], list[ApiToken]]:
    """(the user's own tokens, the tokens of other members of organisations they
    administer), newest first; revoked ones included so the page shows their history."""
    own = list(ApiToken.objects.filter(user=user).order_by("-created_at"))
    administered = [m.organisation_id for m in memberships(user) if m.role == Role.ADMINISTRATOR]
    members = Membership.objects.filter(organisation_id__in=administered).values("user_id")
    others = list(
        ApiToken.objects.filter(user_id__in=members)
        .exclude(user=user)
        .select_related("user")
        .order_by("user__username", "-created_at")
    )
    return own, others
