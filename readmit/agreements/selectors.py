"""Reads on agreements that interfaces share (quota figures, occupancy)."""

from __future__ import annotations

import datetime as dt

from readmit.agreements.models import Agreement
from readmit.agreements.quota import QuotaStatus, period_containing
from readmit.core import clock


def quota_status(agreement: Agreement, *, day: dt.date | None = None) -> QuotaStatus | None:
    """Places taken in the period containing ``day`` (today by default); None without a quota."""
    terms = agreement.parsed_terms
    if terms.quota is None:
        return None
    day = day or clock.today()
    period = period_containing(terms.quota, day=day, in_force_from=agreement.in_force_from,
                               ends_on=agreement.ends_on)
    used = 0
    if period is not None:
        from readmit.cases.models import QuotaAllocation

        used = QuotaAllocation.objects.filter(
            agreement=agreement, period_start=period.start, released_at__isnull=True
        ).count()
    return QuotaStatus(limit=terms.quota.limit, used=used, period=period)
