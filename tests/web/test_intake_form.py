"""The readmission application form on a readmission agreement's page."""

from __future__ import annotations

from typing import Any

import pytest

from readmit.audit.models import AuditEvent
from readmit.cases.models import Case, EvidenceItem
from tests.exchange.test_applications import TERMS, td3
from tests.factories import make_agreement


def form(**changes: Any) -> dict[str, Any]:
    data = {
        "external_id": "DHS-ME-WEB-1",
        "procedure": "normal",
        "given_names": "Јована",
        "family_name": "Вуковић",
        "given_names_latin": "Jovana",
        "family_name_latin": "Vuković",
        "aliases": "former; Petrović; Jovana",
        "birth_date": "1988-02-03",
        "place_of_birth": "Cetinje",
        "sex": "F",
        "nationalities": "ME",
        "father": "Milan Vuković",
        "civil_status": "married",
        "languages": "Montenegrin",
        "last_address": "Bajova 5, Cetinje",
        "medical_needs": "insulin daily",
        "escort_needs": "none",
        "evidence_kind": "valid_passport",
        "document_type": "passport",
        "document_number": "ME7654321",
        "document_country": "ME",
        "mrz": td3("ME7654321"),
    }
    data.update(changes)
    return data


@pytest.fixture
def montenegro(world):
    return make_agreement(world.us, world.me, kind="readmission", terms=TERMS)


def test_a_requesting_caseworker_submits_an_application_and_the_case_shows_its_evidence(
    login, world, montenegro
):
    client = login("us_caseworker")
    page = client.get(f"/agreements/{montenegro.id}/")
    assert f"/agreements/{montenegro.id}/applications/new/" in page.content.decode()
    sent = client.post(f"/agreements/{montenegro.id}/applications/new/", form())
    case = Case.objects.get(agreement=montenegro, external_id="DHS-ME-WEB-1")
    assert sent.status_code == 302 and sent["Location"] == f"/cases/{case.id}/"
    assert case.person.family_name == "Вуковић"
    assert case.person.other_names.get().kind == "former"
    assert case.application.particulars["medical_needs"] == "insulin daily"
    assert case.application.source == "web"
    shown = client.get(f"/cases/{case.id}/").content.decode()
    assert "Nationality is established by the valid passport ME7654321" in shown
    assert "MRZ verified" in shown


def test_an_incomplete_form_names_each_missing_field_next_to_it_and_writes_nothing(
    login, world, montenegro
):
    client = login("us_caseworker")
    before = (Case.objects.count(), AuditEvent.objects.count())
    zone = td3("ME7654321")
    bad_zone = zone[:-1] + str((int(zone[-1]) + 1) % 10)
    sent = client.post(
        f"/agreements/{montenegro.id}/applications/new/",
        form(place_of_birth="", escort_needs="", family_name_latin="", mrz=bad_zone),
    )
    assert sent.status_code == 422
    errors = sent.context["form"].errors
    assert set(errors) == {"place_of_birth", "escort_needs", "family_name_latin"}
    assert (Case.objects.count(), AuditEvent.objects.count()) == before
    # The shape is right now; the check digit is what the service refuses, next to the MRZ.
    sent = client.post(f"/agreements/{montenegro.id}/applications/new/", form(mrz=bad_zone))
    assert sent.status_code == 422
    assert sent.context["form"].errors["mrz"][0].startswith("composite: check digit")
    assert not EvidenceItem.objects.exists()


def test_the_form_refuses_the_other_side_403_and_a_non_party_404(login, world, montenegro):
    url = f"/agreements/{montenegro.id}/applications/new/"
    assert login("me_caseworker").post(url, form()).status_code == 403
    assert login("us_auditor").post(url, form()).status_code == 403
    assert login("xk_caseworker").get(url).status_code == 404
    assert not Case.objects.filter(agreement=montenegro).exists()
    assert login("us_supervisor").post(url, form()).status_code == 302


def test_the_reject_form_asks_for_the_rebuttal_while_proof_stands(login, world, montenegro):
    login("us_caseworker").post(f"/agreements/{montenegro.id}/applications/new/", form())
    case = Case.objects.get(agreement=montenegro, external_id="DHS-ME-WEB-1")
    client = login("me_supervisor")
    url = f"/cases/{case.id}/transitions/"
    base = {"action": "reject", "version": case.version, "reason": "not in our register"}
    refused = client.post(url, base)
    assert "rebut" in refused.content.decode()
    assert Case.objects.get(id=case.id).state == "submitted"
    client.post(url, {**base, "payload-rebuttal": "The register shows another holder."})
    assert Case.objects.get(id=case.id).state == "rejected"
    assert "another holder" in client.get(f"/cases/{case.id}/").content.decode()


def csv_file(rows: list[dict[str, Any]], name: str = "applications.csv") -> Any:
    import csv
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode(), content_type="text/csv")


def batch_row(external_id: str, number: str, **changes: Any) -> dict[str, Any]:
    row = form(external_id=external_id, document_number=number, mrz=td3(number).replace("\n", "|"))
    row.update(changes)
    return row


def test_a_batch_file_opens_every_application_or_none_naming_each_row_and_column(
    login, world, montenegro
):
    client = login("us_caseworker")
    url = f"/agreements/{montenegro.id}/applications/batch/"
    bad = [
        batch_row("B-1", "ME2000001"),
        batch_row("B-2", "ME2000002", place_of_birth="", medical_needs=""),
        batch_row("B-3", "ME2000003", procedure="fast"),
    ]
    refused = client.post(url, {"file": csv_file(bad)})
    assert refused.status_code == 422
    named = {(e["row"], e["field"]) for e in refused.context["errors"]}
    assert named == {(3, "place_of_birth"), (3, "medical_needs"), (4, "procedure")}
    assert not Case.objects.filter(agreement=montenegro).exists()

    good = [batch_row("B-1", "ME2000001"), batch_row("B-2", "ME2000002", procedure="normal")]
    sent = client.post(url, {"file": csv_file(good)})
    assert sent.status_code == 302
    cases = Case.objects.filter(agreement=montenegro).order_by("external_id")
    assert [c.external_id for c in cases] == ["B-1", "B-2"]
    assert {c.application.source for c in cases} == {"csv"}
    assert all(c.data["evidence"]["effect"] == "nationality_established" for c in cases)


def test_the_batch_refuses_the_other_side_403_and_a_non_party_404(login, world, montenegro):
    url = f"/agreements/{montenegro.id}/applications/batch/"
    rows = [batch_row("B-1", "ME2000001")]
    assert login("me_caseworker").post(url, {"file": csv_file(rows)}).status_code == 403
    assert login("xk_caseworker").get(url).status_code == 404
    assert not Case.objects.filter(agreement=montenegro).exists()


def test_the_case_page_shows_the_particulars_and_the_needs_only_where_shared(login, world):
    terms = {**TERMS, "data_sharing": {"categories": ["identity", "nationality", "documents"]}}
    agreement = make_agreement(world.us, world.me, kind="readmission", terms=terms)
    login("us_caseworker").post(f"/agreements/{agreement.id}/applications/new/", form())
    case = Case.objects.get(agreement=agreement)
    own = login("us_caseworker").get(f"/cases/{case.id}/").content.decode()
    assert "Bajova 5, Cetinje" in own and "insulin daily" in own
    other = login("me_caseworker").get(f"/cases/{case.id}/").content.decode()
    assert "Bajova 5, Cetinje" in other and "Milan" in other
    assert "insulin daily" not in other and 'id="needs-not-shared"' in other


def test_an_xlsx_batch_is_read_like_a_csv_one(login, world, montenegro):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    row = batch_row("X-1", "ME3000001")
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(row))
    sheet.append(list(row.values()))
    data = io.BytesIO()
    workbook.save(data)
    upload = SimpleUploadedFile("applications.xlsx", data.getvalue())
    url = f"/agreements/{montenegro.id}/applications/batch/"
    assert login("us_caseworker").post(url, {"file": upload}).status_code == 302
    assert Case.objects.get(agreement=montenegro, external_id="X-1").application.source == "xlsx"
