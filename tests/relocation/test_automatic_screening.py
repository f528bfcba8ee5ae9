"""A list that arrives is screened without anyone asking, and its criteria follow.

The list endpoint records one screening run (``trigger = list_arrived``, started by the
system) over the new cases and enqueues it once the list is committed; when the run
finishes, the ``no_watchlist_match`` criterion is evaluated again. No further call.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from readmit.accounts.services import token_create
from readmit.cases.models import Case
from readmit.relocation.models import CriteriaEvaluation, EvaluationTrigger
from readmit.screening.models import RunStatus, RunTrigger, ScreeningMatch, ScreeningRun
from readmit.screening.services import agreement_watchlist_add, watchlist_import
from tests.factories import SYSTEM
from tests.relocation.conftest import kosovo, person
from tests.screening_lists import SAMPLES, fictional_list


@pytest.fixture
def samples() -> Path:
    return SAMPLES


@pytest.fixture
def watchlist(world):  # type: ignore[no-untyped-def]
    return fictional_list(world)


CRITERIA = [{"rule": "no_watchlist_match"}]


def submit_through_api(world: Any, agreement: Any, people: list[dict[str, Any]]) -> Any:
    _, token = token_create(user=world.user("us_caseworker"), name="partner", acting_user=SYSTEM)
    return Client().post(
        f"/api/v1/agreements/{agreement.id}/lists",
        data=json.dumps({"reference": "US-XK-AUTO-1", "people": people}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def watchlist_outcome(case: Case) -> tuple[str, str]:
    latest = CriteriaEvaluation.objects.filter(case=case).order_by("-evaluated_at").first()
    assert latest is not None
    (result,) = [r for r in latest.results if r["rule"] == "no_watchlist_match"]
    return latest.trigger, result["outcome"]


def test_a_list_submitted_through_the_api_is_screened_and_its_criteria_evaluated_with_no_further_call(  # noqa: E501
    world, watchlist, samples, django_capture_on_commit_callbacks
):
    agreement = kosovo(world, criteria=CRITERIA)
    agreement_watchlist_add(
        agreement=agreement, watchlist=watchlist, acting_user=world.user("xk_supervisor")
    )
    watchlist_import(
        watchlist=watchlist,
        path_or_file=samples / "watchlist.csv",
        acting_user=world.user("xk_supervisor"),
    )
    listed = person(
        given_names="Dževat",
        family_name="Ukšini",
        birth_date="1979-04-12",
        sex="M",
        nationalities=["XK"],
        documents=[],
    )
    other = person(given_names="Marisol", family_name="Ocampo")
    with django_capture_on_commit_callbacks(execute=True):
        response = submit_through_api(world, agreement, [listed, other])
    assert response.status_code == 201, response.content
    cases = {c["external_id"]: c["id"] for c in response.json()["cases"]}

    run = ScreeningRun.objects.get(agreement=agreement)
    assert run.trigger == RunTrigger.LIST_ARRIVED and run.started_by is None
    assert run.status == RunStatus.DONE
    assert {str(c) for c in run.cases.values_list("id", flat=True)} == set(cases.values())
    listed_case = Case.objects.get(id=cases[listed["external_id"]])
    other_case = Case.objects.get(id=cases[other["external_id"]])
    assert ScreeningMatch.objects.filter(case=listed_case, status="pending").exists()
    assert not ScreeningMatch.objects.filter(case=other_case).exists()
    assert watchlist_outcome(other_case) == (EvaluationTrigger.SCREENING, "pass")
    assert watchlist_outcome(listed_case) == (EvaluationTrigger.SCREENING, "unknown")


def test_a_list_under_an_agreement_without_watchlists_starts_no_run(
    world, django_capture_on_commit_callbacks
):
    agreement = kosovo(world, criteria=CRITERIA)
    with django_capture_on_commit_callbacks(execute=True):
        response = submit_through_api(world, agreement, [person()])
    assert response.status_code == 201, response.content
    assert not ScreeningRun.objects.filter(agreement=agreement).exists()
    (case,) = Case.objects.filter(agreement=agreement)
    assert watchlist_outcome(case) == (EvaluationTrigger.LIST, "unknown")


def test_a_new_watchlist_version_screens_every_open_case_and_evaluates_its_criteria_again(
    world, watchlist, samples, django_capture_on_commit_callbacks
):
    agreement = kosovo(world, criteria=CRITERIA)
    agreement_watchlist_add(
        agreement=agreement, watchlist=watchlist, acting_user=world.user("xk_supervisor")
    )
    listed = person(
        given_names="Dževat",
        family_name="Ukšini",
        birth_date="1979-04-12",
        sex="M",
        nationalities=["XK"],
        documents=[],
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = submit_through_api(world, agreement, [listed, person()])
    assert response.status_code == 201, response.content
    cases = list(Case.objects.filter(agreement=agreement))
    assert {watchlist_outcome(c)[1] for c in cases} == {"unknown"}  # the list has no version yet

    with django_capture_on_commit_callbacks(execute=True):
        watchlist_import(
            watchlist=watchlist,
            path_or_file=samples / "watchlist.csv",
            acting_user=world.user("xk_supervisor"),
        )
    rescreen = ScreeningRun.objects.get(agreement=agreement, trigger=RunTrigger.WATCHLIST_UPDATE)
    assert rescreen.status == RunStatus.DONE
    assert set(rescreen.cases.all()) == set(cases)
    outcomes = {c.external_id: watchlist_outcome(c) for c in cases}
    assert outcomes[listed["external_id"]] == (EvaluationTrigger.SCREENING, "unknown")  # review
    assert sorted(outcomes.values())[0] == (EvaluationTrigger.SCREENING, "pass")
