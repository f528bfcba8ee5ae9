"""The case list: filters from GET, htmx fragments, pagination, and no N+1 queries."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from readmit.cases.services import case_transition
from tests.factories import make_agreement, make_case

HTMX = {"HTTP_HX_REQUEST": "true"}


def _refs(response) -> set[str]:
    return {c.reference for c in response.context["page"].object_list}


def test_filters_narrow_the_list_by_state_text_agreement_and_kind(world, login):
    readmission = make_agreement(world.us, world.xk, kind="readmission")
    ana = make_case(
        world.agreement, family_name="Петровић", family_name_latin="Petrovic", external_id="DHS-77"
    )
    ben = make_case(world.agreement, family_name="Brown")
    cai = make_case(readmission, family_name="Castro")
    case_transition(case_id=ben.id, action="recommend", acting_user=world.user("xk_caseworker"))
    client = login("xk_caseworker")

    assert _refs(client.get("/cases/")) == {ana.reference, ben.reference, cai.reference}
    assert _refs(client.get("/cases/?state=recommended")) == {ben.reference}
    assert _refs(client.get("/cases/?q=petrovic")) == {ana.reference}
    assert _refs(client.get("/cases/?q=Петровић")) == {ana.reference}
    assert _refs(client.get("/cases/?q=DHS-77")) == {ana.reference}
    assert _refs(client.get(f"/cases/?agreement={readmission.id}")) == {cai.reference}
    assert _refs(client.get("/cases/?kind=relocation")) == {ana.reference, ben.reference}


def test_open_only_leaves_out_closed_cases(world, login):
    open_case = make_case(world.agreement)
    closed = make_case(world.agreement, family_name="Closedcase")
    us = world.user("us_caseworker")
    case_transition(case_id=closed.id, action="withdraw", acting_user=us, reason="left")
    case_transition(case_id=closed.id, action="close", acting_user=us)
    client = login("us_caseworker")
    assert _refs(client.get("/cases/")) == {open_case.reference, closed.reference}
    assert _refs(client.get("/cases/?open=on")) == {open_case.reference}


def test_an_agreement_filter_of_another_organisation_is_refused_as_not_found(world, login):
    theirs = make_agreement(world.me, world.us, kind="readmission")
    hidden = make_case(theirs)
    response = login("xk_caseworker").get(f"/cases/?agreement={theirs.id}")
    assert response.status_code == 404
    assert hidden.reference not in response.content.decode()


def test_htmx_gets_the_results_fragment_and_a_full_load_renders_the_same_results(world, login):
    make_case(world.agreement, family_name="Brown")
    wanted = make_case(world.agreement, family_name="Castro")
    client = login("xk_caseworker")

    fragment = client.get("/cases/?q=castro", **HTMX)
    page = client.get("/cases/?q=castro")
    assert fragment.content.decode().lstrip().startswith('<section id="case-results"')
    assert "<html" not in fragment.content.decode()
    assert "<html" in page.content.decode()
    assert _refs(fragment) == _refs(page) == {wanted.reference}
    assert 'value="castro"' in page.content.decode()  # the form shows the filter it applied
    assert "HX-Request" in fragment["Vary"]


def test_an_htmx_history_restore_gets_the_whole_page(world, login):
    response = login("xk_caseworker").get(
        "/cases/", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert "<html" in response.content.decode()


def test_the_list_is_paginated_and_page_links_keep_the_filters(world, login, monkeypatch):
    monkeypatch.setattr("readmit.web.views.CASES_PER_PAGE", 2)
    for n in range(5):
        make_case(world.agreement, family_name=f"Person{n}")
    client = login("xk_caseworker")
    first = client.get("/cases/?q=person")
    assert len(first.context["page"].object_list) == 2
    assert "?q=person&amp;page=2" in first.content.decode()
    last = client.get("/cases/?q=person&page=3")
    assert len(last.context["page"].object_list) == 1


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/cases/").status_code == 200
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_number_of_cases(world, login):
    client = login("xk_caseworker")
    make_case(world.agreement)
    few = _list_queries(client)
    for n in range(8):
        make_case(world.agreement, family_name=f"Many{n}", nationality="SV" if n % 2 else "VE")
    assert _list_queries(client) == few
    # One more than before the second factor: django-otp reads the session's device; two
    # more for the bulk-assign form's owners and teams (readmit.work).
    assert few <= 15
