"""Letters through ``POST /api/v1/cases/{id}/letters``: written for the case's state, in the
person's language, with the name exactly as written, attached, audited, served only through
the attachment gate; the wrong party gets 404, the wrong role 403, bad input 422 naming the
field, and none of those writes anything."""

from __future__ import annotations

import json

import pytest

from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.cases.models import Attachment
from tests.documents.conftest import ARABIC, CYRILLIC, in_state, named
from tests.documents.pdftext import has_wording, pdf_text
from tests.exchange.conftest import PROBLEM
from tests.factories import audit_rows


def write(api, case, user, **body):
    return api.client.post(
        f"/api/v1/cases/{case.id}/letters",
        data=json.dumps(body),
        content_type="application/json",
        **api._auth(user, None),
    )


def letters(case) -> int:
    return Attachment.objects.filter(case=case, kind="letter").count()


@pytest.mark.parametrize(
    ("agreement", "state", "kind", "user"),
    [
        ("relocation", "selected", "selected", "us_caseworker"),
        ("relocation", "declined", "declined", "xk_supervisor"),
        ("readmission", "accepted", "readmission_accepted", "us_liaison"),
        ("readmission", "rejected", "readmission_rejected", "me_caseworker"),
        ("relocation", "transfer_scheduled", "transfer_notice", "us_caseworker"),
        ("relocation", "in_reception", "reception_stay", "xk_caseworker"),
    ],
)
def test_each_letter_is_written_for_its_state_attached_audited_and_downloaded_through_the_gate(
    api, world, request, agreement, state, kind, user
):
    case = in_state(world, request.getfixturevalue(agreement), state, CYRILLIC)
    response = write(api, case, world.user(user), kind=kind, language="fr")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "letter"
    assert body["filename"] == f"{case.reference}-{kind}-fr.pdf"
    event = AuditEvent.objects.get(case_id=case.id, event_type=AuditEventType.LETTER_GENERATED)
    assert event.data["letter"] == kind and event.data["language"] == "fr"
    assert event.data["sha256"] == body["sha256"]
    download = api.get(f"/api/v1/attachments/{body['id']}", world.user(user))
    assert download.status_code == 200
    text = pdf_text(b"".join(download.streaming_content))
    assert named(*CYRILLIC) in text
    from readmit.documents.wording import languages

    assert has_wording(languages()["fr"].letters[kind].title, text)


def test_a_decision_letter_quotes_the_reason_the_decision_gave(api, world, readmission):
    case = in_state(world, readmission, "rejected", ARABIC)
    response = write(
        api, case, world.user("us_caseworker"), kind="readmission_rejected", language="ar"
    )
    assert response.status_code == 201
    pdf = Attachment.objects.get(id=response.json()["id"]).file.read()
    text = pdf_text(pdf)
    assert "Nationality not shown" in text
    assert named(*ARABIC) in text


def test_the_transfer_notice_prints_the_notice_period_of_the_agreements_terms(
    api, world, relocation
):
    case = in_state(world, relocation, "transfer_scheduled")
    response = write(api, case, world.user("us_caseworker"), kind="transfer_notice", language="es")
    assert response.status_code == 201
    text = pdf_text(Attachment.objects.get(id=response.json()["id"]).file.read())
    assert has_wording("al menos 24 horas antes del traslado", text)


def test_a_letter_not_due_in_the_cases_state_is_refused_and_writes_nothing(api, world, relocation):
    case = in_state(world, relocation, "proposed")
    before = audit_rows()
    response = write(api, case, world.user("xk_supervisor"), kind="declined", language="en")
    assert response.status_code == 409
    assert response["Content-Type"] == PROBLEM
    assert response.json()["rule"] == "letter-not-due"
    assert letters(case) == 0 and audit_rows() == before


def test_a_non_party_gets_404_as_if_the_case_did_not_exist(api, world, relocation):
    case = in_state(world, relocation, "selected")
    before = audit_rows()
    response = write(api, case, world.user("me_supervisor"), kind="selected", language="en")
    assert response.status_code == 404
    assert letters(case) == 0 and audit_rows() == before


def test_an_auditor_of_a_party_gets_403_wrong_role(api, world, relocation):
    case = in_state(world, relocation, "selected")
    before = audit_rows()
    response = write(api, case, world.user("us_auditor"), kind="selected", language="en")
    assert response.status_code == 403
    assert response.json()["type"].endswith("wrong-role")
    assert letters(case) == 0 and audit_rows() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "selected", "language": "de"}, "language"),
        ({"kind": "welcome", "language": "en"}, "kind"),
        ({"kind": "selected"}, "language"),
    ],
)
def test_an_unknown_language_or_letter_is_refused_naming_the_field(
    api, world, relocation, body, field
):
    case = in_state(world, relocation, "selected")
    before = audit_rows()
    response = write(api, case, world.user("us_caseworker"), **body)
    assert response.status_code == 422
    assert field in json.dumps(response.json())
    assert letters(case) == 0 and audit_rows() == before


def test_a_letter_cannot_be_uploaded_as_a_file(api, world, relocation):
    import io

    case = in_state(world, relocation, "selected")
    upload = io.BytesIO(b"%PDF-1.4 fake letter")
    upload.name = "letter.pdf"
    response = api.client.post(
        f"/api/v1/cases/{case.id}/attachments",
        data={"kind": "letter", "file": upload},
        **api._auth(world.user("us_caseworker"), None),
    )
    assert response.status_code == 422
    assert "kind" in json.dumps(response.json())
    assert letters(case) == 0


def test_no_letter_is_addressed_to_a_person_whose_data_was_removed(api, world, relocation):
    from readmit.cases.models import Person
    from readmit.core import clock

    case = in_state(world, relocation, "selected")
    Person.objects.filter(id=case.person_id).update(anonymised_at=clock.now())
    before = audit_rows()
    response = write(api, case, world.user("us_caseworker"), kind="selected", language="en")
    assert response.status_code == 409
    assert response.json()["rule"] == "personal-data-removed"
    assert letters(case) == 0 and audit_rows() == before
