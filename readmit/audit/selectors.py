"""Reads on the audit log for auditors: only the events of their own agreements, with the
details the data-sharing policy lets their organisation read."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from readmit.accounts.access import organisation_ids, visible_agreements, visible_cases
from readmit.accounts.models import User
from readmit.accounts.roles import Role
from readmit.accounts.selectors import user_zone
from readmit.agreements.sharing import NOT_SHARED, SharingPolicy, sharing_policy
from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.core.errors import N_, Forbidden

AUDITORS = frozenset({Role.AUDITOR})
# Details of an event that only the organisation that recorded it reads: internal notes,
# and which watchlist entry a reviewed match was (the entry stays with its list's owner).
OWN_ORGANISATION_ONLY = frozenset({"internal_note", "entry"})


def internal_note_for(user: User, event: AuditEvent) -> str:
    """The event's internal note if the caller's organisation wrote it, else ""."""
    if event.organisation_id not in organisation_ids(user):
        return ""
    return str((event.data or {}).get("internal_note", ""))


def audit_details_for(
    user: User, event: AuditEvent, policy: SharingPolicy | None = None
) -> dict[str, object]:
    """The event's details as the caller may read them: another organisation's internal
    notes and watchlist entries are left out, and details of the case's person that the
    agreement does not share with the caller (``policy``, see
    :func:`audit_sharing_policies`) are withheld. The row itself, its hash and chain are
    untouched."""
    data = dict(event.data or {})
    if event.organisation_id not in organisation_ids(user):
        data = {k: v for k, v in data.items() if k not in OWN_ORGANISATION_ONLY}
    if policy is None or policy.is_owner:
        return data
    # How many vulnerabilities were found is the person's data; which criteria failed is
    # not (the case page shows each rule's outcome to both parties, explanations redacted).
    if event.event_type == AuditEventType.VULNERABILITY_ASSESSED and not policy.shows(
        "vulnerabilities"
    ):
        data["found"] = NOT_SHARED
    return data


def audit_sharing_policies(
    user: User, events: Iterable[AuditEvent]
) -> dict[uuid.UUID, SharingPolicy]:
    """The data-sharing policy of each case the events name, for ``user`` (one query)."""
    from readmit.cases.models import Case

    case_ids = {e.case_id for e in events if e.case_id is not None}
    orgs = organisation_ids(user)
    cases = Case.objects.filter(id__in=case_ids).select_related("person", "agreement")
    return {
        case.id: sharing_policy(case.agreement.parsed_terms, is_owner=case.person.owner_id in orgs)
        for case in cases
    }


def audit_rows_for(
    user: User, events: Iterable[AuditEvent]
) -> list[tuple[AuditEvent, dict[str, object]]]:
    """Each event with its details as ``user`` may read them."""
    events = list(events)
    policies = audit_sharing_policies(user, events)
    return [
        (e, audit_details_for(user, e, policies.get(e.case_id) if e.case_id else None))
        for e in events
    ]


def audit_events_for_auditor(
    user: User,
    *,
    agreement_id: str | None = None,
    case_id: str | None = None,
    event_type: int | None = None,
    actor: str = "",
    case_reference: str = "",
    occurred_from: dt.datetime | None = None,
    occurred_before: dt.datetime | None = None,
) -> QuerySet[AuditEvent]:
    """Events about the auditor's agreements or recorded by their organisations.

    Other roles are refused: auditors read the log, the others read case histories. The
    filters only narrow what the auditor may read: a case reference names a case only if
    the auditor sees it (else nothing matches), ``actor`` is a login name (any case).
    """
    orgs = organisation_ids(user, roles=AUDITORS)
    if not orgs:
        raise Forbidden(N_("Only auditors read the audit log."), type="wrong-role")
    agreements = visible_agreements(user).values("id")
    # An agreement's events about a case only if the auditor sees the case: a consular
    # mission's auditor reads the cases routed to it, not every case of its state.
    cases = visible_cases(user).values("id")
    events = AuditEvent.objects.filter(
        Q(agreement_id__in=agreements, case_id__isnull=True)
        | Q(agreement_id__in=agreements, case_id__in=cases)
        | Q(organisation_id__in=orgs)
    )
    if agreement_id:
        events = events.filter(agreement_id=agreement_id)
    if case_id:
        events = events.filter(case_id=case_id)
    if event_type is not None:
        events = events.filter(event_type=int(event_type))
    if actor:
        events = events.filter(actor_username__iexact=actor)
    if case_reference:
        events = events.filter(
            case_id__in=visible_cases(user).filter(reference__iexact=case_reference).values("id")
        )
    if occurred_from is not None:
        events = events.filter(occurred_at__gte=occurred_from)
    if occurred_before is not None:
        events = events.filter(occurred_at__lt=occurred_before)
    return events.order_by("-seq")


def audit_log_query(
    user: User,
    *,
    event: int | None = None,
    actor: str = "",
    case: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    """The audit log page's filters: an event type, a login name, a case reference, and
    days from and to (inclusive) in the reader's own time zone."""
    zone = user_zone(user)

    def midnight(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(), tzinfo=zone)

    return audit_events_for_auditor(
        user,
        event_type=event,
        actor=actor,
        case_reference=case,
        occurred_from=midnight(date_from) if date_from else None,
        occurred_before=midnight(date_to + dt.timedelta(days=1)) if date_to else None,
    )


@dataclass(frozen=True)
class AuditLine:
    """One event in words: who did what, to which case, when, and the details the reader
    may read (``audit_details_for``)."""

    event: AuditEvent
    actor: str
    what: str
    case_reference: str
    details: dict[str, object]

    @property
    def when(self) -> dt.datetime:
        return self.event.occurred_at

    @property
    def details_text(self) -> str:
        return "; ".join(
            f"{key.replace('_', ' ')}: {_words(value)}" for key, value in self.details.items()
        )


def _words(value: object) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(_words(v) for v in value) or "none"
    if isinstance(value, dict):
        return ", ".join(f"{k} {_words(v)}" for k, v in value.items())
    if value is None or value == "":
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


SYSTEM_ACTOR = "the system"


def audit_lines_for(user: User, events: Iterable[AuditEvent]) -> list[AuditLine]:
    """The events as readable lines, for ``user``: a fixed number of queries however many
    events (the cases' sharing policies, then the references of the cases the reader sees;
    a case they do not see is not named)."""
    rows = audit_rows_for(user, events)
    case_ids = {e.case_id for e, _ in rows if e.case_id is not None}
    references = (
        dict(visible_cases(user).filter(id__in=case_ids).values_list("id", "reference"))
        if case_ids
        else {}
    )
    return [
        AuditLine(
            event=e,
            actor=e.actor_username or SYSTEM_ACTOR,
            what=e.type_label,
            case_reference=str(references.get(e.case_id, "")) if e.case_id else "",
            details=details,
        )
        for e, details in rows
    ]


def audit_checkpoints_for_auditor(user: User) -> dict[str, Any]:
    """The signed checkpoints, for an auditor of any organisation: every party keeps its
    own copy. They hold hashes and signatures only, nothing any party may not see."""
    from readmit.audit.services import audit_checkpoints_export

    if not organisation_ids(user, roles=AUDITORS):
        raise Forbidden(N_("Only auditors download the audit checkpoints."), type="wrong-role")
    return audit_checkpoints_export()
