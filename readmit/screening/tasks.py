"""Background tasks: they take ids and call a service (enqueued with ``on_commit``)."""

from __future__ import annotations

from django_tasks import task


@task()
def screen_cases_task(run_id: str) -> dict[str, int | str]:
    from readmit.screening.services import screening_run_execute

    run = screening_run_execute(run_id)
    return {"run": str(run.id), "status": run.status, "matches": run.match_count}


@task()
def duplicates_person_task(person_id: str, user_id: int) -> dict[str, int | str]:
    from readmit.accounts.models import User
    from readmit.screening.duplicates import duplicates_find_for_person

    found = duplicates_find_for_person(person=person_id, acting_user=User.objects.get(pk=user_id))
    return {"person": person_id, "found": len(found)}
