"""Background tasks of relocation and reception: thin, they call a service."""

from __future__ import annotations

from django_tasks import task

from readmit.relocation.services import stay_deadlines_sweep


@task()
def sweep_stays() -> int:
    """Daily: a ``stay_end`` deadline for every stay entering its alert window."""
    return stay_deadlines_sweep()
