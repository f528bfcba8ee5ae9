"""Decisions: criteria evaluated at the decision, exclusions named, recommendations kept."""

from __future__ import annotations

import pytest

from readmit.accounts.roles import Role
from readmit.audit.models import AuditEvent
from readmit.cases.models import Case, QuotaAllocation
from readmit.core.errors import Forbidden, NotFound, TransitionRefused, ValidationFailed
from readmit.relocation.models import CriteriaEvaluation
from readmit.relocation.selectors import latest_evaluation
from readmit.relocation.services import case_evaluate
from tests.relocation.conftest import act, kosovo, person, select, submit


def snapshot(case: Case) -> tuple[int, int, str, int, int]:
    case.refresh_from_db()
    return (
        AuditEvent.objects.count(),
        case.version,
        case.state,
        QuotaAllocation.objects.count(),
        CriteriaEvaluation.objects.count(),
    )


def one(world, agreement, **overrides) -> Case:
    return submit(world, agreement, [person(**overrides)]).cases[0]


def test_a_person_who_passes_every_criterion_is_selected_and_takes_a_quota_place(world, agreement):
    case = one(world, agreement)
    select(world, case)
    case.refresh_from_db()
    assert case.state == "selected"
    assert case.data["recommendation"]["recommendation"] == "select"
    assert case.data["decision"]["decision"] == "selected"
    decision = latest_evaluation(case)
    assert (decision.trigger, decision.outcome) == ("decision", "pass")
    event = AuditEvent.objects.filter(case_id=case.id).order_by("-seq").first()
    assert event.data["criteria"]["outcome"] == "pass"
    assert QuotaAllocation.objects.filter(case=case, released_at__isnull=True).count() == 1


@pytest.mark.parametrize(
    ("overrides", "failing", "outcome"),
    [
        (
            {
                "convictions": [
                    {
                        "offence": "assault",
                        "category": "02",
                        "date": "2022-03-01",
                        "country": "US",
                    }
                ]
            },
            "no_conviction_within_years",
            "fail",
        ),
        ({"pending_cases": True}, "no_pending_criminal_case", "fail"),
        ({"birth_date": "1950"}, "age_between", "fail"),
        ({"pending_cases": None}, "no_pending_criminal_case", "unknown"),
        ({"convictions": None}, "no_conviction_within_years", "unknown"),
    ],
)
def test_a_failing_or_unknown_criterion_refuses_the_selection_naming_the_rule_and_writes_nothing(
    world, agreement, overrides, failing, outcome
):
    case = one(world, agreement, **overrides)
    act(case, "recommend", world.user("xk_caseworker"))
    before = snapshot(case)
    with pytest.raises(TransitionRefused) as refused:
        act(case, "select", world.user("xk_supervisor"))
    assert refused.value.rule == "criteria"
    assert failing in refused.value.message
    assert f"({outcome})" in refused.value.message
    assert [r["rule"] for r in refused.value.extra["rules"]] == [failing]
    assert snapshot(case) == before


def test_a_watchlist_criterion_is_unknown_until_screening_supplies_a_status(world):
    agreement = kosovo(world, criteria=[{"rule": "no_watchlist_match"}])
    case = one(world, agreement)
    assert latest_evaluation(case).outcome == "unknown"
    act(case, "recommend", world.user("xk_caseworker"))
    with pytest.raises(TransitionRefused) as refused:
        act(case, "select", world.user("xk_supervisor"))
    assert "no_watchlist_match" in refused.value.message


@pytest.mark.parametrize(
    ("status", "allowed"),
    [("no_match", True), ("confirmed_match", False), ("pending_review", False), (None, False)],
)
def test_the_watchlist_criterion_follows_the_screening_status(world, monkeypatch, status, allowed):
    from readmit.relocation import selectors

    monkeypatch.setattr(selectors, "watchlist_status_for", lambda case: status)
    agreement = kosovo(world, criteria=[{"rule": "no_watchlist_match"}])
    case = one(world, agreement)
    act(case, "recommend", world.user("xk_caseworker"))
    if allowed:
        act(case, "select", world.user("xk_supervisor"))
        return
    with pytest.raises(TransitionRefused) as refused:
        act(case, "select", world.user("xk_supervisor"))
    assert refused.value.rule == "criteria"


@pytest.mark.parametrize(
    ("exclusions", "overrides"),
    [
        ({"minors": True}, {"birth_date": "2015-01-01"}),
        ({"pregnant": True}, {"vulnerabilities": ["pregnant"]}),
        ({"vulnerable": True}, {"vulnerabilities": ["trafficking_victim"]}),
    ],
)
def test_an_excluded_group_is_refused_with_the_exclusion_rule_named(world, exclusions, overrides):
    agreement = kosovo(world, criteria=[], exclusions=exclusions)
    case = one(world, agreement, **overrides)
    act(case, "recommend", world.user("xk_caseworker"))
    before = snapshot(case)
    with pytest.raises(TransitionRefused) as refused:
        act(case, "select", world.user("xk_supervisor"))
    assert refused.value.rule == "exclusion"
    assert snapshot(case) == before
    # The same person under an agreement that excludes nobody can be selected.
    open_door = kosovo(world, criteria=[], exclusions={"unaccompanied_minors": False})
    select(world, one(world, open_door, **overrides))


def test_a_recommendation_must_be_select_or_decline_and_a_bad_one_writes_nothing(world, agreement):
    case = one(world, agreement)
    before = snapshot(case)
    with pytest.raises(ValidationFailed) as refused:
        act(case, "recommend", world.user("xk_caseworker"), payload={"recommendation": "maybe"})
    assert refused.value.errors[0]["loc"] == ["payload", "recommendation"]
    assert snapshot(case) == before
    act(
        case,
        "recommend",
        world.user("xk_caseworker"),
        reason="record of assault",
        payload={"recommendation": "decline"},
    )
    case.refresh_from_db()
    assert case.data["recommendation"]["recommendation"] == "decline"
    assert case.data["recommendation"]["reason"] == "record of assault"


def test_a_decline_records_its_reason_and_frees_nothing_it_did_not_take(world, agreement):
    case = one(world, agreement)
    act(case, "decline", world.user("xk_supervisor"), reason="public-order criterion")
    case.refresh_from_db()
    assert case.state == "declined"
    assert case.data["decision"]["reason"] == "public-order criterion"
    assert QuotaAllocation.objects.count() == 0


def test_a_recheck_is_stored_and_audited_for_the_parties_only(world, agreement):
    case = one(world, agreement)
    before = CriteriaEvaluation.objects.count()
    with pytest.raises(NotFound):
        case_evaluate(case=case, acting_user=world.user("me_caseworker"))
    with pytest.raises(Forbidden):
        case_evaluate(case=case, acting_user=world.user("xk_auditor"))
    assert CriteriaEvaluation.objects.count() == before
    evaluation = case_evaluate(case=case, acting_user=world.user("xk_caseworker"))
    assert evaluation.trigger == "recheck"
    assert latest_evaluation(case) == evaluation
    assert CriteriaEvaluation.objects.count() == before + 1


def test_the_terms_in_force_at_the_decision_apply(world, agreement):
    """A cap raised or a criterion changed by amendment applies from its moment on."""
    from readmit.agreements.services import amendment_confirm, amendment_propose
    from readmit.core import clock

    case = one(world, agreement, pending_cases=True)
    act(case, "recommend", world.user("xk_caseworker"))
    with pytest.raises(TransitionRefused):
        act(case, "select", world.user("xk_supervisor"))
    criteria = agreement.parsed_terms.model_dump(mode="json")["criteria"]
    proposal = amendment_propose(
        agreement=agreement,
        changes={"criteria": [c for c in criteria if c["rule"] != "no_pending_criminal_case"]},
        valid_from=clock.now(),
        reason="criterion dropped by mutual consent",
        source="exchange of notes",
        acting_user=world.user("xk_supervisor"),
    )
    version = amendment_confirm(proposal=proposal, acting_user=world.user("us_supervisor")).version
    assert version is not None
    act(case, "select", world.user("xk_supervisor"))
    decision = latest_evaluation(case)
    assert decision.outcome == "pass"
    assert decision.terms_version == version.number > 1


def test_the_supervisor_of_the_host_decides_and_nobody_else(world, agreement):
    from tests.factories import make_user

    case = one(world, agreement)
    act(case, "recommend", world.user("xk_caseworker"))
    with pytest.raises(Forbidden):
        act(case, "select", world.user("xk_caseworker"))
    with pytest.raises(Forbidden):
        act(case, "select", world.user("us_supervisor"))
    act(case, "select", make_user(world.xk, Role.SUPERVISOR))
