"""The outbox: an event per subscribed party, in the change's own transaction, ids only."""

from __future__ import annotations

import json

import pytest

from readmit.audit.models import AuditEvent
from readmit.cases.services import case_transition
from readmit.core.errors import Forbidden
from readmit.events.models import OutboxEvent, WebhookDelivery
from tests.factories import make_case

HOLD = {
    "kind": "interim_measure",
    "authority": "Basic Court of Prishtina",
    "reference": "C-1/26",
    "decided_on": "2026-11-30",
}


def test_a_transition_writes_one_event_per_subscribed_party_with_the_audit_row(world, subscribe):
    us_sub, _ = subscribe("us", "http://127.0.0.1:9/us")
    xk_sub, _ = subscribe("xk", "http://127.0.0.1:9/xk")
    case = make_case(world.agreement)
    case_transition(case_id=case.id, action="recommend", acting_user=world.user("xk_caseworker"))
    events = list(OutboxEvent.objects.filter(event_type="case.transitioned"))
    assert {e.organisation_id for e in events} == {world.us.id, world.xk.id}
    audit = AuditEvent.objects.get(event_type=311, case_id=case.id)
    assert {e.audit_seq for e in events} == {audit.seq}
    assert {d.subscription_id for d in WebhookDelivery.objects.filter(event__in=events)} == {
        us_sub.id,
        xk_sub.id,
    }
    body = events[0].body
    assert body["type"] == "case.transitioned"
    assert body["case_id"] == str(case.id)
    assert body["agreement_id"] == str(world.agreement.id)
    assert body["state"] == "recommended"
    assert body["data"] == {"action": "recommend", "from_state": "proposed", "legal_hold": False}


def test_a_refused_transition_writes_no_event(world, subscribe):
    subscribe("xk", "http://127.0.0.1:9/xk")
    case = make_case(world.agreement)
    before = OutboxEvent.objects.count()
    with pytest.raises(Forbidden):
        # The sending side may not recommend: the workflow refuses, nothing is written.
        case_transition(
            case_id=case.id, action="recommend", acting_user=world.user("us_caseworker")
        )
    assert OutboxEvent.objects.count() == before


def test_an_event_carries_ids_and_states_never_names_reasons_or_notes(world, subscribe):
    subscribe("xk", "http://127.0.0.1:9/xk")
    case = make_case(world.agreement, family_name="Quillfeather", given_names="Oriana")
    case_transition(
        case_id=case.id,
        action="place_legal_hold",
        reason="Interim measure of the Basic Court for Oriana Quillfeather",
        internal_note="lawyer called twice",
        payload=HOLD,
        acting_user=world.user("xk_caseworker"),
    )
    event = OutboxEvent.objects.get(event_type="case.hold_placed")
    text = json.dumps(event.body)
    for secret in ("Quillfeather", "Oriana", "Interim", "lawyer", case.reference):
        assert secret not in text
    assert set(event.body) == {
        "id",
        "type",
        "occurred_at",
        "agreement_id",
        "case_id",
        "state",
        "data",
    }
    assert event.body["data"]["legal_hold"] is True


def test_an_organisation_that_is_no_party_hears_nothing(world, subscribe):
    subscribe("me", "http://127.0.0.1:9/me")
    case = make_case(world.agreement)
    case_transition(case_id=case.id, action="recommend", acting_user=world.user("xk_caseworker"))
    assert not OutboxEvent.objects.filter(organisation=world.me).exists()


def test_only_the_event_types_a_subscription_chose_are_written(world, subscribe):
    subscribe("xk", "http://127.0.0.1:9/xk", ["case.hold_placed"])
    case = make_case(world.agreement)
    case_transition(case_id=case.id, action="recommend", acting_user=world.user("xk_caseworker"))
    assert not OutboxEvent.objects.exists()
    case_transition(
        case_id=case.id,
        action="place_legal_hold",
        reason="court",
        payload=HOLD,
        acting_user=world.user("xk_caseworker"),
    )
    assert list(OutboxEvent.objects.values_list("event_type", flat=True)) == ["case.hold_placed"]


def test_an_inactive_subscription_gets_no_events(world, subscribe):
    from readmit.events.services import subscription_update

    sub, _ = subscribe("xk", "http://127.0.0.1:9/xk")
    subscription_update(
        subscription_id=sub.id, active=False, acting_user=world.user("xk_administrator")
    )
    make_case(world.agreement)
    assert not OutboxEvent.objects.exists()


def test_a_new_case_and_an_amendment_are_announced(world, subscribe):
    import datetime as dt

    from readmit.agreements.services import amendment_propose

    subscribe("us", "http://127.0.0.1:9/us")
    case = make_case(world.agreement)
    created = OutboxEvent.objects.get(event_type="case.created")
    assert created.body["case_id"] == str(case.id) and created.body["state"] == "proposed"
    proposal = amendment_propose(
        agreement=world.agreement,
        changes={"quota": {"limit": 60}},
        valid_from=dt.datetime(2027, 1, 1, tzinfo=dt.UTC),
        reason="more places",
        acting_user=world.user("xk_supervisor"),
    )
    event = OutboxEvent.objects.get(event_type="amendment.proposed")
    assert event.body["data"] == {"proposal_id": str(proposal.id)}
    assert event.body["case_id"] is None
