"""Every creating request takes an Idempotency-Key: a repeat answers the same and creates
nothing; the key with another request is refused; a refusal keeps nothing."""

from __future__ import annotations

import json

from django.core.files.uploadedfile import SimpleUploadedFile

from readmit.agreements.models import DiplomaticContact
from readmit.audit.models import AuditEvent
from readmit.cases.models import Attachment
from readmit.core import clock
from readmit.exchange.idempotency import KEEP_FOR
from readmit.exchange.models import IdempotentRequest
from tests.exchange.conftest import assert_problem
from tests.factories import make_case

PDF = b"%PDF-1.7\n% fictional scan\n"
CONTACT = {
    "occurred_on": "2026-03-02",
    "from_country": "US",
    "to_country": "XK",
    "channel": "note",
    "summary": "Note verbale on the quota (fictional).",
    "source": "Note 12/2026 (fictional)",
}


def contact(api, world, body=None, key=None, user="us_liaison"):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return api.client.post(
        f"/api/v1/agreements/{world.agreement.id}/contacts",
        data=json.dumps(body or CONTACT),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api.token(world.user(user))}",
        **headers,
    )


def test_a_repeat_with_the_same_key_answers_the_same_and_creates_nothing(api, world):
    first = contact(api, world, key="contact-1")
    assert first.status_code == 201, first.content
    audit = AuditEvent.objects.count()
    again = contact(api, world, key="contact-1")
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert DiplomaticContact.objects.count() == 1
    assert AuditEvent.objects.count() == audit


def test_without_a_key_each_request_creates(api, world):
    assert contact(api, world).status_code == 201
    assert contact(api, world).status_code == 201
    assert DiplomaticContact.objects.count() == 2
    assert not IdempotentRequest.objects.exists()


def test_the_same_key_with_another_body_is_refused_naming_the_header(api, world):
    assert contact(api, world, key="contact-1").status_code == 201
    other = contact(api, world, {**CONTACT, "summary": "Another note (fictional)."}, "contact-1")
    body = assert_problem(other, 409, "idempotency-key-reused")
    assert body["errors"] == [{"loc": ["header", "Idempotency-Key"], "msg": "already used"}]
    assert DiplomaticContact.objects.count() == 1


def test_keys_belong_to_their_user(api, world):
    assert contact(api, world, key="shared-key").status_code == 201
    assert contact(api, world, key="shared-key", user="xk_liaison").status_code == 201
    assert DiplomaticContact.objects.count() == 2


def test_a_refused_request_keeps_nothing_and_its_key_may_be_used_again(api, world):
    refused = contact(api, world, {**CONTACT, "to_country": "ZZ"}, key="contact-2")
    assert refused.status_code == 422
    assert contact(api, world, key="contact-2", user="us_caseworker").status_code == 403
    assert not IdempotentRequest.objects.exists()
    assert contact(api, world, key="contact-2").status_code == 201


def test_a_key_is_kept_for_a_day_then_may_be_used_again(api, world):
    assert contact(api, world, key="contact-3").status_code == 201
    IdempotentRequest.objects.update(created_at=clock.now() - KEEP_FOR - KEEP_FOR / 24)
    again = contact(api, world, key="contact-3")
    assert again.status_code == 201 and not again.has_header("Idempotent-Replayed")
    assert DiplomaticContact.objects.count() == 2


def test_a_key_longer_than_200_characters_is_refused_naming_the_header(api, world):
    body = assert_problem(contact(api, world, key="k" * 201), 422, "validation-failed")
    assert body["errors"][0]["loc"] == ["header", "Idempotency-Key"]
    assert not DiplomaticContact.objects.exists()


def test_an_attachment_uploaded_twice_with_one_key_is_stored_once(api, world):
    case = make_case(world.agreement)

    def upload():
        return api.client.post(
            f"/api/v1/cases/{case.id}/attachments",
            {"kind": "other", "file": SimpleUploadedFile("scan.pdf", PDF)},
            HTTP_AUTHORIZATION=f"Bearer {api.token(world.user('us_caseworker'))}",
            HTTP_IDEMPOTENCY_KEY="scan-1",
        )

    first, again = upload(), upload()
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert Attachment.objects.count() == 1


def test_a_non_party_cannot_read_another_users_answer_by_its_key(api, world):
    assert contact(api, world, key="k-1").status_code == 201
    outsider = contact(api, world, key="k-1", user="me_liaison")
    assert_problem(outsider, 404, "not-found")


def test_a_repeat_while_the_first_request_still_runs_is_refused_and_creates_nothing(api, world):
    assert contact(api, world, key="contact-4").status_code == 201
    IdempotentRequest.objects.update(status=None)  # as if the first had not answered yet
    running = contact(api, world, key="contact-4")
    assert "still running" in assert_problem(running, 409, "idempotency-key-reused")["detail"]
    assert DiplomaticContact.objects.count() == 1
