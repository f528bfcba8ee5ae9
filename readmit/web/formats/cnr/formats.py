"""Montenegrin (Latin and Cyrillic): written as in Serbian Latin, ``2. 12. 2026.``, ``1.234,5``."""

from __future__ import annotations

from django.conf.locale.sr_Latn.formats import *  # type: ignore[import-untyped]  # noqa: F403
