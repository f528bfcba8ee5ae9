from __future__ import annotations

from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "readmit.exchange"
    label = "exchange"
    verbose_name = "Inter-state exchange API"
