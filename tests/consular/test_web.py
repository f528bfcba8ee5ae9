"""Consular requests in the web: ask from the case page, the mission's list, take/complete."""

from __future__ import annotations

import pytest
from django.test import Client

from readmit.consular.models import ConsularRequest
from readmit.consular.services import consular_request_create
from tests.factories import log_in


@pytest.fixture
def as_user(client: Client, consular):  # type: ignore[no-untyped-def]
    def _as(key: str) -> Client:
        return log_in(client, consular.user(key))

    return _as


def _ask(consular, region: str = "US-NY") -> ConsularRequest:  # type: ignore[no-untyped-def]
    return consular_request_create(
        acting_user=consular.user("us_caseworker"),
        kind="interview",
        requester="sending_state",
        residence_region=region,
        case_id=consular.case.id,
    ).request


def test_the_sending_state_asks_the_consulate_from_the_case_page(as_user, consular):
    client = as_user("us_caseworker")
    page = client.get(f"/cases/{consular.case.id}/")
    assert "Ask the consulate" in page.content.decode()
    response = client.post(
        f"/cases/{consular.case.id}/consular/",
        {"kind": "travel_document", "residence_region": "us-md", "details": "ETD please"},
        follow=True,
    )
    created = ConsularRequest.objects.get()
    assert created.routed_to == consular.dc and created.requester == "sending_state"
    assert created.reference in response.content.decode()
    assert "Embassy in Washington&#x27;s district covers US-MD" in response.content.decode()


def test_a_bad_address_is_named_next_to_its_field_and_nothing_is_written(as_user, consular):
    client = as_user("us_caseworker")
    response = client.post(
        f"/cases/{consular.case.id}/consular/",
        {"kind": "travel_document", "residence_region": "US-ZZ"},
    )
    assert response.status_code == 422
    assert 'id="consular-region-error"' in response.content.decode()
    assert "unknown subdivision" in response.content.decode()
    assert ConsularRequest.objects.count() == 0


def test_the_wrong_party_and_role_cannot_ask(as_user, consular):
    assert (
        as_user("xk_caseworker")
        .post(
            f"/cases/{consular.case.id}/consular/",
            {"kind": "interview", "residence_region": "US-NY"},
        )
        .status_code
        == 404
    )
    auditor = as_user("us_auditor")
    assert "Ask the consulate" not in auditor.get(f"/cases/{consular.case.id}/").content.decode()
    assert (
        auditor.post(
            f"/cases/{consular.case.id}/consular/",
            {"kind": "interview", "residence_region": "US-NY"},
        ).status_code
        == 403
    )
    assert ConsularRequest.objects.count() == 0


def test_the_mission_lists_only_its_requests_and_takes_and_completes_one(as_user, consular):
    ny_request = _ask(consular, "US-NY")
    dc_request = _ask(consular, "US-DC")
    client = as_user("ny_liaison")
    listing = client.get("/consular/").content.decode()
    assert ny_request.reference in listing and dc_request.reference not in listing
    assert client.get(f"/consular/{dc_request.id}/").status_code == 404
    url = f"/consular/{ny_request.id}/transitions/"
    client.post(url, {"action": "take", "version": 1})
    ny_request.refresh_from_db()
    assert ny_request.state == "in_progress" and ny_request.owner == consular.user("ny_liaison")
    empty = client.post(url, {"action": "complete", "version": 2, "outcome": ""})
    assert empty.status_code == 422 and "needs its outcome" in empty.content.decode()
    done = client.post(url, {"action": "complete", "version": 2, "outcome": "Interviewed."})
    assert done.status_code == 302
    ny_request.refresh_from_db()
    assert (ny_request.state, ny_request.outcome) == ("done", "Interviewed.")
    # The case the request routes is now on the mission's case page, with its panel.
    case_page = client.get(f"/cases/{consular.case.id}/").content.decode()
    assert ny_request.reference in case_page and dc_request.reference not in case_page


def test_another_mission_and_another_state_get_404_and_the_wrong_role_403(as_user, consular):
    item = _ask(consular, "US-NY")
    url = f"/consular/{item.id}/transitions/"
    assert as_user("dc_liaison").post(url, {"action": "take", "version": 1}).status_code == 404
    assert as_user("xk_caseworker").get(f"/consular/{item.id}/").status_code == 404
    assert as_user("ny_auditor").post(url, {"action": "take", "version": 1}).status_code == 403
    assert as_user("us_caseworker").post(url, {"action": "take", "version": 1}).status_code == 403
    item.refresh_from_db()
    assert item.state == "open" and item.owner is None


def test_the_ministrys_administrator_sets_a_district_and_a_bad_code_is_named(as_user, consular):
    from readmit.consular.services import district_of

    client = as_user("mfa_administrator")
    page = client.get("/consular/districts/").content.decode()
    assert "US-NY US-NJ US-CT" in page or "US-CT US-NJ US-NY" in page
    bad = client.post(
        "/consular/districts/", {"mission": str(consular.dc.id), "district": "US-DC, US-ZZ"}
    )
    assert bad.status_code == 422 and "unknown subdivision" in bad.content.decode()
    taken = client.post(
        "/consular/districts/", {"mission": str(consular.dc.id), "district": "US-DC US-NJ"}
    )
    assert taken.status_code == 422
    assert "US-NJ is in the district of Consulate General in New York" in taken.content.decode()
    assert sorted(district_of(consular.dc)) == ["US-DC", "US-MD", "US-VA"]
    saved = client.post(
        "/consular/districts/", {"mission": str(consular.dc.id), "district": "us-dc us-va"}
    )
    assert saved.status_code == 302
    assert sorted(district_of(consular.dc)) == ["US-DC", "US-VA"]


def test_districts_are_refused_to_other_roles_and_other_ministries(as_user, consular):
    assert as_user("mfa_caseworker").get("/consular/districts/").status_code == 403
    other_admin = as_user("xk_administrator")
    assert other_admin.get("/consular/districts/").status_code == 404
    assert (
        as_user("mfa_administrator")
        .post("/consular/districts/", {"mission": str(consular.world.xk.id), "district": "US-TX"})
        .status_code
        == 404
    )


def test_a_mission_reads_the_refusals_of_a_request_in_montenegrin_and_the_api_in_english(
    as_user, consular
):
    """Issue #14: the consulate's liaison officer reads the refusal in their language; the
    service's English (message and field message) stays for the API."""
    from readmit.accounts.services import user_set_language
    from readmit.consular.services import consular_request_transition
    from readmit.core.errors import ValidationFailed

    request = _ask(consular, "US-NY")
    liaison = consular.user("ny_liaison")
    user_set_language(user=liaison, language="cnr", acting_user=liaison)
    client = as_user("ny_liaison")
    url = f"/consular/{request.id}/transitions/"
    client.post(url, {"action": "take", "version": 1})
    empty = client.post(url, {"action": "complete", "version": 2, "outcome": ""})
    body = empty.content.decode()
    assert empty.status_code == 422
    assert "Za završetak zahtjeva potreban je njegov ishod." in body
    assert "the outcome is required" not in body and "needs its outcome" not in body
    with pytest.raises(ValidationFailed) as refused:
        consular_request_transition(
            request_id=request.id, action="complete", outcome="", acting_user=liaison
        )
    assert refused.value.message == "Completing a request needs its outcome."
    assert refused.value.errors == [{"loc": ["outcome"], "msg": "the outcome is required"}]
