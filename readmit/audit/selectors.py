"""Reads on the audit log for auditors: only the events of their own agreements, with the
details the data-sharing policy lets their organisation read."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet

from readmit.accounts.access import organisation_ids, visible_agreements, visible_cases
from readmit.accounts.models import User
from readmit.accounts.roles import Role
from readmit.agreements.sharing import NOT_SHARED, SharingPolicy, sharing_policy
from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.core.errors import Forbidden

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
    user: User, *, agreement_id: str | None = None, case_id: str | None = None
) -> QuerySet[AuditEvent]:
    """Events about the auditor's agreements or recorded by their organisations.

    Other roles are refused: auditors read the log, the others read case histories.
    """
    orgs = organisation_ids(user, roles=AUDITORS)
    if not orgs:
        raise Forbidden("Only auditors read the audit log.", type="wrong-role")
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
    return events.order_by("-seq")


def audit_checkpoints_for_auditor(user: User) -> dict[str, Any]:
    """The signed checkpoints, for an auditor of any organisation: every party keeps its
    own copy. They hold hashes and signatures only, nothing any party may not see."""
    from readmit.audit.services import audit_checkpoints_export

    if not organisation_ids(user, roles=AUDITORS):
        raise Forbidden("Only auditors download the audit checkpoints.", type="wrong-role")
    return audit_checkpoints_export()
