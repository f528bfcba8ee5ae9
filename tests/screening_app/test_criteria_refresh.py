"""The case's criteria follow its screening: after a run and after each review.

The ``no_watchlist_match`` criterion reads the screening status. A run or a review changes
that status, so the criteria are evaluated again (trigger ``screening``) and the case page,
which shows the latest evaluation, never shows a stale "not screened yet".
"""

from __future__ import annotations

import pytest

from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.core.errors import Forbidden
from readmit.relocation.models import CriteriaEvaluation, EvaluationTrigger
from readmit.screening.services import (
    agreement_watchlist_add,
    screening_match_review,
    screening_run_start,
    watchlist_import,
)
from tests.factories import make_agreement, make_case
from tests.screening_app.conftest import make_dzevat

TERMS = {
    "quota": {"limit": 50, "period": "rolling_year"},
    "criteria": [{"rule": "no_watchlist_match"}],
}


@pytest.fixture
def setting(world, watchlist, samples):  # type: ignore[no-untyped-def]
    agreement = make_agreement(world.us, world.xk, terms=TERMS)
    agreement_watchlist_add(
        agreement=agreement, watchlist=watchlist, acting_user=world.user("xk_supervisor")
    )
    watchlist_import(
        watchlist=watchlist,
        path_or_file=samples / "watchlist.csv",
        acting_user=world.user("xk_supervisor"),
    )
    listed = make_dzevat(agreement)
    other = make_case(agreement, given_names="Marisol", family_name="Ocampo", nationality="VE")
    return agreement, listed, other


def watchlist_result(case) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    latest = CriteriaEvaluation.objects.filter(case=case).order_by("-evaluated_at").first()
    assert latest is not None
    (result,) = [r for r in latest.results if r["rule"] == "no_watchlist_match"]
    return latest.trigger, result["outcome"]


def run(world, agreement, capture):  # type: ignore[no-untyped-def]
    with capture(execute=True):
        screening_run_start(agreement=agreement, acting_user=world.user("xk_caseworker"))


def test_a_finished_run_evaluates_its_cases_again(
    world, setting, django_capture_on_commit_callbacks
):
    agreement, listed, other = setting
    assert not CriteriaEvaluation.objects.filter(case__in=[listed, other]).exists()
    run(world, agreement, django_capture_on_commit_callbacks)
    assert watchlist_result(other) == (EvaluationTrigger.SCREENING, "pass")
    assert watchlist_result(listed) == (EvaluationTrigger.SCREENING, "unknown")  # in review
    events = AuditEvent.objects.filter(
        event_type=AuditEventType.CRITERIA_EVALUATED, case_id__in=[listed.id, other.id]
    )
    assert events.count() == 2
    assert {e.data["trigger"] for e in events} == {"screening"}
    assert all(e.actor_id is None for e in events)  # the system, after the run


def test_confirming_a_match_fails_the_criterion_at_once_and_names_the_reviewer(
    world, setting, django_capture_on_commit_callbacks
):
    agreement, listed, _ = setting
    run(world, agreement, django_capture_on_commit_callbacks)
    reviewer = world.user("xk_supervisor")
    screening_match_review(
        match=listed.screening_matches.get(),
        decision="confirmed",
        reason="Same birth date and village.",
        acting_user=reviewer,
    )
    assert watchlist_result(listed) == (EvaluationTrigger.SCREENING, "fail")
    event = AuditEvent.objects.filter(
        event_type=AuditEventType.CRITERIA_EVALUATED, case_id=listed.id
    ).latest("seq")
    assert event.actor_id == reviewer.id
    assert event.data["not_passed"] == ["no_watchlist_match"]


def test_dismissing_a_match_lets_the_criterion_pass(
    world, setting, django_capture_on_commit_callbacks
):
    agreement, listed, _ = setting
    run(world, agreement, django_capture_on_commit_callbacks)
    screening_match_review(
        match=listed.screening_matches.get(),
        decision="dismissed",
        reason="Different father's name.",
        acting_user=world.user("xk_caseworker"),
    )
    assert watchlist_result(listed) == (EvaluationTrigger.SCREENING, "pass")


def test_a_refused_review_evaluates_nothing(world, setting, django_capture_on_commit_callbacks):
    agreement, listed, _ = setting
    run(world, agreement, django_capture_on_commit_callbacks)
    before = CriteriaEvaluation.objects.filter(case=listed).count()
    with pytest.raises(Forbidden):  # the sending party does not decide public order
        screening_match_review(
            match=listed.screening_matches.get(),
            decision="confirmed",
            reason="Not ours to decide",
            acting_user=world.user("us_caseworker"),
        )
    assert CriteriaEvaluation.objects.filter(case=listed).count() == before
    assert watchlist_result(listed) == (EvaluationTrigger.SCREENING, "unknown")


def test_screening_again_with_nothing_new_adds_no_evaluation(
    world, setting, django_capture_on_commit_callbacks
):
    agreement, listed, other = setting
    run(world, agreement, django_capture_on_commit_callbacks)
    evaluations = CriteriaEvaluation.objects.filter(case__in=[listed, other])
    events = AuditEvent.objects.filter(event_type=AuditEventType.CRITERIA_EVALUATED)
    counts = (evaluations.count(), events.count())
    run(world, agreement, django_capture_on_commit_callbacks)  # the same list, the same people
    assert (evaluations.count(), events.count()) == counts
    screening_match_review(  # this changes what the criterion reads: one new evaluation
        match=listed.screening_matches.get(),
        decision="confirmed",
        reason="Same birth date and village.",
        acting_user=world.user("xk_supervisor"),
    )
    assert (evaluations.count(), events.count()) == (counts[0] + 1, counts[1] + 1)


def test_the_case_history_shows_both_parties_the_review_and_what_it_changed(
    world, setting, login, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    agreement, listed, _ = setting
    run(world, agreement, django_capture_on_commit_callbacks)
    screening_match_review(
        match=listed.screening_matches.get(),
        decision="confirmed",
        reason="Same birth date and village.",
        acting_user=world.user("xk_supervisor"),
    )
    for who in ("xk_caseworker", "us_caseworker"):
        page = login(who).get(reverse("web:case", args=[listed.id])).content.decode()
        assert "Screening match reviewed: same person" in page
        assert "Same birth date and village." in page
        assert "Criteria evaluated: fail (screening changed)" in page
        assert "Not passed: no_watchlist_match" in page
        assert "WL-001" not in page  # the entry stays on the owner's screening page
