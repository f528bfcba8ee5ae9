"""Quota period arithmetic, pure Python: which period a moment falls in, and what is left."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from readmit.agreements.terms import Quota, QuotaPeriod


def add_years(day: dt.date, years: int) -> dt.date:
    """Same day ``years`` later; 29 February becomes 28 February in a common year."""
    year = day.year + years
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


@dataclass(frozen=True)
class Period:
    start: dt.date  # first day inside
    end: dt.date  # last day inside

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end


def period_containing(
    quota: Quota, *, day: dt.date, in_force_from: dt.date | None, ends_on: dt.date | None
) -> Period | None:
    """The quota period that ``day`` falls in, or ``None`` outside the agreement's life."""
    if in_force_from is None or day < in_force_from:
        return None
    if ends_on is not None and day > ends_on:
        return None
    if quota.period == QuotaPeriod.WHOLE_TERM:
        return Period(in_force_from, ends_on or dt.date.max)
    if quota.period == QuotaPeriod.CALENDAR_YEAR:
        start = max(in_force_from, dt.date(day.year, 1, 1))
        end = dt.date(day.year, 12, 31)
    else:
        years = day.year - in_force_from.year
        if add_years(in_force_from, years) > day:
            years -= 1
        start = add_years(in_force_from, years)
        end = add_years(in_force_from, years + 1) - dt.timedelta(days=1)
    if ends_on is not None:
        end = min(end, ends_on)
    return Period(start, end)


@dataclass(frozen=True)
class QuotaStatus:
    limit: int
    used: int
    period: Period | None

    @property
    def remaining(self) -> int:
        return 0 if self.period is None else max(self.limit - self.used, 0)
