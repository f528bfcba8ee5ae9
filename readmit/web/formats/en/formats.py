"""English as the ministries read it: ISO-like dates (``2026-12-02``), 24-hour times."""

from __future__ import annotations

from django.conf.locale.en.formats import *  # type: ignore[import-untyped]  # noqa: F403

SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
