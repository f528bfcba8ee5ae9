"""Several delivery workers at once: each event is sent once and in order per case.
PostgreSQL only (CI sets DATABASE_URL): SQLite serialises writers, which proves nothing."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from readmit.accounts.access import memberships
from readmit.cases.services import case_transition
from readmit.core.countries import all_countries
from readmit.core.models import Country
from readmit.events.delivery import deliver_due
from readmit.events.models import DeliveryStatus, OutboxEvent, WebhookDelivery
from tests.events.test_outbox import HOLD
from tests.factories import make_case

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrency is tested on PostgreSQL (set DATABASE_URL)",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _countries(transactional_db: None) -> None:
    if not Country.objects.exists():
        Country.objects.bulk_create(
            Country(code=c.code, alpha3=c.alpha3, name=c.name, user_assigned=c.user_assigned)
            for c in all_countries()
        )


def test_eight_workers_at_once_send_each_event_once_in_order_per_case(world, subscribe, receiver):
    _, receiver.secret = subscribe("us", receiver.url, ["case.transitioned", "case.hold_placed"])
    # The receiver is down while the events happen: each case's first event fails once, its
    # second waits behind it. Then the receiver is back and eight workers start at once.
    receiver.fail_next = 1000
    worker = world.user("xk_caseworker")
    memberships(worker)
    cases = [make_case(world.agreement) for _ in range(4)]
    for case in cases:
        case_transition(case_id=case.id, action="recommend", acting_user=worker)
        case_transition(
            case_id=case.id,
            action="place_legal_hold",
            reason="Interim measure",
            payload=HOLD,
            acting_user=worker,
        )
    assert len(receiver.requests) == 4 and not receiver.processed
    receiver.fail_next = 0
    receiver.requests.clear()
    WebhookDelivery.objects.update(next_attempt_at=None)
    barrier = threading.Barrier(8)

    def one(_: int) -> None:
        try:
            barrier.wait(timeout=60)
            deliver_due()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(one, range(8)))
    deliver_due()  # anything a busy worker skipped
    assert not receiver.duplicates
    assert len(receiver.requests) == 8
    for case in cases:
        expected = OutboxEvent.objects.filter(case_id=case.id).order_by("audit_seq")
        assert receiver.case_order(str(case.id)) == [str(e.id) for e in expected]
    assert not WebhookDelivery.objects.exclude(status=DeliveryStatus.DELIVERED).exists()
