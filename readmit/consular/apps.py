from __future__ import annotations

from django.apps import AppConfig


class ConsularConfig(AppConfig):
    name = "readmit.consular"
    label = "consular"
    verbose_name = "Consular assistance"
