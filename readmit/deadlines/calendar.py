"""Deadline arithmetic for readmission time limits, in plain Python (no Django).

Counting convention -- this is a legal rule, not an implementation detail:

* The day of the start event is **not** counted; day 1 is the following day. This is how
  EU readmission agreements count and what Regulation (EEC, Euratom) No 1182/71 lays
  down for periods expressed in days, months or years. A limit of 12 calendar days
  starting on Monday 1 July 2024 therefore ends on Saturday 13 July 2024 -- and, rolled
  forward with Montenegro as a party, on Tuesday 16 July 2024, because 13-15 July are
  Montenegro's Statehood Day, a Sunday and the observed Statehood Day.
* A limit in **calendar days** ends at the end of its last day.
* A limit in **working days** counts only days that are working days for *every* party:
  a day is skipped if it is a weekend day (Saturday/Sunday by default) or a public
  holiday of *any* of the calendar's countries. The result is always a working day.
* A limit in **months** ends on the same day of the month N months later; if that month
  is shorter, it ends on the month's last day (31 January + 1 month = 28 or 29 February).
* With ``roll_forward`` (the default), a limit in calendar days or months that ends on a
  weekend day or on a public holiday of *any* of the calendar's countries moves to the
  next working day. Without it, the limit ends on that day regardless.
* A limit in **hours** runs continuously from a timezone-aware instant: it is elapsed
  time (a day with a DST change is 23 or 25 hours long), and neither weekends nor
  holidays stop or extend it; ``roll_forward`` has no effect.
* An **extension** runs from the current due date, by the same rules.
* A limit that starts on **receipt** counts from the receipt's date *in the requested
  state's time zone* (``due(..., zone="Europe/Podgorica")``, or ``local_date``): a request
  received at 00:30 in Podgorica counts from that Podgorica date, although it is still the
  previous day in UTC and in Washington.

Public holidays come from the ``holidays`` package, in English, including the
"observed" substitute days and the estimated dates of Islamic holidays that the package
publishes, because those are days on which the parties' authorities are closed.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from enum import StrEnum
from functools import lru_cache
from types import MappingProxyType
from typing import ClassVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

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

_DEFAULT_WEEKEND: frozenset[int] = frozenset({5, 6})  # date.weekday(): Saturday, Sunday
_HOLIDAY_LANGUAGE = "en_US"


class Unit(StrEnum):
    CALENDAR_DAYS = "calendar_days"
    WORKING_DAYS = "working_days"
    MONTHS = "months"
    HOURS = "hours"


_UNIT_LABELS: Mapping[Unit, tuple[str, str]] = {
    Unit.CALENDAR_DAYS: ("calendar day", "calendar days"),
    Unit.WORKING_DAYS: ("working day", "working days"),
    Unit.MONTHS: ("month", "months"),
    Unit.HOURS: ("hour", "hours"),
}


@dataclass(frozen=True)
class TimeLimit:
    """An agreed time limit such as "12 calendar days" or "2 working days"."""

    amount: int
    unit: Unit
    roll_forward: bool = True

    _KEYS: ClassVar[frozenset[str]] = frozenset({"amount", "unit", "roll_forward"})

    def __post_init__(self) -> None:
        # bool is a subclass of int; `True` days is a configuration mistake, not 1 day.
        if isinstance(self.amount, bool) or not isinstance(self.amount, int):
            raise ValueError(f"TimeLimit amount must be a whole number, got {self.amount!r}")
        if self.amount <= 0:
            raise ValueError(f"TimeLimit amount must be greater than 0, got {self.amount}")
        object.__setattr__(self, "unit", _to_unit(self.unit))
        if not isinstance(self.roll_forward, bool):
            raise ValueError(
                f"TimeLimit roll_forward must be true or false, got {self.roll_forward!r}"
            )

    @classmethod
    def parse(cls, data: Mapping[str, object]) -> TimeLimit:
        """Build a limit from stored configuration.

        Example: ``{"amount": 12, "unit": "calendar_days", "roll_forward": False}``.
        Unknown or missing keys and wrong types raise a ValueError that names the key.
        """
        if not isinstance(data, Mapping):
            raise ValueError(f"a time limit must be a mapping, got {type(data).__name__}")
        unknown = sorted(str(key) for key in data if key not in cls._KEYS)
        if unknown:
            raise ValueError(
                f"unknown time limit key(s): {', '.join(map(repr, unknown))}; "
                f"allowed keys are 'amount', 'unit', 'roll_forward'"
            )
        for key in ("amount", "unit"):
            if key not in data:
                raise ValueError(f"time limit is missing the key {key!r}")
        amount = data["amount"]
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise ValueError(f"time limit key 'amount' must be a whole number, got {amount!r}")
        if amount <= 0:
            raise ValueError(f"time limit key 'amount' must be greater than 0, got {amount}")
        unit = data["unit"]
        if not isinstance(unit, str) or unit not in _unit_values():
            raise ValueError(
                f"time limit key 'unit' must be one of {', '.join(_unit_values())}, got {unit!r}"
            )
        roll_forward = data.get("roll_forward", True)
        if not isinstance(roll_forward, bool):
            raise ValueError(
                f"time limit key 'roll_forward' must be true or false, got {roll_forward!r}"
            )
        return cls(amount=amount, unit=Unit(unit), roll_forward=roll_forward)

    def __str__(self) -> str:
        singular, plural = _UNIT_LABELS[self.unit]
        return f"{self.amount} {singular if self.amount == 1 else plural}"


def _unit_values() -> tuple[str, ...]:
    return tuple(unit.value for unit in Unit)


def _to_unit(value: object) -> Unit:
    if isinstance(value, Unit):
        return value
    if isinstance(value, str) and value in _unit_values():
        return Unit(value)
    raise ValueError(f"TimeLimit unit must be one of {', '.join(_unit_values())}, got {value!r}")


@lru_cache(maxsize=1024)
def _country_holidays(country: str, year: int) -> Mapping[date, str]:
    """The public holidays of one country in one year, by date (cached, read-only)."""
    probe = holidays.country_holidays(country)
    language = _HOLIDAY_LANGUAGE if _HOLIDAY_LANGUAGE in probe.supported_languages else None
    found = holidays.country_holidays(country, years=year, language=language)
    return MappingProxyType({day: str(name) for day, name in sorted(found.items())})


def _normalise_country(code: str) -> str:
    if not isinstance(code, str):
        raise ValueError(f"country code must be a string, got {code!r}")
    normalised = code.strip().upper()
    if normalised not in holidays.list_supported_countries():
        raise ValueError(f"unknown or unsupported country code for public holidays: {code!r}")
    return normalised


class WorkingCalendar:
    """Weekends (Sat/Sun by default) plus the public holidays of every given country.

    Countries are ISO 3166-1 alpha-2 codes as the ``holidays`` package knows them
    (including ``"XK"`` for Kosovo); an unknown code raises a ValueError naming it.
    Holiday sets are cached per (country, year) and shared between calendars.
    ``weekend`` uses ``date.weekday()`` numbers (Monday 0 ... Sunday 6).
    """

    def __init__(
        self,
        countries: Iterable[str] = (),
        extra_holidays: Iterable[date] = (),
        weekend: frozenset[int] = _DEFAULT_WEEKEND,
    ) -> None:
        if isinstance(countries, str):
            # A bare "ME" would otherwise be read as the countries "M" and "E".
            raise ValueError(f"countries must be a list of codes, got the string {countries!r}")
        self.countries: tuple[str, ...] = tuple(
            dict.fromkeys(_normalise_country(code) for code in countries)
        )
        extras = frozenset(extra_holidays)
        for extra in extras:
            if not isinstance(extra, date) or isinstance(extra, datetime):
                raise ValueError(f"extra holidays must be dates, got {extra!r}")
        self.extra_holidays: frozenset[date] = extras
        weekend = frozenset(weekend)
        if any(isinstance(d, bool) or not isinstance(d, int) or not 0 <= d <= 6 for d in weekend):
            raise ValueError(
                f"weekend days must be weekday numbers 0 (Monday) to 6 (Sunday), "
                f"got {sorted(weekend, key=repr)!r}"
            )
        if len(weekend) == 7:
            raise ValueError("weekend cannot cover all seven days: there would be no working day")
        self.weekend: frozenset[int] = weekend

    def __repr__(self) -> str:
        return (
            f"WorkingCalendar(countries={list(self.countries)!r}, "
            f"extra_holidays={len(self.extra_holidays)}, weekend={sorted(self.weekend)!r})"
        )

    def _holiday_names(self, day: date) -> list[str]:
        names = [
            f"{name} ({country})"
            for country in self.countries
            if (name := _country_holidays(country, day.year).get(day)) is not None
        ]
        if day in self.extra_holidays:
            names.append("Additional non-working day")
        return names

    def is_holiday(self, day: date) -> bool:
        """Whether ``day`` is a public holiday of any country, or an extra holiday."""
        day = _as_date(day)
        return day in self.extra_holidays or any(
            day in _country_holidays(country, day.year) for country in self.countries
        )

    def is_working_day(self, day: date) -> bool:
        day = _as_date(day)
        return day.weekday() not in self.weekend and not self.is_holiday(day)

    def holiday_name(self, day: date) -> str | None:
        """The holiday(s) on ``day`` with their country, e.g. ``"Statehood Day (ME)"``.

        Several holidays on the same day are joined with "; ". Weekends are not holidays
        and give None.
        """
        names = self._holiday_names(_as_date(day))
        return "; ".join(names) if names else None

    def next_working_day(self, day: date) -> date:
        """``day`` itself if it is a working day, otherwise the first working day after it."""
        day = _as_date(day)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after ``start`` (``start`` itself is not counted).

        ``n == 0`` returns ``start`` unchanged.
        """
        start = _as_date(start)
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise ValueError(f"number of working days must be a whole number >= 0, got {n!r}")
        day = start
        remaining = n
        while remaining:
            day += timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day


def _as_date(value: date) -> date:
    """Reduce a datetime to its (local) date; reject anything that is not a date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raise ValueError(f"expected a date, got {value!r}")


def _is_aware(value: datetime) -> bool:
    return value.tzinfo is not None and value.tzinfo.utcoffset(value) is not None


def _add_months(start: date, months: int) -> date:
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, monthrange(year, month)[1]))


def _zone(zone: str | tzinfo) -> tzinfo:
    if isinstance(zone, tzinfo):
        return zone
    if not isinstance(zone, str):
        raise ValueError(f"a time zone must be a name such as 'Europe/Podgorica', got {zone!r}")
    try:
        return ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {zone!r}") from None


def local_date(instant: datetime, zone: str | tzinfo) -> date:
    """The date of a timezone-aware ``instant`` in ``zone`` (e.g. the requested state's)."""
    if not isinstance(instant, datetime) or not _is_aware(instant):
        raise ValueError(f"the local date needs a timezone-aware datetime, got {instant!r}")
    return instant.astimezone(_zone(zone)).date()


def due(
    start: date | datetime,
    limit: TimeLimit,
    calendar: WorkingCalendar,
    *,
    zone: str | tzinfo | None = None,
) -> date | datetime:
    """The last day (or, for hours, the instant) on which the limit is still met.

    Day units take a date (a datetime is reduced to its own local date) and return a date.
    With ``zone`` (the requested state's time zone), ``start`` must be a timezone-aware
    datetime and counts from its date in that zone.
    ``Unit.HOURS`` needs a timezone-aware datetime and returns one in the same timezone
    (in ``zone`` if given).
    """
    if zone is not None:
        if not isinstance(start, datetime) or not _is_aware(start):
            raise ValueError(
                f"a start counted in a time zone must be a timezone-aware datetime, got {start!r}"
            )
        start = start.astimezone(_zone(zone))
    if limit.unit is Unit.HOURS:
        if not isinstance(start, datetime):
            raise ValueError(
                f"a limit in hours needs a timezone-aware datetime as start, got {start!r}"
            )
        if not _is_aware(start):
            raise ValueError(
                f"a limit in hours needs a timezone-aware datetime, got the naive {start!r}"
            )
        # Elapsed time: compute in UTC so a DST change does not add or remove an hour.
        end_utc = start.astimezone(UTC) + timedelta(hours=limit.amount)
        return end_utc.astimezone(start.tzinfo)

    day = _as_date(start)
    if limit.unit is Unit.WORKING_DAYS:
        return calendar.add_working_days(day, limit.amount)
    if limit.unit is Unit.CALENDAR_DAYS:
        end = day + timedelta(days=limit.amount)
    else:
        end = _add_months(day, limit.amount)
    return calendar.next_working_day(end) if limit.roll_forward else end


def extend(current_due: date, extension: TimeLimit, calendar: WorkingCalendar) -> date:
    """The new due date after an extension, which runs from the current due date."""
    if extension.unit is Unit.HOURS:
        raise ValueError("an extension of a due date must be in days or months, not hours")
    result = due(_as_date(current_due), extension, calendar)
    assert isinstance(result, date) and not isinstance(result, datetime)
    return result


def working_days_between(a: date, b: date, calendar: WorkingCalendar) -> int:
    """Working days after ``a`` up to and including ``b`` (``a`` itself is not counted).

    The inverse of ``add_working_days``: ``working_days_between(a, add_working_days(a, n))
    == n``. If ``b`` is before ``a`` the count is negative.
    """
    a, b = _as_date(a), _as_date(b)
    if b < a:
        return -working_days_between(b, a, calendar)
    return sum(
        1
        for offset in range(1, (b - a).days + 1)
        if calendar.is_working_day(a + timedelta(days=offset))
    )


@dataclass(frozen=True)
class DeadlineStatus:
    due: date
    days_left: int  # calendar days from today to the due date; negative once overdue
    overdue: bool
    due_soon: bool  # not overdue and at most `soon_days` calendar days left


def status(due: date, today: date, soon_days: int = 3) -> DeadlineStatus:
    """Where ``today`` stands relative to ``due``. The due day itself is not overdue."""
    due, today = _as_date(due), _as_date(today)
    if isinstance(soon_days, bool) or not isinstance(soon_days, int) or soon_days < 0:
        raise ValueError(f"soon_days must be a whole number >= 0, got {soon_days!r}")
    days_left = (due - today).days
    overdue = days_left < 0
    return DeadlineStatus(
        due=due,
        days_left=days_left,
        overdue=overdue,
        due_soon=not overdue and days_left <= soon_days,
    )
