from __future__ import annotations

from django.apps import AppConfig


class WorkConfig(AppConfig):
    name = "readmit.work"
    label = "work"
    verbose_name = "Work: assignment, inbox and notifications"
