"""What each page shows: names as written, shared data only, deadlines, terms, errors."""

from __future__ import annotations

import datetime as dt

from readmit.agreements.services import contact_record, position_record, site_create
from readmit.cases.models import Deadline
from readmit.cases.services import case_transition
from readmit.core import clock
from tests.factories import SYSTEM, make_agreement, make_case

READMISSION_TERMS = {
    "time_limits": {
        "reply": {"amount": 12, "unit": "calendar_days", "start_event": "application received"},
        "transfer": {"amount": 3, "unit": "months"},
    },
}


def test_case_page_shows_the_name_as_written_and_its_latin_form(world, login):
    case = make_case(
        world.agreement,
        family_name="Ђурђевић",
        given_names="Милица",
        family_name_latin="Djurdjevic",
        given_names_latin="Milica",
        birth_year=1988,
        birth_month=5,
    )
    page = login("xk_caseworker").get(f"/cases/{case.id}/").content.decode()
    assert "Ђурђевић" in page and "Милица" in page
    assert "Djurdjevic" in page and "Milica" in page
    assert "1988-05" in page
    assert "Passport" in page


def test_criminal_data_is_shown_only_where_the_agreement_shares_it(world, login):
    person = {
        "family_name": "Ruiz",
        "convictions": [{"offence": "Burglary", "date": "2019"}],
        "pending_criminal_case": True,
        "vulnerabilities": ["medical"],
    }
    closed = make_case(world.agreement, **person)
    page = login("xk_caseworker").get(f"/cases/{closed.id}/").content.decode()
    assert "Not shared under this agreement" in page
    assert "Burglary" not in page

    sharing = make_agreement(
        world.us,
        world.xk,
        terms={"quota": {"limit": 50}, "data_sharing": {"criminal_data_allowed": True}},
    )
    shared = make_case(sharing, **person)
    page = login("xk_caseworker").get(f"/cases/{shared.id}/").content.decode()
    assert "Not shared under this agreement" not in page
    assert "Burglary" in page


def test_a_legal_hold_shows_a_banner(world, login, case):
    client = login("us_caseworker")
    assert "Legal hold." not in client.get(f"/cases/{case.id}/").content.decode()
    case_transition(
        case_id=case.id,
        action="place_legal_hold",
        reason="Court order",
        payload={
            "kind": "court_challenge",
            "reference": "AB-1",
            "authority": "Court (fictional)",
            "decided_on": "2024-03-01",
        },
        acting_user=world.user("us_caseworker"),
    )
    assert "Legal hold." in client.get(f"/cases/{case.id}/").content.decode()


def test_case_page_lists_open_and_met_deadlines(world, login):
    agreement = make_agreement(world.us, world.xk, kind="readmission", terms=READMISSION_TERMS)
    case = make_case(agreement)
    case_transition(case_id=case.id, action="accept", acting_user=world.user("xk_supervisor"))
    response = login("us_caseworker").get(f"/cases/{case.id}/")
    deadlines = {d.kind: d for d in response.context["deadlines"]}
    assert deadlines["reply"].met_at is not None
    assert deadlines["transfer"].is_open
    page = response.content.decode()
    assert "Reply to the application" in page and "Met " in page
    assert "Transfer after acceptance" in page


def test_home_shows_what_is_due_with_overdue_marked(world, login):
    agreement = make_agreement(world.us, world.xk, kind="readmission", terms=READMISSION_TERMS)
    late = make_case(agreement, family_name="Latecase")
    Deadline.objects.filter(case=late).update(due_on=clock.today() - dt.timedelta(days=2))
    soon = make_case(agreement, family_name="Sooncase")
    Deadline.objects.filter(case=soon).update(due_on=clock.today() + dt.timedelta(days=1))
    page = login("xk_caseworker").get("/").content.decode()
    assert "Overdue by 2 days" in page
    assert "In 1 day" in page
    assert page.index("Latecase") < page.index("Sooncase")
    assert 'class="row-overdue"' in page and 'class="row-soon"' in page


def test_home_shows_quota_used_and_remaining_and_open_cases_by_state(world, login, case):
    case_transition(case_id=case.id, action="recommend", acting_user=world.user("xk_caseworker"))
    case_transition(case_id=case.id, action="select", acting_user=world.user("xk_supervisor"))
    make_case(world.agreement)
    response = login("xk_caseworker").get("/")
    row = response.context["agreement_rows"][0]
    assert (row["quota"].used, row["quota"].remaining) == (1, 49)
    assert dict(row["open_by_state"]) == {"proposed": 1, "selected": 1}
    assert "49 remaining" in response.content.decode()


def test_home_for_an_administrator_shows_agreements_and_no_case_sections(world, login, case):
    response = login("xk_administrator").get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert world.agreement.title in page
    assert "What is due" not in page
    assert "Open cases" not in page


def test_agreement_page_renders_terms_sites_contacts_positions_and_case_counts(world, login):
    agreement = make_agreement(
        world.us,
        world.xk,
        terms={
            "quota": {"limit": 50, "period": "rolling_year"},
            "capacity": {"max_present": 30},
            "time_limits": {"reply": {"amount": 10, "unit": "working_days"}},
            "criteria": [
                {"rule": "no_conviction_within_years", "params": {"years": 5}},
                {"rule": "no_watchlist_match", "label": "Not on any watchlist"},
            ],
        },
    )
    site_create(
        agreement=agreement,
        name="Centre Pristina",
        country_code="XK",
        capacity=40,
        acting_user=SYSTEM,
    )
    contact_record(
        agreement=agreement,
        occurred_on=dt.date(2025, 6, 1),
        from_country="US",
        to_country="XK",
        channel="note",
        summary="Proposal sent",
        source="fictional note",
        acting_user=SYSTEM,
    )
    position_record(
        agreement=agreement,
        country="XK",
        stated_on=dt.date(2025, 6, 12),
        stance="ready",
        statement="Kosovo will take up to 50.",
        source="fictional statement",
        acting_user=SYSTEM,
    )
    make_case(agreement)
    page = login("xk_supervisor").get(f"/agreements/{agreement.id}/").content.decode()
    for text in (
        "50 people per rolling year",
        "50 remaining",
        "30 present at once",
        "10 working days",
        "No conviction within 5 years",
        "Not on any watchlist",
        "Centre Pristina",
        "Proposal sent",
        "Kosovo will take up to 50.",
        "Ready to cooperate",
        "Criminal records shared",
        f"/cases/?agreement={agreement.id}&amp;state=proposed",
    ):
        assert text in page, text


def test_not_found_uses_the_readmit_error_page(login):
    response = login("xk_caseworker").get("/cases/not-a-uuid/")
    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]
    assert "readmit.css" in response.content.decode()
