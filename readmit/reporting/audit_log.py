"""The audit log as CSV or XLSX: the lines an auditor reads on the page, with the same
filters, for a spreadsheet. Each export is itself audited (format, filters, how many lines),
and cells a spreadsheet would run as a formula are neutralised, as in the case exports."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from readmit.accounts.access import organisation_ids
from readmit.accounts.models import User
from readmit.accounts.selectors import user_zone
from readmit.audit.events import AuditEventType
from readmit.audit.selectors import AUDITORS, audit_lines_for, audit_log_query
from readmit.audit.services import audit_record
from readmit.reporting.exports import safe_cell

AUDIT_COLUMNS = ("seq", "when", "who", "event", "case", "details")
AUDIT_EXPORT_FORMATS = ("csv", "xlsx")
# One export is read in one request: a longer log is cut here (narrow the filters).
AUDIT_EXPORT_MAX_ROWS = 50_000
_CHUNK = 2000


def _filters_as_text(filters: dict[str, Any]) -> dict[str, str]:
    return {
        key: value.isoformat() if isinstance(value, dt.date | dt.datetime) else str(value)
        for key, value in filters.items()
    }


def audit_log_export_rows(*, user: User, filters: dict[str, Any], fmt: str) -> list[list[str]]:
    """The auditor's filtered log as rows of ``AUDIT_COLUMNS``, newest first, times in the
    auditor's own zone; audited with the format, the filters and the count."""
    if fmt not in AUDIT_EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    events = audit_log_query(user, **filters)
    zone = user_zone(user)
    rows: list[list[str]] = []
    with transaction.atomic():
        for start in range(0, AUDIT_EXPORT_MAX_ROWS, _CHUNK):
            chunk = list(events[start : start + _CHUNK])
            for line in audit_lines_for(user, chunk):
                when = line.when.astimezone(zone).isoformat(timespec="seconds")
                values = [line.event.seq, when, line.actor, line.what, line.case_reference]
                rows.append([safe_cell(v) for v in [*values, line.details_text]])
            if len(chunk) < _CHUNK:
                break
        auditor_orgs = sorted(organisation_ids(user, roles=AUDITORS))
        audit_record(
            event_type=AuditEventType.AUDIT_LOG_EXPORTED,
            acting_user=user,
            organisation_id=auditor_orgs[0] if auditor_orgs else None,
            object_type="audit_log",
            data={"format": fmt, "rows": len(rows), "filters": _filters_as_text(filters)},
        )
    return rows
