"""A large import never holds the write lock for long: another organisation writes meanwhile.

The import job writes its cases in short batched transactions. Between two batches (the
job is still running, half its rows written), another organisation's API call (which
writes the token's ``last_used_at``) and an audited write, each on a connection of its own
in another thread, must succeed. Were the import one long transaction, SQLite would refuse
them ("database is locked"); nothing here depends on timing.
"""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
from django.db import connections
from django.test import Client

from readmit.accounts.models import ApiToken
from readmit.accounts.services import token_create
from readmit.core.countries import all_countries
from readmit.core.models import Country
from readmit.relocation.imports import list_import_batch_committed
from readmit.relocation.models import ImportState, ListImport
from readmit.screening.models import Watchlist
from readmit.screening.services import watchlist_create
from tests.factories import SYSTEM
from tests.relocation.conftest import kosovo, person

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _countries(transactional_db: None) -> None:
    """A transactional test starts from a flushed database: put the reference data back."""
    if not Country.objects.exists():
        Country.objects.bulk_create(
            Country(code=c.code, alpha3=c.alpha3, name=c.name, user_assigned=c.user_assigned)
            for c in all_countries()
        )


def test_another_organisation_writes_while_a_large_import_runs(world, settings):  # type: ignore[no-untyped-def]
    settings.READMIT_LIST_SYNC_MAX_ROWS = 3
    settings.READMIT_LIST_IMPORT_BATCH = 2
    agreement = kosovo(world)
    _, sender_token = token_create(user=world.user("us_caseworker"), name="t", acting_user=SYSTEM)
    outsider = world.user("me_supervisor")
    outsider_token_row, outsider_token = token_create(user=outsider, name="t", acting_user=SYSTEM)
    seen: list[Any] = []

    def other_organisation_writes() -> None:
        try:
            read = Client().get("/api/v1/agreements", HTTP_AUTHORIZATION=f"Bearer {outsider_token}")
            created = watchlist_create(
                name="Montenegrin list",
                slug="me-list",
                owner=world.me,
                source_kind="csv",
                acting_user=outsider,
            )
            seen.append((read.status_code, created.slug))
        except Exception as exc:  # recorded, asserted below
            seen.append(exc)
        finally:
            connections.close_all()

    def between_batches(sender: Any, job: ListImport, **kwargs: Any) -> None:
        if job.rows_done == 2:  # the first batch is committed, two more to come
            assert ListImport.objects.get(id=job.id).state == ImportState.RUNNING
            thread = threading.Thread(target=other_organisation_writes)
            thread.start()
            thread.join()

    list_import_batch_committed.connect(between_batches, weak=False)
    try:
        response = Client().post(
            f"/api/v1/agreements/{agreement.id}/lists",
            data=json.dumps({"reference": "BIG-C", "people": [person() for _ in range(6)]}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {sender_token}",
        )
    finally:
        list_import_batch_committed.disconnect(between_batches)

    assert response.status_code == 202, response.content
    assert seen == [(200, "me-list")]
    assert Watchlist.objects.filter(owner=world.me, slug="me-list").exists()
    assert ApiToken.objects.get(id=outsider_token_row.id).last_used_at is not None
    job = ListImport.objects.get(id=response.json()["id"])
    assert (job.state, job.rows_done) == (ImportState.DONE, 6)
