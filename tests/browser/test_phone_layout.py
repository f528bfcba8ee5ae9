"""On a phone (375 x 740 CSS pixels) no main page scrolls sideways, the menu is collapsed
behind a button that opens it, and the case list is a stack of cards that name each value."""

from __future__ import annotations

import pytest

from tests.browser.a11y import sign_in
from tests.browser.conftest import BrowserSession, ensure_countries, htmx_ready

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 375, "height": 740}


def phone_session(browser, live_server_url: str) -> BrowserSession:  # type: ignore[no-untyped-def]
    session = BrowserSession(browser, live_server_url)
    session.page.set_viewport_size(PHONE)
    return session


def scroll_width(page) -> int:  # type: ignore[no-untyped-def]
    return int(page.evaluate("() => document.scrollingElement.scrollWidth"))


def test_no_main_page_scrolls_sideways_on_a_phone_and_the_menu_opens_from_its_button(
    live_server, browser, screenshot_dir
):
    from playwright.sync_api import expect

    from tests.factories import make_case, make_world

    ensure_countries()
    world = make_world()
    assert world.agreement is not None
    caseworker = world.user("us_caseworker")
    case = make_case(
        world.agreement,
        family_name="Saint-Fleur",
        given_names="Marie-Claire Josephine",
        nationality="HT",
        by=caseworker,
    )
    for n in range(3):
        make_case(world.agreement, family_name=f"Pérez{n}", given_names="Ana", by=caseworker)
    pages = [
        "/",
        "/inbox/",
        "/cases/",
        f"/cases/{case.id}/",
        "/search/?q=Saint+Fleur",
        f"/agreements/{world.agreement.id}/",
        "/profile/",
        "/notifications/",
    ]
    session = phone_session(browser, live_server.url)
    page = session.page
    sign_in(session, caseworker)
    for path in pages:
        page.goto(f"{live_server.url}{path}")
        htmx_ready(page)
        assert scroll_width(page) <= PHONE["width"], f"{path} scrolls sideways"
        # The menu starts collapsed: its links are hidden until the button is pressed.
        expect(page.get_by_role("navigation", name="Main")).to_be_hidden()

    page.goto(f"{live_server.url}/cases/")
    htmx_ready(page)
    page.locator("#case-results").screenshot(path=str(screenshot_dir / "phone-cases.png"))
    # Each case is a card: the row is laid out as a block and each value is labelled.
    row = page.locator("#case-results tbody tr").first
    assert row.evaluate("(tr) => getComputedStyle(tr).display") == "block"
    label = (
        row.locator("td[data-label]")
        .nth(1)
        .evaluate("(td) => getComputedStyle(td, '::before').content")
    )
    assert label == '"Person"'

    page.get_by_text("Menu", exact=True).click()
    navigation = page.get_by_role("navigation", name="Main")
    expect(navigation).to_be_visible()
    expect(navigation.get_by_role("link", name="Cases")).to_be_visible()
    assert scroll_width(page) <= PHONE["width"]
    page.screenshot(path=str(screenshot_dir / "phone-menu.png"))
    navigation.get_by_role("link", name="Overview").click()
    expect(page.get_by_role("heading", name="Overview", level=1)).to_be_visible()

    page.goto(f"{live_server.url}/cases/{case.id}/")
    htmx_ready(page)
    page.screenshot(path=str(screenshot_dir / "phone-case.png"))
    session.close()


def test_on_a_wide_screen_the_menu_is_open_and_its_button_hidden(live_server, browser):
    from playwright.sync_api import expect

    from tests.factories import make_world

    ensure_countries()
    world = make_world()
    session = BrowserSession(browser, live_server.url)
    sign_in(session, world.user("us_caseworker"))
    session.page.goto(f"{live_server.url}/cases/")
    htmx_ready(session.page)
    expect(session.page.get_by_role("navigation", name="Main")).to_be_visible()
    expect(session.page.get_by_text("Menu", exact=True)).to_be_hidden()
    # Narrowed to a phone, the menu folds away; widened again, it opens by itself.
    session.page.set_viewport_size(PHONE)
    expect(session.page.get_by_role("navigation", name="Main")).to_be_hidden()
    session.page.set_viewport_size({"width": 1280, "height": 900})
    expect(session.page.get_by_role("navigation", name="Main")).to_be_visible()
    session.close()
