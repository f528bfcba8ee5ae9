"""Reads of the work app: a user's inbox, their notifications, the owners they may choose.

The inbox reuses the selectors that already answer each question (``deadlines_due``,
``review_queue``, ``stays_ending``) and adds only what none answered (my cases, decisions,
transfers this week, the other side's holds). Every section costs a fixed number of queries,
whatever the number of cases: per-agreement facts (the caller's side) are read once per
agreement, never per case.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from readmit.accounts.access import organisation_ids, standing, visible_agreements, visible_cases
from readmit.accounts.models import Membership, User
from readmit.accounts.roles import CASE_READERS, Role
from readmit.agreements.models import Agreement
from readmit.cases.models import Case
from readmit.cases.selectors import deadlines_due_query, due_items
from readmit.cases.workflow import workflow_for
from readmit.core import clock
from readmit.relocation.models import LegalHold, ProposalList, TransferPlan
from readmit.relocation.selectors import StayAlert, stays_ending
from readmit.screening.models import ScreeningMatch
from readmit.screening.selectors import review_queue
from readmit.work.models import Assignment, Notification, Team
from readmit.work.queues import DECISIONS, REPLY_KINDS, owed_by, week_of

SECTION_LIMIT = 50
HOLDS_SINCE_DAYS = 14


@dataclass
class Section:
    """One part of the inbox: its items (at most ``SECTION_LIMIT``) and how many in all."""

    key: str
    items: list[Any] = field(default_factory=list)
    total: int = 0


@dataclass
class Inbox:
    sections: dict[str, Section]

    @property
    def waiting(self) -> int:
        return sum(s.total for s in self.sections.values())


def _sides(user: User) -> dict[uuid.UUID, tuple[str | None, frozenset[Role]]]:
    """The caller's side and roles in each agreement they see (one query)."""
    agreements = visible_agreements(user).prefetch_related("parties")
    found: dict[uuid.UUID, tuple[str | None, frozenset[Role]]] = {}
    for agreement in agreements:
        position = standing(user, agreement)
        found[agreement.id] = (position.side.value if position.side else None, position.roles)
    return found


def _kinds(user: User) -> dict[uuid.UUID, str]:
    return dict(visible_agreements(user).values_list("id", "kind"))


def _section(key: str, queryset: QuerySet[Any]) -> Section:
    items = list(queryset[:SECTION_LIMIT])
    total = len(items) if len(items) < SECTION_LIMIT else queryset.count()
    return Section(key, items, total)


def _listed(key: str, items: list[Any]) -> Section:
    return Section(key, items[:SECTION_LIMIT], len(items))


def _due_section(key: str, deadlines: QuerySet[Any], today: dt.date) -> Section:
    items = due_items(deadlines[:SECTION_LIMIT], today)
    total = len(items) if len(items) < SECTION_LIMIT else deadlines.count()
    return Section(key, items, total)


def _replies_due(
    user: User, today: dt.date, sides: dict[uuid.UUID, tuple[str | None, frozenset[Role]]]
) -> tuple[Section, Section]:
    """Replies due from the caller's side and from the partner's, split in the query (by
    the agreements where the caller's side owes each kind), so that the inbox reads at most
    ``SECTION_LIMIT`` deadlines of each, whatever the number of cases."""
    replies = deadlines_due_query(user, today=today).filter(kind__in=REPLY_KINDS)
    ours = Q(pk__in=[])
    for kind in REPLY_KINDS:
        owing = [agreement for agreement, (side, _roles) in sides.items() if side == owed_by(kind)]
        if owing:
            ours |= Q(kind=kind, case__agreement_id__in=owing)
    return (
        _due_section("replies_from_us", replies.filter(ours), today),
        _due_section("replies_from_partner", replies.exclude(ours), today),
    )


def _open_cases(user: User) -> QuerySet[Case]:
    return (
        visible_cases(user)
        .filter(closed_at__isnull=True)
        .select_related("person", "agreement")
        .order_by("created_at", "id")
    )


def my_cases(user: User) -> QuerySet[Case]:
    """Open cases the caller owns on their side, oldest first."""
    owned = Assignment.objects.filter(owner=user, case_id=OuterRef("pk"))
    return _open_cases(user).filter(Exists(owned))


def decisions_waiting(
    user: User, sides: dict[uuid.UUID, tuple[str | None, frozenset[Role]]]
) -> QuerySet[Case]:
    """Open cases in a state where the caller may decide (recommend, select, decline, accept,
    reject), not on hold, and not owned on the caller's side by someone else; oldest first."""
    kinds = _kinds(user)
    where = Q(pk__in=[])
    for agreement_id, (side, roles) in sides.items():
        if side is None or agreement_id not in kinds:
            continue
        workflow = workflow_for(kinds[agreement_id])
        states = [
            state
            for state in workflow.states
            if DECISIONS
            & set(workflow.allowed_actions(state=state, side=side, roles=roles, on_hold=False))  # type: ignore[arg-type]
        ]
        if states:
            where |= Q(agreement_id=agreement_id, state__in=states)
    others = Assignment.objects.filter(
        case_id=OuterRef("pk"),
        organisation_id__in=organisation_ids(user),
        owner__isnull=False,
    ).exclude(owner=user)
    return _open_cases(user).filter(where, legal_hold=False).exclude(Exists(others))


def transfers_this_week(user: User, today: dt.date) -> QuerySet[TransferPlan]:
    """Transfers planned this week on open cases waiting for them: the sending side's
    departures, the receiving side's arrivals; soonest first."""
    monday, sunday = week_of(today)
    return (
        TransferPlan.objects.filter(
            case__in=visible_cases(user).filter(closed_at__isnull=True, state="transfer_scheduled"),
            planned_for__date__gte=monday,
            planned_for__date__lte=sunday,
        )
        .select_related("case", "case__person", "case__agreement")
        .order_by("planned_for")
    )


def holds_by_the_other_side(user: User, today: dt.date) -> QuerySet[LegalHold]:
    """Holds the other party placed or lifted in the last two weeks on the caller's cases,
    oldest first."""
    since = today - dt.timedelta(days=HOLDS_SINCE_DAYS)
    mine = organisation_ids(user)
    return (
        LegalHold.objects.filter(case__in=visible_cases(user))
        .filter(Q(placed_at__date__gte=since) | Q(lifted_at__date__gte=since))
        .exclude(organisation_id__in=mine)
        .select_related("case", "case__person", "organisation")
        .order_by("placed_at")
    )


def inbox(user: User, *, today: dt.date | None = None) -> Inbox:
    """The caller's work, section by section, each oldest and most urgent first."""
    today = today or clock.today()
    keys = (
        "my_cases",
        "decisions",
        "matches",
        "replies_from_us",
        "replies_from_partner",
        "transfers",
        "stays_ending",
        "holds",
    )
    if not organisation_ids(user, roles=CASE_READERS):
        return Inbox({key: Section(key) for key in keys})
    sides = _sides(user)
    replies_from_us, replies_from_partner = _replies_due(user, today, sides)
    matches: QuerySet[ScreeningMatch] = review_queue(user)
    stays: list[StayAlert] = stays_ending(user, today=today)
    sections = [
        _section("my_cases", my_cases(user)),
        _section("decisions", decisions_waiting(user, sides)),
        _section("matches", matches),
        replies_from_us,
        replies_from_partner,
        _section("transfers", transfers_this_week(user, today)),
        _listed("stays_ending", stays),
        _section("holds", holds_by_the_other_side(user, today)),
    ]
    return Inbox({s.key: s for s in sections})


def my_side(user: User, agreement: Agreement) -> str | None:
    position = standing(user, agreement)
    return position.side.value if position.side else None


# Notifications ---------------------------------------------------------------------------


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_for(user: User, *, limit: int = 100) -> list[Notification]:
    """The caller's own notifications, unread first, newest first; a case the caller can
    no longer see is not linked (``case_visible`` False)."""
    rows = list(
        Notification.objects.filter(recipient=user)
        .select_related("case", "proposal_list")
        .order_by(F("read_at").asc(nulls_first=True), "-created_at")[:limit]
    )
    visible = set(
        visible_cases(user)
        .filter(id__in=[n.case_id for n in rows if n.case_id])
        .values_list("id", flat=True)
    )
    for row in rows:
        row.case_visible = row.case_id in visible  # type: ignore[attr-defined]
    return rows


# Owners and teams a caller may choose ----------------------------------------------------


def assignable_owners(user: User, organisation_id: uuid.UUID) -> list[User]:
    """Active caseworkers and supervisors of one of the caller's organisations."""
    if organisation_id not in organisation_ids(user):
        return []
    ids = Membership.objects.filter(
        organisation_id=organisation_id,
        role__in=[Role.CASEWORKER.value, Role.SUPERVISOR.value],
        user__is_active=True,
    ).values("user_id")
    return list(User.objects.filter(id__in=ids).order_by("username"))


def organisation_teams(user: User, organisation_id: uuid.UUID) -> list[Team]:
    if organisation_id not in organisation_ids(user):
        return []
    return list(Team.objects.filter(organisation_id=organisation_id))


def list_assignment(user: User, proposal_list: ProposalList) -> Assignment | None:
    """The list's assignment on the caller's side (never the other party's)."""
    position = standing(user, proposal_list.agreement)
    if position.organisation_id is None:
        return None
    return (
        Assignment.objects.filter(
            proposal_list=proposal_list, organisation_id=position.organisation_id
        )
        .select_related("owner", "team")
        .first()
    )


def case_assignment(user: User, case: Case) -> Assignment | None:
    """The case's assignment on the caller's side (never the other party's)."""
    position = standing(user, case.agreement)
    if position.organisation_id is None:
        return None
    return (
        Assignment.objects.filter(case=case, organisation_id=position.organisation_id)
        .select_related("owner", "team")
        .first()
    )
