"""End to end in a real Chromium: Kosovo uploads a new version of its public-order watchlist,
chooses it for the USA → Kosovo relocation agreement and screens the proposed list; the one
person listed under a Creole spelling of his name lands in the review queue, the namesake of
the other person does not. The USA sees that its person is in review, but neither who is on
Kosovo's list nor a way to decide it; Montenegro does not see the match at all. Kosovo's
reviewer confirms it, the case's criteria show the failure at once, and selecting that
person is refused with the watchlist criterion named, while the other person is selected."""

from __future__ import annotations

import re
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
        {"rule": "no_watchlist_match"},
    ],
    "exclusions": {"minors": True, "pregnant": True},
}
LIST_NAME = "Kosovo public-order list"
LIST_REFERENCE = "US-XK-SCR-7"
# Fictional people. Version 1 holds a Cyrillic entry and a namesake of the second proposed
# person born twenty years earlier (a conflicting birth date: not a match).
WATCHLIST_V1 = (
    "id,name,aliases,birth_date,nationality,document_number\n"
    "XK-PO-001,Милан Радоњић,Milan Radonjic,1983,ME,ME7700001\n"
    "XK-PO-002,Marisol Ocampo,,1971-01-09,CO,\n"
)
# Version 2 adds the Haitian Creole spelling of "Guillaume Saint-Fleur", same birth date.
WATCHLIST_V2 = WATCHLIST_V1 + "XK-PO-003,Giyom Sen Flè,,1984-06-21,HT,\n"
PEOPLE = [
    {
        "external_id": "US-SCR-0001",
        "given_names": "Guillaume",
        "family_name": "Saint-Fleur",
        "birth_date": "1984-06-21",
        "sex": "M",
        "nationalities": ["HT"],
        "documents": [{"type": "passport", "number": "HT0000071", "issuing_country": "HT"}],
        "convictions": [],
        "pending_cases": False,
        "vulnerabilities": [],
    },
    {
        "external_id": "US-SCR-0002",
        "given_names": "Marisol",
        "family_name": "Ocampo Rivas",
        "birth_date": "1992-09-03",
        "sex": "F",
        "nationalities": ["VE"],
        "documents": [{"type": "passport", "number": "V0000072", "issuing_country": "VE"}],
        "convictions": [],
        "pending_cases": False,
        "vulnerabilities": [],
    },
]


@pytest.fixture
def setting(tmp_path: Path):  # type: ignore[no-untyped-def]
    from readmit.cases.services import case_transition
    from readmit.relocation.services import proposal_list_submit
    from readmit.screening.services import watchlist_create, watchlist_import

    ensure_countries()
    world = make_world()
    agreement = make_agreement(world.us, world.xk, terms=TERMS)
    # Kosovo's list exists with an older version; the agreement does not use it yet.
    watchlist = watchlist_create(
        name=LIST_NAME,
        slug="xk-public-order",
        owner=world.xk,
        source_kind="csv",
        acting_user=world.user("xk_supervisor"),
    )
    v1 = tmp_path / "xk-public-order-v1.csv"
    v1.write_text(WATCHLIST_V1, encoding="utf-8")
    watchlist_import(watchlist=watchlist, path_or_file=v1, acting_user=world.user("xk_supervisor"))
    # The USA proposes two people; Kosovo's caseworker recommends both for selection.
    result = proposal_list_submit(
        agreement=agreement,
        reference=LIST_REFERENCE,
        people=PEOPLE,
        acting_user=world.user("us_caseworker"),
        source="api",
    )
    assert len(result.cases) == 2
    for case in result.cases:
        case_transition(
            case_id=case.id,
            action="recommend",
            acting_user=world.user("xk_caseworker"),
            payload={"recommendation": "select"},
        )
    return world, agreement, watchlist


def test_a_confirmed_watchlist_match_blocks_the_selection(
    live_server, browser, setting, tmp_path: Path, screenshot_dir: Path
) -> None:
    from playwright.sync_api import expect

    world: World
    world, agreement, watchlist = setting
    v2_path = tmp_path / "xk-public-order-2026-05.csv"
    v2_path.write_text(WATCHLIST_V2, encoding="utf-8")
    screening_url = f"{live_server.url}/agreements/{agreement.id}/screening/"

    session = BrowserSession(browser, live_server.url)
    page = session.page

    def log_in(key: str) -> None:
        session.log_in(world.user(key).username, PASSWORD)

    def open_screening() -> None:
        page.goto(f"{live_server.url}/agreements/{agreement.id}/")
        page.get_by_role("link", name="Screening against watchlists").click()
        expect(page.get_by_role("heading", name="Screening", level=1)).to_be_visible()
        htmx_ready(page)

    def act(action: str, reason: str) -> None:
        page.locator("summary", has_text=action).click()
        form = page.locator(
            "form.action-form", has=page.locator(f'input[name="action"][value="{action.lower()}"]')
        )
        form.get_by_label("Reason").fill(reason)
        form.get_by_role("button", name=f"Confirm: {action.lower()}").click()

    messages = page.locator(".messages")
    queue = page.get_by_role("region", name=re.compile(r"^Review queue"))
    queue_rows = queue.locator("tbody tr")

    # 1. Kosovo's caseworker uploads a new version of the list from the watchlists page.
    log_in("xk_caseworker")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Watchlists").click()
    page.get_by_role("link", name=LIST_NAME).click()
    expect(page.get_by_role("heading", name=LIST_NAME, level=1)).to_be_visible()
    page.get_by_label("File").set_input_files(str(v2_path))
    page.get_by_role("button", name="Import", exact=True).click()
    expect(messages).to_contain_text("Version 2 imported: 3 people")
    versions = page.get_by_role("region", name="Versions").locator("tbody tr")
    expect(versions).to_have_count(2)
    expect(versions.first).to_contain_text("v2")
    expect(versions.first).to_contain_text("xk-public-order-2026-05.csv")
    expect(page.get_by_role("region", name="People on v2")).to_contain_text("Giyom Sen Flè")
    page.screenshot(path=str(screenshot_dir / "watchlist_v2.png"), full_page=True)
    session.log_out()

    # 2. Kosovo's supervisor chooses the list for the agreement and screens the open cases.
    log_in("xk_supervisor")
    open_screening()
    lists = page.get_by_role("region", name="Watchlists of this agreement")
    expect(lists).to_contain_text("No watchlist chosen yet")
    page.get_by_label("Add a list").select_option(label=LIST_NAME)
    page.get_by_role("button", name="Screen against this list").click()
    expect(messages).to_contain_text(f"The agreement now screens against '{LIST_NAME}'.")
    expect(lists.get_by_role("link", name=LIST_NAME)).to_be_visible()
    expect(lists).to_contain_text("v2, 3 people")
    expect(page.get_by_text("No match awaits review.")).to_be_visible()

    page.get_by_label("Reference").fill(LIST_REFERENCE)
    page.get_by_role("button", name="Screen all open cases").click()
    expect(messages).to_contain_text("Screening of 2 cases started.")
    runs = page.get_by_role("region", name="Runs").locator("tbody tr")
    expect(runs).to_have_count(1)
    expect(runs.first).to_contain_text(LIST_REFERENCE)
    expect(runs.first.locator("td").nth(2)).to_have_text("Done")
    expect(runs.first.locator("td").nth(3)).to_have_text("xk-public-order v2")
    expect(runs.first.locator("td").nth(4)).to_have_text("2")
    expect(runs.first.locator("td").nth(5)).to_have_text("1")
    # One match: the Creole spelling; the namesake with another birth date stays out.
    expect(queue_rows).to_have_count(1)
    match_row = queue_rows.first
    expect(match_row).to_contain_text("Guillaume Saint-Fleur")
    expect(match_row).to_contain_text("Giyom Sen Flè")
    expect(match_row).to_contain_text("XK-PO-003")
    expect(match_row).to_contain_text("Guillaume=Giyom")
    expect(match_row.locator("td.num")).to_have_text(re.compile(r"^(0\.[89]\d|1\.00)$"))
    expect(queue).not_to_contain_text("Marisol")
    row_id = match_row.get_attribute("id")
    assert row_id and row_id.startswith("match-")
    match_id = row_id.removeprefix("match-")
    page.screenshot(path=str(screenshot_dir / "review_queue.png"), full_page=True)
    session.log_out()

    # 3. The sending state sees the pending match but has no way to decide it ...
    log_in("us_caseworker")
    open_screening()
    expect(queue_rows).to_have_count(1)
    expect(queue_rows.first).to_contain_text("Guillaume Saint-Fleur")
    expect(queue_rows.first).to_contain_text("Awaiting the receiving party's review")
    # Kosovo's national list is not shared: the USA does not learn who is on it.
    expect(queue_rows.first).to_contain_text("The list's owner does not share its entries.")
    expect(queue_rows.first).not_to_contain_text("Giyom")
    expect(queue_rows.first).not_to_contain_text("XK-PO-003")
    expect(page.get_by_role("button", name="Confirm match")).to_have_count(0)
    expect(page.get_by_role("button", name="Dismiss")).to_have_count(0)
    # ... and a hand-made request with a valid CSRF token is refused by the service.
    token = page.locator('input[name="csrfmiddlewaretoken"]').first.input_value()
    forged = page.request.post(
        f"{live_server.url}/screening/matches/{match_id}/review/",
        form={"decision": "confirmed", "reason": "Not ours", "csrfmiddlewaretoken": token},
        max_redirects=0,
    )
    assert forged.status == 403
    assert "Only a caseworker or supervisor of the receiving party reviews matches." in (
        forged.text()
    )
    session.log_out()

    # 4. A state party to nothing here: neither the screening page nor the list exists for it.
    log_in("me_supervisor")
    response = page.goto(screening_url)
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Not found", level=1)).to_be_visible()
    expect(page.get_by_text("Giyom Sen Flè")).to_have_count(0)
    response = page.goto(f"{live_server.url}/screening/watchlists/{watchlist.id}/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Not found", level=1)).to_be_visible()
    session.log_out()

    # 5. Kosovo's caseworker confirms the match with a reason, in place (htmx).
    log_in("xk_caseworker")
    open_screening()
    expect(queue_rows).to_have_count(1)
    row = page.locator(f'[id="{row_id}"]')
    expect(row.get_by_text("Awaiting the receiving party's review")).to_have_count(0)
    reason = "Same birth date and birthplace; photograph compared with the listing."
    row.get_by_label("Reason").fill(reason)
    row.get_by_role("button", name="Confirm match").click()
    expect(row.locator(".badge")).to_have_text("Confirmed: same person")
    expect(row).to_contain_text(reason)
    expect(row).to_contain_text("xk_caseworker")
    expect(row.get_by_role("button", name="Confirm match")).to_have_count(0)
    page.screenshot(path=str(screenshot_dir / "match_confirmed.png"), full_page=True)
    # After a reload the queue is empty and the match is among the reviewed ones.
    page.reload()
    expect(page.get_by_role("heading", name="Screening", level=1)).to_be_visible()
    expect(queue).to_contain_text("No match awaits review.")
    reviewed = page.get_by_role("region", name="Reviewed").locator("tbody tr")
    expect(reviewed).to_have_count(1)
    expect(reviewed.first).to_contain_text("Guillaume Saint-Fleur")
    expect(reviewed.first.locator(".badge")).to_have_text("Confirmed: same person")
    session.log_out()

    # 6. Kosovo's supervisor is refused the selection, with the watchlist criterion named.
    log_in("xk_supervisor")
    open_screening()
    reviewed.first.get_by_role("link").click()
    expect(page.get_by_role("heading", name="Guillaume Saint-Fleur", level=1)).to_be_visible()
    expect(page.locator("#case-state")).to_have_text("Recommended")
    # The confirmation evaluated the criteria again: the panel shows the failure already.
    watch = page.locator('#relocation-summary li[data-rule="no_watchlist_match"]')
    expect(watch).to_have_attribute("data-outcome", "fail")
    expect(watch).to_contain_text("A watchlist match was confirmed")
    htmx_ready(page)
    act("Select", "Quota available")
    alert = page.locator("#case-panel [role=alert]").first
    expect(alert).to_contain_text("The criteria do not pass")
    expect(alert).to_contain_text("No watchlist match (no_watchlist_match) fail")
    expect(alert).to_contain_text("A watchlist match was confirmed")
    expect(alert).not_to_contain_text("nationality_in")
    expect(page.locator("#case-state")).to_have_text("Recommended")
    expect(page.locator("#relocation-decision")).to_contain_text("None yet")
    page.screenshot(path=str(screenshot_dir / "selection_refused.png"), full_page=True)

    # 7. The other person of the list, screened without a match, is selected; the
    # evaluation kept with the decision shows the watchlist criterion passed.
    page.goto(f"{live_server.url}/agreements/{agreement.id}/")
    page.locator("#proposal-lists").get_by_role("link", name=LIST_REFERENCE).click()
    expect(page.get_by_role("heading", name=LIST_REFERENCE, level=1)).to_be_visible()
    page.locator("#list-cases tr", has_text="US-SCR-0002").locator("td a").first.click()
    expect(page.get_by_role("heading", name="Marisol Ocampo Rivas", level=1)).to_be_visible()
    htmx_ready(page)
    act("Select", "Eligible, screened without a match")
    expect(page.locator("#case-state")).to_have_text("Selected")
    watch = page.locator('#relocation-summary li[data-rule="no_watchlist_match"]')
    expect(watch).to_have_attribute("data-outcome", "pass")
    expect(watch).to_contain_text("Screened against the watchlists: no match")
    expect(page.locator("#relocation-decision")).to_contain_text("Selected")

    session.close()
