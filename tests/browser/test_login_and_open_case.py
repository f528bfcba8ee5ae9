"""End to end in a real Chromium: a demo user of Kosovo logs in, finds a case, opens it.

Every request the page makes must go to the live server: the UI works offline (no CDN).
"""

from __future__ import annotations

import re

import pytest

from readmit.cases.models import Case
from tests.browser.conftest import BrowserSession, ensure_countries, htmx_ready

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def kosovo_caseworker(monkeypatch):
    """The demo's Kosovo caseworker login, after loading the demo into the test database."""
    from readmit.demo.load import demo_load

    monkeypatch.setenv("READMIT_ALLOW_DEMO", "1")
    ensure_countries()
    logins = demo_load()
    return next(x for x in logins if x.country == "XK" and x.role == "caseworker")


def test_a_kosovo_caseworker_logs_in_and_opens_a_case(
    live_server, browser, kosovo_caseworker, screenshot_dir
):
    from playwright.sync_api import expect

    session = BrowserSession(browser, live_server.url)
    page = session.page

    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/login/"))
    session.log_in(kosovo_caseworker.username, kosovo_caseworker.password)
    expect(page.locator(".whoami")).to_contain_text(kosovo_caseworker.organisation)
    expect(page.locator(".whoami")).to_contain_text("XK")
    page.screenshot(path=str(screenshot_dir / "home.png"), full_page=True)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cases").click()
    expect(page.get_by_role("heading", name="Cases", level=1)).to_be_visible()
    htmx_ready(page)
    rows = page.locator("#case-results tbody tr")
    expect(rows.first).to_be_visible()

    # htmx: a filter swaps the results in place and puts the filter in the address bar.
    page.get_by_label("State").select_option("proposed")
    expect(page).to_have_url(re.compile(r"state=proposed"))
    expect(rows.first.locator(".badge").first).to_have_text("Proposed")
    page.screenshot(path=str(screenshot_dir / "case_list.png"), full_page=True)

    reference = rows.first.locator("td a").first.inner_text().strip()
    case = Case.objects.select_related("person").get(reference=reference)
    rows.first.locator("td a").first.click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(case.person.family_name)
    expect(page.get_by_role("heading", name="History")).to_be_visible()
    htmx_ready(page)
    history = page.locator("ol.history > li")
    expect(history.first).to_contain_text("Case opened")
    page.screenshot(path=str(screenshot_dir / "case.png"), full_page=True)

    # A transition through htmx swaps the case panel: new state, one more history line.
    lines = history.count()
    page.locator("summary", has_text="Recommend").click()
    page.get_by_label("Reason").first.fill("Meets the criteria on paper")
    page.get_by_role("button", name="Confirm: recommend").click()
    expect(page.locator("#case-state")).to_have_text("Recommended")
    expect(history).to_have_count(lines + 1)
    expect(history.last).to_contain_text("Meets the criteria on paper")
    page.screenshot(path=str(screenshot_dir / "case_after.png"), full_page=True)

    page.locator(".case-panel header").get_by_role("link").first.click()
    expect(page.get_by_role("heading", name="Terms", exact=True)).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "agreement.png"), full_page=True)

    session.close()
