"""In a real Chromium, the main pages and an htmx swap run under the Content-Security-Policy
without a single violation (nothing inline, nothing injected by htmx)."""

from __future__ import annotations

import re

import pytest

from tests.browser.a11y import sign_in as _sign_in  # a login made through the real pages
from tests.browser.conftest import BrowserSession, ensure_countries, htmx_ready

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline'));
});
"""


def test_the_main_pages_report_no_csp_violation(live_server, browser):
    from playwright.sync_api import expect

    from tests.factories import make_case, make_world

    ensure_countries()
    world = make_world()
    case = make_case(world.agreement, by=world.user("us_caseworker"))
    pages = {
        "us_caseworker": [
            "/",
            "/cases/",
            f"/cases/{case.id}/",
            f"/agreements/{world.agreement.id}/",
            "/screening/watchlists/",
            "/screening/duplicates/",
            "/profile/",
            "/tokens/",
        ],
        "us_auditor": ["/audit/", "/audit/?verify=1"],
    }
    for username, paths in pages.items():
        session = BrowserSession(browser, live_server.url)
        session.page.add_init_script(RECORD_VIOLATIONS)
        console: list[str] = []
        session.page.on(
            "console",
            lambda message, sink=console: (
                sink.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        _sign_in(session, world.user(username))
        for path in paths:
            response = session.page.goto(f"{live_server.url}{path}")
            assert response is not None and response.status == 200, path
            assert "script-src 'self'" in (response.headers.get("content-security-policy") or "")
            htmx_ready(session.page)
            violations = session.page.evaluate("window.__cspViolations")
            assert violations == [], f"{path}: {violations}"
            if path == "/cases/":
                # An htmx swap: the filter reloads the results in place.
                session.page.get_by_label("State").select_option("proposed")
                expect(session.page).to_have_url(re.compile(r"state=proposed"))
                assert session.page.evaluate("window.__cspViolations") == [], path
        assert console == [], console
        session.close()
