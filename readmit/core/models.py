"""Shared base model and reference data (countries)."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone


class BaseModel(models.Model):
    """UUID primary keys: ids are exchanged between states and must not be guessable."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # timezone.now, not the clock: the default is written into every app's migrations.
    created_at = models.DateTimeField(default=timezone.now, editable=False)  # noqa: TID251
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Country(models.Model):
    """ISO 3166-1 countries, user-assigned codes (Kosovo ``XK``) and ICAO 9303 special codes.

    ``code`` is the alpha-2 code where one exists; the ICAO codes for stateless persons and
    refugees (``XXA``, ``XXB``, ``XXC``, ``XXX``) have only three letters.
    """

    code = models.CharField(max_length=3, primary_key=True)
    alpha3 = models.CharField(max_length=3, unique=True)
    name = models.CharField(max_length=120)
    user_assigned = models.BooleanField(
        default=False, help_text="Not in ISO 3166-1 itself (Kosovo, ICAO special codes)."
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class TaskLease(models.Model):
    """The heartbeat of a background task while a ``db_worker`` runs it (core.tasklease).

    django-tasks' database backend marks a task RUNNING when a worker takes it and never
    looks at it again: a worker killed half-way leaves it RUNNING for ever. The worker
    beats here while the task runs; a task whose beat is older than the lease belongs to a
    dead worker and ``readmit tasks requeue-stale`` puts it back in the queue.
    """

    task_result_id = models.UUIDField(primary_key=True)
    worker = models.CharField(max_length=200)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"task {self.task_result_id} beat by {self.worker} at {self.beat_at}"
