"""One place to ask for the time, so tests and deadline sweeps can move it."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def now() -> dt.datetime:
    return timezone.now()


def today() -> dt.date:
    """The UTC date: deadlines and quota periods must not move with the zone of the user
    who happens to be acting (pages activate the user's zone for display)."""
    return timezone.localdate(timezone=dt.UTC)
