"""End to end in a real Chromium: the USA proposes a list under its relocation agreement with
Kosovo (a bad row first, then only the valid rows), sees the criteria results, and Kosovo
recommends and selects the eligible person and is refused the one a criterion fails."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import BrowserSession, ensure_countries, htmx_ready
from tests.factories import PASSWORD, World, make_agreement, make_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TERMS = {
    "quota": {"limit": 50, "period": "rolling_year"},
    "capacity": {"max_present": 50},
    "max_stay_days": 365,
    "notice_hours": 24,
    "criteria": [
        {"rule": "nationality_in", "params": {"codes": ["CU", "HT", "NI", "VE"]}},
        {"rule": "no_pending_criminal_case"},
    ],
    "exclusions": {"minors": True, "pregnant": True},
}
# Fictional people. Row 2 passes; row 3 fails nationality_in (CO); row 4 has sex "W".
CSV = (
    "external_id,given_names,family_name,birth_date,sex,nationalities,document_type,"
    "document_number,document_country,convictions,pending_criminal_case,vulnerabilities,"
    "family_group\n"
    "US-BT-0001,Ana María,Quintero Flores,1988-04-12,F,VE,passport,V0000001,VE,,no,,\n"
    "US-BT-0002,José Luis,del Campo Ortega,1979-03-02,M,CO,passport,CO0000002,CO,,no,,\n"
    "US-BT-0003,Bad,Row,1990,W,HT,,,,,no,,\n"
)


@pytest.fixture
def setting():  # type: ignore[no-untyped-def]
    ensure_countries()
    world = make_world()
    agreement = make_agreement(world.us, world.xk, terms=TERMS)
    return world, agreement


def test_a_list_goes_from_upload_to_a_decision(
    live_server, browser, setting, tmp_path: Path, screenshot_dir: Path
) -> None:
    from playwright.sync_api import expect

    world: World
    world, agreement = setting
    csv_path = tmp_path / "us-xk-list.csv"
    csv_path.write_text(CSV, encoding="utf-8")

    session = BrowserSession(browser, live_server.url)
    page = session.page

    def log_in(key: str) -> None:
        session.log_in(world.user(key).username, PASSWORD)

    def open_case(reference_text: str) -> None:
        page.goto(f"{live_server.url}/agreements/{agreement.id}/")
        page.locator("#proposal-lists").get_by_role("link", name="US-XK-BT-1").click()
        expect(page.get_by_role("heading", name="US-XK-BT-1", level=1)).to_be_visible()
        page.locator("#list-cases tr", has_text=reference_text).locator("td a").first.click()
        expect(page.get_by_role("heading", name="History")).to_be_visible()
        htmx_ready(page)

    def act(action: str, reason: str, recommendation: str | None = None) -> None:
        page.locator("summary", has_text=action).click()
        form = page.locator(
            "form.action-form", has=page.locator(f'input[name="action"][value="{action.lower()}"]')
        )
        if recommendation is not None:
            form.get_by_label("Recommendation").select_option(recommendation)
        form.get_by_label("Reason").fill(reason)
        form.get_by_role("button", name=f"Confirm: {action.lower()}").click()

    # The USA's caseworker proposes the list from the agreement page.
    log_in("us_caseworker")
    page.goto(f"{live_server.url}/agreements/{agreement.id}/")
    page.get_by_role("link", name="Propose a list").click()
    expect(page.get_by_role("heading", name="Propose a list of people")).to_be_visible()
    page.get_by_label("List reference").fill("US-XK-BT-1")
    page.get_by_label("List file (CSV or XLSX)").set_input_files(str(csv_path))
    page.get_by_role("button", name="Check and import").click()

    # A bad row: every error named by row and column, nothing imported.
    expect(page.get_by_role("heading", name="1 of 3 rows need correcting")).to_be_visible()
    bad = page.locator("#row-errors tbody tr")
    expect(bad).to_have_count(1)
    expect(bad.first).to_contain_text("4")
    expect(bad.first).to_contain_text("sex")
    page.screenshot(path=str(screenshot_dir / "list_errors.png"), full_page=True)

    # Import only the valid rows (the file input is empty again after the round trip).
    expect(page.get_by_label("List reference")).to_have_value("US-XK-BT-1")
    page.get_by_label("List file (CSV or XLSX)").set_input_files(str(csv_path))
    page.get_by_label("Import only the valid rows").check()
    page.get_by_role("button", name="Check and import").click()

    expect(page.get_by_role("heading", name="US-XK-BT-1", level=1)).to_be_visible()
    expect(page.get_by_text("2 of 3 rows imported")).to_be_visible()
    passing = page.locator("#list-cases tbody tr", has_text="US-BT-0001")
    failing = page.locator("#list-cases tbody tr", has_text="US-BT-0002")
    expect(passing.locator('li[data-outcome="fail"]')).to_have_count(0)
    expect(passing.locator('li[data-outcome="pass"]')).to_have_count(2)
    expect(failing.locator('li[data-outcome="fail"]')).to_have_count(1)
    expect(failing.locator('li[data-outcome="fail"]')).to_contain_text(
        "Nationality CO is not among those accepted (CU, HT, NI, VE)"
    )
    page.screenshot(path=str(screenshot_dir / "list_detail.png"), full_page=True)
    session.log_out()

    # Kosovo's caseworker recommends both (the second one to decline).
    log_in("xk_caseworker")
    open_case("US-BT-0001")
    expect(page.locator("#relocation-summary")).to_contain_text("Nationality")
    act("Recommend", "Meets the criteria", recommendation="select")
    expect(page.locator("#case-state")).to_have_text("Recommended")
    expect(page.locator("#relocation-recommendation")).to_contain_text("Select")
    open_case("US-BT-0002")
    act("Recommend", "Nationality not covered", recommendation="decline")
    expect(page.locator("#case-state")).to_have_text("Recommended")
    session.log_out()

    # Kosovo's supervisor selects the eligible person ...
    log_in("xk_supervisor")
    open_case("US-BT-0001")
    history = page.locator("ol.history > li")
    lines = history.count()
    act("Select", "Eligible, quota available")
    expect(page.locator("#case-state")).to_have_text("Selected")
    expect(history).to_have_count(lines + 1)
    expect(history.last).to_contain_text("Select")
    expect(history.last).to_contain_text("Eligible, quota available")
    expect(history.last).to_contain_text("Quota place taken: 1 of 50")
    expect(page.locator("#relocation-decision")).to_contain_text("Selected")
    page.screenshot(path=str(screenshot_dir / "selected.png"), full_page=True)

    # ... and is refused the one whose nationality the agreement does not cover.
    open_case("US-BT-0002")
    act("Select", "Trying anyway")
    alert = page.locator("#case-panel [role=alert]").first
    expect(alert).to_contain_text("The criteria do not pass")
    expect(alert).to_contain_text("nationality_in")
    expect(alert).to_contain_text("Nationality CO is not among those accepted")
    expect(page.locator("#case-state")).to_have_text("Recommended")
    page.screenshot(path=str(screenshot_dir / "refused.png"), full_page=True)

    session.close()
