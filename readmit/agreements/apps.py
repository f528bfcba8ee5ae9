from __future__ import annotations

from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "readmit.agreements"
    label = "agreements"
    verbose_name = "Agreements"
