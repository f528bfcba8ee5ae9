"""The list page's decision support and the case page's family panel, through the real pages:
counts, filters, the quota impact fragment, bulk actions with refusals per case, disabled
buttons with the rule named, reconsidering a decline, scheduling the whole family."""

from __future__ import annotations

import datetime as dt
import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.cases.models import Case
from readmit.core import clock
from tests.factories import audit_rows, log_in
from tests.relocation.conftest import act, kosovo, person, select, submit


def login(world, key: str) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    log_in(client, world.user(key))
    return client


def a_list(world, agreement):  # type: ignore[no-untyped-def]
    """Two eligible people of a family, one with a pending criminal case (fails), one whose
    pending case is not known (unknown)."""
    return submit(
        world,
        agreement,
        [
            person(family_group="FAM-WEB", nationalities=["VE"]),
            person(family_group="FAM-WEB", nationalities=["VE"]),
            person(pending_cases=True, nationalities=["CO"]),
            person(pending_cases=None, nationalities=["CO"]),
        ],
    )


def test_the_list_page_counts_pass_fail_unknown_and_filters(world, agreement):
    result = a_list(world, agreement)
    client = login(world, "xk_supervisor")
    url = f"/lists/{result.proposal_list.id}/"
    page = client.get(url).content.decode()
    counts = re.search(r'<ul[^>]*id="criteria-counts".*?</ul>', page, re.S)
    assert counts is not None
    text = re.sub(r"<[^>]+>", "", counts.group(0))
    assert re.search(r"Pass\s+2", text) and re.search(r"Fail\s+1", text)
    assert re.search(r"Unknown\s+1", text)
    assert "Showing 4 of 4 cases." in page
    failing = client.get(url, {"outcome": "fail"}).content.decode()
    assert "Showing 1 of 4 cases." in failing
    assert str(result.cases[2].id) in failing and str(result.cases[0].id) not in failing
    family = client.get(url, {"family": "FAM-WEB"}).content.decode()
    assert "Showing 2 of 4 cases." in family
    colombians = client.get(url, {"nationality": "CO"}).content.decode()
    assert "Showing 2 of 4 cases." in colombians and str(result.cases[3].id) in colombians


def test_the_quota_impact_of_the_ticked_boxes_is_computed_from_the_quota(world, agreement):
    result = a_list(world, agreement)
    select(world, result.cases[0])  # one of 50 places taken
    client = login(world, "xk_supervisor")
    ids = [str(c.id) for c in result.cases[1:]]
    response = client.get(
        f"/lists/{result.proposal_list.id}/quota-impact/", {"cases": ids}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "Selecting these 3 leaves 46 of 50 places." in response.content.decode()
    # The one already selected holds its place: ticking it too changes nothing but says so.
    with_selected = client.get(
        f"/lists/{result.proposal_list.id}/quota-impact/",
        {"cases": [str(result.cases[0].id), *ids]},
    ).content.decode()
    assert "Selecting these 3 leaves 46 of 50 places." in with_selected
    assert "1 ticked case holds a place already" in with_selected
    tight = kosovo(world, quota={"limit": 2, "period": "rolling_year"})
    small = submit(world, tight, [person(), person(), person()])
    over = client.get(
        f"/lists/{small.proposal_list.id}/quota-impact/",
        {"cases": [str(c.id) for c in small.cases]},
    ).content.decode()
    assert "1 would be refused (quota-exceeded)" in over


def test_a_non_party_gets_404_on_the_list_page_its_quota_impact_and_its_bulk_action(
    world, agreement
):
    result = a_list(world, agreement)
    outsider = login(world, "me_supervisor")
    base = f"/lists/{result.proposal_list.id}/"
    assert outsider.get(base).status_code == 404
    assert (
        outsider.get(base + "quota-impact/", {"cases": [str(result.cases[0].id)]}).status_code
        == 404
    )
    rows = audit_rows()
    response = outsider.post(
        base + "bulk/", {"action": "recommend", "reason": "x", "cases": [str(result.cases[0].id)]}
    )
    assert response.status_code == 404
    assert audit_rows() == rows


def test_a_caseworker_sees_select_disabled_with_the_rule_and_is_refused_403(world, agreement):
    result = a_list(world, agreement)
    client = login(world, "xk_caseworker")
    page = client.get(f"/lists/{result.proposal_list.id}/").content.decode()
    button = re.search(r'<button[^>]*data-action="select"[^>]*>', page)
    assert button is not None and "disabled" in button.group(0)
    assert 'data-rule="wrong-role"' in page
    recommend = re.search(r'<button[^>]*data-action="recommend"[^>]*>', page)
    assert recommend is not None and "disabled" not in recommend.group(0)
    rows = audit_rows()
    response = client.post(
        f"/lists/{result.proposal_list.id}/bulk/",
        {"action": "select", "reason": "Go.", "cases": [str(c.id) for c in result.cases]},
    )
    assert response.status_code == 403
    assert audit_rows() == rows


def test_a_bulk_recommend_then_select_lists_each_refusal_with_its_rule(world, agreement):
    result = a_list(world, agreement)
    ids = [str(c.id) for c in result.cases]
    url = f"/lists/{result.proposal_list.id}/bulk/"
    done = login(world, "xk_caseworker").post(
        url, {"action": "recommend", "reason": "Fits the profile.", "cases": ids}
    )
    assert done.status_code == 200
    assert "Recommend: 4 done, 0 refused" in done.content.decode()
    page = login(world, "xk_supervisor").post(
        url, {"action": "select", "reason": "Selected from the list.", "cases": ids}
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "Select: 2 done, 2 refused" in text
    for refused in result.cases[2:]:
        assert f'data-case="{refused.id}" data-rule="criteria"' in text
    states = dict(Case.objects.filter(agreement=agreement).values_list("id", "state"))
    assert [states[c.id] for c in result.cases] == [
        "selected",
        "selected",
        "recommended",
        "recommended",
    ]
    # The select button now shows the rows it can still take: the two refused remain open
    # to a second try, and the selected ones say "workflow".
    again = login(world, "xk_supervisor").get(f"/lists/{result.proposal_list.id}/").content.decode()
    assert 'data-action="select" data-refused="workflow"' in again


def test_a_bulk_decline_without_a_reason_names_the_field_and_writes_nothing(world, agreement):
    result = a_list(world, agreement)
    client = login(world, "xk_supervisor")
    rows = audit_rows()
    response = client.post(
        f"/lists/{result.proposal_list.id}/bulk/",
        {"action": "decline", "reason": " ", "cases": [str(result.cases[0].id)]},
    )
    assert response.status_code == 422
    assert 'id="err-reason"' in response.content.decode()
    assert audit_rows() == rows
    assert Case.objects.get(id=result.cases[0].id).state == "proposed"


def test_a_supervisor_reconsiders_a_decline_on_the_case_page(world, agreement):
    case = submit(world, agreement, [person()]).cases[0]
    act(case, "decline", world.user("xk_supervisor"), reason="Wrong row declined.")
    caseworker_page = login(world, "xk_caseworker").get(f"/cases/{case.id}/").content.decode()
    assert 'name="action" value="reconsider"' not in caseworker_page
    client = login(world, "xk_supervisor")
    page = client.get(f"/cases/{case.id}/").content.decode()
    assert 'name="action" value="reconsider"' in page and "Ground" in page
    version = Case.objects.get(id=case.id).version
    response = client.post(
        f"/cases/{case.id}/transitions/",
        {
            "action": "reconsider",
            "version": version,
            "reason": "Declined in error.",
            "payload-ground": "declined_in_error",
        },
    )
    assert response.status_code in (200, 302), response.content[:500]
    assert Case.objects.get(id=case.id).state == "proposed"


# Families ------------------------------------------------------------------------------------


def test_the_family_panel_lists_the_members_and_schedules_the_whole_family(world, agreement):
    result = a_list(world, agreement)
    first, second = result.cases[:2]
    sender = login(world, "us_caseworker")
    page = sender.get(f"/cases/{first.id}/").content.decode()
    assert 'id="family-panel"' in page and second.reference in page
    assert 'id="family-refusal" data-rule="workflow"' in page  # not selected yet
    select(world, first)
    page = sender.get(f"/cases/{first.id}/").content.decode()
    assert 'data-rule="family-group"' in page and second.reference in page
    select(world, second)
    page = sender.get(f"/cases/{first.id}/").content.decode()
    assert "Confirm: schedule the whole family" in page
    planned = (clock.now() + dt.timedelta(days=3)).astimezone(dt.UTC)
    form = {
        "payload-planned_for": planned.strftime("%Y-%m-%dT%H:%M"),
        "payload-route": "Washington Dulles → Prishtina, charter",
        "payload-notice_language": "es",
    }
    assert (
        login(world, "me_caseworker").post(f"/cases/{first.id}/family-transfer/", form).status_code
        == 404
    )
    rows = audit_rows()
    assert (
        login(world, "xk_caseworker").post(f"/cases/{first.id}/family-transfer/", form).status_code
        == 403
    )
    assert audit_rows() == rows
    response = sender.post(f"/cases/{first.id}/family-transfer/", form)
    assert response.status_code == 302
    scheduled = Case.objects.filter(id__in=[first.id, second.id])
    assert {c.state for c in scheduled} == {"transfer_scheduled"}
    assert len({c.transfer_plans.get().planned_for for c in scheduled}) == 1
    assert (
        AuditEvent.objects.filter(
            event_type=AuditEventType.FAMILY_TRANSFER_SCHEDULED, object_id="FAM-WEB"
        ).count()
        == 1
    )
    page = sender.get(f"/cases/{second.id}/").content.decode()
    assert page.count("transfer scheduled") + page.count("Transfer scheduled") >= 2


def test_the_list_page_reads_the_same_number_of_queries_for_4_rows_as_for_12(world, agreement):
    small = a_list(world, agreement)
    big = submit(
        world,
        agreement,
        [
            person(family_group=f"FAM-{i % 3}", nationalities=["VE", "CO"][i % 2 :][:1])
            for i in range(12)
        ],
    )
    client = login(world, "xk_supervisor")
    counts = []
    for proposal_list in (small.proposal_list, big.proposal_list):
        client.get(f"/lists/{proposal_list.id}/")  # warm the session and caches alike
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/lists/{proposal_list.id}/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
