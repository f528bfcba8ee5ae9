"""GET/POST /api/v1/cases/{id}/criteria: both parties read; workers ask again; others refused."""

from __future__ import annotations

import pytest

from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.relocation.models import CriteriaEvaluation
from readmit.relocation.services import case_evaluate
from tests.exchange.conftest import assert_problem
from tests.factories import make_agreement, make_case

TERMS = {
    "quota": {"limit": 50, "period": "rolling_year"},
    "criteria": [
        {"rule": "nationality_in", "params": {"codes": ["CU", "HT", "NI", "VE"]}},
        {"rule": "no_watchlist_match"},
    ],
}


@pytest.fixture
def relocation_case(world):  # type: ignore[no-untyped-def]
    agreement = make_agreement(world.us, world.xk, terms=TERMS)
    return make_case(agreement, given_names="Marisol", family_name="Ocampo", nationality="VE")


def url(case) -> str:  # type: ignore[no-untyped-def]
    return f"/api/v1/cases/{case.id}/criteria"


def test_never_evaluated_answers_null(api, world, relocation_case):
    response = api.get(url(relocation_case), world.user("us_caseworker"))
    assert response.status_code == 200
    assert response.json() == {"case": str(relocation_case.id), "latest": None}


def test_both_parties_read_the_latest_evaluation_rule_by_rule(api, world, relocation_case):
    case_evaluate(case=relocation_case, acting_user=world.user("xk_caseworker"))
    for who in ("us_caseworker", "xk_auditor"):
        body = api.get(url(relocation_case), world.user(who)).json()
        latest = body["latest"]
        assert latest["trigger"] == "recheck"
        assert latest["outcome"] == "unknown"  # not screened yet: never a pass
        rules = {r["rule"]: r["outcome"] for r in latest["results"]}
        assert rules == {"nationality_in": "pass", "no_watchlist_match": "unknown"}


def test_a_worker_asks_again_and_it_is_stored_and_audited(api, world, relocation_case):
    user = world.user("us_supervisor")
    response = api.client.post(url(relocation_case), **api._auth(user, None))
    assert response.status_code == 201
    body = response.json()
    stored = CriteriaEvaluation.objects.get(case=relocation_case)
    assert body["id"] == str(stored.id) and body["trigger"] == "recheck"
    event = AuditEvent.objects.get(event_type=AuditEventType.CRITERIA_EVALUATED)
    assert event.actor_id == user.id and event.case_id == relocation_case.id


def test_the_wrong_role_is_refused_and_nothing_is_stored(api, world, relocation_case):
    user = world.user("xk_auditor")
    response = api.client.post(url(relocation_case), **api._auth(user, None))
    assert_problem(response, 403, "wrong-role")
    assert not CriteriaEvaluation.objects.filter(case=relocation_case).exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_non_party_and_a_malformed_id_get_404(api, world, relocation_case, method):
    outsider = world.user("me_supervisor")
    call = getattr(api.client, method)
    assert_problem(call(url(relocation_case), **api._auth(outsider, None)), 404, "not-found")
    insider = world.user("xk_caseworker")
    assert_problem(
        call("/api/v1/cases/not-a-uuid/criteria", **api._auth(insider, None)), 404, "not-found"
    )
    assert not CriteriaEvaluation.objects.exists()


def test_a_readmission_case_has_no_criteria(api, world):
    agreement = make_agreement(world.us, world.me, kind="readmission")
    case = make_case(agreement)
    assert_problem(api.get(url(case), world.user("us_caseworker")), 404, "not-found")


def test_no_token_is_401(api, relocation_case):
    assert api.get(url(relocation_case)).status_code == 401
