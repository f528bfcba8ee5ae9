"""End to end in a real Chromium: Montenegro's consulate issues a travel document for an
accepted readmission and prints it; the PDF carries the name as written and in Latin form."""

from __future__ import annotations

import datetime as dt

import pytest
from pypdf import PdfReader

from readmit.cases.models import Case, TravelDocument
from readmit.core import clock
from tests.browser.conftest import BrowserSession, ensure_countries, htmx_ready

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def consulate(monkeypatch):
    from readmit.demo.load import demo_load

    monkeypatch.setenv("READMIT_ALLOW_DEMO", "1")
    ensure_countries()
    logins = demo_load()
    return next(x for x in logins if "New York" in x.organisation and x.role == "liaison")


def test_the_consulate_issues_and_prints_a_travel_document(
    live_server, browser, consulate, screenshot_dir
):
    from playwright.sync_api import expect

    case = (
        Case.objects.select_related("person")
        .filter(agreement__reference="us-me-readmission", state="accepted")
        .first()
    )
    assert case is not None
    # A mission acts only on cases routed to it: DHS asks the New York consulate first.
    from readmit.accounts.models import Membership
    from readmit.consular.services import consular_request_create

    dhs = Membership.objects.filter(
        organisation__slug="us-dhs", role__in=["caseworker", "supervisor"]
    ).first()
    assert dhs is not None
    routed = consular_request_create(
        acting_user=dhs.user,
        kind="travel_document",
        requester="sending_state",
        residence_region="US-NY",
        case_id=case.id,
    ).request
    assert routed.routed_to.slug == "me-consulate-ny"
    session = BrowserSession(browser, live_server.url)
    page = session.page
    session.log_in(consulate.username, consulate.password)
    page.goto(f"{live_server.url}/cases/{case.id}/")
    htmx_ready(page)
    page.locator("summary", has_text="Issue travel document").click()
    form = page.locator(
        "form", has=page.get_by_role("button", name="Confirm: issue travel document")
    )
    form.get_by_label("Type").select_option("emergency_travel_document")
    form.get_by_label("Number").fill("ME-ETD-BROWSER-1")
    until = (clock.today() + dt.timedelta(days=30)).isoformat()
    form.get_by_label("Valid until").fill(until)
    form.get_by_role("button", name="Confirm: issue travel document").click()
    expect(page.locator("#case-state")).to_have_text("Travel document issued")
    expect(page.locator("#travel-document")).to_contain_text("ME-ETD-BROWSER-1")
    page.screenshot(path=str(screenshot_dir / "travel_document.png"), full_page=True)
    assert TravelDocument.objects.get(case=case).number == "ME-ETD-BROWSER-1"

    with page.expect_download() as info:
        page.locator("#travel-document-pdf").click()
    pdf = info.value.path()
    text = PdfReader(str(pdf)).pages[0].extract_text()
    person = case.person
    assert person.given_names and person.family_name
    assert f"{person.given_names} {person.family_name}" in text
    assert person.place_of_birth and person.place_of_birth in text  # Rožaje, diacritics kept
    assert "ME-ETD-BROWSER-1" in text
    session.close()
