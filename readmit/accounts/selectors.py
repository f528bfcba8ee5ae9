"""Reads about users and organisations that are not gates."""

from __future__ import annotations

import zoneinfo

from readmit.accounts.access import memberships
from readmit.accounts.models import Organisation, User
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
