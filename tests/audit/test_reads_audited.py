"""Reads of a person's data by the other party are audited, one row per request and
agreement (batched for lists); the owner's own reads are not."""

from __future__ import annotations

from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.cases.models import Case
from tests.exchange.conftest import Api
from tests.factories import make_case


def _reads() -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(event_type=AuditEventType.PERSONAL_DATA_READ).order_by("seq")
    )


def test_the_other_party_reading_a_case_page_is_audited_and_the_owner_is_not(world, login):
    case = make_case(world.agreement, by=world.user("us_caseworker"))  # US records the person
    assert login("us_caseworker").get(f"/cases/{case.id}/").status_code == 200
    assert _reads() == []
    assert login("xk_caseworker").get(f"/cases/{case.id}/").status_code == 200
    (row,) = _reads()
    assert row.actor_username == "xk_caseworker"
    assert row.case_id == case.id and row.agreement_id == world.agreement.id
    assert row.data == {"channel": "page", "cases": [str(case.id)], "count": 1}


def test_a_list_page_writes_one_row_for_all_its_cases(world, login):
    cases = [make_case(world.agreement, by=world.user("us_caseworker")) for _ in range(3)]
    assert login("xk_supervisor").get("/cases/").status_code == 200
    (row,) = _reads()
    assert row.data["channel"] == "page-list" and row.data["count"] == 3
    assert set(row.data["cases"]) == {str(c.id) for c in cases}


def test_api_reads_by_the_other_party_are_audited_but_not_a_304(world, client):
    api = Api(client)
    case = make_case(world.agreement, by=world.user("us_caseworker"))
    reader = world.user("xk_caseworker")
    api.token(reader)
    first = api.get(f"/api/v1/cases/{case.id}", reader)
    assert first.status_code == 200
    assert [r.data["channel"] for r in _reads()] == ["api"]
    again = api.get(f"/api/v1/cases/{case.id}", reader, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert len(_reads()) == 1
    assert api.get("/api/v1/cases", reader).status_code == 200
    assert [r.data["channel"] for r in _reads()] == ["api", "api-list"]
    assert api.get("/api/v1/cases", world.user("us_caseworker")).status_code == 200
    assert len(_reads()) == 2


def test_the_owners_auditor_sees_who_read_their_people(world, login):
    case = make_case(world.agreement, by=world.user("us_caseworker"))
    login("xk_caseworker").get(f"/cases/{case.id}/")
    page = login("us_auditor").get("/audit/").content.decode()
    assert "Personal data read" in page
    assert Case.objects.filter(id=case.id).exists()


def test_the_other_party_downloading_an_attachment_is_audited_and_the_uploader_is_not(world, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from readmit.cases.models import Attachment

    case = make_case(world.agreement, by=world.user("us_caseworker"))
    login("us_caseworker").post(
        f"/cases/{case.id}/attachments/",
        {
            "kind": "evidence_of_nationality",
            "file": SimpleUploadedFile("passport.pdf", b"%PDF-1.7\n% fictional\n"),
        },
    )
    attachment = Attachment.objects.get(case=case)
    url = f"/cases/{case.id}/attachments/{attachment.id}/"
    assert login("us_supervisor").get(url).status_code == 200
    assert _reads() == []
    assert login("xk_caseworker").get(url).status_code == 200
    (row,) = _reads()
    assert (row.object_type, row.object_id, row.data["channel"]) == (
        "attachment",
        str(attachment.id),
        "attachment",
    )


def test_reads_stay_out_of_the_case_history(world, login):
    from readmit.cases.selectors import case_history

    case = make_case(world.agreement, by=world.user("us_caseworker"))
    before = list(case_history(case))
    login("xk_caseworker").get(f"/cases/{case.id}/")
    assert len(_reads()) == 1
    assert list(case_history(case)) == before
