"""The search matrix in a real Chromium: each spelling staff type (without diacritics, in
Cyrillic, hyphen or space, word order free, a passport number with spaces and dashes) is
typed in the search box, and the expected person is among the results."""

from __future__ import annotations

import pytest

from tests.browser.a11y import sign_in
from tests.browser.conftest import BrowserSession, ensure_countries, htmx_ready
from tests.search.conftest import People
from tests.search.conftest import people as people  # the matrix's fictional people
from tests.search.test_search_matrix import MATRIX

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    from tests.factories import make_world

    ensure_countries()
    return make_world()


def test_the_search_matrix_finds_every_person_typed_in_the_search_box(
    live_server, browser, world, people: People, screenshot_dir
):
    from playwright.sync_api import expect

    session = BrowserSession(browser, live_server.url)
    page = session.page
    sign_in(session, world.user("us_caseworker"))
    page.goto(f"{live_server.url}/cases/")
    htmx_ready(page)
    # The first spelling goes into the box in the header, as from any page.
    first_query, first_key = MATRIX[0]
    header_box = page.get_by_role("search").filter(has=page.locator("#nav-search-q"))
    header_box.locator("#nav-search-q").fill(first_query)
    header_box.locator("#nav-search-q").press("Enter")
    expect(page.get_by_role("heading", name="Find a person", level=1)).to_be_visible()
    results = page.locator("#search-results")
    expect(results.get_by_role("link", name=people.ref(first_key), exact=True)).to_be_visible()

    missed = []
    for query, key in MATRIX:
        box = page.locator("#id_q")
        box.fill(query)
        with page.expect_navigation():
            box.press("Enter")
        expect(box).to_have_value(query)
        link = results.get_by_role("link", name=people.ref(key), exact=True)
        if link.count() != 1:
            missed.append((query, key, results.inner_text()[:200]))
        if query == "Nikola Radulović":
            page.screenshot(path=str(screenshot_dir / "search-cyrillic.png"), full_page=True)
    assert missed == []
    session.close()
