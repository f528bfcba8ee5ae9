"""Reads on cases that every interface shares. All start from the gates in accounts.access."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from readmit.accounts.access import (
    organisation_ids,
    standing,
    visible_agreements,
    visible_cases,
)
from readmit.accounts.models import User
from readmit.agreements.sharing import SharingPolicy, sharing_policy
from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.cases.models import Case, Deadline
from readmit.cases.workflow import offered_to_variant, workflow_for
from readmit.core import clock
from readmit.core.errors import N_, NotFound


def case_list(
    user: User,
    *,
    agreement_id: uuid.UUID | str | None = None,
    state: str | None = None,
    kind: str | None = None,
    query: str = "",
    open_only: bool = False,
) -> QuerySet[Case]:
    """The cases the user sees, filtered. A filter naming an agreement the user cannot see
    (or a malformed id) is refused with ``NotFound``, as if it did not exist, never silently
    dropped."""
    cases = visible_cases(user).select_related("agreement", "person")
    if agreement_id:
        try:
            parsed = (
                agreement_id if isinstance(agreement_id, uuid.UUID) else uuid.UUID(agreement_id)
            )
        except ValueError:
            raise NotFound(N_("No such agreement.")) from None
        if not visible_agreements(user).filter(id=parsed).exists():
            raise NotFound(N_("No such agreement."))
        cases = cases.filter(agreement_id=parsed)
    if state:
        cases = cases.filter(state=state)
    if kind:
        cases = cases.filter(kind=kind)
    if open_only:
        cases = cases.filter(closed_at__isnull=True)
    if query:
        q = query.strip()
        cases = cases.filter(
            Q(reference__icontains=q)
            | Q(external_id__icontains=q)
            | Q(person__family_name__icontains=q)
            | Q(person__given_names__icontains=q)
            | Q(person__family_name_latin__icontains=q)
            | Q(person__given_names_latin__icontains=q)
        )
    return cases


def case_allowed_actions(user: User, case: Case) -> list[str]:
    """The actions this caller may take on this case now (table, side, role, legal hold)."""
    position = standing(user, case.agreement)
    allowed = workflow_for(case.kind).allowed_actions(
        state=case.state, side=position.side, roles=position.roles, on_hold=case.legal_hold
    )
    variant = str(case.data.get("variant", "readmission"))
    return [action for action in allowed if offered_to_variant(action, variant)]


def case_sharing(user: User, case: Case) -> SharingPolicy:
    """What ``user`` may read of the case's person: everything if their organisation recorded
    the person, else what the agreement's ``data_sharing`` terms share."""
    is_owner = case.person.owner_id in organisation_ids(user)
    return sharing_policy(case.agreement.parsed_terms, is_owner=is_owner)


def case_history(case: Case) -> QuerySet[AuditEvent]:
    """The case's audit events, oldest first: its history is its audit trail. Who read it
    (``PERSONAL_DATA_READ``) is for auditors, not part of what happened to the case."""
    return (
        AuditEvent.objects.filter(case_id=case.id)
        .exclude(event_type=AuditEventType.PERSONAL_DATA_READ)
        .order_by("seq")
    )


@dataclass(frozen=True)
class DueItem:
    deadline: Deadline
    days_left: int

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


def deadlines_due_query(
    user: User, *, within_days: int = 14, today: dt.date | None = None
) -> QuerySet[Deadline]:
    """Open deadlines on the caller's open cases, due within ``within_days`` or overdue,
    soonest first (a query: pages slice it, so its size never grows with the cases)."""
    today = today or clock.today()
    horizon = today + dt.timedelta(days=within_days)
    return (
        Deadline.objects.open()
        .filter(
            case__in=visible_cases(user).filter(closed_at__isnull=True),
            due_on__lte=horizon,
        )
        .select_related("case", "case__person", "case__agreement")
        .order_by("due_on", "id")
    )


def due_items(deadlines: Iterable[Deadline], today: dt.date) -> list[DueItem]:
    return [DueItem(d, (d.due_on - today).days) for d in deadlines]


def deadlines_due(
    user: User, *, within_days: int = 14, today: dt.date | None = None, limit: int | None = None
) -> list[DueItem]:
    """Open deadlines on the caller's open cases, due within ``within_days`` or overdue (the
    ``limit`` soonest, if given)."""
    today = today or clock.today()
    deadlines = deadlines_due_query(user, within_days=within_days, today=today)
    return due_items(deadlines if limit is None else deadlines[:limit], today)


def case_state_counts(
    user: User, *, agreement_id: uuid.UUID | str | None = None, open_only: bool = False
) -> dict[uuid.UUID, dict[str, int]]:
    """Visible cases counted per agreement and state: ``{agreement_id: {state: count}}``."""
    cases = visible_cases(user)
    if agreement_id:
        cases = cases.filter(agreement_id=agreement_id)
    if open_only:
        cases = cases.filter(closed_at__isnull=True)
    counts: dict[uuid.UUID, dict[str, int]] = {}
    rows = cases.order_by().values_list("agreement_id", "state").annotate(n=Count("id"))
    for agreement, state, n in rows:
        counts.setdefault(agreement, {})[state] = n
    return counts
