"""Pure calendar arithmetic for agreement time limits (no Django imports here).

See :mod:`readmit.deadlines.calendar` for the counting convention.
"""

from __future__ import annotations

from readmit.deadlines.calendar import (
    DeadlineStatus,
    TimeLimit,
    Unit,
    WorkingCalendar,
    due,
    extend,
    local_date,
    status,
    working_days_between,
)

__all__ = [
    "DeadlineStatus",
    "TimeLimit",
    "Unit",
    "WorkingCalendar",
    "due",
    "extend",
    "local_date",
    "status",
    "working_days_between",
]
