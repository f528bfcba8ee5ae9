from __future__ import annotations

from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "readmit.screening"
    label = "screening"
    verbose_name = "Screening: watchlists, runs, reviews and duplicates"
