"""End to end in a real Chromium: a caseworker opens a case whose person's name is Arabic,
sees it rendered right to left (screenshot kept), prints the case summary and writes the
decision letter in Arabic from the case page, choosing the language by its name."""

from __future__ import annotations

import pytest

from readmit.cases.models import Attachment
from tests.browser.conftest import BrowserSession, ensure_countries, htmx_ready

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# A fictional person.
GIVEN, FAMILY = "فاطمة", "الزهراء"


@pytest.fixture
def declined_case():
    from readmit.cases.services import case_transition
    from tests.factories import make_case, make_world

    ensure_countries()
    world = make_world()
    case = make_case(world.agreement, given_names=GIVEN, family_name=FAMILY)
    case_transition(
        case_id=case.id,
        action="decline",
        acting_user=world.user("xk_supervisor"),
        reason="خارج المعايير المتفق عليها",
    )
    return case


def test_a_right_to_left_name_renders_right_to_left_and_gets_its_letter_in_arabic(
    live_server, browser, declined_case, screenshot_dir
):
    from playwright.sync_api import expect

    from tests.factories import PASSWORD

    session = BrowserSession(browser, live_server.url)
    page = session.page
    session.log_in("us_caseworker", PASSWORD)

    page.goto(f"{live_server.url}/cases/{declined_case.id}/summary/")
    name = page.locator("#summary-name")
    expect(name).to_have_text(f"{GIVEN} {FAMILY}")
    assert name.evaluate("el => el.matches(':dir(rtl)')")
    # Right to left: the given name (written first) stands to the right of the family name.
    given = name.evaluate(
        "el => { const r = document.createRange(); const t = el.firstChild;"
        " r.setStart(t, 0); r.setEnd(t, 1); return r.getBoundingClientRect().left; }"
    )
    box = name.bounding_box()
    assert box is not None and given > box["x"] + box["width"] / 2
    expect(page.locator("#printed-by")).to_contain_text("Printed by us_caseworker")
    name.screenshot(path=str(screenshot_dir / "rtl_name.png"))
    page.screenshot(path=str(screenshot_dir / "case_summary_rtl.png"), full_page=True)

    page.goto(f"{live_server.url}/cases/{declined_case.id}/")
    htmx_ready(page)
    page.get_by_label("Language of the person").select_option(label="العربية (Arabic)")
    page.get_by_role("button", name="Write the letter (PDF)").click()
    expect(page.locator("#attachments-title")).to_be_visible()
    letter = Attachment.objects.get(case=declined_case, kind="letter")
    expect(page.get_by_role("link", name=letter.filename)).to_be_visible()
    assert letter.filename.endswith("-declined-ar.pdf")
    page.screenshot(path=str(screenshot_dir / "letter_written.png"), full_page=True)
    session.close()
