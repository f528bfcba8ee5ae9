"""Albanian: ``02.12.2026``, ``02.12.2026 09:00`` (Django's own module has no short forms)."""

from __future__ import annotations

from django.conf.locale.sq.formats import *  # type: ignore[import-untyped]  # noqa: F403

SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
