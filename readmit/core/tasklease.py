"""Heartbeats of running background tasks, so that a dead worker's task can be re-queued.

When a ``db_worker`` starts a task (django-tasks' ``task_started`` signal, sent in the
worker process), a daemon thread writes ``TaskLease.beat_at`` every third of the lease
(``READMIT_TASK_LEASE_SECONDS``, default 60); when the task finishes the thread stops and
the row is deleted. A worker that is killed (SIGKILL, out of memory, the host gone) stops
beating, and its task stays RUNNING with an old beat: ``readmit tasks requeue-stale``
(readmit/ops/taskrecovery.py) finds it and puts it back in the queue. A task that runs
long but whose worker lives keeps beating and is left alone.

Tasks must therefore be safe to run again from the start after a partial run: each step
committed in its own transaction and skipped when already done (docs/operations.md,
"Background workers").
"""

from __future__ import annotations

import os
import socket
import threading
from typing import Any

from django.conf import settings
from django.db import connection
from django.dispatch import receiver  # noqa: TID251 (django-tasks reports a worker's tasks only by signals)
from django_tasks.signals import task_finished, task_started

from readmit.core import clock

DEFAULT_LEASE_SECONDS = 60.0
_beating: dict[str, threading.Event] = {}


def lease_seconds() -> float:
    return float(getattr(settings, "READMIT_TASK_LEASE_SECONDS", DEFAULT_LEASE_SECONDS))


def _is_database_backend(sender: Any) -> bool:
    from django_tasks_db.backend import DatabaseBackend

    # django-tasks sends the backend itself when a task starts, its class when it ends.
    if isinstance(sender, type):
        return issubclass(sender, DatabaseBackend)
    return isinstance(sender, DatabaseBackend)


def beat(task_result_id: str, worker: str) -> None:
    """Write (or refresh) the task's heartbeat now."""
    from readmit.core.models import TaskLease

    TaskLease.objects.update_or_create(
        task_result_id=task_result_id,
        defaults={"worker": worker[:200], "beat_at": clock.now()},
    )


def _beat_until(stop: threading.Event, task_result_id: str, worker: str) -> None:
    interval = max(lease_seconds() / 3, 0.1)
    try:
        while not stop.wait(interval):
            beat(task_result_id, worker)
    finally:
        connection.close()  # this thread's own connection


@receiver(task_started)
def _start_beating(sender: Any, task_result: Any, **kwargs: Any) -> None:
    if not _is_database_backend(sender):
        return
    task_id = str(task_result.id)
    worker = f"{socket.gethostname()}:{os.getpid()}"
    beat(task_id, worker)  # at once: the lease holds from the start
    stop = threading.Event()
    _beating[task_id] = stop
    threading.Thread(
        target=_beat_until, args=(stop, task_id, worker), name=f"lease-{task_id}", daemon=True
    ).start()


@receiver(task_finished)
def _stop_beating(sender: Any, task_result: Any, **kwargs: Any) -> None:
    if not _is_database_backend(sender):
        return
    from readmit.core.models import TaskLease

    task_id = str(task_result.id)
    stop = _beating.pop(task_id, None)
    if stop is not None:
        stop.set()
    TaskLease.objects.filter(task_result_id=task_id).delete()
