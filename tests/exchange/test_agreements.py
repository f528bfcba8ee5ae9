from __future__ import annotations

import datetime as dt
import uuid

from readmit.agreements.quota import period_containing
from readmit.agreements.services import site_create
from readmit.agreements.terms import Quota
from readmit.cases.services import case_transition
from readmit.core import clock
from tests.exchange.conftest import assert_problem
from tests.factories import SYSTEM, make_agreement, make_case, make_org


def test_the_list_shows_only_agreements_the_callers_organisation_is_party_to(api, world):
    ids = {a["id"] for a in api.get("/api/v1/agreements", world.user("us_caseworker")).json()}
    assert ids == {str(world.agreement.id)}
    outsider = api.get("/api/v1/agreements", world.user("me_caseworker"))
    assert outsider.status_code == 200
    assert outsider.json() == []


def test_an_agreement_is_found_by_a_party_and_not_found_by_an_outsider(api, world):
    path = f"/api/v1/agreements/{world.agreement.id}"
    assert api.get(path, world.user("xk_liaison")).status_code == 200
    assert_problem(api.get(path, world.user("me_liaison")), 404, "not-found")


def test_not_yours_answers_exactly_like_does_not_exist(api, world):
    outsider = world.user("me_caseworker")
    theirs = api.get(f"/api/v1/agreements/{world.agreement.id}", outsider).json()
    missing = api.get(f"/api/v1/agreements/{uuid.uuid4()}", outsider).json()
    for body in (theirs, missing):
        # The path and the request's own id (X-Request-ID) differ by construction.
        body.pop("instance")
        body.pop("request_id")
    assert theirs == missing


def test_a_malformed_agreement_id_answers_404(api, world):
    assert_problem(
        api.get("/api/v1/agreements/not-a-uuid", world.user("us_caseworker")), 404, "not-found"
    )


def test_an_agreement_shows_kind_status_parties_and_its_quota(api, world):
    body = api.get(f"/api/v1/agreements/{world.agreement.id}", world.user("us_caseworker")).json()
    assert body["kind"] == "relocation"
    assert body["status"] == "in_force"
    assert body["reference"] == world.agreement.reference
    parties = {p["side"]: p for p in body["parties"]}
    assert parties["sending"]["country"] == "US"
    assert parties["sending"]["organisation"] == {
        "id": str(world.us.id),
        "name": world.us.name,
        "slug": world.us.slug,
    }
    assert parties["receiving"]["country"] == "XK"
    period = period_containing(
        Quota(limit=50), day=clock.today(), in_force_from=dt.date(2026, 1, 1), ends_on=None
    )
    assert period is not None
    assert body["quota"] == {
        "limit": 50,
        "used": 0,
        "remaining": 50,
        "period_start": period.start.isoformat(),
        "period_end": period.end.isoformat(),
    }
    assert body["in_force_from"] == "2026-01-01"
    assert body["ends_on"] is None


def test_the_quota_counts_selected_people(api, world):
    case = make_case(world.agreement)
    case_transition(case_id=case.id, action="recommend", acting_user=world.user("xk_caseworker"))
    case_transition(case_id=case.id, action="select", acting_user=world.user("xk_supervisor"))
    body = api.get(f"/api/v1/agreements/{world.agreement.id}", world.user("us_caseworker")).json()
    assert (body["quota"]["used"], body["quota"]["remaining"]) == (1, 49)


def test_an_agreement_without_a_quota_shows_null(api, world):
    agreement = make_agreement(world.us, world.xk, kind="readmission")
    body = api.get(f"/api/v1/agreements/{agreement.id}", world.user("us_caseworker")).json()
    assert body["kind"] == "readmission"
    assert body["quota"] is None


def test_a_reception_agreement_shows_its_sites_and_capacity(api, world):
    italy, albania = make_org("IT"), make_org("AL")
    agreement = make_agreement(
        italy,
        albania,
        kind="reception",
        terms={"capacity": {"max_present": 3000, "max_per_year": 36000}},
    )
    site_create(
        agreement=agreement, name="Gjader", country_code="AL", capacity=880, acting_user=SYSTEM
    )
    site_create(
        agreement=agreement, name="Shengjin", country_code="AL", capacity=144, acting_user=SYSTEM
    )
    # The world's users belong to none of these two authorities: add a member of Albania's.
    from tests.factories import make_user

    body = api.get(f"/api/v1/agreements/{agreement.id}", make_user(albania)).json()
    assert body["kind"] == "reception"
    assert body["capacity"] == {"max_present": 3000, "max_per_year": 36000}
    assert [(s["name"], s["capacity"]) for s in body["sites"]] == [
        ("Gjader", 880),
        ("Shengjin", 144),
    ]
    assert_problem(
        api.get(f"/api/v1/agreements/{agreement.id}", world.user("us_caseworker")), 404, "not-found"
    )


def test_a_quota_outside_the_agreements_life_has_no_period_and_nothing_remaining(api, world):
    future = make_agreement(world.us, world.xk, in_force_from=clock.today() + dt.timedelta(days=30))
    body = api.get(f"/api/v1/agreements/{future.id}", world.user("us_caseworker")).json()
    assert body["quota"] == {
        "limit": 50,
        "used": 0,
        "remaining": 0,
        "period_start": None,
        "period_end": None,
    }
