"""The person's photo in the web: a file in the application form, shown on the case page from
a gated URL, listed as outstanding while it is to follow, sent later on the case page."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from readmit.audit.models import AuditEvent
from readmit.cases.models import Attachment, Case
from tests.exchange.test_applications import TERMS
from tests.exchange.test_photo import image
from tests.factories import make_agreement
from tests.web.test_intake_form import batch_row, csv_file, form, montenegro

__all__ = ["montenegro"]  # the fixture


def upload(data: bytes, name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def test_a_photo_uploaded_with_the_form_is_shown_on_the_case_page_from_a_gated_url(
    login, world, montenegro
):
    photo = image("JPEG")
    client = login("us_caseworker")
    sent = client.post(
        f"/agreements/{montenegro.id}/applications/new/", {**form(), "photo": upload(photo)}
    )
    assert sent.status_code == 302, sent.content
    case = Case.objects.get(agreement=montenegro, external_id="DHS-ME-WEB-1")
    assert Attachment.objects.get(case=case, kind="photo").content_type == "image/jpeg"
    for user in ("us_caseworker", "me_caseworker"):
        viewer = login(user)
        page = viewer.get(f"/cases/{case.id}/").content.decode()
        assert f'<img src="/cases/{case.id}/photo/"' in page
        assert 'id="outstanding-particulars"' not in page
        got = viewer.get(f"/cases/{case.id}/photo/")
        assert got.status_code == 200 and got["Content-Type"] == "image/jpeg"
        assert b"".join(got.streaming_content) == photo  # type: ignore[attr-defined]
    assert login("xk_caseworker").get(f"/cases/{case.id}/photo/").status_code == 404
    assert login("me_auditor").get(f"/cases/{case.id}/photo/").status_code == 403


def test_a_file_that_is_not_a_jpeg_or_png_is_refused_next_to_the_field_whatever_its_name(
    login, world, montenegro
):
    client = login("us_caseworker")
    before = (Case.objects.count(), AuditEvent.objects.filter(event_type=680).count())
    sent = client.post(
        f"/agreements/{montenegro.id}/applications/new/",
        {**form(), "photo": upload(b"%PDF-1.7 not a photo", "photo.jpg")},
    )
    assert sent.status_code == 422
    [message] = sent.context["form"].errors["photo"]
    assert "is not a JPEG or PNG image" in message
    assert (Case.objects.count(), AuditEvent.objects.filter(event_type=680).count()) == before


def test_without_a_photo_it_is_outstanding_until_the_requesting_side_sends_it_on_the_case_page(
    login, world, montenegro
):
    login("us_caseworker").post(f"/agreements/{montenegro.id}/applications/new/", form())
    case = Case.objects.get(agreement=montenegro, external_id="DHS-ME-WEB-1")
    other = login("me_caseworker")
    page = other.get(f"/cases/{case.id}/").content.decode()
    assert 'id="outstanding-particulars"' in page and "Outstanding: to follow" in page
    assert 'id="photo-form"' not in page
    url = f"/cases/{case.id}/photo/upload/"
    assert other.post(url, {"photo": upload(image("PNG"), "p.png")}).status_code == 403
    assert login("xk_caseworker").post(url, {"photo": upload(image("PNG"))}).status_code == 404
    assert not Attachment.objects.filter(case=case).exists()

    client = login("us_caseworker")
    assert 'id="photo-form"' in client.get(f"/cases/{case.id}/").content.decode()
    refused = client.post(url, {"photo": upload(b"GIF89a....", "p.png")}, follow=True)
    assert "The photo was not added: photo is not a JPEG or PNG image" in refused.content.decode()
    assert not Attachment.objects.filter(case=case).exists()
    sent = client.post(url, {"photo": upload(image("PNG"), "p.png")}, follow=True)
    page = sent.content.decode()
    assert "The photo was added." in page and 'id="outstanding-particulars"' not in page
    assert Attachment.objects.get(case=case, kind="photo").content_type == "image/png"


def test_the_other_party_sees_no_photo_where_the_agreement_does_not_share_it(login, world):
    terms = {**TERMS, "data_sharing": {"categories": ["identity", "nationality", "documents"]}}
    agreement = make_agreement(world.us, world.me, kind="readmission", terms=terms)
    login("us_caseworker").post(
        f"/agreements/{agreement.id}/applications/new/", {**form(), "photo": upload(image())}
    )
    case = Case.objects.get(agreement=agreement)
    other = login("me_caseworker")
    page = other.get(f"/cases/{case.id}/").content.decode()
    assert 'id="photo-not-shared"' in page and "/photo/" not in page
    assert other.get(f"/cases/{case.id}/photo/").status_code == 403
    assert login("us_caseworker").get(f"/cases/{case.id}/photo/").status_code == 200


def test_a_batch_says_it_carries_no_photos_and_each_case_lists_the_photo_as_outstanding(
    login, world, montenegro
):
    client = login("us_caseworker")
    url = f"/agreements/{montenegro.id}/applications/batch/"
    assert 'id="batch-photo-note"' in client.get(url).content.decode()
    assert client.post(url, {"file": csv_file([batch_row("B-1", "ME2000001")])}).status_code == 302
    case = Case.objects.get(agreement=montenegro, external_id="B-1")
    page = client.get(f"/cases/{case.id}/").content.decode()
    assert 'id="outstanding-particulars"' in page
    refused = client.post(
        url, {"file": csv_file([{**batch_row("B-2", "ME2000002"), "photo": "x.jpg"}])}
    )
    assert refused.status_code == 422
    assert "unknown column(s): photo" in refused.context["message"]


def test_the_photo_is_neither_added_nor_listed_nor_downloaded_as_a_general_file(login, world):
    terms = {**TERMS, "data_sharing": {"categories": ["identity", "nationality", "documents"]}}
    agreement = make_agreement(world.us, world.me, kind="readmission", terms=terms)
    login("us_caseworker").post(
        f"/agreements/{agreement.id}/applications/new/", {**form(), "photo": upload(image())}
    )
    case = Case.objects.get(agreement=agreement)
    photo = Attachment.objects.get(case=case, kind="photo")
    other = login("me_caseworker")
    page = other.get(f"/cases/{case.id}/").content.decode()
    assert f"/attachments/{photo.id}/" not in page and 'value="photo"' not in page
    assert other.get(f"/cases/{case.id}/attachments/{photo.id}/").status_code == 404
    sent = login("us_caseworker").post(
        f"/cases/{case.id}/attachments/",
        {"kind": "photo", "file": upload(image("PNG"), "p.png")},
        follow=True,
    )
    assert "the person&#x27;s photo is sent with the application" in sent.content.decode()
    assert Attachment.objects.filter(case=case).count() == 1
