"""Reads on the audit log for auditors: only the events of their own agreements."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from readmit.accounts.access import organisation_ids, visible_agreements
from readmit.accounts.models import User
from readmit.accounts.roles import Role
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


def audit_details_for(user: User, event: AuditEvent) -> dict[str, object]:
    """The event's details as the caller may read them: another organisation's internal
    notes are left out (the row itself, its hash and chain are untouched)."""
    data = dict(event.data or {})
    if event.organisation_id in organisation_ids(user):
        return data
    return {k: v for k, v in data.items() if k not in OWN_ORGANISATION_ONLY}


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
    events = AuditEvent.objects.filter(Q(agreement_id__in=agreements) | Q(organisation_id__in=orgs))
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
