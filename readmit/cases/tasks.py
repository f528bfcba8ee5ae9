"""Background tasks of cases: thin, they call a service."""

from __future__ import annotations

from django_tasks import task

from readmit.cases.retention import retention_purge


@task()
def retention_purge_task() -> int:
    """Daily: anonymise the people whose cases have passed their retention period."""
    return len(retention_purge().anonymised)
