"""Each dashboard in a real Chromium, on the demo data: the chart, its table and the XLSX
link are there, offline, and a screenshot of each is written (docs/user-guide.md shows them).

The demo loads every case today; to give the charts a year to show, the Italy–Albania stays'
arrivals are spread over the year and a few Kosovo cases wait some days before their first
decision (the clock moved as tests/cases/test_silence.py moves it)."""

from __future__ import annotations

import datetime as dt

import pytest

from readmit.core import clock
from tests.browser.conftest import BrowserSession, ensure_countries

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PAGES = {
    "quota": "Quota used per period",
    "occupancy": "Occupancy per site",
    "deadlines": "Deadline compliance",
    "states": "Time spent in each state",
    "nationality": "Outcomes by nationality",
    "reason": "Outcomes by reason",
}


@pytest.fixture
def demo_logins(monkeypatch):  # type: ignore[no-untyped-def]
    from readmit.demo.load import demo_load
    from readmit.relocation.models import ReceptionStay

    monkeypatch.setenv("READMIT_ALLOW_DEMO", "1")
    ensure_countries()
    logins = demo_load()
    year_start = dt.datetime(clock.today().year, 1, 1, 8, tzinfo=dt.UTC)
    for n, stay in enumerate(ReceptionStay.objects.order_by("created_at")):
        ReceptionStay.objects.filter(id=stay.id).update(
            arrived_at=year_start + dt.timedelta(days=11 * n + 3)
        )
    return logins


def _waited_cases(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Six Kosovo cases opened on 2 February, recommended after 3 to 60 days."""
    from readmit.accounts.models import User
    from readmit.agreements.models import Agreement
    from readmit.cases.services import case_transition
    from tests.factories import make_case

    real_now = clock.now
    agreement = Agreement.objects.get(reference="us-xk-relocation")
    worker = User.objects.get(username="xk-mia-caseworker")
    opened = dt.datetime(clock.today().year, 2, 2, 9, tzinfo=dt.UTC)
    for n, days in enumerate((3, 7, 9, 14, 21, 60)):
        monkeypatch.setattr(clock, "now", lambda: opened)
        case = make_case(agreement, family_name=f"Waitingdemo{n}", nationality="AF")
        monkeypatch.setattr(clock, "now", lambda d=days: opened + dt.timedelta(days=d))
        case_transition(case_id=case.id, action="recommend", acting_user=worker)
    monkeypatch.setattr(clock, "now", real_now)


def test_each_dashboard_shows_its_chart_and_table_and_is_photographed(
    live_server, browser, demo_logins, screenshot_dir, monkeypatch
):
    from playwright.sync_api import expect

    _waited_cases(monkeypatch)
    who = {
        "US": next(x for x in demo_logins if x.country == "US" and x.role == "caseworker"),
        "IT": next(x for x in demo_logins if x.country == "IT" and x.role == "caseworker"),
    }
    for country, names in (
        ("US", ["quota", "deadlines", "states", "nationality", "reason"]),
        ("IT", ["occupancy"]),
    ):
        session = BrowserSession(browser, live_server.url)
        page = session.page
        session.log_in(who[country].username, who[country].password)
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboards").click()
        expect(page.get_by_role("heading", name="Dashboards", level=1)).to_be_visible()
        if country == "US":
            page.screenshot(path=str(screenshot_dir / "dashboard-index.png"), full_page=True)
        for name in names:
            page.get_by_role("link", name=PAGES[name]).first.click()
            expect(page.get_by_role("heading", name=PAGES[name], level=1)).to_be_visible()
            chart = page.get_by_role("img", name=PAGES[name])
            expect(chart).to_be_visible()
            table = page.locator("table").first
            expect(table.locator("caption")).to_contain_text(PAGES[name])
            assert table.locator("tbody tr").count() >= 1
            expect(page.get_by_role("link", name="Export the table (XLSX)")).to_be_visible()
            # The chart and the head of its table (the whole table can be long).
            page.screenshot(path=str(screenshot_dir / f"dashboard-{name}.png"))
            page.go_back()
        session.close()
