"""Readmission travel documents, the transfer plan and handover, and transfer costs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from readmit.audit.models import AuditEvent
from readmit.cases.models import Case, TransferCost, TravelDocument
from readmit.cases.services import case_transition
from readmit.cases.travel import agreement_cost_totals, transfer_cost_record
from readmit.core import clock
from readmit.core.errors import Forbidden, TransitionRefused, ValidationFailed
from readmit.relocation.models import TransferPlan
from tests.factories import make_agreement, make_case

TERMS = {
    "time_limits": {
        "reply": {"amount": 12, "unit": "calendar_days"},
        "transfer": {"amount": 1, "unit": "months"},
    }
}


def _day(days: int) -> str:
    return (clock.today() + dt.timedelta(days=days)).isoformat()


def _moment(days: int) -> str:
    at = dt.datetime.combine(clock.today() + dt.timedelta(days=days), dt.time(9, 0))
    return at.replace(tzinfo=dt.UTC).isoformat()


def document(**extra):
    return {
        "type": "emergency_travel_document",
        "number": "ME-ETD-0001",
        "valid_until": _day(20),
        **extra,
    }


def plan(days: int = 5, **extra):
    return {
        "planned_for": _moment(days),
        "flight": "JFK-TGD",
        "notice_language": "sr",
        "medical_needs": "none",
        **extra,
    }


@pytest.fixture
def readmission(world):
    return make_agreement(world.us, world.me, kind="readmission", terms=TERMS)


@pytest.fixture
def accepted(world, readmission) -> Case:
    case = make_case(readmission, nationality="ME")
    case_transition(case_id=case.id, action="accept", acting_user=world.user("me_supervisor"))
    return case


def _issue(world, case, **extra):
    return case_transition(
        case_id=case.id,
        action="issue_travel_document",
        acting_user=world.user("me_liaison"),
        payload=document(**extra),
    )


def _schedule(world, case, days=5, **extra):
    return case_transition(
        case_id=case.id,
        action="schedule_transfer",
        acting_user=world.user("us_caseworker"),
        payload=plan(days, **extra),
    )


# Travel documents ------------------------------------------------------------------------


def test_issuing_records_the_travel_document_as_a_structured_record(world, accepted):
    case = _issue(world, accepted, single_journey=True)
    assert case.state == "travel_document_issued"
    doc = TravelDocument.objects.get(case=case)
    assert (doc.type, doc.number, doc.issuing_mission_id) == (
        "emergency_travel_document",
        "ME-ETD-0001",
        world.me.id,
    )
    assert doc.valid_from == clock.today()
    assert doc.valid_until == clock.today() + dt.timedelta(days=20)
    assert doc.single_journey is True
    event = AuditEvent.objects.filter(case_id=case.id).latest("seq")
    assert event.data["travel_document"]["number"] == "ME-ETD-0001"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"type": "passport"}, "type"),
        ({"number": ""}, "number"),
        ({"valid_until": "2026-02-30"}, "valid_until"),
        ({"valid_until": "2020-01-01", "valid_from": "2019-01-01"}, "valid_until"),
        ({"valid_from": _day(10), "valid_until": _day(5)}, "valid_until"),
        ({"single_journey": "yes"}, "single_journey"),
    ],
)
def test_a_bad_travel_document_is_refused_naming_the_field_and_writes_nothing(
    world, accepted, change, field
):
    with pytest.raises(ValidationFailed) as refused:
        _issue(world, accepted, **change)
    assert refused.value.errors[0]["loc"] == ["payload", field]
    assert not TravelDocument.objects.exists()
    assert Case.objects.get(id=accepted.id).state == "accepted"


def test_the_issuing_mission_must_be_an_organisation_of_the_requested_state(world, accepted):
    with pytest.raises(ValidationFailed) as refused:
        _issue(world, accepted, issuing_mission=str(world.us.id))
    assert refused.value.errors[0]["loc"] == ["payload", "issuing_mission"]
    assert not TravelDocument.objects.exists()


def test_the_eu_document_needs_the_requested_states_prior_consent_where_the_agreement_says_so(
    world,
):
    needs = make_agreement(
        world.us,
        world.me,
        kind="readmission",
        terms={**TERMS, "eu_travel_document_needs_consent": True},
    )
    free = make_agreement(world.us, world.me, kind="readmission", terms=TERMS)
    cases = {}
    for name, agreement in (("needs", needs), ("free", free)):
        cases[name] = make_case(agreement, nationality="ME")
        case_transition(
            case_id=cases[name].id, action="accept", acting_user=world.user("me_supervisor")
        )
    with pytest.raises(TransitionRefused) as refused:
        _issue(world, cases["needs"], type="eu_travel_document")
    assert refused.value.rule == "travel-document-consent"
    assert not TravelDocument.objects.filter(case=cases["needs"]).exists()
    _issue(world, cases["free"], type="eu_travel_document")
    _issue(
        world,
        cases["needs"],
        type="eu_travel_document",
        prior_consent_reference="MUP-2026-77",
        prior_consent_given_on=_day(0),
    )
    assert TravelDocument.objects.get(case=cases["needs"]).consent_reference == "MUP-2026-77"


def test_a_second_document_waits_for_the_revocation_of_the_first(world, accepted):
    _issue(world, accepted)
    with pytest.raises(TransitionRefused) as refused:
        _issue(world, accepted, number="ME-ETD-0002")
    assert refused.value.rule == "travel-document-live"
    with pytest.raises(ValidationFailed):
        case_transition(
            case_id=accepted.id,
            action="revoke_travel_document",
            acting_user=world.user("me_caseworker"),
        )
    case_transition(
        case_id=accepted.id,
        action="revoke_travel_document",
        reason="issued with a misspelt name",
        acting_user=world.user("me_caseworker"),
    )
    first = TravelDocument.objects.get(case=accepted)
    assert first.revoked_at is not None
    assert first.revocation_reason == "issued with a misspelt name"
    _issue(world, accepted, number="ME-ETD-0002")
    assert TravelDocument.objects.filter(case=accepted).count() == 2


def test_only_the_requested_state_issues_or_revokes_a_travel_document(world, accepted):
    with pytest.raises(Forbidden):
        case_transition(
            case_id=accepted.id,
            action="issue_travel_document",
            acting_user=world.user("us_caseworker"),
            payload=document(),
        )
    assert not TravelDocument.objects.exists()


# Transfer ----------------------------------------------------------------------------------


def test_a_document_ending_before_the_planned_transfer_is_refused_at_scheduling(world, accepted):
    _issue(world, accepted, valid_until=_day(3))
    with pytest.raises(TransitionRefused) as refused:
        _schedule(world, accepted, days=5)
    assert refused.value.rule == "travel-document-validity"
    assert not TransferPlan.objects.filter(case=accepted).exists()
    case = _schedule(world, accepted, days=2)
    assert case.state == "transfer_scheduled"


def test_the_readmission_plan_is_the_structured_relocation_plan(world, accepted):
    case = _schedule(world, accepted, escort="two escort officers", crossing_point="")
    stored = TransferPlan.objects.get(case=case)
    assert stored.flight == "JFK-TGD"
    assert stored.route == "Flight JFK-TGD"
    assert stored.escort == "two escort officers"
    assert stored.medical_needs == "none"
    assert stored.notice_language == "sr"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"flight": "", "crossing_point": ""}, "crossing_point"),
        ({"medical_needs": ""}, "medical_needs"),
        ({"planned_for": "2026-05-01T09:00:00"}, "planned_for"),
    ],
)
def test_an_incomplete_plan_is_refused_naming_the_field(world, accepted, change, field):
    with pytest.raises(ValidationFailed) as refused:
        _schedule(world, accepted, **change)
    assert refused.value.errors[0]["loc"] == ["payload", field]
    assert Case.objects.get(id=accepted.id).state == "accepted"
    assert not TransferPlan.objects.exists()


def test_a_transfer_planned_after_the_transfer_limit_is_refused(world, accepted):
    with pytest.raises(TransitionRefused) as refused:
        _schedule(world, accepted, days=60)
    assert refused.value.rule == "transfer-limit"
    assert not TransferPlan.objects.exists()


def test_the_notice_rules_of_the_agreement_apply_to_a_readmission_transfer(world):
    agreement = make_agreement(
        world.us, world.me, kind="readmission", terms={**TERMS, "notice_hours": 72}
    )
    case = make_case(agreement, nationality="ME")
    case_transition(case_id=case.id, action="accept", acting_user=world.user("me_supervisor"))
    with pytest.raises(TransitionRefused) as refused:
        _schedule(world, case, days=1)
    assert refused.value.rule == "notice-period"
    assert _schedule(world, case, days=4).state == "transfer_scheduled"


def test_the_receiving_side_records_the_handover_who_when_where(world, accepted):
    _issue(world, accepted)
    _schedule(world, accepted)
    with pytest.raises(Forbidden):
        case_transition(
            case_id=accepted.id,
            action="record_transfer",
            acting_user=world.user("us_caseworker"),
            payload={"received_by": "x", "place": "y"},
        )
    with pytest.raises(ValidationFailed) as refused:
        case_transition(
            case_id=accepted.id,
            action="record_transfer",
            acting_user=world.user("me_caseworker"),
            payload={"place": "Podgorica Airport"},
        )
    assert refused.value.errors[0]["loc"] == ["payload", "received_by"]
    case = case_transition(
        case_id=accepted.id,
        action="record_transfer",
        acting_user=world.user("me_caseworker"),
        payload={"received_by": "Officer M. Vuković", "place": "Podgorica Airport"},
    )
    assert case.state == "transferred"
    assert case.data["handover"]["received_by"] == "Officer M. Vuković"
    assert case.data["handover"]["place"] == "Podgorica Airport"
    assert case.data["handover"]["recorded_by"] == "me_caseworker"


def test_a_revoked_travel_document_blocks_the_transfer(world, accepted):
    _issue(world, accepted)
    _schedule(world, accepted)
    case_transition(
        case_id=accepted.id,
        action="revoke_travel_document",
        reason="lost",
        acting_user=world.user("me_caseworker"),
    )
    with pytest.raises(TransitionRefused) as refused:
        case_transition(
            case_id=accepted.id,
            action="record_transfer",
            acting_user=world.user("me_caseworker"),
            payload={"received_by": "Officer", "place": "Podgorica Airport"},
        )
    assert refused.value.rule == "travel-document-revoked"
    assert Case.objects.get(id=accepted.id).state == "transfer_scheduled"


def test_an_expired_travel_document_blocks_the_transfer(world, accepted):
    _issue(world, accepted, valid_until=_day(2))
    _schedule(world, accepted, days=1)
    TravelDocument.objects.filter(case=accepted).update(
        valid_from=clock.today() - dt.timedelta(days=9),
        valid_until=clock.today() - dt.timedelta(days=1),
    )
    with pytest.raises(TransitionRefused) as refused:
        case_transition(
            case_id=accepted.id,
            action="record_transfer",
            acting_user=world.user("me_caseworker"),
            payload={"received_by": "Officer", "place": "Podgorica Airport"},
        )
    assert refused.value.rule == "travel-document-expired"


# Costs -------------------------------------------------------------------------------------


def test_only_the_party_the_agreement_names_records_a_legs_cost(world):
    default = make_agreement(world.us, world.me, kind="readmission", terms=TERMS)
    swapped = make_agreement(
        world.us,
        world.me,
        kind="readmission",
        terms={**TERMS, "costs": {"transport_to_border": "requested", "onward": "sending"}},
    )
    us, me = world.user("us_caseworker"), world.user("me_caseworker")
    scheduled = {}
    for name, agreement in (("default", default), ("swapped", swapped)):
        case = make_case(agreement, nationality="ME")
        case_transition(case_id=case.id, action="accept", acting_user=world.user("me_supervisor"))
        scheduled[name] = _schedule(world, case)
    cost = transfer_cost_record(
        case_id=scheduled["default"].id,
        leg="transport_to_border",
        amount="1840.50",
        currency="usd",
        acting_user=us,
    )
    assert (cost.payer, cost.currency, cost.amount) == ("sending", "USD", Decimal("1840.50"))
    with pytest.raises(Forbidden):
        transfer_cost_record(
            case_id=scheduled["default"].id,
            leg="onward",
            amount="10",
            currency="EUR",
            acting_user=us,
        )
    transfer_cost_record(
        case_id=scheduled["default"].id, leg="onward", amount="95", currency="EUR", acting_user=me
    )
    with pytest.raises(Forbidden):
        transfer_cost_record(
            case_id=scheduled["swapped"].id,
            leg="transport_to_border",
            amount="10",
            currency="USD",
            acting_user=us,
        )
    transfer_cost_record(
        case_id=scheduled["swapped"].id,
        leg="transport_to_border",
        amount="10",
        currency="EUR",
        acting_user=me,
    )
    assert TransferCost.objects.filter(agreement=swapped).get().payer == "requested"
    assert TransferCost.objects.count() == 3


@pytest.mark.parametrize(
    ("amount", "currency", "field"),
    [
        ("12", "EURO", "currency"),
        ("12", "XYZ", "currency"),
        ("-3", "EUR", "amount"),
        ("1.234", "EUR", "amount"),
        ("twelve", "EUR", "amount"),
    ],
)
def test_a_bad_cost_is_refused_naming_the_field(world, readmission, amount, currency, field):
    case = make_case(readmission, nationality="ME")
    case_transition(case_id=case.id, action="accept", acting_user=world.user("me_supervisor"))
    _schedule(world, case)
    with pytest.raises(ValidationFailed) as refused:
        transfer_cost_record(
            case_id=case.id,
            leg="transport_to_border",
            amount=amount,
            currency=currency,
            acting_user=world.user("us_caseworker"),
        )
    assert refused.value.errors[0]["loc"] == [field]
    assert not TransferCost.objects.exists()


def test_costs_are_recorded_only_once_the_transfer_is_scheduled(world, accepted):
    with pytest.raises(TransitionRefused) as refused:
        transfer_cost_record(
            case_id=accepted.id,
            leg="transport_to_border",
            amount="100",
            currency="USD",
            acting_user=world.user("us_caseworker"),
        )
    assert refused.value.rule == "no-transfer"


def test_the_agreement_total_sums_per_payer_leg_and_currency(world, readmission):
    us = world.user("us_caseworker")
    for amount in ("100.25", "200.50"):
        case = make_case(readmission, nationality="ME")
        case_transition(case_id=case.id, action="accept", acting_user=world.user("me_supervisor"))
        _schedule(world, case)
        transfer_cost_record(
            case_id=case.id,
            leg="transport_to_border",
            amount=amount,
            currency="USD",
            acting_user=us,
        )
    transfer_cost_record(
        case_id=case.id, leg="transport_to_border", amount="40", currency="EUR", acting_user=us
    )
    totals = {
        (t.payer, t.leg, t.currency): (t.amount, t.count)
        for t in agreement_cost_totals(readmission)
    }
    assert totals == {
        ("sending", "transport_to_border", "EUR"): (Decimal("40.00"), 1),
        ("sending", "transport_to_border", "USD"): (Decimal("300.75"), 2),
    }
