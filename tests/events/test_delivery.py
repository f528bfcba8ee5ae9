"""Delivery to a real receiver on 127.0.0.1: signed, retried with backoff, ordered per case,
at least once across a worker restart (the receiver dedupes by event id)."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.test import override_settings

from readmit.cases.services import case_transition
from readmit.core import clock
from readmit.events.delivery import deliver_due, delivery_claim
from readmit.events.models import DeliveryStatus, OutboxEvent, WebhookDelivery
from readmit.events.signing import sign, verify
from tests.events.test_outbox import HOLD
from tests.factories import make_case


@pytest.fixture
def later(monkeypatch):  # type: ignore[no-untyped-def]
    """Move the service clock forward by some seconds (the receiver keeps real time)."""
    real_now = clock.now
    shift = {"seconds": 0.0}
    monkeypatch.setattr(clock, "now", lambda: real_now() + dt.timedelta(seconds=shift["seconds"]))

    def _later(seconds: float) -> None:
        shift["seconds"] += seconds

    return _later


def _recommend(world, case):  # type: ignore[no-untyped-def]
    return case_transition(
        case_id=case.id, action="recommend", acting_user=world.user("xk_caseworker")
    )


def _hold(world, case):  # type: ignore[no-untyped-def]
    return case_transition(
        case_id=case.id,
        action="place_legal_hold",
        reason="Interim measure",
        payload=HOLD,
        acting_user=world.user("xk_caseworker"),
    )


def test_the_signature_verifies_with_the_secret_and_not_with_another():
    body = b'{"id":"e1"}'
    header = sign("whsec_a", 1_800_000_000, body)
    assert header.startswith("t=1800000000,v1=")
    assert verify("whsec_a", header, body, now=1_800_000_010)
    assert not verify("whsec_b", header, body, now=1_800_000_010)
    assert not verify("whsec_a", header, body + b" ", now=1_800_000_010)
    assert not verify("whsec_a", header, body, now=1_800_000_000 + 301)  # too old: a replay


def test_an_event_reaches_the_receiver_signed_after_the_commit(
    world, subscribe, receiver, django_capture_on_commit_callbacks
):
    subscription, receiver.secret = subscribe("us", receiver.url, ["case.transitioned"])
    case = make_case(world.agreement)
    with django_capture_on_commit_callbacks(execute=True):
        _recommend(world, case)
    assert receiver.bad_signatures == 0
    [event] = receiver.processed.values()
    assert event["type"] == "case.transitioned" and event["case_id"] == str(case.id)
    request = receiver.requests[0]
    assert request["headers"]["idempotency-key"] == event["id"]
    assert request["headers"]["readmit-event-type"] == "case.transitioned"
    delivery = WebhookDelivery.objects.get(subscription=subscription)
    assert delivery.status == DeliveryStatus.DELIVERED
    assert delivery.last_status_code == 204 and delivery.attempts == 1


def test_a_receiver_with_another_secret_refuses_and_the_delivery_is_retried(
    world, subscribe, receiver, django_capture_on_commit_callbacks
):
    subscribe("us", receiver.url, ["case.transitioned"])
    receiver.secret = "whsec_not_the_one_readmit_holds"
    with django_capture_on_commit_callbacks(execute=True):
        _recommend(world, make_case(world.agreement))
    assert receiver.bad_signatures == 1 and not receiver.processed
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.last_status_code == 401


@override_settings(
    READMIT_WEBHOOK_BACKOFF_SECONDS=30,
    READMIT_WEBHOOK_BACKOFF_MAX_SECONDS=100,
    READMIT_WEBHOOK_MAX_ATTEMPTS=4,
)
def test_failures_are_retried_with_exponential_backoff_then_marked_failed(
    world, subscribe, receiver, later, django_capture_on_commit_callbacks
):
    _, receiver.secret = subscribe("us", receiver.url, ["case.transitioned"])
    receiver.fail_next = 10
    with django_capture_on_commit_callbacks(execute=True):
        _recommend(world, make_case(world.agreement))
    delivery = WebhookDelivery.objects.get()
    waits = []
    for _ in range(3):
        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.PENDING
        waits.append(round((delivery.next_attempt_at - delivery.last_attempt_at).total_seconds()))
        sent = len(receiver.requests)
        assert deliver_due() == {}  # not due yet: nothing is sent
        assert len(receiver.requests) == sent
        later(waits[-1])
        with django_capture_on_commit_callbacks(execute=True):
            deliver_due()
    assert waits == [30, 60, 100]  # 30 x 2^(n-1), capped at 100
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 4
    assert delivery.last_status_code == 500 and delivery.last_error == "HTTP 500"
    assert len(receiver.requests) == 4


def test_a_later_event_of_a_case_waits_until_the_earlier_one_is_delivered(
    world, subscribe, receiver, later, django_capture_on_commit_callbacks
):
    _, receiver.secret = subscribe("us", receiver.url, ["case.transitioned", "case.hold_placed"])
    first, other = make_case(world.agreement), make_case(world.agreement)
    receiver.fail_next = 1  # the first request (recommend of ``first``) fails
    with django_capture_on_commit_callbacks(execute=True):
        _recommend(world, first)
    with django_capture_on_commit_callbacks(execute=True):
        _hold(world, first)  # later event of the same case: must wait
        _recommend(world, other)  # another case: goes ahead
    assert [e["case_id"] for e in receiver.processed.values()] == [str(other.id)]
    later(31)
    with django_capture_on_commit_callbacks(execute=True):
        deliver_due()
    types = [receiver.processed[e]["type"] for e in receiver.case_order(str(first.id))]
    assert types == ["case.transitioned", "case.hold_placed"]
    expected = list(
        OutboxEvent.objects.filter(case_id=first.id)
        .order_by("audit_seq")
        .values_list("id", flat=True)
    )
    assert receiver.case_order(str(first.id)) == [str(pk) for pk in expected]
    assert WebhookDelivery.objects.exclude(status=DeliveryStatus.DELIVERED).count() == 0


def test_a_delivery_that_fails_half_way_is_sent_again_and_the_receiver_dedupes_it(
    world, subscribe, receiver, later, django_capture_on_commit_callbacks
):
    _, receiver.secret = subscribe("us", receiver.url, ["case.transitioned"])
    receiver.drop_next = 1  # processes the event, then the connection dies before the answer
    with django_capture_on_commit_callbacks(execute=True):
        _recommend(world, make_case(world.agreement))
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING and delivery.last_error
    later(31)
    with django_capture_on_commit_callbacks(execute=True):
        deliver_due()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 2
    assert len(receiver.requests) == 2
    assert receiver.duplicates == [str(delivery.event_id)]
    assert list(receiver.processed) == [str(delivery.event_id)]


def test_a_delivery_claimed_by_a_worker_that_died_is_sent_by_the_next_worker(
    world, subscribe, receiver, later, django_capture_on_commit_callbacks
):
    _, receiver.secret = subscribe("us", receiver.url, ["case.transitioned"])
    _recommend(world, make_case(world.agreement))  # committed; no task ran (worker down)
    delivery = WebhookDelivery.objects.get()
    claim = delivery_claim(delivery.id)  # a worker takes it ... and dies before posting
    assert claim is not None
    assert deliver_due() == {}  # its lease still runs: nobody else sends it
    assert not receiver.requests
    later(3600)  # the lease ran out; the worker restarted
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver_due() == {"delivered": 1}
    assert list(receiver.processed) == [str(delivery.event_id)]
    assert delivery_claim(delivery.id) is None  # delivered: never claimed again


def test_at_least_once_and_in_order_per_case_across_restarts_with_a_flaky_receiver(
    world, subscribe, receiver, later, django_capture_on_commit_callbacks
):
    """Many events on three cases; the receiver fails, drops answers; workers restart."""
    _, receiver.secret = subscribe("us", receiver.url, ["case.created", "case.transitioned"])
    cases = [make_case(world.agreement) for _ in range(3)]  # created while no worker runs
    receiver.drop_next = 2
    receiver.fail_next = 2
    for case in cases:
        with django_capture_on_commit_callbacks(execute=True):
            _recommend(world, case)
    for _ in range(8):
        later(600)
        with django_capture_on_commit_callbacks(execute=True):
            deliver_due()
        time.sleep(0)
    expected = OutboxEvent.objects.order_by("audit_seq")
    assert set(receiver.processed) == {str(e.id) for e in expected}
    for case in cases:
        in_db = [str(e.id) for e in expected if e.case_id == case.id]
        assert receiver.case_order(str(case.id)) == in_db
    assert len(receiver.duplicates) == 2
    assert not WebhookDelivery.objects.exclude(status=DeliveryStatus.DELIVERED).exists()


def test_readmit_deliver_sends_what_is_due(world, subscribe, receiver, capsys):
    from readmit.cli import main

    _, receiver.secret = subscribe("us", receiver.url, ["case.transitioned"])
    _recommend(world, make_case(world.agreement))  # committed while no worker ran
    assert main(["deliver"]) == 0
    assert "1 delivered" in capsys.readouterr().out
    assert len(receiver.processed) == 1
    assert main(["deliver"]) == 0
    assert "none due" in capsys.readouterr().out


def test_a_redirect_is_not_followed_but_counted_as_a_failure(
    world, subscribe, receiver, django_capture_on_commit_callbacks
):
    _, receiver.secret = subscribe("us", receiver.url, ["case.transitioned"])
    receiver.redirect_next = 1
    with django_capture_on_commit_callbacks(execute=True):
        _recommend(world, make_case(world.agreement))
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING and delivery.last_status_code == 302
    assert len(receiver.requests) == 1  # nothing went to /elsewhere


def test_the_url_is_checked_again_before_each_delivery(
    world, subscribe, receiver, django_capture_on_commit_callbacks
):
    """Subscribed while loopback was allowed; production settings refuse to post there."""
    _, receiver.secret = subscribe("us", receiver.url, ["case.transitioned"])
    with (
        override_settings(READMIT_WEBHOOK_ALLOW_PRIVATE=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        _recommend(world, make_case(world.agreement))
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING
    assert "internal address" in delivery.last_error and delivery.last_status_code is None
    assert not receiver.requests
