"""The travel document and transfer costs through the API: both parties, nobody else."""

from __future__ import annotations

import datetime as dt
import io
import json
import unicodedata

import pytest
from pypdf import PdfReader

from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.cases.models import TransferCost
from readmit.cases.services import case_transition
from readmit.core import clock
from tests.exchange.conftest import PROBLEM
from tests.factories import make_agreement, make_case

TERMS = {"time_limits": {"transfer": {"amount": 3, "unit": "months"}}}


@pytest.fixture
def readmission(world):
    return make_agreement(world.us, world.me, kind="readmission", terms=TERMS)


def _issued(world, agreement, **person):
    case = make_case(agreement, nationality="ME", **person)
    case_transition(case_id=case.id, action="accept", acting_user=world.user("me_supervisor"))
    case_transition(
        case_id=case.id,
        action="issue_travel_document",
        acting_user=world.user("me_liaison"),
        payload={
            "type": "emergency_travel_document",
            "number": "ME-ETD-0042",
            "valid_until": (clock.today() + dt.timedelta(days=30)).isoformat(),
        },
    )
    return case


def _downloads(case) -> int:
    return AuditEvent.objects.filter(
        case_id=case.id, event_type=AuditEventType.TRAVEL_DOCUMENT_DOWNLOADED
    ).count()


def _pdf_text(content: bytes) -> str:
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return unicodedata.normalize("NFKC", text)


def test_both_parties_read_the_travel_document_and_each_read_is_audited(api, world, readmission):
    case = _issued(
        world,
        readmission,
        family_name="Петровић",
        given_names="Марко",
        family_name_latin="Petrović",
        given_names_latin="Marko",
    )
    for user in ("us_caseworker", "me_liaison"):
        response = api.get(f"/api/v1/cases/{case.id}/travel-document", world.user(user))
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["number"] == "ME-ETD-0042"
        assert body["type"] == "emergency_travel_document"
        assert body["issuing_mission"] == str(world.me.id)
        assert body["person"]["name"] == "Марко Петровић"
        assert body["person"]["name_latin"] == "Marko Petrović"
    assert _downloads(case) == 2


def test_a_non_party_gets_404_and_the_wrong_role_403_and_nothing_is_audited(
    api, world, readmission
):
    case = _issued(world, readmission)
    for path in ("travel-document", "travel-document.pdf"):
        outsider = api.get(f"/api/v1/cases/{case.id}/{path}", world.user("xk_caseworker"))
        assert outsider.status_code == 404
        assert outsider["Content-Type"] == PROBLEM
        auditor = api.get(f"/api/v1/cases/{case.id}/{path}", world.user("us_auditor"))
        assert auditor.status_code == 403
        assert auditor.json()["type"].endswith("wrong-role")
    assert _downloads(case) == 0


def test_a_case_without_a_travel_document_answers_404(api, world, readmission):
    case = make_case(readmission, nationality="ME")
    response = api.get(f"/api/v1/cases/{case.id}/travel-document", world.user("us_caseworker"))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("written", "latin"),
    [
        (("Марко", "Петровић"), ("Marko", "Petrović")),
        (("محمد", "العلي"), ("Mohammed", "Al-Ali")),
    ],
)
def test_the_pdf_prints_the_name_as_written_and_its_latin_form(
    api, world, readmission, written, latin
):
    case = _issued(
        world,
        readmission,
        given_names=written[0],
        family_name=written[1],
        given_names_latin=latin[0],
        family_name_latin=latin[1],
    )
    response = api.get(f"/api/v1/cases/{case.id}/travel-document.pdf", world.user("me_liaison"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    for part in (*written, *latin, "ME-ETD-0042", "Emergency travel document"):
        assert part in text, f"{part!r} not in the PDF text: {text!r}"
    assert "\ufffd" not in text
    assert _downloads(case) == 1


def test_a_missing_font_refuses_the_pdf_naming_the_font(
    api, world, readmission, settings, tmp_path
):
    case = _issued(world, readmission)
    settings.READMIT_FONT_DIR = tmp_path
    response = api.get(f"/api/v1/cases/{case.id}/travel-document.pdf", world.user("us_caseworker"))
    assert response.status_code == 503
    problem = response.json()
    assert problem["type"].endswith("pdf-font-missing")
    assert "NotoSans-Regular.ttf" in problem["detail"]
    assert _downloads(case) == 0


def test_a_name_the_font_cannot_draw_is_refused_rather_than_printed_as_boxes(
    api, world, readmission
):
    case = _issued(world, readmission, family_name="張偉")
    response = api.get(f"/api/v1/cases/{case.id}/travel-document.pdf", world.user("us_caseworker"))
    assert response.status_code == 503
    assert "U+5F35" in response.json()["detail"]


def test_costs_are_recorded_by_the_payer_and_totalled_per_agreement(api, world, readmission):
    case = make_case(readmission, nationality="ME")
    case_transition(case_id=case.id, action="accept", acting_user=world.user("me_supervisor"))
    case_transition(
        case_id=case.id,
        action="schedule_transfer",
        acting_user=world.user("us_caseworker"),
        payload={
            "planned_for": (clock.now() + dt.timedelta(days=3)).isoformat(),
            "crossing_point": "Dobrakovo",
            "notice_language": "sr",
            "medical_needs": "none",
        },
    )
    path = f"/api/v1/cases/{case.id}/transfer-costs"
    body = {"leg": "transport_to_border", "amount": "1250.00", "currency": "USD"}
    created = api.client.post(
        path,
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api.token(world.user('us_caseworker'))}",
    )
    assert created.status_code == 201, created.content
    assert created.json()["payer"] == "sending"
    wrong_party = api.client.post(
        path,
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api.token(world.user('me_caseworker'))}",
    )
    assert wrong_party.status_code == 403
    outsider = api.client.post(
        path,
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api.token(world.user('xk_caseworker'))}",
    )
    assert outsider.status_code == 404
    bad = api.client.post(
        path,
        data=json.dumps({**body, "currency": "ABC"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api.token(world.user('us_caseworker'))}",
    )
    assert bad.status_code == 422
    assert "currency" in json.dumps(bad.json())
    assert TransferCost.objects.count() == 1
    totals = api.get(
        f"/api/v1/agreements/{readmission.id}/transfer-costs", world.user("me_caseworker")
    )
    assert totals.json() == [
        {
            "payer": "sending",
            "leg": "transport_to_border",
            "currency": "USD",
            "amount": "1250.00",
            "count": 1,
        }
    ]
    hidden = api.get(
        f"/api/v1/agreements/{readmission.id}/transfer-costs", world.user("xk_caseworker")
    )
    assert hidden.status_code == 404


def test_a_bengali_name_is_printed_on_the_travel_document_with_the_noto_stack(
    api, world, readmission
):
    case = _issued(world, readmission, family_name="রহমান", given_names="আমিনা")
    response = api.get(f"/api/v1/cases/{case.id}/travel-document.pdf", world.user("us_caseworker"))
    assert response.status_code == 200, response.content[:300]
    from tests.documents.pdftext import skeleton

    # A PDF maps a Bengali vowel sign's glyph to the first text it printed it for; the
    # letters of the name are compared (tests/documents/pdftext.py).
    assert skeleton("আমিনা রহমান") in skeleton(_pdf_text(response.content))
