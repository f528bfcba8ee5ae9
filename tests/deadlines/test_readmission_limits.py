"""Reply limits of the readmission agreements, counted on both parties' calendars.

The numbers are the agreements' (docs/domain-sources.md, section 1.2): EU--Serbia
10 calendar days + one extension of 6, EU--Montenegro 12, EU--Albania 14, EU--Pakistan 30
(there silence means acceptance -- the workflow's business; this is only the date), and
2 working days in the accelerated (border) procedure. Each expected date is worked out
in the comment next to it: the day of receipt is not counted, and a limit in calendar
days that ends on a weekend or on a holiday of either party moves to the next working day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from readmit.deadlines import (
    TimeLimit,
    Unit,
    WorkingCalendar,
    due,
    extend,
    local_date,
    working_days_between,
)

PODGORICA = ZoneInfo("Europe/Podgorica")
NEW_YORK = ZoneInfo("America/New_York")

SERBIA_REPLY = TimeLimit(10, Unit.CALENDAR_DAYS)
SERBIA_EXTENSION = TimeLimit(6, Unit.CALENDAR_DAYS)
MONTENEGRO_REPLY = TimeLimit(12, Unit.CALENDAR_DAYS)
ALBANIA_REPLY = TimeLimit(14, Unit.CALENDAR_DAYS)
PAKISTAN_REPLY = TimeLimit(30, Unit.CALENDAR_DAYS)
ACCELERATED_REPLY = TimeLimit(2, Unit.WORKING_DAYS)

US_ME = WorkingCalendar(["US", "ME"])
DE_RS = WorkingCalendar(["DE", "RS"])
IT_AL = WorkingCalendar(["IT", "AL"])
DE_PK = WorkingCalendar(["DE", "PK"])


def test_serbia_replies_within_10_calendar_days_and_one_extension_adds_6() -> None:
    received = date(2025, 2, 3)  # Monday
    first = due(received, SERBIA_REPLY, DE_RS)
    assert first == received + timedelta(days=10) == date(2025, 2, 13)  # a Thursday
    assert extend(first, SERBIA_EXTENSION, DE_RS) == date(2025, 2, 19)  # 13 + 6, a Wednesday


def test_a_serbian_limit_ending_on_statehood_day_moves_past_the_observed_day() -> None:
    # 5 Feb + 10 = Saturday 15 Feb 2025, Statehood Day; 16 is Sunday and Statehood Day,
    # 17 the observed holiday: the limit ends on Tuesday 18 February.
    first = due(date(2025, 2, 5), SERBIA_REPLY, DE_RS)
    assert DE_RS.holiday_name(date(2025, 2, 15)) == "Statehood Day (RS)"
    assert first == date(2025, 2, 18)
    # The extension runs from that due date: 18 + 6 = Monday 24 February.
    assert extend(first, SERBIA_EXTENSION, DE_RS) == date(2025, 2, 24)


def test_montenegro_replies_within_12_calendar_days_on_us_and_montenegrin_calendars() -> None:
    # 1 July 2024 + 12 = Saturday 13 July, Statehood Day (ME); 14 is a Sunday, 15 the
    # observed Statehood Day: Tuesday 16 July. Independence Day (US, Thursday 4 July) lies
    # inside the limit and does not lengthen a limit in calendar days.
    received = date(2024, 7, 1)
    assert US_ME.holiday_name(date(2024, 7, 4)) == "Independence Day (US)"
    assert due(received, MONTENEGRO_REPLY, US_ME) == date(2024, 7, 16)
    unrolled = TimeLimit(12, Unit.CALENDAR_DAYS, roll_forward=False)
    assert due(received, unrolled, US_ME) == date(2024, 7, 13)


def test_a_limit_in_working_days_skips_the_holidays_of_both_parties() -> None:
    # 10 working days from Monday 1 July 2024: 2, 3, (4 US), 5, 8, 9, 10, 11, 12,
    # (13-15 ME), 16, 17 -> Wednesday 17 July. Either calendar alone ends a day earlier.
    ten = TimeLimit(10, Unit.WORKING_DAYS)
    received = date(2024, 7, 1)
    both = due(received, ten, US_ME)
    assert both == date(2024, 7, 17)
    assert due(received, ten, WorkingCalendar(["US"])) == date(2024, 7, 16)
    assert due(received, ten, WorkingCalendar(["ME"])) == date(2024, 7, 16)
    assert working_days_between(received, both, US_ME) == 10


def test_albania_replies_within_14_calendar_days() -> None:
    # 14 Nov 2024 + 14 = Thursday 28 Nov, Flag and Independence Day (AL); 29 Nov is
    # Liberation Day (AL), then a weekend: Monday 2 December.
    assert due(date(2024, 11, 14), ALBANIA_REPLY, IT_AL) == date(2024, 12, 2)
    # Received a week earlier, the limit ends on an ordinary Thursday, 21 November.
    assert due(date(2024, 11, 7), ALBANIA_REPLY, IT_AL) == date(2024, 11, 21)


def test_pakistan_replies_within_30_calendar_days() -> None:
    # 15 July 2024 + 30 = Wednesday 14 August, Independence Day (PK): Thursday 15 August.
    assert DE_PK.holiday_name(date(2024, 8, 14)) == "Independence Day (PK)"
    assert due(date(2024, 7, 15), PAKISTAN_REPLY, DE_PK) == date(2024, 8, 15)
    # 1 Aug + 30 = Saturday 31 August: Monday 2 September.
    assert due(date(2024, 8, 1), PAKISTAN_REPLY, DE_PK) == date(2024, 9, 2)


def test_the_accelerated_procedure_gives_2_working_days_of_both_parties() -> None:
    # From Wednesday 3 July 2024: (4 US) 5, 8 -> Monday 8 July.
    assert due(date(2024, 7, 3), ACCELERATED_REPLY, US_ME) == date(2024, 7, 8)
    # From Thursday 11 July: 12, (13-15 ME), 16 -> Tuesday 16 July.
    assert due(date(2024, 7, 11), ACCELERATED_REPLY, US_ME) == date(2024, 7, 16)
    # From an ordinary Monday, 8 July: 9, 10.
    assert due(date(2024, 7, 8), ACCELERATED_REPLY, US_ME) == date(2024, 7, 10)


def test_normal_and_accelerated_limits_run_side_by_side_from_one_receipt() -> None:
    received = date(2024, 7, 3)
    normal = due(received, MONTENEGRO_REPLY, US_ME)
    accelerated = due(received, ACCELERATED_REPLY, US_ME)
    assert accelerated == date(2024, 7, 8)
    assert normal == date(2024, 7, 15) + timedelta(days=1)  # 15 July is Statehood (observed)
    assert accelerated < normal


# --- receipt in the requested state's time zone -----------------------------------------------


def test_a_receipt_counts_from_its_date_in_the_requested_states_zone() -> None:
    # 00:30 on 1 July 2024 in Podgorica is still 30 June in UTC (22:30) and in New York.
    received = datetime(2024, 6, 30, 22, 30, tzinfo=UTC)
    assert received.astimezone(PODGORICA).date() == date(2024, 7, 1)
    assert local_date(received, "Europe/Podgorica") == date(2024, 7, 1)
    assert local_date(received, NEW_YORK) == date(2024, 6, 30)
    in_podgorica = due(received, MONTENEGRO_REPLY, US_ME, zone="Europe/Podgorica")
    assert in_podgorica == due(date(2024, 7, 1), MONTENEGRO_REPLY, US_ME) == date(2024, 7, 16)
    # Counted from the UTC date it would end a day earlier than the agreement allows.
    assert due(received, MONTENEGRO_REPLY, US_ME) == date(2024, 7, 12)


def test_a_receipt_at_23_30_in_podgorica_counts_from_that_date_whichever_zone_wrote_it() -> None:
    late = datetime(2024, 1, 15, 23, 30, tzinfo=PODGORICA)
    for written in (late, late.astimezone(UTC), late.astimezone(NEW_YORK)):
        assert local_date(written, PODGORICA) == date(2024, 1, 15)
        assert due(written, MONTENEGRO_REPLY, US_ME, zone=PODGORICA) == due(
            date(2024, 1, 15), MONTENEGRO_REPLY, US_ME
        )


def test_a_zone_needs_a_timezone_aware_receipt_and_a_known_zone_name() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        due(datetime(2024, 7, 1, 9), MONTENEGRO_REPLY, US_ME, zone=PODGORICA)
    with pytest.raises(ValueError, match="timezone-aware"):
        due(date(2024, 7, 1), MONTENEGRO_REPLY, US_ME, zone=PODGORICA)
    with pytest.raises(ValueError, match="unknown time zone 'Europe/Nowhere'"):
        local_date(datetime(2024, 7, 1, tzinfo=UTC), "Europe/Nowhere")
    with pytest.raises(ValueError, match="timezone-aware"):
        local_date(datetime(2024, 7, 1), PODGORICA)


def test_a_limit_in_hours_counted_in_a_zone_is_returned_in_that_zone() -> None:
    received = datetime(2024, 7, 1, 22, 0, tzinfo=UTC)
    end = due(received, TimeLimit(24, Unit.HOURS), US_ME, zone=PODGORICA)
    assert isinstance(end, datetime)
    assert end.tzinfo == PODGORICA
    assert end == received + timedelta(hours=24)


@given(st.datetimes(datetime(2020, 1, 1), datetime(2030, 12, 31), timezones=st.just(UTC)))
def test_the_due_date_depends_only_on_the_local_date_of_receipt(received: datetime) -> None:
    local = received.astimezone(PODGORICA).date()
    assert due(received, MONTENEGRO_REPLY, US_ME, zone=PODGORICA) == due(
        local, MONTENEGRO_REPLY, US_ME
    )
