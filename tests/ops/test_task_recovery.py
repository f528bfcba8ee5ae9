"""A background task whose worker dies half-way is taken up again: no work lost or doubled."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time

import psycopg
import pytest
from django.test import override_settings
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.audit.services import audit_verify
from readmit.cases.models import Case, Person
from readmit.cases.retention import retention_candidates
from readmit.cases.tasks import retention_purge_task
from readmit.cli import main
from readmit.core import clock
from readmit.core.models import TaskLease
from readmit.ops.taskrecovery import requeue_stale
from tests.ops.server import server_env
from tests.ops.test_serving import _database_url, countries, on_postgresql  # noqa: F401
from tests.relocation.conftest import act, kosovo, person, submit

PEOPLE = 8
LEASE = 1.0
DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _closed_long_ago(world) -> list[Person]:
    """PEOPLE people whose only case closed past its retention period: due for the purge."""
    agreement = kosovo(world, data_sharing={"retention_days": 30})
    cases = submit(world, agreement, [person() for _ in range(PEOPLE)]).cases
    worker = world.user("us_caseworker")
    for case in cases:
        act(case, "withdraw", worker, reason="Withdrawn by the sending state")
        act(case, "close", worker)
    Case.objects.filter(id__in=[c.id for c in cases]).update(
        closed_at=clock.now() - dt.timedelta(days=60)
    )
    due, held = retention_candidates(clock.now())
    assert len(due) == PEOPLE and not held
    return due


def _purged() -> list[str]:
    return list(
        AuditEvent.objects.filter(event_type=AuditEventType.PERSONAL_DATA_PURGED).values_list(
            "object_id", flat=True
        )
    )


def _wait(condition, what: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def _task(result) -> DBTaskResult:
    return DBTaskResult.objects.get(id=result.id)


def _worker(env: dict[str, str], log) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "readmit.cli", "manage", "db_worker", "--batch",
         "--interval", "0.2", "--no-startup-delay"],
        env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip


@on_postgresql
def test_a_purge_whose_worker_is_killed_half_way_is_requeued_and_done_once_for_everyone(
    world, tmp_path, settings
):
    due = _closed_long_ago(world)
    blocker = due[PEOPLE // 2]  # the purge goes by id: it does the ones before, then waits
    env = server_env(
        tmp_path,
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DATABASE_URL=_database_url(),
        READMIT_SECRET_KEY="x" * 40,
        READMIT_AUDIT_SIGNING_KEY=settings.READMIT_AUDIT_SIGNING_KEY,
        READMIT_DATA_KEYS=settings.READMIT_DATA_KEYS,
        READMIT_BLIND_INDEX_KEY=settings.READMIT_BLIND_INDEX_KEY,
        READMIT_TASK_LEASE_SECONDS=str(LEASE),
    )
    log = (tmp_path / "worker.log").open("wb")
    with override_settings(TASKS=DB_BACKEND):
        result = retention_purge_task.enqueue()
    # Another transaction holds the row lock of one person, so the worker stops there,
    # half-way, with the first ones committed: then it is killed.
    with psycopg.connect(_database_url(), autocommit=False) as holder:
        holder.execute(
            f"SELECT 1 FROM {Person._meta.db_table} WHERE id = %s FOR UPDATE",
            [blocker.id],
        )
        first = _worker(env, log)
        try:
            _wait(lambda: len(_purged()) == PEOPLE // 2, "the first half of the purge")
            # Alive, if stuck, it keeps beating: nothing is requeued however long it takes.
            time.sleep(LEASE * 2)
            assert requeue_stale(lease=LEASE).task_ids == []
            assert _task(result).status == TaskResultStatus.RUNNING
            assert first.poll() is None
        finally:
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=30)
        holder.rollback()
    assert first.returncode == -signal.SIGKILL
    assert _task(result).status == TaskResultStatus.RUNNING  # nobody finishes it by itself

    time.sleep(LEASE * 1.5)
    assert requeue_stale(lease=LEASE).task_ids == [str(result.id)]
    second = _worker(env, log)
    assert second.wait(timeout=180) == 0, (tmp_path / "worker.log").read_text()[-3000:]

    task = _task(result)
    assert task.status == TaskResultStatus.SUCCESSFUL, (tmp_path / "worker.log").read_text()
    assert len(task.worker_ids) == 2  # taken by the killed worker, then by the second
    assert task.return_value == PEOPLE - PEOPLE // 2  # the second did only the rest
    purged = _purged()
    assert sorted(purged) == sorted(str(p.id) for p in due)  # everyone, each once
    assert Person.objects.filter(id__in=[p.id for p in due], anonymised_at=None).count() == 0
    requeued = AuditEvent.objects.get(event_type=AuditEventType.TASK_REQUEUED)
    assert requeued.object_id == str(result.id)
    assert not TaskLease.objects.exists()
    assert audit_verify()[1] is None  # the chain holds


def _running_task(started: dt.datetime) -> DBTaskResult:
    return DBTaskResult.objects.create(
        task_path="readmit.cases.tasks.retention_purge_task",
        args_kwargs={"args": [], "kwargs": {}},
        status=TaskResultStatus.RUNNING,
        started_at=started,
        worker_ids=["gone"],
        backend_name="default",
    )


@pytest.mark.django_db
def test_only_running_tasks_without_a_fresh_heartbeat_are_requeued_and_each_is_audited():
    now = clock.now()
    dead = _running_task(now - dt.timedelta(minutes=5))
    TaskLease.objects.create(
        task_result_id=dead.id, worker="host:1", beat_at=now - dt.timedelta(seconds=90)
    )
    alive = _running_task(now - dt.timedelta(minutes=5))
    TaskLease.objects.create(task_result_id=alive.id, worker="host:2", beat_at=now)
    just_taken = _running_task(now)  # no beat yet, started within the lease
    never_beat = _running_task(now - dt.timedelta(minutes=5))  # killed before its first beat

    result = requeue_stale(lease=60, now=now)

    assert sorted(result.task_ids) == sorted([str(dead.id), str(never_beat.id)])
    statuses = dict(DBTaskResult.objects.values_list("id", "status"))
    assert statuses[dead.id] == statuses[never_beat.id] == TaskResultStatus.READY
    assert statuses[alive.id] == statuses[just_taken.id] == TaskResultStatus.RUNNING
    assert not TaskLease.objects.filter(task_result_id=dead.id).exists()
    events = AuditEvent.objects.filter(event_type=AuditEventType.TASK_REQUEUED)
    assert sorted(events.values_list("object_id", flat=True)) == sorted(result.task_ids)
    assert requeue_stale(lease=60, now=now).task_ids == []  # nothing twice


@pytest.mark.django_db
def test_readmit_tasks_requeue_stale_reports_what_it_requeued(capsys):
    dead = _running_task(clock.now() - dt.timedelta(minutes=5))
    assert main(["tasks", "requeue-stale", "--lease", "60"]) == 0
    out = capsys.readouterr().out
    assert f"requeued task {dead.id}" in out
    assert "1 stale tasks requeued" in out


def test_a_lease_that_is_not_a_positive_number_is_refused_naming_the_option(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["tasks", "requeue-stale", "--lease", "0"])
    assert exit_.value.code == 2
    assert "--lease" in capsys.readouterr().err
