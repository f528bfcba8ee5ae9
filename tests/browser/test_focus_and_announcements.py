"""Where the keyboard focus goes after an action, and what a screen reader is told while
filtering (readmit/web/static/web/focus.js, docs/user-guide.md "Accessibility")."""

from __future__ import annotations

import re

import pytest

from tests.browser.a11y import sign_in
from tests.browser.conftest import BrowserSession, ensure_countries, htmx_ready

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ACTIVE = """() => {
  const e = document.activeElement;
  return {id: e.id, tag: e.tagName, cls: e.className, text: e.textContent.trim(),
          invalid: e.getAttribute('aria-invalid'),
          described: (e.getAttribute('aria-describedby') || '').split(' ').filter(Boolean)
            .map((id) => (document.getElementById(id) || {textContent: '<missing ' + id + '>'})
            .textContent.trim())};
}"""


def test_a_failed_post_focuses_the_invalid_field_and_a_saved_one_the_message(live_server, browser):
    from tests.factories import make_world

    ensure_countries()
    world = make_world()
    session = BrowserSession(browser, live_server.url)
    page = session.page
    sign_in(session, world.user("us_caseworker"))
    page.goto(f"{live_server.url}/profile/")
    htmx_ready(page)
    assert page.evaluate(ACTIVE)["tag"] == "BODY"  # a plain page load moves nothing

    page.locator("#id_time_zone").fill("Mars/Olympus_Mons")
    page.get_by_role("button", name="Save").first.click()
    page.wait_for_load_state("domcontentloaded")
    htmx_ready(page)
    active = page.evaluate(ACTIVE)
    assert active["id"] == "id_time_zone" and active["invalid"] == "true", active
    # The error sits next to the field and the field names it for a screen reader.
    assert any("Mars/Olympus_Mons" in text or "time zone" in text for text in active["described"])
    assert not any(text.startswith("<missing") for text in active["described"]), active

    page.locator("#id_time_zone").fill("Europe/Rome")
    page.get_by_role("button", name="Save").first.click()
    page.wait_for_load_state("domcontentloaded")
    htmx_ready(page)
    active = page.evaluate(ACTIVE)
    assert "message" in active["cls"] and "time zone is saved" in active["text"], active
    session.close()


def test_a_refused_htmx_action_focuses_the_reason_and_a_done_one_the_notice(live_server, browser):
    from playwright.sync_api import expect

    from tests.factories import make_case, make_world

    ensure_countries()
    world = make_world()
    assert world.agreement is not None
    caseworker = world.user("us_caseworker")
    case = make_case(world.agreement, by=caseworker)
    session = BrowserSession(browser, live_server.url)
    page = session.page
    sign_in(session, caseworker)
    page.goto(f"{live_server.url}/cases/{case.id}/")
    htmx_ready(page)

    page.locator("summary", has_text="Withdraw").click()
    # Let the empty reason reach the server (the browser's own check would stop it first).
    page.evaluate("() => document.getElementById('reason-withdraw').removeAttribute('required')")
    page.get_by_role("button", name="Confirm: withdraw").click()
    expect(page.locator("#reason-withdraw[aria-invalid=true]")).to_be_visible()
    expect(page.locator("#reason-withdraw")).to_be_focused()
    active = page.evaluate(ACTIVE)
    assert any("reason" in text.lower() for text in active["described"][1:]), active

    page.locator("#reason-withdraw").fill("Entered twice by mistake")
    page.get_by_role("button", name="Confirm: withdraw").click()
    expect(page.locator("#case-state")).to_have_text("Withdrawn")
    notice = page.locator("#case-panel .message")
    expect(notice).to_be_focused()
    session.close()


def test_while_filtering_only_the_result_count_is_announced(live_server, browser):
    from playwright.sync_api import expect

    from tests.factories import make_case, make_world

    ensure_countries()
    world = make_world()
    assert world.agreement is not None
    caseworker = world.user("us_caseworker")
    make_case(world.agreement, family_name="Lazović", given_names="Vesna", by=caseworker)
    make_case(world.agreement, family_name="Hoxha", given_names="Arben", by=caseworker)
    session = BrowserSession(browser, live_server.url)
    page = session.page
    sign_in(session, caseworker)
    page.goto(f"{live_server.url}/cases/")
    htmx_ready(page)
    live = page.locator("#case-count-live")
    assert live.get_attribute("role") == "status"
    # The table is not in a live region: a screen reader would read it out in full.
    live_regions = page.locator("[aria-live], [role=status], [role=alert]")
    for i in range(live_regions.count()):
        assert live_regions.nth(i).locator("table").count() == 0

    search = page.get_by_label("Search", exact=True)
    search.fill("Hoxha")
    expect(page).to_have_url(re.compile(r"q=Hoxha"))
    expect(live).to_have_text("1 case")
    expect(page.locator("#case-results tbody tr")).to_have_count(1)
    expect(search).to_be_focused()  # typing goes on in the box
    search.fill("")
    expect(live).to_have_text("2 cases")
    session.close()
