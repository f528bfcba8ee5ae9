"""The person's photo as a particular of a readmission application, through our own API:
with the application (base64) or later (``POST /api/v1/cases/{id}/photo``), served through
the case gate (``GET /api/v1/cases/{id}/photo``) as the data-sharing policy allows."""

from __future__ import annotations

import base64
import io
import json

from PIL import Image

from readmit.audit.models import AuditEvent
from readmit.cases.applications import PHOTO_MAX_BYTES
from readmit.cases.models import Attachment, Case
from tests.exchange.conftest import assert_problem
from tests.exchange.test_applications import TERMS, application, montenegro, submit
from tests.factories import make_agreement

__all__ = ["montenegro"]  # the fixture


def image(fmt: str = "PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (24, 32), (200, 180, 160)).save(out, format=fmt)
    return out.getvalue()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def send_photo(api, user, case_id, data: bytes):  # type: ignore[no-untyped-def]
    return api.client.post(
        f"/api/v1/cases/{case_id}/photo",
        data=json.dumps({"photo": b64(data)}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api.token(user)}",
    )


def test_a_photo_sent_with_the_application_is_stored_and_served_to_both_parties_only(
    api, world, montenegro
):
    photo = image("JPEG")
    sent = submit(api, world.user("us_caseworker"), montenegro, application(photo=b64(photo)))
    assert sent.status_code == 201, sent.content
    assert sent.json()["outstanding"] == []
    case_id = sent.json()["id"]
    stored = Attachment.objects.get(case_id=case_id, kind="photo")
    assert (stored.content_type, stored.size) == ("image/jpeg", len(photo))
    assert AuditEvent.objects.filter(event_type=680, case_id=case_id).count() == 1

    for user in ("us_caseworker", "me_caseworker", "me_liaison"):
        got = api.get(f"/api/v1/cases/{case_id}/photo", world.user(user))
        assert got.status_code == 200, (user, got.content)
        assert got["Content-Type"] == "image/jpeg" and got.content == photo
    assert_problem(
        api.get(f"/api/v1/cases/{case_id}/photo", world.user("xk_caseworker")), 404, "not-found"
    )
    assert_problem(
        api.get(f"/api/v1/cases/{case_id}/photo", world.user("me_auditor")), 403, "wrong-role"
    )


def test_a_photo_to_follow_is_outstanding_until_the_requesting_side_sends_it(
    api, world, montenegro
):
    for body in (application("DHS-ME-2"), application("DHS-ME-3", photo="to follow")):
        sent = submit(api, world.user("us_caseworker"), montenegro, body)
        assert sent.status_code == 201, sent.content
        assert sent.json()["outstanding"] == ["photo"]
    case_id = sent.json()["id"]
    assert_problem(
        api.get(f"/api/v1/cases/{case_id}/photo", world.user("me_caseworker")), 404, "not-found"
    )

    photo = image("PNG")
    assert_problem(send_photo(api, world.user("xk_caseworker"), case_id, photo), 404, "not-found")
    assert_problem(send_photo(api, world.user("me_caseworker"), case_id, photo), 403, "wrong-party")
    assert_problem(send_photo(api, world.user("us_liaison"), case_id, photo), 403, "wrong-role")
    assert not Attachment.objects.filter(case_id=case_id).exists()

    added = send_photo(api, world.user("us_supervisor"), case_id, photo)
    assert added.status_code == 201, added.content
    assert added.json()["content_type"] == "image/png"
    assert added.json()["outstanding"] == []
    got = api.get(f"/api/v1/cases/{case_id}/photo", world.user("me_caseworker"))
    assert got.status_code == 200 and got.content == photo


def test_a_photo_that_is_not_a_jpeg_or_png_or_too_large_is_refused_naming_it_and_writes_nothing(
    api, world, montenegro
):
    gif = image("GIF")
    sent = submit(api, world.user("us_caseworker"), montenegro, application(photo=b64(gif)))
    problem = assert_problem(sent, 422, "validation-failed")
    assert [e["loc"][-1] for e in problem["errors"]] == ["photo"]
    assert "is not a JPEG or PNG image" in problem["errors"][0]["msg"]
    assert not Case.objects.exists()

    case_id = submit(api, world.user("us_caseworker"), montenegro, application()).json()["id"]
    audit_rows = AuditEvent.objects.count()
    # A PNG's first bytes, but larger than the limit: the limit is named.
    too_large = image("PNG") + b"\0" * PHOTO_MAX_BYTES
    problem = assert_problem(
        send_photo(api, world.user("us_caseworker"), case_id, too_large), 422, "validation-failed"
    )
    assert problem["errors"][0]["loc"][-1] == "photo"
    assert "at most 1 MB" in problem["errors"][0]["msg"]
    # A PDF is refused whatever the caller calls it.
    problem = assert_problem(
        send_photo(api, world.user("us_caseworker"), case_id, b"%PDF-1.7 fake"),
        422,
        "validation-failed",
    )
    assert "is not a JPEG or PNG image" in problem["errors"][0]["msg"]
    assert not Attachment.objects.filter(case_id=case_id).exists()
    assert AuditEvent.objects.count() == audit_rows


def test_the_other_party_reads_the_photo_only_where_the_agreement_shares_it(api, world):
    terms = {**TERMS, "data_sharing": {"categories": ["identity", "nationality", "documents"]}}
    agreement = make_agreement(world.us, world.me, kind="readmission", terms=terms)
    photo = image("PNG")
    case_id = submit(
        api, world.user("us_caseworker"), agreement, application(photo=b64(photo))
    ).json()["id"]
    assert_problem(
        api.get(f"/api/v1/cases/{case_id}/photo", world.user("me_caseworker")), 403, "not-shared"
    )
    own = api.get(f"/api/v1/cases/{case_id}/photo", world.user("us_caseworker"))
    assert own.status_code == 200 and own.content == photo
