"""Files on a case: checked before they are stored, served only to the case's parties."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.cases.attachments import attachment_add
from readmit.cases.models import Attachment
from readmit.core.errors import Forbidden, NotFound, ValidationFailed

PDF = b"%PDF-1.7\n% fictional passport copy\n"


def upload(client, case, content=PDF, name="passport.pdf", kind="evidence_of_nationality"):
    return client.post(
        f"/cases/{case.id}/attachments/", {"kind": kind, "file": SimpleUploadedFile(name, content)}
    )


def test_a_party_attaches_a_pdf_which_is_stored_with_its_hash_and_audited(login, case):
    response = upload(login("us_caseworker"), case)
    assert response.status_code == 302
    attachment = Attachment.objects.get(case=case)
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()
    assert attachment.content_type == "application/pdf"
    assert (
        AuditEvent.objects.filter(
            event_type=AuditEventType.ATTACHMENT_ADDED, case_id=case.id
        ).count()
        == 1
    )


def test_the_other_party_downloads_it_and_an_outsider_gets_404(login, case, world):
    upload(login("us_caseworker"), case)
    attachment = Attachment.objects.get(case=case)
    url = f"/cases/{case.id}/attachments/{attachment.id}/"
    outsider = login("me_caseworker").get(url)
    assert outsider.status_code == 404
    response = login("xk_caseworker").get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_file_that_is_not_a_document_is_refused_whatever_its_name(login, case):
    response = upload(
        login("us_caseworker"), case, content=b"<script>alert(1)</script>", name="passport.pdf"
    )
    assert response.status_code == 302
    assert not Attachment.objects.exists()
    assert not AuditEvent.objects.filter(event_type=AuditEventType.ATTACHMENT_ADDED).exists()


@pytest.mark.parametrize(
    ("user", "error"),
    [("xk_auditor", Forbidden), ("me_caseworker", NotFound), ("xk_administrator", NotFound)],
)
def test_readers_and_outsiders_cannot_attach_and_nothing_is_written(world, case, user, error):
    import io

    before = AuditEvent.objects.count()
    with pytest.raises(error):
        attachment_add(
            case_id=case.id,
            kind="other",
            file=io.BytesIO(PDF),
            filename="x.pdf",
            acting_user=world.user(user),
        )
    assert AuditEvent.objects.count() == before
    assert not Attachment.objects.exists()


def test_an_unknown_kind_is_refused_naming_the_field(world, case):
    import io

    with pytest.raises(ValidationFailed) as refused:
        attachment_add(
            case_id=case.id,
            kind="selfie",
            file=io.BytesIO(PDF),
            filename="x.pdf",
            acting_user=world.user("us_caseworker"),
        )
    assert refused.value.errors[0]["loc"] == ["kind"]
