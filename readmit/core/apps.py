from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "readmit.core"
    label = "core"
    verbose_name = "Readmit core"

    def ready(self) -> None:
        # Heartbeats of the tasks a db_worker runs (readmit/core/tasklease.py).
        from readmit.core import tasklease  # noqa: F401
