"""Reads of personal data by the other party are audited (issue #12 item 3).

When a user reads a case whose person another organisation recorded (``Person.owner``) —
the case page, the case list, the API's case and case list — one audit row per request and
agreement records who read which cases through which channel; so does a download of an
attachment another organisation added. Batched, so a list of 50
cases costs one insert, not 50. The owner's own reads are not recorded (they are theirs).
The rows carry the agreement, so both parties' auditors see them on the audit log page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction

from readmit.accounts.access import organisation_ids
from readmit.audit.events import AuditEventType
from readmit.audit.services import audit_record

if TYPE_CHECKING:
    import uuid

    from readmit.accounts.models import User
    from readmit.cases.models import Attachment, Case

CHANNELS = frozenset(
    {"page", "page-list", "api", "api-list", "attachment", "page-search", "api-search", "print"}
)


def personal_data_read(*, user: User, cases: Iterable[Case], channel: str) -> int:
    """Audit the user's read of other parties' people among ``cases``; answers the rows
    written. ``cases`` must have ``person`` loaded (``select_related``)."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown read channel {channel!r}")
    own = organisation_ids(user)
    by_agreement: dict[uuid.UUID, list[str]] = defaultdict(list)
    single: dict[uuid.UUID, uuid.UUID] = {}
    for case in cases:
        if case.person.owner_id in own:
            continue
        by_agreement[case.agreement_id].append(str(case.id))
        single[case.agreement_id] = case.id
    if not by_agreement:
        return 0
    with transaction.atomic():
        for agreement_id, case_ids in by_agreement.items():
            audit_record(
                event_type=AuditEventType.PERSONAL_DATA_READ,
                acting_user=user,
                agreement_id=agreement_id,
                case_id=single[agreement_id] if len(case_ids) == 1 else None,
                object_type="case",
                object_id=case_ids[0] if len(case_ids) == 1 else "",
                data={"channel": channel, "cases": case_ids, "count": len(case_ids)},
            )
    return len(by_agreement)


def attachment_read(*, user: User, attachment: Attachment) -> bool:
    """Audit a download of an attachment another organisation added; answers whether a row
    was written."""
    if attachment.organisation_id in organisation_ids(user):
        return False
    case = attachment.case
    with transaction.atomic():
        audit_record(
            event_type=AuditEventType.PERSONAL_DATA_READ,
            acting_user=user,
            agreement_id=case.agreement_id,
            case_id=case.id,
            object_type="attachment",
            object_id=str(attachment.id),
            data={"channel": "attachment", "cases": [str(case.id)], "count": 1},
        )
    return True
