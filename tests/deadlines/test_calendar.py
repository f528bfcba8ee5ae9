"""Deadline arithmetic on concrete dates with the parties' real public holidays."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

import readmit.deadlines.calendar as calendar_module
from readmit.deadlines import (
    TimeLimit,
    Unit,
    WorkingCalendar,
    due,
    extend,
    status,
    working_days_between,
)

ROME = ZoneInfo("Europe/Rome")
TWO_WORKING_DAYS = TimeLimit(2, Unit.WORKING_DAYS)
TWELVE_CALENDAR_DAYS = TimeLimit(12, Unit.CALENDAR_DAYS)


# --- the real holidays we rely on -----------------------------------------------------


def test_kosovo_is_supported_under_its_code_xk() -> None:
    calendar = WorkingCalendar(["XK"])
    assert calendar.holiday_name(date(2025, 2, 17)) == "Independence Day (XK)"


def test_montenegro_statehood_day_and_independence_days_are_holidays() -> None:
    calendar = WorkingCalendar(["ME"])
    assert calendar.holiday_name(date(2024, 7, 13)) == "Statehood Day (ME)"
    assert calendar.holiday_name(date(2024, 5, 21)) == "Independence Day (ME)"
    assert calendar.holiday_name(date(2024, 5, 22)) == "Independence Day (ME)"
    assert not calendar.is_working_day(date(2024, 5, 21))  # a Tuesday
    assert calendar.is_working_day(date(2024, 5, 23))


def test_holiday_name_lists_every_party_celebrating_that_day() -> None:
    calendar = WorkingCalendar(["ME", "XK"])
    assert calendar.holiday_name(date(2024, 5, 1)) == (
        "Labor Day (ME); International Labor Day (XK)"
    )


def test_an_ordinary_weekend_day_is_not_working_but_has_no_holiday_name() -> None:
    calendar = WorkingCalendar(["ME"])
    sunday = date(2024, 3, 17)
    assert not calendar.is_working_day(sunday)
    assert calendar.holiday_name(sunday) is None


def test_a_calendar_without_countries_only_skips_weekends() -> None:
    calendar = WorkingCalendar()
    assert calendar.is_working_day(date(2024, 12, 25))  # Christmas, a Wednesday
    assert not calendar.is_working_day(date(2024, 12, 28))  # Saturday


def test_extra_holidays_are_non_working_days() -> None:
    closure = date(2024, 3, 8)  # a Friday
    calendar = WorkingCalendar(["ME"], extra_holidays=[closure])
    assert not calendar.is_working_day(closure)
    assert calendar.holiday_name(closure) == "Additional non-working day"
    assert calendar.add_working_days(date(2024, 3, 7), 1) == date(2024, 3, 11)


def test_a_custom_weekend_replaces_saturday_and_sunday() -> None:
    friday_saturday = WorkingCalendar(weekend=frozenset({4, 5}))
    assert not friday_saturday.is_working_day(date(2024, 3, 8))  # Friday
    assert friday_saturday.is_working_day(date(2024, 3, 10))  # Sunday


# --- working days ---------------------------------------------------------------------


def test_accelerated_procedure_of_two_working_days_runs_across_the_weekend(
    montenegro_kosovo: WorkingCalendar,
) -> None:
    apprehended_thursday = date(2024, 3, 7)
    # Day 1 is Friday 8 March, the weekend does not count, day 2 is Monday 11 March.
    assert due(apprehended_thursday, TWO_WORKING_DAYS, montenegro_kosovo) == date(2024, 3, 11)


def test_working_days_skip_holidays_of_both_parties() -> None:
    monday = date(2024, 5, 20)
    # 21-22 May are Montenegro's Independence Day; Kosovo works on them.
    assert due(monday, TWO_WORKING_DAYS, WorkingCalendar(["XK"])) == date(2024, 5, 22)
    assert due(monday, TWO_WORKING_DAYS, WorkingCalendar(["ME", "XK"])) == date(2024, 5, 24)

    friday = date(2025, 2, 14)
    # Monday 17 February 2025 is Kosovo's Independence Day; Montenegro works on it.
    assert due(friday, TWO_WORKING_DAYS, WorkingCalendar(["ME"])) == date(2025, 2, 18)
    assert due(friday, TWO_WORKING_DAYS, WorkingCalendar(["ME", "XK"])) == date(2025, 2, 19)


def test_zero_working_days_after_a_day_is_that_day() -> None:
    saturday = date(2024, 3, 9)
    assert WorkingCalendar().add_working_days(saturday, 0) == saturday


def test_next_working_day_is_the_day_itself_when_it_is_working(
    montenegro_kosovo: WorkingCalendar,
) -> None:
    assert montenegro_kosovo.next_working_day(date(2024, 3, 7)) == date(2024, 3, 7)
    # Saturday 13 July 2024 (Statehood Day), Sunday, Monday 15 (observed) are all off.
    assert montenegro_kosovo.next_working_day(date(2024, 7, 13)) == date(2024, 7, 16)


def test_working_days_between_does_not_count_the_first_day_but_counts_the_last(
    montenegro_kosovo: WorkingCalendar,
) -> None:
    assert working_days_between(date(2024, 3, 7), date(2024, 3, 11), montenegro_kosovo) == 2
    assert working_days_between(date(2024, 3, 7), date(2024, 3, 7), montenegro_kosovo) == 0
    assert working_days_between(date(2024, 3, 11), date(2024, 3, 7), montenegro_kosovo) == -2
    # 20 -> 24 May 2024: Tue/Wed are Montenegrin holidays, so only Thu and Fri count.
    assert working_days_between(date(2024, 5, 20), date(2024, 5, 24), montenegro_kosovo) == 2


# --- calendar days and roll forward ---------------------------------------------------


def test_twelve_calendar_days_ending_on_a_sunday_roll_forward_to_monday(
    montenegro_kosovo: WorkingCalendar,
) -> None:
    tuesday = date(2024, 3, 5)
    assert due(tuesday, TWELVE_CALENDAR_DAYS, montenegro_kosovo) == date(2024, 3, 18)


def test_twelve_calendar_days_ending_on_a_sunday_stay_on_sunday_without_roll_forward(
    montenegro_kosovo: WorkingCalendar,
) -> None:
    limit = TimeLimit(12, Unit.CALENDAR_DAYS, roll_forward=False)
    assert due(date(2024, 3, 5), limit, montenegro_kosovo) == date(2024, 3, 17)


def test_calendar_days_ending_on_a_working_day_do_not_move(
    montenegro_kosovo: WorkingCalendar,
) -> None:
    assert due(date(2024, 3, 1), TWELVE_CALENDAR_DAYS, montenegro_kosovo) == date(2024, 3, 13)


def test_a_limit_ending_on_a_holiday_of_either_party_rolls_past_it() -> None:
    # 10 calendar days from 24 June 2024 end on Thursday 4 July, US Independence Day.
    limit = TimeLimit(10, Unit.CALENDAR_DAYS)
    assert due(date(2024, 6, 24), limit, WorkingCalendar(["RS"])) == date(2024, 7, 4)
    assert due(date(2024, 6, 24), limit, WorkingCalendar(["RS", "US"])) == date(2024, 7, 5)


def test_the_module_docstring_example_holds() -> None:
    """The counting convention in the docstring is legal documentation: keep it true."""
    docstring = calendar_module.__doc__ or ""
    assert "Monday 1 July 2024" in docstring
    assert "Saturday 13 July 2024" in docstring
    assert "Tuesday 16 July 2024" in docstring
    no_roll = TimeLimit(12, Unit.CALENDAR_DAYS, roll_forward=False)
    assert due(date(2024, 7, 1), no_roll, WorkingCalendar()) == date(2024, 7, 13)
    assert date(2024, 7, 1).strftime("%A") == "Monday"
    assert due(date(2024, 7, 1), TWELVE_CALENDAR_DAYS, WorkingCalendar(["ME"])) == date(2024, 7, 16)


def test_a_datetime_start_is_reduced_to_its_own_local_date_for_day_units() -> None:
    late_evening_in_rome = datetime(2024, 3, 5, 23, 30, tzinfo=ROME)  # 22:30 UTC
    result = due(late_evening_in_rome, TWELVE_CALENDAR_DAYS, WorkingCalendar())
    assert result == date(2024, 3, 18)
    assert type(result) is date


# --- months -----------------------------------------------------------------------------


def test_one_month_from_31_january_is_the_last_day_of_february() -> None:
    one_month = TimeLimit(1, Unit.MONTHS)
    assert due(date(2024, 1, 31), one_month, WorkingCalendar()) == date(2024, 2, 29)
    assert due(date(2025, 1, 31), one_month, WorkingCalendar()) == date(2025, 2, 28)


def test_three_months_keep_the_day_of_the_month_across_the_year_end() -> None:
    three_months = TimeLimit(3, Unit.MONTHS)
    assert due(date(2024, 11, 15), three_months, WorkingCalendar()) == date(2025, 2, 17)
    assert due(date(2023, 11, 30), three_months, WorkingCalendar()) == date(2024, 2, 29)


def test_a_month_limit_ending_on_a_weekend_rolls_forward_unless_disabled() -> None:
    start = date(2024, 10, 31)  # + 1 month = Saturday 30 November 2024
    calendar = WorkingCalendar(["AL"])
    assert due(start, TimeLimit(1, Unit.MONTHS), calendar) == date(2024, 12, 2)
    assert due(start, TimeLimit(1, Unit.MONTHS, roll_forward=False), calendar) == date(2024, 11, 30)


# --- extension ----------------------------------------------------------------------------


def test_an_extension_of_six_calendar_days_runs_from_the_current_due_date(
    montenegro_kosovo: WorkingCalendar,
) -> None:
    six_days = TimeLimit(6, Unit.CALENDAR_DAYS)
    assert extend(date(2024, 3, 15), six_days, montenegro_kosovo) == date(2024, 3, 21)


def test_an_extension_ending_on_a_sunday_rolls_forward(
    montenegro_kosovo: WorkingCalendar,
) -> None:
    six_days = TimeLimit(6, Unit.CALENDAR_DAYS)
    assert extend(date(2024, 3, 11), six_days, montenegro_kosovo) == date(2024, 3, 18)


def test_an_extension_in_hours_is_refused(montenegro_kosovo: WorkingCalendar) -> None:
    with pytest.raises(ValueError, match="not hours"):
        extend(date(2024, 3, 11), TimeLimit(48, Unit.HOURS), montenegro_kosovo)


# --- hours --------------------------------------------------------------------------------


def test_hours_run_as_elapsed_time_across_a_daylight_saving_change() -> None:
    # Europe/Rome moves to summer time on 31 March 2024 at 02:00.
    start = datetime(2024, 3, 30, 10, 0, tzinfo=ROME)
    end = due(start, TimeLimit(48, Unit.HOURS), WorkingCalendar(["IT"]))
    assert end == datetime(2024, 4, 1, 11, 0, tzinfo=ROME)
    assert isinstance(end, datetime)
    assert end.tzinfo is ROME
    # Subtracting datetimes sharing a tzinfo compares wall clocks; compare in UTC instead.
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=48)


def test_hours_ignore_weekends_and_holidays() -> None:
    friday_evening = datetime(2024, 7, 12, 18, 0, tzinfo=ZoneInfo("Europe/Podgorica"))
    end = due(friday_evening, TimeLimit(24, Unit.HOURS), WorkingCalendar(["ME"]))
    assert end == datetime(2024, 7, 13, 18, 0, tzinfo=ZoneInfo("Europe/Podgorica"))


def test_hours_refuse_a_naive_datetime() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        due(datetime(2024, 3, 30, 10, 0), TimeLimit(48, Unit.HOURS), WorkingCalendar())


def test_hours_refuse_a_plain_date() -> None:
    with pytest.raises(ValueError, match="timezone-aware datetime"):
        due(date(2024, 3, 30), TimeLimit(48, Unit.HOURS), WorkingCalendar())


# --- status -------------------------------------------------------------------------------


def test_the_due_day_itself_is_due_soon_but_not_overdue() -> None:
    result = status(date(2024, 3, 18), today=date(2024, 3, 18))
    assert (result.days_left, result.overdue, result.due_soon) == (0, False, True)


def test_the_day_after_the_due_day_is_overdue_and_no_longer_due_soon() -> None:
    result = status(date(2024, 3, 18), today=date(2024, 3, 19))
    assert (result.days_left, result.overdue, result.due_soon) == (-1, True, False)


def test_due_soon_starts_soon_days_before_the_due_day() -> None:
    assert status(date(2024, 3, 18), today=date(2024, 3, 15)).due_soon
    assert not status(date(2024, 3, 18), today=date(2024, 3, 14)).due_soon
    assert status(date(2024, 3, 18), today=date(2024, 3, 11), soon_days=7).due_soon


def test_status_refuses_a_negative_soon_window() -> None:
    with pytest.raises(ValueError, match="soon_days"):
        status(date(2024, 3, 18), today=date(2024, 3, 11), soon_days=-1)


# --- bad input ----------------------------------------------------------------------------


def test_parse_reads_stored_configuration() -> None:
    parsed = TimeLimit.parse({"amount": 12, "unit": "calendar_days", "roll_forward": False})
    assert parsed == TimeLimit(12, Unit.CALENDAR_DAYS, roll_forward=False)
    assert TimeLimit.parse({"amount": 2, "unit": "working_days"}).roll_forward is True


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"amount": 12, "unit": "calendar_days", "days": 3}, "'days'"),
        ({"unit": "calendar_days"}, "missing the key 'amount'"),
        ({"amount": 12}, "missing the key 'unit'"),
        ({"amount": "12", "unit": "calendar_days"}, "'amount' must be a whole number"),
        ({"amount": True, "unit": "calendar_days"}, "'amount' must be a whole number"),
        ({"amount": 0, "unit": "calendar_days"}, "'amount' must be greater than 0"),
        ({"amount": 12, "unit": "weeks"}, "'unit' must be one of calendar_days"),
        (
            {"amount": 12, "unit": "calendar_days", "roll_forward": "no"},
            "'roll_forward' must be true or false",
        ),
    ],
)
def test_parse_names_the_bad_key(data: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        TimeLimit.parse(data)


def test_a_time_limit_must_be_longer_than_zero() -> None:
    with pytest.raises(ValueError, match="greater than 0, got -3"):
        TimeLimit(-3, Unit.CALENDAR_DAYS)
    with pytest.raises(ValueError, match="greater than 0, got 0"):
        TimeLimit(0, Unit.WORKING_DAYS)


def test_a_time_limit_refuses_an_unknown_unit() -> None:
    with pytest.raises(ValueError, match="unit must be one of"):
        TimeLimit(3, "fortnights")  # type: ignore[arg-type]


def test_a_time_limit_reads_as_its_amount_and_unit() -> None:
    assert str(TimeLimit(12, Unit.CALENDAR_DAYS)) == "12 calendar days"
    assert str(TimeLimit(1, Unit.MONTHS)) == "1 month"


def test_an_unknown_country_code_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="'ZZ'"):
        WorkingCalendar(["ME", "ZZ"])


def test_a_bare_country_string_is_refused_rather_than_split_into_letters() -> None:
    with pytest.raises(ValueError, match="the string 'ME'"):
        WorkingCalendar("ME")


def test_a_weekend_of_every_day_is_refused() -> None:
    with pytest.raises(ValueError, match="no working day"):
        WorkingCalendar(weekend=frozenset(range(7)))
    with pytest.raises(ValueError, match="0 \\(Monday\\) to 6"):
        WorkingCalendar(weekend=frozenset({7}))


def test_a_negative_number_of_working_days_is_refused() -> None:
    with pytest.raises(ValueError, match=">= 0, got -1"):
        WorkingCalendar().add_working_days(date(2024, 3, 7), -1)
