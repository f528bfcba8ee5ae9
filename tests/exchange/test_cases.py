from __future__ import annotations

import base64
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from readmit.cases.services import case_transition
from tests.exchange.conftest import assert_problem
from tests.factories import make_agreement, make_case


@pytest.fixture
def case(world):
    return make_case(
        world.agreement,
        family_name="Ibrahimović",
        given_names="Amra",
        external_id="DHS-0001",
        birth_year=1990,
        birth_month=4,
    )


# Tenancy -----------------------------------------------------------------------------------


def test_a_case_is_found_by_a_party_and_not_found_by_an_outsider(api, world, case):
    path = f"/api/v1/cases/{case.id}"
    assert api.get(path, world.user("xk_caseworker")).status_code == 200
    assert_problem(api.get(path, world.user("me_caseworker")), 404, "not-found")


def test_the_case_list_of_an_outsider_does_not_contain_the_case(api, world, case):
    mine = api.get("/api/v1/cases", world.user("us_caseworker")).json()["items"]
    assert [c["id"] for c in mine] == [str(case.id)]
    theirs = api.get("/api/v1/cases", world.user("me_caseworker"))
    assert theirs.status_code == 200
    assert theirs.json() == {"items": [], "next_cursor": None}


def test_administrators_see_no_cases_but_auditors_do(api, world, case):
    path = f"/api/v1/cases/{case.id}"
    assert_problem(api.get(path, world.user("xk_administrator")), 404, "not-found")
    assert api.get("/api/v1/cases", world.user("xk_administrator")).json()["items"] == []
    assert api.get(path, world.user("xk_auditor")).status_code == 200


def test_a_malformed_case_id_answers_404(api, world):
    assert_problem(api.get("/api/v1/cases/42", world.user("us_caseworker")), 404, "not-found")
    assert_problem(
        api.get(f"/api/v1/cases/{uuid.uuid4()}", world.user("us_caseworker")), 404, "not-found"
    )


# Shape -------------------------------------------------------------------------------------


def test_a_case_shows_its_person_state_deadlines_and_version(api, world, case):
    body = api.get(f"/api/v1/cases/{case.id}", world.user("us_caseworker")).json()
    assert body["reference"] == case.reference
    assert body["external_id"] == "DHS-0001"
    assert body["agreement"] == str(world.agreement.id)
    assert (body["kind"], body["state"], body["legal_hold"]) == ("relocation", "proposed", False)
    assert body["person"] == {
        "given_names": "Amra",
        "family_name": "Ibrahimović",
        "given_names_latin": "",
        "family_name_latin": "",
        "birth_date": "1990-04",
        "sex": "U",
        "nationalities": ["VE"],
    }
    assert body["deadlines"] == []
    assert body["version"] == 1
    assert body["created_at"] and body["updated_at"]


@pytest.mark.parametrize(
    ("parts", "shown"),
    [
        ({"birth_year": 1990}, "1990"),
        ({"birth_year": 1990, "birth_month": 4}, "1990-04"),
        ({"birth_year": 1990, "birth_month": 4, "birth_day": 12}, "1990-04-12"),
        ({"birth_year": None}, None),
    ],
)
def test_a_partial_birth_date_is_shown_as_precisely_as_it_is_known(api, world, parts, shown):
    case = make_case(world.agreement, **parts)
    body = api.get(f"/api/v1/cases/{case.id}", world.user("us_caseworker")).json()
    assert body["person"]["birth_date"] == shown


def test_a_readmission_case_shows_its_reply_deadline(api, world):
    agreement = make_agreement(
        world.us,
        world.xk,
        kind="readmission",
        terms={"time_limits": {"reply": {"amount": 12, "unit": "calendar_days"}}},
    )
    case = make_case(agreement)
    body = api.get(f"/api/v1/cases/{case.id}", world.user("us_caseworker")).json()
    assert [(d["kind"], d["met_at"]) for d in body["deadlines"]] == [("reply", None)]
    assert body["deadlines"][0]["label"] == "Reply to the application"
    assert body["deadlines"][0]["due_on"]


def test_allowed_actions_are_those_the_caller_may_take_now(api, world, case):
    path = f"/api/v1/cases/{case.id}"

    def allowed(key):
        return set(api.get(path, world.user(key)).json()["allowed_actions"])

    assert allowed("xk_caseworker") == {"recommend", "place_legal_hold"}
    assert allowed("xk_supervisor") == {"recommend", "decline", "place_legal_hold"}
    assert allowed("us_caseworker") == {"withdraw", "place_legal_hold"}
    assert allowed("xk_auditor") == set()
    assert allowed("xk_liaison") == set()


# ETag --------------------------------------------------------------------------------------


def test_a_case_carries_its_etag_and_if_none_match_answers_304(api, world, case):
    user = world.user("us_caseworker")
    first = api.get(f"/api/v1/cases/{case.id}", user)
    etag = first["ETag"]
    assert etag == case.etag
    unchanged = api.get(f"/api/v1/cases/{case.id}", user, HTTP_IF_NONE_MATCH=etag)
    assert unchanged.status_code == 304
    assert unchanged["ETag"] == etag
    assert unchanged.content == b""


def test_if_none_match_with_an_old_etag_answers_the_changed_case(api, world, case):
    user = world.user("us_caseworker")
    old = api.get(f"/api/v1/cases/{case.id}", user)["ETag"]
    case_transition(case_id=case.id, action="recommend", acting_user=world.user("xk_caseworker"))
    changed = api.get(f"/api/v1/cases/{case.id}", user, HTTP_IF_NONE_MATCH=old)
    assert changed.status_code == 200
    assert changed["ETag"] != old
    assert changed.json()["state"] == "recommended"


def test_if_none_match_does_not_reveal_a_case_that_is_not_yours(api, world, case):
    response = api.get(
        f"/api/v1/cases/{case.id}", world.user("me_caseworker"), HTTP_IF_NONE_MATCH=case.etag
    )
    assert_problem(response, 404, "not-found")


# Listing and pagination --------------------------------------------------------------------


def test_cursor_pagination_walks_every_case_exactly_once(api, world):
    created = {str(make_case(world.agreement).id) for _ in range(7)}
    user = world.user("xk_caseworker")
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        query = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        body = api.get("/api/v1/cases", user, query=query).json()
        seen += [c["id"] for c in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
        # A case opened while paging appears on no later page: pages move back in time.
        make_case(world.agreement)
    assert pages == 3
    assert len(seen) == len(set(seen)) == 7
    assert set(seen) == created


def test_cases_are_listed_newest_first(api, world):
    older, newer = make_case(world.agreement), make_case(world.agreement)
    items = api.get("/api/v1/cases", world.user("us_caseworker")).json()["items"]
    assert [c["id"] for c in items] == [str(newer.id), str(older.id)]


def test_the_list_filters_by_agreement_and_by_state(api, world):
    other = make_agreement(world.us, world.xk)
    in_world = make_case(world.agreement)
    recommended = make_case(world.agreement)
    in_other = make_case(other)
    case_transition(
        case_id=recommended.id, action="recommend", acting_user=world.user("xk_caseworker")
    )
    user = world.user("us_caseworker")

    def ids(query):
        return {c["id"] for c in api.get("/api/v1/cases", user, query=query).json()["items"]}

    assert ids({}) == {str(in_world.id), str(recommended.id), str(in_other.id)}
    assert ids({"agreement": str(other.id)}) == {str(in_other.id)}
    assert ids({"state": "recommended"}) == {str(recommended.id)}
    assert ids({"agreement": str(other.id), "state": "recommended"}) == set()


@pytest.mark.parametrize(
    "cursor",
    [
        "not base64 at all!",
        base64.urlsafe_b64encode(b"[1, 2, 3]").decode(),
        base64.urlsafe_b64encode(b'["2026-01-01T00:00:00", "x"]').decode(),
        base64.urlsafe_b64encode(b'["2026-01-01T00:00:00+00:00", "not-a-uuid"]').decode(),
    ],
)
def test_an_invalid_cursor_is_refused_naming_the_cursor(api, world, cursor):
    response = api.get("/api/v1/cases", world.user("us_caseworker"), query={"cursor": cursor})
    body = assert_problem(response, 422, "validation-failed")
    assert body["errors"] == [{"loc": ["query", "cursor"], "msg": "invalid cursor"}]


@pytest.mark.parametrize(
    ("query", "loc"),
    [
        ({"state": "teleported"}, ["query", "state"]),
        ({"agreement": "not-a-uuid"}, ["query", "agreement"]),
        ({"limit": 0}, ["query", "limit"]),
        ({"limit": 201}, ["query", "limit"]),
        ({"limit": "many"}, ["query", "limit"]),
    ],
)
def test_an_invalid_filter_is_refused_naming_it(api, world, query, loc):
    response = api.get("/api/v1/cases", world.user("us_caseworker"), query=query)
    body = assert_problem(response, 422, "validation-failed")
    assert [e["loc"] for e in body["errors"]] == [loc]


def test_listing_cases_costs_the_same_queries_for_many_cases_as_for_few(api, world):
    readmission = make_agreement(
        world.us,
        world.xk,
        kind="readmission",
        terms={"time_limits": {"reply": {"amount": 12, "unit": "calendar_days"}}},
    )
    user = world.user("us_caseworker")
    api.get("/api/v1/cases", user)  # the token's first use writes last_used_at

    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = api.get("/api/v1/cases", user)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    make_case(world.agreement)
    make_case(readmission)
    few = queries_for_page()
    for _ in range(4):
        make_case(world.agreement)
        make_case(readmission)
    many = queries_for_page()
    assert api.get("/api/v1/cases", user).json()["items"][0]["deadlines"]
    assert many == few
    assert few <= 10
