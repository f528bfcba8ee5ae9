"""Each interface language end to end in a real Chromium (issue #14): the language is chosen on
the login page, then login -> overview -> case list -> case -> a decision, with a translated
word checked on each page and the person's name shown as written."""

from __future__ import annotations

import re

import pytest

from readmit.accounts.models import User
from readmit.cases.models import Case
from tests.browser.conftest import BrowserSession, ensure_countries, htmx_ready
from tests.factories import current_totp, recovery_code

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# code: (its name in the chooser, "Overview", "Cases", "Recommended")
LANGUAGES = {
    "cnr": ("Crnogorski", "Pregled", "Predmeti", "Preporučen"),
    "cnr-cyrl": ("Црногорски", "Преглед", "Предмети", "Препоручен"),
    "sq": ("Shqip", "Përmbledhje", "Çështjet", "Rekomanduar"),
    "sr-latn": ("Srpski (latinica)", "Pregled", "Predmeti", "Preporučen"),
    "sr": ("Српски (ћирилица)", "Преглед", "Предмети", "Препоручен"),
    "it": ("Italiano", "Panoramica", "Pratiche", "Raccomandata"),
}


@pytest.fixture
def kosovo_caseworker(monkeypatch):
    from readmit.demo.load import demo_load

    monkeypatch.setenv("READMIT_ALLOW_DEMO", "1")
    ensure_countries()
    logins = demo_load()
    return next(x for x in logins if x.country == "XK" and x.role == "caseworker")


def _log_in(page, username: str, password: str) -> None:  # type: ignore[no-untyped-def]
    """The login by the form's fields, whatever language their labels are in."""
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("form[action='/login/'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/login/verify/"))
    user = User.objects.get(username=username)
    try:
        code = current_totp(user)
    except AssertionError:
        code = recovery_code(user)
    page.locator("input[name=token]").fill(code)
    page.locator("main form button[type=submit]").click()


def test_every_interface_language_walks_login_overview_case_and_a_decision(
    live_server, browser, kosovo_caseworker, screenshot_dir
):
    from playwright.sync_api import expect

    session = BrowserSession(browser, live_server.url)
    page = session.page
    for code, (name, overview, cases, recommended) in LANGUAGES.items():
        page.goto(f"{live_server.url}/login/")
        page.locator("#login-language").select_option(label=name)
        page.locator("#language-chooser button[type=submit]").click()
        expect(page.locator("html")).to_have_attribute("lang", code)
        _log_in(page, kosovo_caseworker.username, kosovo_caseworker.password)
        expect(page.get_by_role("heading", name=overview, level=1)).to_be_visible()

        page.get_by_role("navigation").get_by_role("link", name=cases, exact=True).click()
        expect(page.get_by_role("heading", name=cases, level=1)).to_be_visible()
        htmx_ready(page)
        page.locator("#id_state").select_option("proposed")
        expect(page).to_have_url(re.compile(r"state=proposed"))
        link = page.locator("#case-results tbody tr td a").first
        reference = link.inner_text().strip()
        case = Case.objects.select_related("person").get(reference=reference)
        link.click()
        heading = page.get_by_role("heading", level=1)
        expect(heading).to_contain_text(case.person.family_name)  # as written
        expect(heading.locator("[dir=auto]").first).to_be_visible()
        htmx_ready(page)

        page.locator("details:has(#reason-recommend) > summary").click()
        page.locator("#reason-recommend").fill(f"{code}: meets the criteria")
        page.locator("form:has(#reason-recommend) button[type=submit]").click()
        expect(page.locator("#case-state")).to_have_text(recommended)
        expect(page.locator("ol.history > li").last).to_contain_text(f"{code}: meets")
        page.screenshot(path=str(screenshot_dir / f"case-{code}.png"), full_page=True)

        page.locator("form.logout button[type=submit]").click()
        page.wait_for_url(re.compile(r"/login/"))
    session.close()
