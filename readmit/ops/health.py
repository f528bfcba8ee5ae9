"""Readiness checks: the database answers, every migration is applied, the task queue's
table is reachable. Each answers a reason a machine can act on, never a secret or a row."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    reason: str = ""


def check_database(alias: str = DEFAULT_DB_ALIAS) -> Check:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return Check("database", False, f"database unreachable ({type(exc).__name__})")
    return Check("database", True)


def check_migrations(alias: str = DEFAULT_DB_ALIAS) -> Check:
    try:
        executor = MigrationExecutor(connections[alias])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        return Check("migrations", False, f"migrations unreadable ({type(exc).__name__})")
    if plan:
        return Check("migrations", False, f"{len(plan)} migration(s) not applied")
    return Check("migrations", True)


def check_task_queue(alias: str = DEFAULT_DB_ALIAS) -> Check:
    from django_tasks_db.models import DBTaskResult

    try:
        DBTaskResult.objects.using(alias).only("id").first()
    except DatabaseError as exc:
        return Check("task_queue", False, f"task queue unreachable ({type(exc).__name__})")
    return Check("task_queue", True)


def readiness(alias: str = DEFAULT_DB_ALIAS) -> list[Check]:
    """Every check, stopping after the database if it is unreachable (the rest would too)."""
    database = check_database(alias)
    if not database.ok:
        return [database]
    return [database, check_migrations(alias), check_task_queue(alias)]
