"""Relocation listens to screening: the ``no_watchlist_match`` criterion reads its answers.

Registered in ``RelocationConfig.ready()``; screening imports nothing from relocation.
"""

from __future__ import annotations

from django.db import transaction

from readmit.relocation.services import criteria_refresh_after_screening
from readmit.relocation.tasks import refresh_criteria_task
from readmit.screening.listeners import ScreeningAnswered, register_screening_listener


def criteria_refresh_on_screening(event: ScreeningAnswered) -> None:
    """Evaluate the criteria again for the cases screening answered for.

    After a run: once the run is committed, as a task of its own (by the system). After a
    review: inside the reviewer's transaction, so the case page shows the new reading at once.
    """
    if event.trigger == "run":
        case_ids = [str(i) for i in event.case_ids]
        transaction.on_commit(lambda: refresh_criteria_task.enqueue(case_ids))
        return
    criteria_refresh_after_screening(
        event.case_ids, acting_user=event.acting_user, organisation_id=event.organisation_id
    )


def register() -> None:
    register_screening_listener(criteria_refresh_on_screening)
