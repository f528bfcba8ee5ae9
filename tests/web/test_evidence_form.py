"""Adding evidence to a readmission case on its page, after intake: the same service as
``POST /api/v1/cases/{id}/evidence`` (MRZ verified, false-document flag, weighed again)."""

from __future__ import annotations

from typing import Any

from readmit.audit.models import AuditEvent
from readmit.cases.models import Case, EvidenceItem
from tests.exchange.test_applications import td3
from tests.web.test_intake_form import form, montenegro

__all__ = ["montenegro"]  # the fixture


def _case(login, montenegro) -> Case:  # type: ignore[no-untyped-def]
    sent = login("us_caseworker").post(
        f"/agreements/{montenegro.id}/applications/new/",
        form(
            evidence_kind="",
            document_type="",
            document_number="",
            document_country="",
            mrz="",
        ),
    )
    assert sent.status_code == 302
    case = Case.objects.get(agreement=montenegro, external_id="DHS-ME-WEB-1")
    assert case.data["evidence"]["effect"] == "interview_due"
    return case


def evidence(**fields: Any) -> dict[str, Any]:
    return {f"evidence-{name}": value for name, value in fields.items()}


PASSPORT = {
    "evidence_kind": "expired_passport",
    "document_type": "passport",
    "document_number": "ME1111111",
    "document_country": "ME",
    "mrz": td3("ME1111111", expiry="200101"),
}


def test_the_requesting_side_adds_a_passport_on_the_case_page_and_the_case_is_weighed_again(
    login, world, montenegro
):
    case = _case(login, montenegro)
    client = login("us_caseworker")
    page = client.get(f"/cases/{case.id}/").content.decode()
    assert 'id="add-evidence"' in page and 'name="evidence-mrz"' in page
    sent = client.post(f"/cases/{case.id}/evidence/", evidence(**PASSPORT), follow=True)
    assert sent.status_code == 200
    item = EvidenceItem.objects.get(case=case)
    assert item.mrz_fields["document_number"] == "ME1111111"
    assert item.added_by == world.user("us_caseworker")
    case.refresh_from_db()
    assert case.data["evidence"]["effect"] == "nationality_established"
    shown = sent.content.decode()
    assert "Nationality is established by the expired passport ME1111111" in shown
    assert "MRZ verified" in shown
    assert AuditEvent.objects.filter(event_type=601, case_id=case.id).count() == 1


def test_a_bad_check_digit_names_the_mrz_field_and_adds_nothing(login, world, montenegro):
    case = _case(login, montenegro)
    zone = PASSPORT["mrz"]
    bad = {**PASSPORT, "mrz": zone[:-1] + str((int(zone[-1]) + 1) % 10)}
    client = login("us_caseworker")
    sent = client.post(f"/cases/{case.id}/evidence/", evidence(**bad), follow=True)
    assert "The evidence was not added: mrz: composite: check digit" in sent.content.decode()
    no_country = {**PASSPORT, "document_country": "QQQ"}
    sent = client.post(f"/cases/{case.id}/evidence/", evidence(**no_country), follow=True)
    assert "document_country: &#x27;QQQ&#x27; is not a country code" in sent.content.decode()
    assert not EvidenceItem.objects.filter(case=case).exists()
    assert not AuditEvent.objects.filter(event_type=601, case_id=case.id).exists()
    assert Case.objects.get(id=case.id).data["evidence"]["effect"] == "interview_due"


def test_a_document_flagged_false_counts_for_nothing(login, world, montenegro):
    case = _case(login, montenegro)
    flagged = {**PASSPORT, "false_document": "on"}
    login("us_caseworker").post(f"/cases/{case.id}/evidence/", evidence(**flagged))
    item = EvidenceItem.objects.get(case=case)
    assert item.false_document
    case.refresh_from_db()
    assert case.data["evidence"]["effect"] == "interview_due"
    assert "flagged as false and counts for nothing" in case.data["evidence"]["explanation"]


def test_the_other_side_gets_403_a_non_party_404_and_neither_sees_the_form(
    login, world, montenegro
):
    case = _case(login, montenegro)
    url = f"/cases/{case.id}/evidence/"
    other = login("me_caseworker")
    assert 'id="add-evidence"' not in other.get(f"/cases/{case.id}/").content.decode()
    assert other.post(url, evidence(**PASSPORT)).status_code == 403
    assert login("us_liaison").post(url, evidence(**PASSPORT)).status_code == 403
    assert login("xk_caseworker").post(url, evidence(**PASSPORT)).status_code == 404
    assert not EvidenceItem.objects.filter(case=case).exists()


def test_no_evidence_is_added_once_the_application_was_answered(login, world, montenegro):
    case = _case(login, montenegro)
    supervisor = login("me_supervisor")
    supervisor.post(f"/cases/{case.id}/transitions/", {"action": "accept", "version": case.version})
    assert Case.objects.get(id=case.id).state == "accepted"
    client = login("us_caseworker")
    assert 'id="add-evidence"' not in client.get(f"/cases/{case.id}/").content.decode()
    refused = client.post(f"/cases/{case.id}/evidence/", evidence(**PASSPORT))
    assert refused.status_code == 409
    assert not EvidenceItem.objects.filter(case=case).exists()
