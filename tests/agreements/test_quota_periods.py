"""Quota periods: which period a day falls in, at the boundaries."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from readmit.agreements.quota import QuotaStatus, period_containing
from readmit.agreements.terms import Quota, QuotaPeriod

D = dt.date
ROLLING = Quota(limit=50, period=QuotaPeriod.ROLLING_YEAR)


def test_a_rolling_year_ends_the_day_before_the_anniversary():
    period = period_containing(
        ROLLING, day=D(2027, 3, 14), in_force_from=D(2026, 3, 15), ends_on=None
    )
    assert period is not None
    assert (period.start, period.end) == (D(2026, 3, 15), D(2027, 3, 14))


def test_the_anniversary_starts_a_new_period_with_a_fresh_quota():
    period = period_containing(
        ROLLING, day=D(2027, 3, 15), in_force_from=D(2026, 3, 15), ends_on=None
    )
    assert period is not None
    assert (period.start, period.end) == (D(2027, 3, 15), D(2028, 3, 14))


def test_no_period_before_entry_into_force_or_after_the_end():
    assert (
        period_containing(ROLLING, day=D(2026, 3, 14), in_force_from=D(2026, 3, 15), ends_on=None)
        is None
    )
    assert (
        period_containing(
            ROLLING, day=D(2026, 9, 2), in_force_from=D(2026, 3, 15), ends_on=D(2026, 9, 1)
        )
        is None
    )
    assert period_containing(ROLLING, day=D(2026, 9, 2), in_force_from=None, ends_on=None) is None


def test_an_expired_period_has_no_remaining_places():
    assert QuotaStatus(limit=50, used=0, period=None).remaining == 0
    assert QuotaStatus(limit=50, used=51, period=None).remaining == 0


def test_a_period_is_cut_at_the_agreements_end():
    period = period_containing(
        ROLLING, day=D(2026, 6, 1), in_force_from=D(2026, 3, 15), ends_on=D(2026, 9, 1)
    )
    assert period is not None and period.end == D(2026, 9, 1)


def test_a_leap_day_entry_into_force_rolls_on_the_28th_in_common_years():
    period = period_containing(
        ROLLING, day=D(2025, 3, 1), in_force_from=D(2024, 2, 29), ends_on=None
    )
    assert period is not None
    assert period.start == D(2025, 2, 28)


def test_a_calendar_year_quota_starts_at_entry_into_force_in_the_first_year():
    quota = Quota(limit=10, period=QuotaPeriod.CALENDAR_YEAR)
    first = period_containing(quota, day=D(2026, 8, 1), in_force_from=D(2026, 7, 1), ends_on=None)
    second = period_containing(quota, day=D(2027, 8, 1), in_force_from=D(2026, 7, 1), ends_on=None)
    assert first is not None and (first.start, first.end) == (D(2026, 7, 1), D(2026, 12, 31))
    assert second is not None and (second.start, second.end) == (D(2027, 1, 1), D(2027, 12, 31))


@given(
    start=st.dates(min_value=D(2000, 1, 1), max_value=D(2040, 1, 1)),
    offset=st.integers(min_value=0, max_value=4000),
)
def test_every_day_after_entry_into_force_lies_in_exactly_one_rolling_period(start, offset):
    day = start + dt.timedelta(days=offset)
    period = period_containing(ROLLING, day=day, in_force_from=start, ends_on=None)
    assert period is not None
    assert day in period
    assert 364 <= (period.end - period.start).days <= 365
    after = period_containing(
        ROLLING, day=period.end + dt.timedelta(days=1), in_force_from=start, ends_on=None
    )
    assert after is not None and after.start == period.end + dt.timedelta(days=1)
