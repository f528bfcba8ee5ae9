"""A caseworker's morning in a real Chromium: Kosovo's caseworker opens the inbox, takes the
oldest decision waiting, recommends it, and the United States' caseworker sees it in the
bell."""

from __future__ import annotations

import pytest

from readmit.cases.models import Case
from tests.browser.conftest import BrowserSession, ensure_countries, htmx_ready

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def demo_logins(monkeypatch):  # type: ignore[no-untyped-def]
    from readmit.demo.load import demo_load

    monkeypatch.setenv("READMIT_ALLOW_DEMO", "1")
    ensure_countries()
    return demo_load()


def test_the_oldest_decision_in_the_inbox_is_taken_and_the_partner_sees_it_in_the_bell(
    live_server, browser, demo_logins, screenshot_dir
):
    from playwright.sync_api import expect

    from readmit.work.models import Notification

    kosovo = next(x for x in demo_logins if x.country == "XK" and x.role == "caseworker")
    session = BrowserSession(browser, live_server.url)
    page = session.page
    session.log_in(kosovo.username, kosovo.password)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Inbox").click()
    expect(page.get_by_role("heading", name="Inbox", level=1)).to_be_visible()
    decisions = page.locator("#decisions ol.inbox-list > li")
    expect(decisions.first).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "inbox.png"), full_page=True)

    oldest = decisions.first.locator("a").first
    reference = oldest.inner_text().strip()
    case = Case.objects.get(reference=reference)
    assert case.state == "proposed"
    oldest.click()
    htmx_ready(page)
    page.locator("summary", has_text="Recommend").click()
    page.get_by_label("Reason").first.fill("Meets the criteria on paper")
    page.get_by_role("button", name="Confirm: recommend").click()
    expect(page.locator("#case-state")).to_have_text("Recommended")
    session.log_out()

    us = next(
        x
        for x in demo_logins
        if x.country == "US"
        and x.role == "caseworker"
        and x.organisation in {p.organisation.name for p in case.agreement.parties.all()}
    )
    assert Notification.objects.filter(
        recipient__username=us.username, case=case, event="case.transitioned"
    ).exists()
    session.log_in(us.username, us.password)
    bell = page.locator("#bell-slot")
    expect(bell).to_contain_text("unread notification")
    page.locator(".bell-link").click()
    expect(page.get_by_role("heading", name="Notifications", level=1)).to_be_visible()
    expect(page.locator(".notification-list")).to_contain_text(reference)
    page.screenshot(path=str(screenshot_dir / "notifications.png"), full_page=True)
    session.close()
