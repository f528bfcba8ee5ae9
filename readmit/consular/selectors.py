"""Reads on consular requests. All start from the mission gate in accounts.access."""

from __future__ import annotations

from django.db.models import QuerySet

from readmit.accounts.access import visible_consular_requests
from readmit.accounts.models import User
from readmit.cases.models import Case
from readmit.consular.models import ConsularRequest


def consular_request_list(
    user: User, *, state: str = "", open_only: bool = False, case: Case | None = None
) -> QuerySet[ConsularRequest]:
    requests = visible_consular_requests(user).select_related(
        "person", "case", "routed_to", "owner", "requested_by"
    )
    if state:
        requests = requests.filter(state=state)
    if open_only:
        requests = requests.filter(closed_at__isnull=True)
    if case is not None:
        requests = requests.filter(case=case)
    return requests.order_by("due_on", "created_at")
