"""Shared calendars for the deadline tests (plain pytest, no Django)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# The project is not installed into the venv and pytest's rootdir insertion puts only
# tests/deadlines on sys.path; make `import readmit` work without Django or an install.
REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from readmit.deadlines import WorkingCalendar  # noqa: E402


@pytest.fixture(scope="session")
def montenegro_kosovo() -> WorkingCalendar:
    return WorkingCalendar(["ME", "XK"])
