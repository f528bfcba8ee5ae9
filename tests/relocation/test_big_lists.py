"""Big lists: a body over the limit answers 413 naming it; a list above the row threshold
becomes an import job (202 + Location) imported in batches, all or nothing by default."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from readmit.accounts.services import token_create
from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.cases.models import Case
from readmit.relocation.models import ListImport, ProposalList
from readmit.screening.models import RunTrigger, ScreeningRun
from readmit.screening.services import agreement_watchlist_add, watchlist_import
from tests.factories import SYSTEM
from tests.relocation.conftest import person
from tests.screening_lists import SAMPLES, fictional_list


@pytest.fixture
def samples() -> Path:
    return SAMPLES


@pytest.fixture
def watchlist(world):  # type: ignore[no-untyped-def]
    return fictional_list(world)


PROBLEM = "application/problem+json"


class Caller:
    def __init__(self, user: Any) -> None:
        _, self.token = token_create(user=user, name="test", acting_user=SYSTEM)
        self.client = Client()

    def post(self, path: str, body: Any, **headers: str) -> Any:
        return self.client.post(
            path,
            data=body if isinstance(body, bytes) else json.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {self.token}",
            **headers,
        )

    def get(self, path: str) -> Any:
        return self.client.get(path, HTTP_AUTHORIZATION=f"Bearer {self.token}")


def url(agreement: Any) -> str:
    return f"/api/v1/agreements/{agreement.id}/lists"


@pytest.fixture
def small_threshold(settings):  # type: ignore[no-untyped-def]
    settings.READMIT_LIST_SYNC_MAX_ROWS = 3
    settings.READMIT_LIST_IMPORT_BATCH = 2


def test_a_body_over_the_limit_answers_413_naming_the_limit_and_writes_nothing(
    world, agreement, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2000
    sender = Caller(world.user("us_caseworker"))
    rows = AuditEvent.objects.count()
    body = json.dumps({"reference": "TOO-BIG", "people": [person() for _ in range(20)]})
    assert len(body) > 2000
    response = sender.post(url(agreement), body.encode())
    assert response.status_code == 413, response.content
    assert response["Content-Type"] == PROBLEM
    problem = response.json()
    assert problem["type"] == "urn:readmit:problem:payload-too-large"
    assert problem["limit_bytes"] == 2000 and "2000 bytes" in problem["detail"]
    assert not ProposalList.objects.exists() and not ListImport.objects.exists()
    assert AuditEvent.objects.count() == rows


def test_a_list_above_the_threshold_answers_202_and_is_imported_in_the_background(
    world, agreement, small_threshold, django_capture_on_commit_callbacks
):
    sender = Caller(world.user("us_caseworker"))
    people = [person() for _ in range(5)]
    with django_capture_on_commit_callbacks(execute=True):
        response = sender.post(
            url(agreement), {"reference": "BIG-1", "people": people}, HTTP_IDEMPOTENCY_KEY="k-1"
        )
    assert response.status_code == 202, response.content
    job = response.json()
    assert response["Location"] == f"/api/v1/imports/{job['id']}"
    assert job["state"] == "queued" and job["row_count"] == 5 and job["rows_done"] == 0

    progress = sender.get(response["Location"])
    assert progress.status_code == 200, progress.content
    done = progress.json()
    assert done["state"] == "done"
    assert (done["rows_done"], done["rows_failed"], done["errors"]) == (5, 0, [])
    proposal_list = ProposalList.objects.get(id=done["proposal_list"]["id"])
    assert proposal_list.imported_count == 5
    cases = Case.objects.filter(agreement=agreement)
    assert sorted(cases.values_list("external_id", flat=True)) == sorted(
        p["external_id"] for p in people
    )
    assert set(cases.values_list("state", flat=True)) == {"proposed"}
    assert ListImport.objects.get(id=job["id"]).people == []  # the rows live in the cases now
    assert AuditEvent.objects.filter(event_type=AuditEventType.LIST_IMPORT_FINISHED).count() == 1

    again = sender.post(
        url(agreement), {"reference": "BIG-1", "people": people}, HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert again.status_code == 202 and again.json()["id"] == job["id"]
    reused = sender.post(
        url(agreement), {"reference": "BIG-2", "people": people}, HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert reused.status_code == 409, reused.content


def test_an_import_with_an_invalid_row_fails_whole_naming_the_row_and_field(
    world, agreement, small_threshold, django_capture_on_commit_callbacks
):
    sender = Caller(world.user("us_caseworker"))
    people = [person() for _ in range(4)] + [person(birth_date="19xx")]
    with django_capture_on_commit_callbacks(execute=True):
        response = sender.post(url(agreement), {"reference": "BIG-BAD", "people": people})
    assert response.status_code == 202, response.content
    job = sender.get(response["Location"]).json()
    assert job["state"] == "failed" and job["rows_done"] == 0 and job["rows_failed"] == 1
    assert any(e["loc"][:2] == ["people", 4] and "birth_date" in e["loc"] for e in job["errors"])
    assert job["proposal_list"] is None
    assert not Case.objects.filter(agreement=agreement).exists()
    assert not ProposalList.objects.exists()


def test_only_valid_rows_imports_the_rest_and_counts_the_failed_rows(
    world, agreement, small_threshold, django_capture_on_commit_callbacks
):
    sender = Caller(world.user("us_caseworker"))
    people = [person() for _ in range(4)] + [person(sex="Q")]
    with django_capture_on_commit_callbacks(execute=True):
        response = sender.post(
            url(agreement),
            {"reference": "BIG-SOME", "people": people, "only_valid_rows": True},
        )
    job = sender.get(response["Location"]).json()
    assert job["state"] == "done" and job["rows_done"] == 4 and job["rows_failed"] == 1
    assert any("sex" in e["loc"] for e in job["errors"])
    assert Case.objects.filter(agreement=agreement).count() == 4


def test_an_imported_list_is_screened_without_anyone_asking(
    world, agreement, watchlist, samples, small_threshold, django_capture_on_commit_callbacks
):
    agreement_watchlist_add(
        agreement=agreement, watchlist=watchlist, acting_user=world.user("xk_supervisor")
    )
    watchlist_import(
        watchlist=watchlist,
        path_or_file=samples / "watchlist.csv",
        acting_user=world.user("xk_supervisor"),
    )
    sender = Caller(world.user("us_caseworker"))
    with django_capture_on_commit_callbacks(execute=True):
        sender.post(url(agreement), {"reference": "BIG-S", "people": [person() for _ in range(4)]})
    (run,) = ScreeningRun.objects.filter(agreement=agreement)
    assert run.trigger == RunTrigger.LIST_ARRIVED and run.case_count == 4
    assert run.status == "done"


def test_an_import_is_read_only_by_the_submitting_organisation_s_case_readers(
    world, agreement, small_threshold, django_capture_on_commit_callbacks
):
    sender = Caller(world.user("us_caseworker"))
    with django_capture_on_commit_callbacks(execute=True):
        response = sender.post(
            url(agreement), {"reference": "BIG-R", "people": [person() for _ in range(4)]}
        )
    location = response["Location"]
    assert Caller(world.user("us_auditor")).get(location).status_code == 200
    admin = Caller(world.user("us_administrator")).get(location)
    assert admin.status_code == 403 and admin.json()["type"] == "urn:readmit:problem:wrong-role"
    for outsider in ("xk_caseworker", "me_supervisor"):  # the receiving party, a non-party
        refused = Caller(world.user(outsider)).get(location)
        assert refused.status_code == 404, refused.content
        assert refused["Content-Type"] == PROBLEM


def test_a_large_list_from_the_wrong_party_or_role_is_refused_and_queues_nothing(
    world, agreement, small_threshold
):
    body = {"reference": "BIG-X", "people": [person() for _ in range(4)]}
    assert Caller(world.user("xk_caseworker")).post(url(agreement), body).status_code == 403
    assert Caller(world.user("us_auditor")).post(url(agreement), body).status_code == 403
    assert Caller(world.user("me_supervisor")).post(url(agreement), body).status_code == 404
    assert not ListImport.objects.exists()


def test_an_import_whose_reference_was_used_meanwhile_fails_naming_the_reference(
    world, agreement, small_threshold
):
    from readmit.relocation.imports import list_import_run

    sender = Caller(world.user("us_caseworker"))
    queued = sender.post(
        url(agreement), {"reference": "SAME", "people": [person() for _ in range(4)]}
    )
    assert queued.status_code == 202  # not run: its task waits for the commit
    small = sender.post(url(agreement), {"reference": "SAME", "people": [person()]})
    assert small.status_code == 201, small.content
    job = list_import_run(queued.json()["id"])
    assert job.state == "failed" and job.rows_done == 0
    assert job.errors == [{"loc": ["reference"], "msg": "already used under this agreement"}]
    assert Case.objects.filter(agreement=agreement).count() == 1


def test_a_12_mb_list_answers_413_with_the_default_limit_not_500(world, agreement):
    sender = Caller(world.user("us_caseworker"))
    filler = "x" * 1000
    people = [person(family_name=f"Quintero {filler}") for _ in range(12_000)]
    body = json.dumps({"reference": "TWELVE-MB", "people": people}).encode()
    assert len(body) > 12 * 1024 * 1024
    response = sender.post(url(agreement), body)
    assert response.status_code == 413, response.status_code
    assert response.json()["limit_bytes"] == 10 * 1024 * 1024
    assert not ProposalList.objects.exists() and not ListImport.objects.exists()
