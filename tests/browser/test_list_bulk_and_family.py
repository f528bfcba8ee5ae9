"""In a real Chromium: Kosovo works a proposal list in bulk (the quota a selection leaves
updates as boxes are ticked; refusals are listed per case with the rule), and the USA
schedules a whole family for one transfer from the family panel."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from readmit.cases.models import Case
from readmit.core import clock
from tests.browser.conftest import BrowserSession, ensure_countries, htmx_ready
from tests.factories import PASSWORD, World, make_agreement, make_world
from tests.relocation.conftest import KOSOVO_TERMS, person, submit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def setting():  # type: ignore[no-untyped-def]
    ensure_countries()
    world = make_world()
    agreement = make_agreement(world.us, world.xk, terms=KOSOVO_TERMS)
    # Fictional people: a family of two, one person alone, one with a pending criminal case.
    result = submit(
        world,
        agreement,
        [
            person(given_names="Ana María", family_name="Quintero", family_group="FAM-BT"),
            person(given_names="Luis", family_name="Quintero", family_group="FAM-BT"),
            person(given_names="Yelitza", family_name="Rondón", nationalities=["CO"]),
            person(given_names="Óscar", family_name="Paredes", pending_cases=True),
        ],
        reference="US-XK-BULK-1",
    )
    return world, agreement, result


def test_a_list_is_worked_in_bulk_and_a_family_scheduled_together(
    live_server, browser, setting, screenshot_dir: Path
) -> None:
    from playwright.sync_api import expect

    world: World
    world, _agreement, result = setting
    session = BrowserSession(browser, live_server.url)
    page = session.page
    list_url = f"{live_server.url}/lists/{result.proposal_list.id}/"

    def bulk(action: str, reason: str) -> None:
        page.goto(list_url)
        htmx_ready(page)
        boxes = page.locator("input.pick")
        for i in range(boxes.count()):
            boxes.nth(i).check()
        page.get_by_label("Reason").fill(reason)
        page.locator(f'button[data-action="{action}"]').click()

    # Kosovo's caseworker: the counts, then the quota a selection of three would leave.
    session.log_in(world.user("xk_caseworker").username, PASSWORD)
    page.goto(list_url)
    htmx_ready(page)
    counts = page.locator("#criteria-counts")
    expect(counts.locator('[data-outcome="pass"]')).to_contain_text("3")
    expect(counts.locator('[data-outcome="fail"]')).to_contain_text("1")
    expect(page.locator('button[data-action="select"]')).to_be_disabled()
    expect(page.locator("#why-select")).to_contain_text("wrong-role")
    boxes = page.locator("input.pick")
    for i in range(3):
        boxes.nth(i).check()
    expect(page.locator("#quota-impact")).to_contain_text(
        "Selecting these 3 leaves 47 of 50 places"
    )
    boxes.nth(2).uncheck()
    expect(page.locator("#quota-impact")).to_contain_text("Selecting these 2 leaves 48 of 50")
    page.get_by_label("Family").select_option("FAM-BT")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("#shown-count")).to_contain_text("Showing 2 of 4 cases.")
    bulk("recommend", "Fits the profile.")
    expect(page.locator("#bulk-outcome")).to_contain_text("Recommend: 4 done, 0 refused")
    session.log_out()

    # Kosovo's supervisor selects all four: the failing one is refused with its rule.
    session.log_in(world.user("xk_supervisor").username, PASSWORD)
    bulk("select", "Selected from the list.")
    outcome = page.locator("#bulk-outcome")
    expect(outcome).to_contain_text("Select: 3 done, 1 refused")
    expect(page.locator("#bulk-refusals tbody tr")).to_have_count(1)
    expect(page.locator("#bulk-refusals tbody tr")).to_contain_text("criteria")
    page.screenshot(path=str(screenshot_dir / "list_bulk_actions.png"), full_page=True)
    session.log_out()

    # The USA schedules the whole family from one member's family panel.
    session.log_in(world.user("us_caseworker").username, PASSWORD)
    first, second = result.cases[:2]
    page.goto(f"{live_server.url}/cases/{first.id}/")
    panel = page.locator("#family-panel")
    expect(panel.locator("#family-members tbody tr")).to_have_count(2)
    panel.locator("summary", has_text="Schedule the whole family").click()
    planned = clock.now().astimezone() + dt.timedelta(days=3)
    panel.get_by_label("Planned for").fill(planned.strftime("%Y-%m-%dT09:00"))
    panel.get_by_label("Route").fill("Washington Dulles → Prishtina, charter")
    panel.get_by_label("Notice given in language").fill("es")
    panel.get_by_role("button", name="Confirm: schedule the whole family").click()
    expect(page.locator(".messages")).to_contain_text("2 members scheduled for one transfer")
    expect(page.locator("#family-members tbody tr")).to_have_count(2)
    for row in range(2):
        expect(page.locator("#family-members tbody tr").nth(row)).to_contain_text(
            "Transfer scheduled"
        )
    page.screenshot(path=str(screenshot_dir / "family_scheduled.png"), full_page=True)
    states = set(Case.objects.filter(id__in=[first.id, second.id]).values_list("state", flat=True))
    assert states == {"transfer_scheduled"}
    session.close()
