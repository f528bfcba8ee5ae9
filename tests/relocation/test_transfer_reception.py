"""Transfer, reception and safeguards: notice, family groups, capacity, return plans, holds."""

from __future__ import annotations

import datetime as dt

import pytest

from readmit.agreements.selectors import quota_status
from readmit.agreements.services import site_create
from readmit.audit.models import AuditEvent
from readmit.cases.models import Case, Deadline, QuotaAllocation
from readmit.core import clock
from readmit.core.errors import TransitionRefused, ValidationFailed
from readmit.relocation.models import HoldKind, LegalHold, ReceptionStay, TransferPlan
from readmit.relocation.selectors import agreement_occupancy, site_occupancy, stays_ending
from readmit.relocation.services import (
    family_schedule_transfer,
    stay_deadlines_sweep,
    stay_record_return_plan,
)
from readmit.relocation.tasks import sweep_stays
from tests.factories import SYSTEM, make_agreement
from tests.relocation.conftest import (
    act,
    kosovo,
    person,
    select,
    submit,
    to_reception,
    transfer_payload,
)

HOLD = {
    "kind": "court_challenge",
    "reference": "CV-2026-0001",
    "authority": "Court (fictional)",
    "decided_on": "2024-03-01",
}


def snapshot(*cases: Case) -> tuple[object, ...]:
    for case in cases:
        case.refresh_from_db()
    return (
        AuditEvent.objects.count(),
        TransferPlan.objects.count(),
        ReceptionStay.objects.filter(ended_at__isnull=True).count(),
        LegalHold.objects.count(),
        QuotaAllocation.objects.filter(released_at__isnull=True).count(),
        *[(c.version, c.state, c.legal_hold) for c in cases],
    )


def cases(world, agreement, n: int = 1, **overrides) -> list[Case]:
    return submit(world, agreement, [person(**overrides) for _ in range(n)]).cases


# Notice period -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hours", "urgent", "allowed"),
    [
        (23.5, False, False),
        (24.5, False, True),
        (5.5, True, False),
        (6.5, True, True),
    ],
)
def test_a_transfer_needs_the_agreements_notice_period_shorter_when_urgent(
    world, agreement, hours, urgent, allowed
):
    case = cases(world, agreement)[0]
    select(world, case)
    before = snapshot(case)
    payload = transfer_payload(hours, urgent=urgent)
    if allowed:
        act(case, "schedule_transfer", world.user("us_caseworker"), payload=payload)
        plan = TransferPlan.objects.get(case=case)
        assert (plan.notice_language, plan.urgent, plan.route) == ("es", urgent, payload["route"])
        return
    with pytest.raises(TransitionRefused) as refused:
        act(case, "schedule_transfer", world.user("us_caseworker"), payload=payload)
    assert refused.value.rule == "notice-period"
    assert snapshot(case) == before


def test_notice_given_earlier_counts_from_when_it_was_given(world, agreement):
    case = cases(world, agreement)[0]
    select(world, case)
    given = clock.now() - dt.timedelta(hours=20)
    act(
        case,
        "schedule_transfer",
        world.user("us_caseworker"),
        payload=transfer_payload(5, notice_given_at=given.isoformat()),
    )
    assert TransferPlan.objects.get(case=case).notice_given_at == given


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"planned_for": None}, "planned_for"),
        ({"planned_for": "2026-13-01T00:00:00Z"}, "planned_for"),
        ({"planned_for": "2030-01-01T09:00:00"}, "planned_for"),  # no offset
        ({"planned_for": "2020-01-01T09:00:00+00:00"}, "planned_for"),  # in the past
        ({"route": " "}, "route"),
        ({"notice_language": ""}, "notice_language"),
        ({"urgent": "yes"}, "urgent"),
    ],
)
def test_a_transfer_plan_with_a_missing_or_bad_field_is_refused_naming_it(
    world, agreement, change, field
):
    case = cases(world, agreement)[0]
    select(world, case)
    before = snapshot(case)
    with pytest.raises(ValidationFailed) as refused:
        act(
            case,
            "schedule_transfer",
            world.user("us_caseworker"),
            payload=transfer_payload(**change),
        )
    assert refused.value.errors[0]["loc"] == ["payload", field]
    assert snapshot(case) == before


# Family groups -------------------------------------------------------------------------------


def test_a_family_member_alone_cannot_be_scheduled_while_another_is_not_selected(world, agreement):
    first, second = cases(world, agreement, 2, family_group="FAM-1")
    select(world, first)
    before = snapshot(first, second)
    with pytest.raises(TransitionRefused) as refused:
        act(first, "schedule_transfer", world.user("us_caseworker"), payload=transfer_payload())
    assert refused.value.rule == "family-group"
    assert second.reference in refused.value.message
    assert snapshot(first, second) == before


def test_families_move_together_only_when_the_agreement_says_so(world):
    """Finding 9: ``exclusions.families_together`` decides; without it a member moves alone."""
    apart = kosovo(world, exclusions={"minors": True, "families_together": False})
    first, second = cases(world, apart, 2, family_group="FAM-APART")
    select(world, first)
    act(first, "schedule_transfer", world.user("us_caseworker"), payload=transfer_payload())
    first.refresh_from_db()
    assert first.state == "transfer_scheduled" and second.state != "transfer_scheduled"
    together = kosovo(world, exclusions={"minors": True, "families_together": True})
    one, _other = cases(world, together, 2, family_group="FAM-TOGETHER")
    select(world, one)
    with pytest.raises(TransitionRefused) as refused:
        act(one, "schedule_transfer", world.user("us_caseworker"), payload=transfer_payload())
    assert refused.value.rule == "family-group"


def test_a_family_is_scheduled_together_in_one_go(world, agreement):
    family = cases(world, agreement, 3, family_group="FAM-2")
    for member in family:
        select(world, member)
    scheduled = family_schedule_transfer(
        case=family[0], acting_user=world.user("us_caseworker"), payload=transfer_payload()
    )
    assert sorted(c.id for c in scheduled) == sorted(c.id for c in family)
    assert {c.state for c in scheduled} == {"transfer_scheduled"}
    assert TransferPlan.objects.filter(case__in=family).count() == 3


def test_a_family_with_one_member_on_hold_moves_nobody(world, agreement):
    family = cases(world, agreement, 3, family_group="FAM-3")
    for member in family:
        select(world, member)
    act(
        family[2],
        "place_legal_hold",
        world.user("us_caseworker"),
        reason="fear claim",
        payload={
            "kind": "fear_claim",
            "reference": "FC-77",
            "authority": "Court (fictional)",
            "decided_on": "2024-03-01",
        },
    )
    before = snapshot(*family)
    with pytest.raises(TransitionRefused) as refused:
        family_schedule_transfer(
            case=family[0], acting_user=world.user("us_caseworker"), payload=transfer_payload()
        )
    assert refused.value.rule in {"family-group", "legal-hold"}
    assert snapshot(*family) == before


def test_a_family_member_not_yet_selected_stops_the_whole_family(world, agreement):
    family = cases(world, agreement, 3, family_group="FAM-5")
    for member in family[:2]:
        select(world, member)
    before = snapshot(*family)
    with pytest.raises(TransitionRefused) as refused:
        family_schedule_transfer(
            case=family[0], acting_user=world.user("us_caseworker"), payload=transfer_payload()
        )
    assert refused.value.rule == "family-group"
    assert family[2].reference in refused.value.message
    assert snapshot(*family) == before


def test_a_withdrawn_member_no_longer_holds_the_family_back(world, agreement):
    first, second = cases(world, agreement, 2, family_group="FAM-4")
    select(world, first)
    act(second, "withdraw", world.user("us_caseworker"), reason="left the country")
    act(first, "schedule_transfer", world.user("us_caseworker"), payload=transfer_payload())
    assert Case.objects.get(id=first.id).state == "transfer_scheduled"


# Reception: capacity, stays, return plans ------------------------------------------------------


def test_arrival_opens_a_stay_with_its_maximum_end(world, agreement, site):
    case = cases(world, agreement)[0]
    to_reception(world, case, site)
    stay = ReceptionStay.objects.get(case=case)
    assert stay.site == site
    assert stay.max_end == stay.arrived_at.date() + dt.timedelta(days=365)
    assert site_occupancy(site) == agreement_occupancy(agreement) == 1


def test_a_full_site_refuses_the_next_arrival_and_writes_nothing(world, agreement):
    small = site_create(
        agreement=agreement, name="Small", country_code="XK", capacity=1, acting_user=SYSTEM
    )
    big = site_create(
        agreement=agreement, name="Big", country_code="XK", capacity=5, acting_user=SYSTEM
    )
    first, second = cases(world, agreement, 2)
    to_reception(world, first, small)
    select(world, second)
    act(second, "schedule_transfer", world.user("us_caseworker"), payload=transfer_payload())
    before = snapshot(second)
    with pytest.raises(TransitionRefused) as refused:
        act(second, "record_arrival", world.user("xk_caseworker"), payload={"site": str(small.id)})
    assert refused.value.rule == "capacity"
    assert "Small" in refused.value.message
    assert snapshot(second) == before
    act(second, "record_arrival", world.user("xk_caseworker"), payload={"site": str(big.id)})


def test_the_agreements_total_capacity_holds_across_sites(world):
    agreement = kosovo(world, capacity={"max_present": 1})
    one = site_create(
        agreement=agreement, name="A", country_code="XK", capacity=5, acting_user=SYSTEM
    )
    two = site_create(
        agreement=agreement, name="B", country_code="XK", capacity=5, acting_user=SYSTEM
    )
    first, second = cases(world, agreement, 2)
    to_reception(world, first, one)
    with pytest.raises(TransitionRefused) as refused:
        to_reception(world, second, two)
    assert refused.value.rule == "capacity"
    assert "1 people present" in refused.value.message


def test_the_arrival_after_the_yearly_maximum_is_refused_naming_the_setting(world):
    """Finding 9: ``capacity.max_per_year`` counts arrivals in the calendar year, even after
    the first people have left again; the N+1th is refused and nothing is written."""
    agreement = kosovo(world, capacity={"max_present": 50, "max_per_year": 1})
    place = site_create(
        agreement=agreement, name="A", country_code="XK", capacity=5, acting_user=SYSTEM
    )
    first, second = cases(world, agreement, 2)
    to_reception(world, first, place)
    stay_record_return_plan(case=first, plan="Return home", acting_user=world.user("xk_caseworker"))
    act(
        first,
        "record_departure",
        world.user("xk_caseworker"),
        payload={"outcome": "returned_to_origin"},
    )
    select(world, second)
    act(second, "schedule_transfer", world.user("us_caseworker"), payload=transfer_payload())
    before = snapshot(second)
    with pytest.raises(TransitionRefused) as refused:
        act(second, "record_arrival", world.user("xk_caseworker"), payload={"site": str(place.id)})
    assert refused.value.rule == "capacity"
    assert "1 arrivals per year (capacity.max_per_year)" in refused.value.message
    assert f"1 have arrived in {clock.now().year}" in refused.value.message
    assert snapshot(second) == before


def test_an_arrival_at_a_site_of_another_agreement_is_refused(world, agreement, site):
    other = kosovo(world)
    foreign = site_create(
        agreement=other, name="Elsewhere", country_code="XK", capacity=5, acting_user=SYSTEM
    )
    case = cases(world, agreement)[0]
    select(world, case)
    act(case, "schedule_transfer", world.user("us_caseworker"), payload=transfer_payload())
    for bad in ({"site": str(foreign.id)}, {"site": "not-an-id"}, {}):
        with pytest.raises(ValidationFailed) as refused:
            act(case, "record_arrival", world.user("xk_caseworker"), payload=bad)
        assert refused.value.errors[0]["loc"] == ["payload", "site"]


def test_a_stay_cannot_close_without_a_return_plan(world, agreement, site):
    case = cases(world, agreement)[0]
    to_reception(world, case, site)
    before = snapshot(case)
    with pytest.raises(TransitionRefused) as refused:
        act(
            case,
            "record_departure",
            world.user("xk_caseworker"),
            payload={"outcome": "returned_to_origin"},
        )
    assert refused.value.rule == "return-plan"
    assert snapshot(case) == before
    stay_record_return_plan(
        case=case,
        plan="Flight to Caracas via Madrid, IOM assisted",
        acting_user=world.user("xk_caseworker"),
    )
    act(
        case,
        "record_departure",
        world.user("xk_caseworker"),
        payload={"outcome": "returned_to_origin"},
    )
    stay = ReceptionStay.objects.get(case=case)
    assert (stay.outcome, stay.ended_at is not None) == ("returned_to_origin", True)
    assert site_occupancy(site) == 0
    act(case, "close", world.user("xk_caseworker"))


def test_a_departure_needs_a_known_outcome(world, agreement, site):
    case = cases(world, agreement)[0]
    to_reception(world, case, site)
    stay_record_return_plan(case=case, plan="plan", acting_user=world.user("xk_caseworker"))
    with pytest.raises(ValidationFailed) as refused:
        act(case, "record_departure", world.user("xk_caseworker"), payload={"outcome": "gone"})
    assert refused.value.errors[0]["loc"] == ["payload", "outcome"]


def test_a_court_ordered_transfer_back_frees_the_quota_place_and_the_occupancy(
    world, agreement, site
):
    case, other = cases(world, agreement, 2)
    for c in (case, other):
        to_reception(world, c, site)
        stay_record_return_plan(case=c, plan="plan", acting_user=world.user("xk_caseworker"))
    used = quota_status(agreement).used
    act(
        case,
        "record_departure",
        world.user("xk_caseworker"),
        payload={"outcome": "transferred_back", "court_ordered": True},
    )
    assert quota_status(agreement).used == used - 1
    assert QuotaAllocation.objects.get(case=case).release_reason.startswith("transferred back")
    assert site_occupancy(site) == 1
    # Without a court order a transfer back frees the place at the site, not the quota.
    act(
        other,
        "record_departure",
        world.user("xk_caseworker"),
        payload={"outcome": "transferred_back"},
    )
    assert quota_status(agreement).used == used - 1
    assert site_occupancy(site) == 0


# Legal holds ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", HoldKind.values)
def test_each_kind_of_legal_hold_blocks_the_transfer_until_lifted(world, agreement, kind):
    case = cases(world, agreement)[0]
    select(world, case)
    act(case, "place_legal_hold", world.user("us_caseworker"), reason="lodged", payload=hold(kind))
    placed = LegalHold.objects.get(case=case)
    assert (placed.kind, placed.reference, placed.lifted_at) == (kind, "REF-1", None)
    assert (placed.authority, placed.decided_on) == ("Court (fictional)", dt.date(2024, 3, 1))
    assert (placed.side, placed.organisation, placed.placed_by) == (
        "sending",
        world.us,
        world.user("us_caseworker"),
    )
    before = snapshot(case)
    with pytest.raises(TransitionRefused) as refused:
        act(case, "schedule_transfer", world.user("us_caseworker"), payload=transfer_payload())
    assert refused.value.rule == "legal-hold"
    assert snapshot(case) == before
    act(case, "lift_legal_hold", world.user("us_supervisor"), reason="dismissed")
    placed.refresh_from_db()
    assert (placed.lift_reason, placed.lifted_by) == ("dismissed", world.user("us_supervisor"))
    act(case, "schedule_transfer", world.user("us_caseworker"), payload=transfer_payload())


def hold(kind: str = "court_challenge", **changes: str) -> dict[str, str]:
    return {
        "kind": kind,
        "authority": "Court (fictional)",
        "reference": "REF-1",
        "decided_on": "2024-03-01",
        **changes,
    }


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "kind"),
        (hold("injunction"), "kind"),
        ({"kind": "fear_claim"}, "authority"),
        (hold(authority=" "), "authority"),
        (hold(reference=" "), "reference"),
        (hold(decided_on=""), "decided_on"),
        (hold(decided_on="2024-13-01"), "decided_on"),
        (hold(decided_on="2999-01-01"), "decided_on"),
    ],
)
def test_a_legal_hold_needs_its_kind_authority_reference_and_a_past_date(
    world, agreement, payload, field
):
    case = cases(world, agreement)[0]
    before = snapshot(case)
    with pytest.raises(ValidationFailed) as refused:
        act(case, "place_legal_hold", world.user("us_caseworker"), reason="x", payload=payload)
    assert refused.value.errors[0]["loc"] == ["payload", field]
    assert snapshot(case) == before


# Reception agreements (Italy → Albania) ---------------------------------------------------------


def test_a_reception_transfer_refuses_an_excluded_group_naming_the_rule(world):
    albania = make_agreement(
        world.us,
        world.xk,
        kind="reception",
        terms={
            "capacity": {"max_present": 3000},
            "exclusions": {"minors": True, "pregnant": True, "vulnerable": True},
            "max_stay_days": 28,
        },
    )
    pregnant, adult = submit(world, albania, [person(vulnerabilities=["pregnant"]), person()]).cases
    before = snapshot(pregnant)
    with pytest.raises(TransitionRefused) as refused:
        act(pregnant, "schedule_transfer", world.user("us_caseworker"), payload=transfer_payload())
    assert refused.value.rule == "exclusion"
    assert "pregnant" in refused.value.message
    assert snapshot(pregnant) == before
    site = site_create(
        agreement=albania, name="Gjadër", country_code="AL", capacity=880, acting_user=SYSTEM
    )
    to_reception(world, adult, site)
    assert ReceptionStay.objects.get(case=adult).max_end is not None


# Stay alerts -----------------------------------------------------------------------------------


def test_stays_ending_lists_the_stays_inside_the_alert_window_for_the_parties_only(
    world, agreement, site
):
    case = cases(world, agreement)[0]
    to_reception(world, case, site)
    stay = ReceptionStay.objects.get(case=case)
    assert stays_ending(world.user("xk_caseworker")) == []
    near = stay.max_end - dt.timedelta(days=30)
    alerts = stays_ending(world.user("xk_caseworker"), today=near)
    assert [(a.stay.id, a.days_left) for a in alerts] == [(stay.id, 30)]
    assert stays_ending(world.user("xk_caseworker"), 29, today=near) == []
    assert stays_ending(world.user("me_caseworker"), today=near) == []
    assert stays_ending(world.user("us_caseworker"), today=stay.max_end + dt.timedelta(days=1))[
        0
    ].overdue


def test_the_sweep_gives_a_stay_entering_its_window_one_deadline_met_at_departure(
    world, agreement, site
):
    case = cases(world, agreement)[0]
    to_reception(world, case, site)
    stay = ReceptionStay.objects.get(case=case)
    assert stay_deadlines_sweep(today=stay.max_end - dt.timedelta(days=31)) == 0
    assert stay_deadlines_sweep(today=stay.max_end - dt.timedelta(days=30)) == 1
    assert stay_deadlines_sweep(today=stay.max_end - dt.timedelta(days=29)) == 0
    deadline = Deadline.objects.get(case=case, kind="stay_end")
    assert deadline.due_on == stay.max_end
    stay_record_return_plan(case=case, plan="plan", acting_user=world.user("xk_caseworker"))
    act(
        case,
        "record_departure",
        world.user("xk_caseworker"),
        payload={"outcome": "departed_voluntarily"},
    )
    deadline.refresh_from_db()
    assert deadline.met_at is not None


def test_the_sweep_task_runs_the_sweep(world, agreement, site):
    assert sweep_stays.enqueue().return_value == 0


def test_the_case_summary_shows_the_decision_plan_stay_and_the_open_holds(world, agreement, site):
    from readmit.relocation.selectors import case_relocation_summary, open_holds

    case = cases(world, agreement)[0]
    to_reception(world, case, site)
    act(
        case,
        "place_legal_hold",
        world.user("xk_caseworker"),
        reason="appeal",
        payload={
            "kind": "interim_measure",
            "reference": "ECHR Rule 39",
            "authority": "Court (fictional)",
            "decided_on": "2024-03-01",
        },
    )
    case.refresh_from_db()
    summary = case_relocation_summary(case)
    assert summary.evaluation.trigger == "decision"
    assert summary.transfer_plan.notice_language == "es"
    assert summary.stay.site == site and summary.stay.is_open
    assert [h.reference for h in open_holds(case)] == ["ECHR Rule 39"]
    assert summary.decision["decision"] == "selected"
    assert summary.recommendation["recommendation"] == "select"
