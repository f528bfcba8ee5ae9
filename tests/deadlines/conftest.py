"""Shared calendars for the deadline tests (plain pytest, no Django)."""

from __future__ import annotations

import pytest

from readmit.deadlines import WorkingCalendar


@pytest.fixture(scope="session")
def montenegro_kosovo() -> WorkingCalendar:
    return WorkingCalendar(["ME", "XK"])
