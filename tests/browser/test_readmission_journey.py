"""End to end in a real Chromium: a Montenegro readmission from the application form to
closure, each step by the user whose step it is (the US caseworker, Montenegro's caseworker
and supervisor, the New York consulate's liaison), with a screenshot per step."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from readmit.accounts.roles import Role
from readmit.agreements.services import agreement_party_add
from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.cases.models import Case
from readmit.consular.models import ConsularRequest
from readmit.consular.services import district_set
from tests.browser.conftest import BrowserSession, ensure_countries, htmx_ready
from tests.consular.conftest import make_mission
from tests.exchange.test_photo import image
from tests.exchange.test_readmission_journey import MONTENEGRO_TERMS, td3
from tests.factories import PASSWORD, SYSTEM, make_agreement, make_org, make_user, make_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def setting() -> dict[str, Any]:
    ensure_countries()
    world = make_world()
    mfa = make_org("ME", "Ministry of Foreign Affairs of Montenegro")
    ny = make_mission("jb-me-ny", "Consulate General of Montenegro in New York", mfa)
    district_set(mission=ny, district=["US-NY", "US-NJ", "US-CT"], acting_user=SYSTEM)
    agreement = make_agreement(world.us, world.me, kind="readmission", terms=MONTENEGRO_TERMS)
    for org in (mfa, ny):
        agreement_party_add(
            agreement=agreement, organisation=org, side="receiving", acting_user=SYSTEM
        )
    make_user(ny, Role.LIAISON, username="ny_liaison")
    return {"world": world, "agreement": agreement, "ny": ny}


def pdf_text(path: Path) -> str:
    text = "".join(page.extract_text() for page in PdfReader(str(path)).pages)
    return unicodedata.normalize("NFKC", text)


def test_a_montenegro_readmission_runs_from_the_application_form_to_closure(
    live_server, browser, setting, screenshot_dir: Path
) -> None:
    from playwright.sync_api import expect

    agreement = setting["agreement"]
    session = BrowserSession(browser, live_server.url)
    page = session.page
    step = iter(range(1, 100))

    def shot(name: str) -> None:
        page.screenshot(path=str(screenshot_dir / f"{next(step):02d}-{name}.png"), full_page=True)

    def as_user(username: str) -> None:
        if "/login/" not in page.url and page.url != "about:blank":
            session.log_out()
        session.log_in(username, PASSWORD)

    def open_case(case: Case) -> None:
        page.goto(f"{live_server.url}/cases/{case.id}/")
        htmx_ready(page)

    def act(action: str, **fields: str) -> None:
        details = page.locator(
            "details.action", has=page.locator(f'input[name="action"][value="{action}"]')
        )
        details.locator("summary").click()
        for name, value in fields.items():
            control = details.locator(f"#{action}-{name}")
            if control.evaluate("e => e.tagName") == "SELECT":
                control.select_option(value)
            else:
                control.fill(value)
        details.locator("button[type=submit]").click()

    # 1. The US caseworker fills in the application form, with the passport's MRZ.
    as_user("us_caseworker")
    page.goto(f"{live_server.url}/agreements/{agreement.id}/")
    page.get_by_role("link", name="Submit an application").click()
    expect(page.get_by_role("heading", name="Submit a readmission application")).to_be_visible()
    form = page.locator("#application-form")
    form.get_by_label("Your reference (external id)").fill("DHS-ME-WEB-1")
    form.locator("#id_procedure").select_option("normal")
    form.get_by_label("Given names as written").fill("Јована")
    form.get_by_label("Family name as written").fill("Радуловић")
    form.get_by_label("Given names, Latin form").fill("Jovana")
    form.get_by_label("Family name, Latin form").fill("Radulović")
    form.locator("#id_birth_date").fill("1988-09-15")
    form.locator("#id_place_of_birth").fill("Cetinje")
    form.locator("#id_sex").select_option("F")
    form.locator("#id_nationalities").fill("ME")
    form.locator("#id_civil_status").select_option("single")
    form.locator("#id_languages").fill("Montenegrin, English")
    form.get_by_label("Last address in the requested state").fill("Njegoševa 1, Podgorica")
    form.locator("#id_medical_needs").fill("Insulin, kept cool")
    form.locator("#id_escort_needs").fill("none")
    form.locator("#id_evidence_kind").select_option("valid_passport")
    form.locator("#id_document_type").select_option("passport")
    form.locator("#id_document_number").fill("ME7654321")
    form.locator("#id_document_country").fill("ME")
    form.locator("#id_document_expires_on").fill("2031-01-01")
    form.locator("#id_mrz").fill(td3("ME7654321"))
    form.locator("#id_photo").set_input_files(
        {"name": "jovana.png", "mimeType": "image/png", "buffer": image("PNG")}
    )
    shot("application-form")
    form.get_by_role("button", name="Submit the application").click()
    expect(page.locator("#case-state")).to_have_text("Submitted")
    case = Case.objects.get(agreement=agreement, external_id="DHS-ME-WEB-1")
    assert case.person.family_name == "Радуловић"
    assert case.evidence_items.count() == 1
    # The photo is shown from its gated URL (the CSP allows 'self' images): it loads.
    photo = page.locator("#person-photo img")
    expect(photo).to_be_visible()
    assert photo.evaluate("img => img.complete && img.naturalWidth") > 0
    shot("application-submitted")

    # 2. The US asks the consulate for a travel document: routed to New York.
    htmx_ready(page)
    page.locator("summary", has_text="Ask the consulate").click()
    page.locator("#consular-kind").select_option("travel_document")
    page.locator("#consular-region").fill("US-NY")
    page.get_by_role("button", name="Ask the consulate").click()
    routed = ConsularRequest.objects.get(case=case)
    assert routed.routed_to_id == setting["ny"].id
    shot("consular-request")

    # 3. Montenegro acknowledges, and its supervisor accepts.
    as_user("me_caseworker")
    open_case(case)
    assert page.locator("#person-photo img").evaluate("img => img.naturalWidth") > 0
    act("acknowledge")
    expect(page.locator("#case-state")).to_have_text("Acknowledged")
    shot("acknowledged")
    as_user("me_supervisor")
    open_case(case)
    act("accept")
    expect(page.locator("#case-state")).to_have_text("Accepted")
    shot("accepted")

    # 4. The New York consulate takes the request, issues the travel document and prints it.
    as_user("ny_liaison")
    page.goto(f"{live_server.url}/consular/{routed.id}/")
    page.get_by_role("button", name="Take it").click()
    expect(page.get_by_role("button", name="Complete")).to_be_visible()
    open_case(case)
    valid_until = (dt.date.today() + dt.timedelta(days=60)).isoformat()
    act(
        "issue_travel_document",
        type="emergency_travel_document",
        number="ME-NY-ETD-WEB-1",
        valid_until=valid_until,
    )
    expect(page.locator("#case-state")).to_have_text("Travel document issued")
    expect(page.locator("#travel-document")).to_contain_text("ME-NY-ETD-WEB-1")
    shot("travel-document-issued")
    with page.expect_download() as info:
        page.locator("#travel-document-pdf").click()
    text = pdf_text(info.value.path())
    for part in ("Јована", "Радуловић", "Jovana", "Radulović", "ME-NY-ETD-WEB-1"):
        assert part in text, f"{part!r} not in the PDF text: {text!r}"
    page.goto(f"{live_server.url}/consular/{routed.id}/")
    page.locator("#consular-outcome").fill("Emergency travel document ME-NY-ETD-WEB-1 issued.")
    page.get_by_role("button", name="Complete").click()
    expect(page.get_by_text("Emergency travel document ME-NY-ETD-WEB-1 issued.")).to_be_visible()
    routed.refresh_from_db()
    assert routed.state == "done" and routed.owner is not None
    shot("consular-request-done")

    # 5. The US downloads it too and schedules the transfer: a flight, the medical needs.
    as_user("us_caseworker")
    open_case(case)
    with page.expect_download() as info:
        page.locator("#travel-document-pdf").click()
    assert "Радуловић" in pdf_text(info.value.path())
    planned = (dt.datetime.now() + dt.timedelta(days=5)).replace(second=0, microsecond=0)
    act(
        "schedule_transfer",
        planned_for=planned.strftime("%Y-%m-%dT%H:%M"),
        flight="JU 501",
        escort="Two escort officers",
        notice_language="sr",
        medical_needs="Insulin, kept cool",
    )
    expect(page.locator("#case-state")).to_have_text("Transfer scheduled")
    expect(page.locator("#transfer-plan")).to_contain_text("JU 501")
    shot("transfer-scheduled")

    # 6. Montenegro records the handover.
    as_user("me_caseworker")
    open_case(case)
    act("record_transfer", received_by="Border police duty officer", place="Podgorica Airport")
    expect(page.locator("#case-state")).to_have_text("Transferred")
    expect(page.locator("#handover")).to_contain_text("Podgorica Airport")
    shot("handover")

    # 7. The US records the cost of the flight and closes the case.
    as_user("us_caseworker")
    open_case(case)
    page.locator("#cost-amount").fill("2480.00")
    page.locator("#cost-currency").fill("USD")
    page.get_by_role("button", name="Record the cost").click()
    expect(page.locator("#transfer-costs")).to_contain_text("2480.00 USD")
    htmx_ready(page)
    act("close")
    expect(page.locator("#case-state")).to_have_text("Closed")
    shot("closed")

    # 8. Kosovo, party to nothing here, finds no such case nor its travel document.
    as_user("xk_caseworker")
    for path in (
        f"/cases/{case.id}/",
        f"/cases/{case.id}/travel-document.pdf",
        f"/cases/{case.id}/photo/",
    ):
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status == 404, path
    shot("third-state-404")

    case.refresh_from_db()
    assert case.state == "closed"
    assert not case.deadlines.filter(met_late=True).exists()
    assert (
        AuditEvent.objects.filter(
            case_id=case.id, event_type=AuditEventType.TRAVEL_DOCUMENT_DOWNLOADED
        ).count()
        == 2
    )
    assert len(list(screenshot_dir.glob("*.png"))) >= 11
    session.close()
