"""Quota and capacity under concurrency: decisions from separate connections at once.

PostgreSQL only (CI sets DATABASE_URL): SQLite serialises writers, which proves nothing.
The database is flushed after each test, so each test puts the countries back first.
Each thread has its own database connection; a barrier releases them together.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection, connections

from readmit.accounts.access import memberships
from readmit.agreements.services import site_create
from readmit.cases.models import QuotaAllocation
from readmit.core.countries import all_countries
from readmit.core.errors import ApplicationError
from readmit.core.models import Country
from readmit.relocation.models import ProposalList, ReceptionStay
from readmit.relocation.selectors import latest_evaluation
from tests.factories import SYSTEM
from tests.relocation.conftest import act, kosovo, person, select, submit, transfer_payload

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrency is tested on PostgreSQL (set DATABASE_URL)",
    ),
    # serialized_rollback: every transactional test restores the migration data the same way
    # (see tests/conftest.py).
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _countries(transactional_db: None) -> None:
    """A transactional test starts from a flushed database: put the reference data back."""
    if not Country.objects.exists():
        Country.objects.bulk_create(
            Country(code=c.code, alpha3=c.alpha3, name=c.name, user_assigned=c.user_assigned)
            for c in all_countries()
        )


def all_at_once(work: Callable[[Any], object], items: Sequence[Any]) -> Counter[str]:
    """Run ``work(item)`` for every item in its own thread and connection, all released
    together; count "ok" and the refusal types."""
    barrier = threading.Barrier(len(items))

    def one(item: Any) -> str:
        try:
            barrier.wait(timeout=60)
            work(item)
            return "ok"
        except ApplicationError as exc:
            return exc.type
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(items)) as pool:
        return Counter(pool.map(one, items))


def test_64_simultaneous_selections_against_50_places_select_exactly_50(world):
    agreement = kosovo(world)
    cases = submit(world, agreement, [person() for _ in range(64)]).cases
    recommender, supervisor = world.user("xk_caseworker"), world.user("xk_supervisor")
    for case in cases:
        assert latest_evaluation(case).outcome == "pass"
        act(case, "recommend", recommender)
    memberships(supervisor)  # fill the per-user cache before the threads share the user

    outcomes = all_at_once(lambda case: act(case, "select", supervisor), cases)

    assert outcomes == Counter({"ok": 50, "quota-exceeded": 14})
    assert (
        QuotaAllocation.objects.filter(agreement=agreement, released_at__isnull=True).count() == 50
    )


def test_16_simultaneous_arrivals_at_a_site_of_10_places_admit_exactly_10(world):
    agreement = kosovo(world)
    site = site_create(
        agreement=agreement, name="Small site", country_code="XK", capacity=10, acting_user=SYSTEM
    )
    cases = submit(world, agreement, [person() for _ in range(16)]).cases
    for case in cases:
        select(world, case)
        act(case, "schedule_transfer", world.user("us_caseworker"), payload=transfer_payload())
    receiver = world.user("xk_caseworker")
    memberships(receiver)

    outcomes = all_at_once(
        lambda case: act(case, "record_arrival", receiver, payload={"site": str(site.id)}), cases
    )

    assert outcomes == Counter({"ok": 10, "capacity": 6})
    assert ReceptionStay.objects.filter(site=site, ended_at__isnull=True).count() == 10


def test_the_same_list_sent_eight_times_at_once_is_created_once(world):
    agreement = kosovo(world)
    people = [person(), person()]
    sender = world.user("us_caseworker")
    memberships(sender)

    outcomes = all_at_once(
        lambda _: submit(
            world, agreement, people, reference="RACE-1", idempotency_key="k-1", acting_user=sender
        ),
        range(8),
    )

    assert outcomes == Counter({"ok": 8})
    assert ProposalList.objects.filter(agreement=agreement).count() == 1
    assert agreement.cases.count() == 2
