"""Choice labels are translated on pages (``gettext_lazy`` on every ``TextChoices`` label);
text that stays English (the API's messages, the audit, documents written in English) reads
them through ``english``."""

from __future__ import annotations

from django.utils import translation
from django.utils.functional import Promise


def english(label: str | Promise) -> str:
    """A (lazily translated) label in English, whatever language the request speaks."""
    with translation.override("en"):
        return str(label)
