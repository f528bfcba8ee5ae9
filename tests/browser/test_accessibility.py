"""axe-core (shipped with the tests, offline: tests/browser/a11y.py) finds no violation on any
main page, for every demo role of Kosovo, the United States, Montenegro (a ministry and a
consular mission), Italy and Albania, nor on the login page itself."""

from __future__ import annotations

import pytest

from tests.browser.a11y import (
    assert_no_axe_violations,
    axe_version,
    axe_violations,
    describe,
    sign_in,
)
from tests.browser.conftest import BrowserSession, ensure_countries, htmx_ready

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# One organisation of each party in the demo; each of its roles is checked.
ORGANISATIONS = ("xk-mia", "us-dhs", "me-mup", "me-consulate-ny", "it-interior", "al-interior")


@pytest.fixture
def demo_logins(monkeypatch):  # type: ignore[no-untyped-def]
    from readmit.demo.load import demo_load

    monkeypatch.setenv("READMIT_ALLOW_DEMO", "1")
    ensure_countries()
    return demo_load()


def main_pages(username: str) -> list[str]:
    """The main pages as this user reaches them: overview, inbox, case list, a case, a
    proposal list, the search page with results, an agreement, the audit log, the profile,
    the notifications and the organisation's users. Pages the role may not open are left
    out here (their refusal page is checked once, below)."""
    from readmit.accounts.access import organisation_ids, roles_in, visible_agreements
    from readmit.accounts.access import visible_cases as cases_of
    from readmit.accounts.models import User
    from readmit.accounts.roles import Role
    from readmit.relocation.models import ProposalList

    user = User.objects.get(username=username)
    pages = ["/", "/inbox/", "/cases/", "/profile/", "/notifications/"]
    case = cases_of(user).order_by("reference").first()
    if case is not None:
        pages.append(f"/cases/{case.id}/")
        pages.append(f"/search/?q={case.person.family_name}")
    agreement = visible_agreements(user).order_by("title").first()
    if agreement is not None:
        pages.append(f"/agreements/{agreement.id}/")
    proposal_list = (
        ProposalList.objects.filter(agreement__in=visible_agreements(user)).order_by("id").first()
    )
    if proposal_list is not None:
        pages.append(f"/lists/{proposal_list.id}/")
    for organisation_id in organisation_ids(user):
        roles = roles_in(user, organisation_id)
        if Role.AUDITOR in roles:
            pages.append("/audit/")
        if Role.ADMINISTRATOR in roles:
            pages.append(f"/organisations/{organisation_id}/users/")
    return pages


@pytest.mark.parametrize("organisation", ORGANISATIONS)
def test_axe_core_finds_no_violation_on_any_main_page_for_any_demo_role(
    live_server, browser, demo_logins, organisation
):
    """One organisation per test, so that a parallel run spreads the roles over its workers."""
    from readmit.accounts.models import User

    found: dict[str, list[str]] = {}  # each violation line, and where it was seen

    def check(page, where: str) -> None:  # type: ignore[no-untyped-def]
        for line in describe(axe_violations(page)).splitlines():
            found.setdefault(line, []).append(where)

    if organisation == ORGANISATIONS[0]:
        anonymous = BrowserSession(browser, live_server.url)
        anonymous.page.goto(f"{live_server.url}/login/")
        check(anonymous.page, "/login/")
        anonymous.close()

    checked = 0
    seen: set[str] = set()

    for login in demo_logins:
        if not login.username.startswith(f"{organisation}-"):
            continue
        session = BrowserSession(browser, live_server.url)
        sign_in(session, User.objects.get(username=login.username), login.password)
        for path in main_pages(login.username):
            # Each page once per organisation, and the pages whose buttons depend on the role
            # (the overview, the case page) for every role: the suite's time stays bounded.
            role_dependent = path == "/" or (path.startswith("/cases/") and path != "/cases/")
            if path in seen and not role_dependent:
                continue
            seen.add(path)
            response = session.page.goto(f"{live_server.url}{path}")
            assert response is not None
            if response.status in {403, 404}:  # e.g. a list the mission is not routed to
                continue
            assert response.status == 200, (login.username, path, response.status)
            htmx_ready(session.page)
            session.page.wait_for_load_state("networkidle")  # the bell's count is in
            check(session.page, f"{login.username} {path}")
            checked += 1
        session.close()
    assert checked >= 5  # every role of the organisation reached its main pages
    assert not found, f"axe-core {axe_version()}:\n" + "\n".join(
        f"{line}\n    on {len(where)} pages, first {where[0]}" for line, where in found.items()
    )


def test_axe_core_finds_no_violation_on_a_refusal_or_a_missing_page(live_server, browser):
    from tests.factories import make_world

    ensure_countries()
    world = make_world()
    session = BrowserSession(browser, live_server.url)
    sign_in(session, world.user("us_caseworker"))
    response = session.page.goto(f"{live_server.url}/audit/")
    assert response is not None and response.status == 403
    assert_no_axe_violations(session.page)
    response = session.page.goto(f"{live_server.url}/cases/00000000-0000-0000-0000-000000000000/")
    assert response is not None and response.status == 404
    assert_no_axe_violations(session.page)
    session.close()
