"""Background tasks of relocation and reception: thin, they call a service."""

from __future__ import annotations

from django_tasks import task

from readmit.core.actors import SystemActor
from readmit.core.bulkinsert import heap_frozen
from readmit.relocation.services import criteria_refresh_after_screening, stay_deadlines_sweep


@task()
def sweep_stays() -> int:
    """Daily: a ``stay_end`` deadline for every stay entering its alert window."""
    return stay_deadlines_sweep()


@task()
def refresh_criteria_task(case_ids: list[str]) -> int:
    """After a screening run: evaluate the criteria again for its cases (by the system)."""
    with heap_frozen():
        return len(
            criteria_refresh_after_screening(case_ids, acting_user=SystemActor("criteria refresh"))
        )


@task()
def list_import_task(job_id: str) -> dict[str, int | str]:
    """A proposal list too large for one request, imported in batches."""
    from readmit.relocation.imports import list_import_run

    with heap_frozen():
        job = list_import_run(job_id)
    return {"import": str(job.id), "state": job.state, "rows_done": job.rows_done}
