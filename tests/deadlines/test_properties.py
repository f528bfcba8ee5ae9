"""Properties of the deadline arithmetic that must hold for any date, limit and parties."""

from __future__ import annotations

from calendar import monthrange
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from readmit.deadlines import (
    TimeLimit,
    Unit,
    WorkingCalendar,
    due,
    extend,
    status,
    working_days_between,
)

CALENDARS = [
    WorkingCalendar(),
    WorkingCalendar(["ME", "XK"]),
    WorkingCalendar(["RS", "AL"]),
    WorkingCalendar(["IT", "PK"]),
    WorkingCalendar(["US", "ME", "XK", "AL"]),
    WorkingCalendar(["ME"], weekend=frozenset({4, 5})),
]

calendars = st.sampled_from(CALENDARS)
dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))
counts = st.integers(min_value=0, max_value=60)
day_units = st.sampled_from([Unit.CALENDAR_DAYS, Unit.WORKING_DAYS, Unit.MONTHS])
day_limits = st.builds(
    TimeLimit,
    amount=st.integers(min_value=1, max_value=400),
    unit=day_units,
    roll_forward=st.booleans(),
)

# Per-test settings (not a global profile, which would leak into other apps' tests). The
# first example of a new year loads its holidays, so timing deadlines would be flaky.
thorough = settings(deadline=None, max_examples=200)


def _plain_end(start: date, limit: TimeLimit) -> date:
    """The end of a day-unit limit before any roll forward (calendar days and months)."""
    if limit.unit is Unit.CALENDAR_DAYS:
        return start + timedelta(days=limit.amount)
    index = start.month - 1 + limit.amount
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, monthrange(year, month)[1]))


@thorough
@given(start=dates, limit=day_limits, calendar=calendars)
def test_a_limit_always_ends_after_its_start_day(
    start: date, limit: TimeLimit, calendar: WorkingCalendar
) -> None:
    assert due(start, limit, calendar) > start


@thorough
@given(start=dates, limit=day_limits, calendar=calendars)
def test_a_rolled_forward_limit_always_ends_on_a_working_day(
    start: date, limit: TimeLimit, calendar: WorkingCalendar
) -> None:
    end = due(start, limit, calendar)
    assert isinstance(end, date)
    if limit.roll_forward or limit.unit is Unit.WORKING_DAYS:
        assert calendar.is_working_day(end)


@thorough
@given(start=dates, limit=day_limits, calendar=calendars)
def test_roll_forward_only_moves_past_non_working_days(
    start: date, limit: TimeLimit, calendar: WorkingCalendar
) -> None:
    if limit.unit is Unit.WORKING_DAYS:
        return
    plain = _plain_end(start, limit)
    end = due(start, limit, calendar)
    assert isinstance(end, date)
    if not limit.roll_forward:
        assert end == plain
    else:
        assert end >= plain
        skipped = [plain + timedelta(days=i) for i in range((end - plain).days)]
        assert not any(calendar.is_working_day(day) for day in skipped)


@thorough
@given(start=dates, months=st.integers(min_value=1, max_value=36))
def test_a_month_limit_keeps_the_day_of_month_or_clamps_to_the_months_last_day(
    start: date, months: int
) -> None:
    end = due(start, TimeLimit(months, Unit.MONTHS, roll_forward=False), WorkingCalendar())
    assert isinstance(end, date)
    assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == months
    assert end.day == min(start.day, monthrange(end.year, end.month)[1])


@thorough
@given(start=dates, n=st.integers(min_value=1, max_value=60), calendar=calendars)
def test_adding_working_days_lands_on_a_working_day(
    start: date, n: int, calendar: WorkingCalendar
) -> None:
    assert calendar.is_working_day(calendar.add_working_days(start, n))


@thorough
@given(start=dates, n=counts, m=counts, calendar=calendars)
def test_adding_more_working_days_never_ends_earlier(
    start: date, n: int, m: int, calendar: WorkingCalendar
) -> None:
    low, high = sorted((n, m))
    earlier, later = calendar.add_working_days(start, low), calendar.add_working_days(start, high)
    assert earlier <= later
    if low < high:
        assert earlier < later


@thorough
@given(start=dates, n=counts, calendar=calendars)
def test_working_days_between_undoes_add_working_days(
    start: date, n: int, calendar: WorkingCalendar
) -> None:
    assert working_days_between(start, calendar.add_working_days(start, n), calendar) == n


@thorough
@given(a=dates, offset=st.integers(min_value=1, max_value=90), calendar=calendars)
def test_add_working_days_undoes_working_days_between_up_to_a_working_day(
    a: date, offset: int, calendar: WorkingCalendar
) -> None:
    b = calendar.next_working_day(a + timedelta(days=offset))
    assert calendar.add_working_days(a, working_days_between(a, b, calendar)) == b


@thorough
@given(a=dates, offset=st.integers(min_value=-120, max_value=120), calendar=calendars)
def test_working_days_between_is_antisymmetric(
    a: date, offset: int, calendar: WorkingCalendar
) -> None:
    b = a + timedelta(days=offset)
    assert working_days_between(a, b, calendar) == -working_days_between(b, a, calendar)


@thorough
@given(
    current=dates,
    amount=st.integers(min_value=1, max_value=60),
    calendar=calendars,
)
def test_an_extension_never_ends_before_the_current_due_date(
    current: date, amount: int, calendar: WorkingCalendar
) -> None:
    assert extend(current, TimeLimit(amount, Unit.CALENDAR_DAYS), calendar) > current


@thorough
@given(
    start=st.datetimes(
        min_value=datetime(2000, 1, 1),
        max_value=datetime(2040, 12, 31),
        timezones=st.sampled_from(
            [ZoneInfo("Europe/Rome"), ZoneInfo("America/New_York"), ZoneInfo("Asia/Karachi")]
        ),
    ),
    hours=st.integers(min_value=1, max_value=24 * 60),
)
def test_hours_are_exact_elapsed_time_in_the_starts_timezone(start: datetime, hours: int) -> None:
    end = due(start, TimeLimit(hours, Unit.HOURS), WorkingCalendar())
    assert isinstance(end, datetime)
    assert end.tzinfo is start.tzinfo
    # Aware subtraction across zones is exact elapsed time (no float rounding).
    assert end - start.astimezone(ZoneInfo("UTC")) == timedelta(hours=hours)


@thorough
@given(due_day=dates, today=dates, soon_days=st.integers(min_value=0, max_value=30))
def test_status_is_overdue_exactly_after_the_due_day(
    due_day: date, today: date, soon_days: int
) -> None:
    result = status(due_day, today, soon_days)
    assert result.overdue == (today > due_day)
    assert result.days_left == (due_day - today).days
    assert result.due_soon == (due_day - timedelta(days=soon_days) <= today <= due_day)
