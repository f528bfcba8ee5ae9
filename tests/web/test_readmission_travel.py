"""The readmission travel document, plan, handover and costs on the web pages."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.cases.models import Case, TransferCost, TravelDocument
from readmit.cases.services import case_transition
from readmit.core import clock
from readmit.core.zones import wall_clock
from tests.factories import make_agreement, make_case

TERMS = {"time_limits": {"transfer": {"amount": 3, "unit": "months"}}}


@pytest.fixture
def accepted(world) -> Case:
    agreement = make_agreement(world.us, world.me, kind="readmission", terms=TERMS)
    case = make_case(
        agreement,
        nationality="ME",
        given_names="Јована",
        family_name="Радовић",
        given_names_latin="Jovana",
        family_name_latin="Radović",
    )
    case_transition(case_id=case.id, action="accept", acting_user=world.user("me_supervisor"))
    return case


def _post(client, case, action, **payload):
    data = {"action": action, "version": Case.objects.get(id=case.id).version}
    data.update({f"payload-{k}": v for k, v in payload.items()})
    return client.post(f"/cases/{case.id}/transitions/", data)


def test_the_requested_state_issues_the_document_in_the_web_and_both_download_the_pdf(
    login, world, accepted
):
    client = login("me_liaison")
    until = (clock.today() + dt.timedelta(days=30)).isoformat()
    _post(
        client,
        accepted,
        "issue_travel_document",
        type="emergency_travel_document",
        number="ME-ETD-7",
        valid_until=until,
    )
    doc = TravelDocument.objects.get(case=accepted)
    assert doc.number == "ME-ETD-7"
    for user in ("me_liaison", "us_caseworker"):
        client = login(user)
        page = client.get(f"/cases/{accepted.id}/").content.decode()
        assert "ME-ETD-7" in page
        assert f"/cases/{accepted.id}/travel-document.pdf" in page
        response = client.get(f"/cases/{accepted.id}/travel-document.pdf")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
        assert "Јована Радовић" in text
        assert "Jovana Radović" in text
    assert (
        AuditEvent.objects.filter(
            case_id=accepted.id, event_type=AuditEventType.TRAVEL_DOCUMENT_DOWNLOADED
        ).count()
        == 2
    )


def test_an_outsider_gets_404_and_an_auditor_403_for_the_pdf(login, world, accepted):
    case_transition(
        case_id=accepted.id,
        action="issue_travel_document",
        acting_user=world.user("me_liaison"),
        payload={
            "type": "emergency_travel_document",
            "number": "ME-ETD-8",
            "valid_until": (clock.today() + dt.timedelta(days=30)).isoformat(),
        },
    )
    assert (
        login("xk_caseworker").get(f"/cases/{accepted.id}/travel-document.pdf").status_code == 404
    )
    assert login("us_auditor").get(f"/cases/{accepted.id}/travel-document.pdf").status_code == 403
    assert not AuditEvent.objects.filter(
        event_type=AuditEventType.TRAVEL_DOCUMENT_DOWNLOADED
    ).exists()


def test_the_plan_handover_and_costs_are_taken_in_the_web_and_totalled_on_the_agreement(
    login, world, accepted
):
    client = login("us_caseworker")
    planned = (clock.now() + dt.timedelta(days=3)).astimezone(dt.UTC)
    _post(
        client,
        accepted,
        "schedule_transfer",
        planned_for=planned.strftime("%Y-%m-%dT%H:%M"),
        crossing_point="Dobrakovo",
        notice_language="sr",
        medical_needs="none",
    )
    assert Case.objects.get(id=accepted.id).state == "transfer_scheduled"
    page = client.get(f"/cases/{accepted.id}/").content.decode()
    assert "Dobrakovo" in page
    assert 'id="transfer-cost-form"' in page
    client.post(
        f"/cases/{accepted.id}/transfer-costs/",
        {"leg": "transport_to_border", "amount": "980.40", "currency": "USD"},
    )
    client.post(
        f"/cases/{accepted.id}/transfer-costs/",
        {"leg": "transport_to_border", "amount": "5", "currency": "DOLLARS"},
    )
    assert TransferCost.objects.get(case=accepted).currency == "USD"
    client = login("me_caseworker")
    _post(client, accepted, "record_transfer", received_by="Officer Lakić", place="Dobrakovo")
    case = Case.objects.get(id=accepted.id)
    assert case.state == "transferred"
    page = client.get(f"/cases/{accepted.id}/").content.decode()
    assert "Officer Lakić" in page
    agreement_page = client.get(f"/agreements/{accepted.agreement_id}/").content.decode()
    assert "980.40 USD" in agreement_page
    assert "Transport to the border paid by" in agreement_page


@pytest.mark.parametrize(
    ("route", "expected"),
    [
        ("", "Flight JU 501"),
        ("Escorted flight via Vienna", "Escorted flight via Vienna · flight JU 501"),
    ],
)
def test_the_plans_route_names_the_flight_once(login, world, accepted, route, expected):
    client = login("us_caseworker")
    planned = (clock.now() + dt.timedelta(days=3)).astimezone(dt.UTC)
    _post(
        client,
        accepted,
        "schedule_transfer",
        planned_for=planned.strftime("%Y-%m-%dT%H:%M"),
        route=route,
        flight="JU 501",
        notice_language="sr",
        medical_needs="none",
    )
    assert Case.objects.get(id=accepted.id).state == "transfer_scheduled"
    page = client.get(f"/cases/{accepted.id}/").content.decode()
    plan = page.split('id="transfer-plan"', 1)[1].split("</dl>", 1)[0]
    shown = plan.split("<dt>Route</dt><dd>", 1)[1].split("</dd>", 1)[0]
    assert shown == expected


def test_the_handover_time_is_shown_in_the_viewers_zone(login, world, accepted):
    planned = (clock.now() + dt.timedelta(hours=1)).astimezone(dt.UTC)
    case_transition(
        case_id=accepted.id,
        action="schedule_transfer",
        acting_user=world.user("us_caseworker"),
        payload={
            "planned_for": planned.isoformat(),
            "flight": "JU 501",
            "notice_language": "sr",
            "medical_needs": "none",
            "urgent": True,
        },
    )
    handed_over_at = (clock.now() - dt.timedelta(minutes=5)).replace(microsecond=0)
    case_transition(
        case_id=accepted.id,
        action="record_transfer",
        acting_user=world.user("me_caseworker"),
        payload={
            "received_by": "Officer Lakić",
            "place": "Podgorica Airport",
            "handed_over_at": handed_over_at.astimezone(dt.UTC).isoformat(),
        },
    )
    page = login("me_caseworker").get(f"/cases/{accepted.id}/").content.decode()
    handover = page.split('id="handover"', 1)[1].split("</dl>", 1)[0]
    shown = handover.split("<dt>When</dt><dd>", 1)[1].split("</dd>", 1)[0]
    assert shown == wall_clock(handed_over_at, ZoneInfo("Europe/Podgorica"))
    assert shown.endswith("Europe/Podgorica")
