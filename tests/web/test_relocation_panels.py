"""Relocation on the case and agreement pages: the criteria, transfer, stay, hold and decision
summary (also inside the htmx-swapped panel), and the "Propose a list" link."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from readmit.agreements.services import site_create
from readmit.relocation.services import case_evaluate
from tests.factories import SYSTEM, log_in, make_agreement
from tests.relocation.conftest import act, kosovo, person, submit, to_reception


def login(world, key: str) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    log_in(client, world.user(key))
    return client


def test_the_case_page_shows_each_rule_with_its_outcome_and_explanation(world):
    agreement = kosovo(world, data_sharing={"criminal_data_allowed": True})
    case = submit(world, agreement, [person(pending_cases=True)]).cases[0]
    page = login(world, "xk_caseworker").get(f"/cases/{case.id}/").content.decode()
    assert 'id="relocation-summary"' in page
    assert '<li data-rule="no_pending_criminal_case" data-outcome="fail">' in page
    assert "No pending criminal case</strong>: A criminal case is pending." in page
    assert '<li data-rule="age_between" data-outcome="pass">' in page
    assert "No transfer planned." in page
    assert "No reception stay." in page


def test_the_htmx_panel_after_a_transition_carries_the_updated_summary(world):
    agreement = kosovo(world)
    case = submit(world, agreement, [person()]).cases[0]
    response = login(world, "xk_caseworker").post(
        f"/cases/{case.id}/transitions/",
        {
            "action": "recommend",
            "version": case.version,
            "reason": "Fits the criteria",
            "payload-recommendation": "select",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    panel = response.content.decode()
    assert 'id="case-panel"' in panel and 'id="relocation-summary"' in panel
    assert 'id="relocation-recommendation">Select' in panel
    assert "“Fits the criteria”" in panel


def test_a_case_in_reception_shows_the_stay_hold_and_the_return_plan_form(world):
    agreement = kosovo(world)
    site = site_create(
        agreement=agreement,
        name="Reception centre Prishtina",
        country_code="XK",
        capacity=10,
        acting_user=SYSTEM,
    )
    case = submit(world, agreement, [person()]).cases[0]
    to_reception(world, case, site)
    act(
        case,
        "place_legal_hold",
        world.user("us_caseworker"),
        reason="Filed in court",
        payload={
            "kind": "court_challenge",
            "reference": "DC-2026-17",
            "authority": "Court (fictional)",
            "decided_on": "2024-03-01",
        },
    )
    page = login(world, "xk_caseworker").get(f"/cases/{case.id}/").content.decode()
    assert "Reception centre Prishtina" in page
    assert "Washington Dulles → Prishtina, charter" in page
    assert "Court challenge" in page and "DC-2026-17" in page
    assert 'id="relocation-decision">Selected' in page
    assert f'action="/cases/{case.id}/return-plan/"' in page
    # An auditor reads the case but records nothing: no form.
    audited = login(world, "xk_auditor").get(f"/cases/{case.id}/").content.decode()
    assert "Reception centre Prishtina" in audited
    assert "return-plan/" not in audited


def test_an_outsider_gets_404_for_the_case_page(world):
    agreement = kosovo(world)
    case = submit(world, agreement, [person()]).cases[0]
    assert login(world, "xk_caseworker").get(f"/cases/{case.id}/").status_code == 200
    assert login(world, "me_caseworker").get(f"/cases/{case.id}/").status_code == 404


def test_a_readmission_case_has_no_relocation_summary(world):
    from tests.factories import make_case

    readmission = make_agreement(world.us, world.xk, kind="readmission")
    case = make_case(readmission, by=world.user("us_caseworker"))
    page = login(world, "xk_caseworker").get(f"/cases/{case.id}/").content.decode()
    assert 'id="relocation-summary"' not in page


def test_the_case_page_reads_a_fixed_number_of_queries(world):
    agreement = kosovo(world)
    case = submit(world, agreement, [person()]).cases[0]
    client = login(world, "xk_caseworker")
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/cases/{case.id}/").status_code == 200
        counts.append(len(queries))
        # More evaluations (and history lines) must not mean more queries.
        for _ in range(3):
            case_evaluate(case=case, acting_user=world.user("xk_caseworker"))
    assert counts[0] == counts[1]


def test_the_propose_a_list_link_is_for_the_sending_caseworker_not_the_receiving_side(world):
    agreement = kosovo(world)
    result = submit(world, agreement, [person()], reference="US-XK-PANEL-1")
    link = f'href="/agreements/{agreement.id}/lists/new/"'
    list_link = f'href="/lists/{result.proposal_list.id}/"'
    for key, shown in (
        ("us_caseworker", True),
        ("us_supervisor", True),
        ("us_auditor", False),
        ("xk_caseworker", False),
        ("xk_supervisor", False),
    ):
        page = login(world, key).get(f"/agreements/{agreement.id}/").content.decode()
        assert (link in page) is shown, key
        assert list_link in page, key  # both parties see the lists
    assert login(world, "me_caseworker").get(f"/agreements/{agreement.id}/").status_code == 404


def test_no_propose_a_list_link_under_a_readmission_agreement(world):
    readmission = make_agreement(world.us, world.xk, kind="readmission")
    page = login(world, "us_caseworker").get(f"/agreements/{readmission.id}/").content.decode()
    assert "lists/new/" not in page
    assert 'id="proposal-lists"' not in page
