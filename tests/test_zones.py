"""The pure zone core, the UTC business date, and organisations' default zones."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

from readmit.core import clock
from readmit.core.zones import ZoneError, country_zone, to_utc, wall_clock, zone
from tests.factories import make_org

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("country", "expected"),
    [
        ("US", "America/New_York"),
        ("XK", "Europe/Belgrade"),
        ("ME", "Europe/Podgorica"),
        ("AL", "Europe/Tirane"),
        ("IT", "Europe/Rome"),
    ],
)
def test_an_organisation_takes_its_countrys_zone_unless_one_is_given(db, country, expected):
    assert country_zone(country) == expected
    assert make_org(country).time_zone == expected


def test_a_country_with_several_zones_and_no_choice_falls_back_to_utc():
    assert country_zone("RU") == "UTC"  # eleven zones: an administrator must choose


@pytest.mark.parametrize("name", ["Mars/Olympus", "", "../etc/passwd", "Europe/"])
def test_a_name_that_is_not_an_iana_zone_is_refused(name):
    with pytest.raises(ZoneError):
        zone(name)


def test_a_wall_clock_time_becomes_utc_across_the_dst_change():
    assert to_utc(dt.datetime(2027, 3, 13, 9, 0), NEW_YORK) == dt.datetime(
        2027, 3, 13, 14, 0, tzinfo=dt.UTC
    )
    assert to_utc(dt.datetime(2027, 3, 14, 9, 0), NEW_YORK) == dt.datetime(
        2027, 3, 14, 13, 0, tzinfo=dt.UTC
    )
    with pytest.raises(ZoneError, match="does not exist"):
        to_utc(dt.datetime(2027, 3, 14, 2, 30), NEW_YORK)
    with pytest.raises(ZoneError, match="happens twice"):
        to_utc(dt.datetime(2027, 11, 7, 1, 30), NEW_YORK)


def test_a_stored_instant_is_shown_with_the_zone_named():
    moment = dt.datetime(2027, 1, 15, 14, 0, tzinfo=dt.UTC)
    assert wall_clock(moment, NEW_YORK) == "2027-01-15 09:00 America/New_York"


@pytest.mark.parametrize("viewer", ["Pacific/Kiritimati", "Pacific/Pago_Pago"])
def test_the_business_date_is_the_utc_date_whatever_zone_a_page_activated(viewer):
    # +14 and -11 hours: at any moment one of them is on another date than UTC.
    with timezone.override(zoneinfo.ZoneInfo(viewer)):
        assert clock.today() == dt.datetime.now(dt.UTC).date()
