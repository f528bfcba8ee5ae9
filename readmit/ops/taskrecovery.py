"""Re-queue the background tasks of dead workers (``readmit tasks requeue-stale``).

A task is stale when it is RUNNING and its heartbeat (readmit/core/tasklease.py) is older
than the lease, or it has none and started longer ago than the lease: its worker was
killed half-way. It is put back in the queue (READY) for the next worker, in one
transaction per task with its audit row; the worker ids of its earlier attempts stay on
it. The tasks themselves are written to be run again after a partial run (each step
committed on its own and skipped once done), so the work is neither lost nor doubled.
Run it every minute (cron, a systemd timer, or ``readmit serve``'s host; see
docs/operations.md "Background workers").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from readmit.audit.events import AuditEventType
from readmit.audit.services import audit_record
from readmit.core import clock
from readmit.core.actors import SystemActor
from readmit.core.models import TaskLease
from readmit.core.tasklease import lease_seconds


@dataclass
class Requeued:
    task_ids: list[str] = field(default_factory=list)


def stale_tasks(now: dt.datetime, lease: float) -> list[str]:
    """Ids of RUNNING tasks whose worker has not beaten for ``lease`` seconds."""
    cutoff = now - dt.timedelta(seconds=lease)
    fresh = TaskLease.objects.filter(task_result_id=OuterRef("id"), beat_at__gte=cutoff)
    any_lease = TaskLease.objects.filter(task_result_id=OuterRef("id"))
    return [
        str(task_id)
        for task_id in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
        .filter(~Exists(fresh))
        .filter(Exists(any_lease) | Q(started_at__lt=cutoff))
        .values_list("id", flat=True)
    ]


def requeue_stale(*, lease: float | None = None, now: dt.datetime | None = None) -> Requeued:
    """Put every stale task back in the queue; audited, one transaction each."""
    lease = lease_seconds() if lease is None else lease
    now = now or clock.now()
    result = Requeued()
    for task_id in stale_tasks(now, lease):
        with transaction.atomic():
            task = (
                DBTaskResult.objects.select_for_update(skip_locked=True)
                .filter(id=task_id, status=TaskResultStatus.RUNNING)
                .first()
            )
            if task is None:  # finished, or taken by another requeue meanwhile
                continue
            beat = TaskLease.objects.filter(task_result_id=task.id).first()
            if beat is not None and beat.beat_at >= now - dt.timedelta(seconds=lease):
                continue  # it beat again since the list was read
            task.status = TaskResultStatus.READY
            task.started_at = None
            task.save(update_fields=["status", "started_at"])
            TaskLease.objects.filter(task_result_id=task.id).delete()
            audit_record(
                event_type=AuditEventType.TASK_REQUEUED,
                acting_user=SystemActor("task recovery"),
                object_type="task",
                object_id=str(task.id),
                data={
                    "task": task.task_path,
                    "workers": list(task.worker_ids),
                    "last_beat": beat.beat_at.isoformat() if beat else None,
                    "lease_seconds": lease,
                },
            )
            result.task_ids.append(str(task.id))
    return result
