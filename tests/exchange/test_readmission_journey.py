"""A Montenegro readmission from application to closure, through the API alone.

Every step is taken through ``readmit.client`` over HTTP with a bearer token of the party
whose step it is, as a partner system would; after each step a third state (Kosovo's
caseworker, party to nothing here) is shown 404 for what was just written, as if it did not
exist. The agreement's terms are the Montenegro demo agreement's (readmit/demo/load.py): reply
12 calendar days, accelerated 2 working days, transfer within 3 months of acceptance, silence
means acceptance.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from pypdf import PdfReader

from readmit.accounts.models import Organisation, User
from readmit.accounts.roles import Role
from readmit.agreements.models import Agreement
from readmit.agreements.services import agreement_party_add
from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.cases.mrz import check_digit
from readmit.client import NotFound, ReadmitClient
from readmit.client.types import CaseOut
from readmit.consular.services import district_set
from readmit.core import clock
from tests.consular.conftest import make_mission
from tests.exchange.test_photo import image
from tests.factories import SYSTEM, World, make_agreement, make_org, make_user

# As in readmit/demo/load.py load_montenegro.
MONTENEGRO_TERMS: dict[str, Any] = {
    "time_limits": {
        "reply": {"amount": 12, "unit": "calendar_days", "start_event": "application received"},
        "reply_accelerated": {"amount": 2, "unit": "working_days"},
        "extension": {"amount": 6, "unit": "calendar_days"},
        "transfer": {"amount": 3, "unit": "months", "start_event": "acceptance"},
        "interview": {"amount": 7, "unit": "working_days"},
    },
    "silence_means_acceptance": True,
    "interview_provided": True,
    "data_sharing": {
        "categories": ["identity", "nationality", "documents", "languages", "photo"],
        "criminal_data_allowed": False,
        "onward_sharing_needs_consent": True,
        "retention_days": 1095,
    },
}
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)  # a Monday

# A live server over HTTP: the test's writes must be committed for the server to see them.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def td3(number: str, *, birth: str = "880915", expiry: str = "310101") -> str:
    """A Montenegrin passport's machine-readable zone with correct check digits."""
    line1 = "P<MNERADULOVIC<<JOVANA".ljust(44, "<")
    body = (
        f"{number}{check_digit(number)}MNE{birth}{check_digit(birth)}F"
        f"{expiry}{check_digit(expiry)}{'<' * 14}<"
    )
    composite = body[0:10] + body[13:20] + body[21:43]
    return f"{line1}\n{body}{check_digit(composite)}"


APPLICATION: dict[str, Any] = {
    "external_id": "DHS-ME-2026-0301",
    "procedure": "normal",
    "person": {
        "given_names": "Јована",
        "family_name": "Радуловић",
        "given_names_latin": "Jovana",
        "family_name_latin": "Radulović",
        "other_names": [],
        "birth_date": "1988-09-15",
        "place_of_birth": "Cetinje",
        "sex": "F",
        "nationalities": ["ME"],
        "parents": [],
        "civil_status": "single",
        "languages": ["Montenegrin", "English"],
    },
    "last_address": "Bulevar Svetog Petra Cetinjskog 7, Podgorica",
    "medical_needs": "Insulin, kept cool during the flight",
    "escort_needs": "none",
    "evidence": [
        {
            "kind": "valid_passport",
            "class": "proof",
            "document": {
                "type": "passport",
                "number": "ME7654321",
                "issuing_country": "ME",
                "expires_on": "2031-01-01",
            },
            "mrz": td3("ME7654321"),
        }
    ],
}


class Clock:
    """The time of the journey; advanced by the test between steps."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@dataclass
class Journey:
    """One ``readmit.client`` per user, each holding only that user's API token."""

    partner: Callable[[User], ReadmitClient]
    agreement: Agreement
    ny: Organisation
    clock: Clock
    users: dict[str, User] = field(default_factory=dict)
    case_id: str = ""

    def as_(self, user: str) -> ReadmitClient:
        return self.partner(self.users[user])

    def case(self, user: str = "us_caseworker") -> CaseOut:
        return self.as_(user).case(self.case_id)

    def act(self, user: str, action: str, **payload: Any) -> CaseOut:
        """Read the case as a partner system would, check the action is offered, take it."""
        client = self.as_(user)
        assert action in client.case(self.case_id)["allowed_actions"]
        return client.transition(self.case_id, action, payload=payload)

    def outsider_refused(self, *paths: str, action: str | None = None) -> None:
        """Kosovo, party to nothing here, is answered 404 as if the case did not exist."""
        outsider = self.as_("xk_caseworker")
        for path in paths:
            with pytest.raises(NotFound) as refused:
                outsider.request("GET", path.removeprefix("/api/v1"))
            assert refused.value.slug == "not-found"
        if action is not None:
            with pytest.raises(NotFound):
                outsider.transition(self.case_id, action, if_match='"1"')

    def events(self, event_type: AuditEventType) -> list[AuditEvent]:
        return list(AuditEvent.objects.filter(case_id=self.case_id, event_type=event_type))


@pytest.fixture
def journey(world: World, partner: Any, monkeypatch: pytest.MonkeyPatch) -> Journey:
    moment = Clock(START)
    monkeypatch.setattr(clock, "now", lambda: moment.now)
    monkeypatch.setattr(clock, "today", lambda: moment.now.date())
    mfa = make_org("ME", "Ministry of Foreign Affairs of Montenegro")
    ny = make_mission("j-me-ny", "Consulate General of Montenegro in New York", mfa)
    dc = make_mission("j-me-dc", "Embassy of Montenegro in Washington", mfa)
    district_set(mission=ny, district=["US-NY", "US-NJ", "US-CT"], acting_user=SYSTEM)
    district_set(mission=dc, district=["US-DC", "US-VA", "US-MD"], acting_user=SYSTEM)
    agreement = make_agreement(world.us, world.me, kind="readmission", terms=MONTENEGRO_TERMS)
    for org in (mfa, ny, dc):
        agreement_party_add(
            agreement=agreement, organisation=org, side="receiving", acting_user=SYSTEM
        )
    users = dict(world.users)
    users["ny_liaison"] = make_user(ny, Role.LIAISON, username="ny_liaison")
    users["dc_liaison"] = make_user(dc, Role.LIAISON, username="dc_liaison")
    for user in users.values():
        partner(user)
    return Journey(partner, agreement, ny, moment, users)


def pdf_text(content: bytes) -> str:
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return unicodedata.normalize("NFKC", text)


def test_a_montenegro_readmission_runs_from_application_to_closure_through_the_api(
    journey: Journey,
) -> None:
    moment = journey.clock
    agreement_id = str(journey.agreement.id)
    us = journey.as_("us_caseworker")

    # 1. The US submits the application with a passport's machine-readable zone.
    with pytest.raises(NotFound):
        journey.as_("xk_caseworker").application_submit(agreement_id, APPLICATION)  # type: ignore[arg-type]
    sent = us.application_submit(agreement_id, APPLICATION)  # type: ignore[arg-type]
    journey.case_id = sent["id"]
    case_path = f"/cases/{journey.case_id}"
    assert sent["state"] == "submitted"
    evidence = sent["evidence"]
    assert evidence is not None and evidence["effect"] == "nationality_established"
    assert evidence["items"][0]["evidence_class"] == "proof"
    reply = next(d for d in sent["deadlines"] if d["kind"] == "reply")
    # 12 calendar days from Monday 2 March end on Saturday 14 March: the next working day.
    assert reply["due_on"] == "2026-03-16"
    assert reply["status"] == "open"
    journey.outsider_refused(case_path, action="acknowledge")

    # The photo follows the application: outstanding until the US sends it, then Montenegro
    # reads it through the case gate (the agreement shares it).
    assert sent["outstanding"] == ["photo"]
    photo = image("PNG")
    added = us.photo_send(journey.case_id, photo)
    assert added["outstanding"] == []
    assert journey.as_("me_caseworker").photo(journey.case_id) == photo
    journey.outsider_refused(f"{case_path}/photo")

    # 2. Montenegro acknowledges the next day, and its supervisor accepts.
    moment.advance(days=1)
    assert journey.act("me_caseworker", "acknowledge")["state"] == "acknowledged"
    moment.advance(days=2)
    journey.outsider_refused(action="accept")
    assert journey.act("me_supervisor", "accept")["state"] == "accepted"
    detail = journey.case("me_caseworker")
    reply = next(d for d in detail["deadlines"] if d["kind"] == "reply")
    assert reply["status"] == "met" and reply["late"] is False
    transfer = next(d for d in detail["deadlines"] if d["kind"] == "transfer")
    assert transfer["status"] == "open"
    assert transfer["due_on"] == "2026-06-05"  # 3 months from the acceptance on 5 March
    # The sending state sees the acceptance too.
    assert journey.case("us_caseworker")["state"] == "accepted"

    # 3. The US asks for a travel document; New York's district covers the person's address.
    consular = us.consular_request_create(
        {
            "kind": "travel_document",
            "requester": "sending_state",
            "residence_region": "US-NY",
            "case": journey.case_id,
            "details": "Emergency travel document for the transfer.",
        }
    )
    request_id = consular["id"]
    assert consular["routed_to_id"] == str(journey.ny.id)
    for outsider in ("xk_caseworker", "dc_liaison"):
        with pytest.raises(NotFound):
            journey.as_(outsider).consular_request(request_id)
    ny = journey.as_("ny_liaison")
    assert ny.consular_request_transition(request_id, "take")["state"] != "done"

    # 4. The New York consulate issues the travel document and completes the request.
    valid_until = (moment.now + dt.timedelta(days=60)).date().isoformat()
    issued = journey.act(
        "ny_liaison",
        "issue_travel_document",
        type="emergency_travel_document",
        number="ME-NY-ETD-0301",
        valid_until=valid_until,
    )
    assert issued["state"] == "travel_document_issued"
    done = ny.consular_request_transition(
        request_id, "complete", outcome="Emergency travel document ME-NY-ETD-0301 issued."
    )
    assert done["state"] == "done"
    assert us.consular_request(request_id)["state"] == "done"

    # 5. Both parties read the travel document, as JSON and as a PDF; Kosovo cannot.
    for user in ("us_caseworker", "me_caseworker", "ny_liaison"):
        document = journey.as_(user).travel_document(journey.case_id)
        assert document["number"] == "ME-NY-ETD-0301"
        assert document["issuing_mission"] == str(journey.ny.id)
        assert document["person"]["name"] == "Јована Радуловић"
        assert document["person"]["name_latin"] == "Jovana Radulović"
        text = pdf_text(journey.as_(user).travel_document_pdf(journey.case_id))
        for part in ("Јована", "Радуловић", "Jovana", "Radulović", "ME-NY-ETD-0301"):
            assert part in text, f"{part!r} not in the PDF text: {text!r}"
    journey.outsider_refused(f"{case_path}/travel-document", f"{case_path}/travel-document.pdf")
    assert len(journey.events(AuditEventType.TRAVEL_DOCUMENT_DOWNLOADED)) == 6

    # 6. The US schedules the transfer: a flight, an escort, the medical needs.
    planned_for = moment.now + dt.timedelta(days=7)
    journey.outsider_refused(action="schedule_transfer")
    scheduled = journey.act(
        "us_caseworker",
        "schedule_transfer",
        planned_for=planned_for.isoformat(),
        flight="JU 501 JFK-TGD",
        escort="Two escort officers",
        medical_needs="Insulin, kept cool during the flight",
        notice_language="sr",
    )
    assert scheduled["state"] == "transfer_scheduled"
    assert journey.case("me_caseworker")["state"] == "transfer_scheduled"

    # 7. After the flight, Montenegro records the handover at Podgorica airport.
    moment.now = planned_for + dt.timedelta(hours=3)
    journey.outsider_refused(action="record_transfer")
    handed = journey.act(
        "me_caseworker",
        "record_transfer",
        received_by="Border police duty officer",
        place="Podgorica Airport",
        handed_over_at=(planned_for + dt.timedelta(hours=2)).isoformat(),
    )
    assert handed["state"] == "transferred"
    detail = journey.case()
    transfer = next(d for d in detail["deadlines"] if d["kind"] == "transfer")
    assert transfer["status"] == "met" and transfer["late"] is False

    # 8. The US records the cost of the flight; Kosovo cannot, nor read the totals.
    cost: Any = {"leg": "transport_to_border", "amount": "2480.00", "currency": "USD"}
    with pytest.raises(NotFound):
        journey.as_("xk_caseworker").transfer_cost_create(journey.case_id, cost)
    recorded = us.transfer_cost_create(journey.case_id, cost)
    assert recorded["payer"] == "sending"
    assert journey.as_("me_caseworker").transfer_costs(agreement_id)[0]["amount"] == "2480.00"
    with pytest.raises(NotFound):
        journey.as_("xk_caseworker").transfer_costs(agreement_id)

    # 9. The US closes the case.
    journey.outsider_refused(action="close")
    assert journey.act("us_caseworker", "close")["state"] == "closed"

    detail = journey.case("me_caseworker")
    assert detail["state"] == "closed"
    assert all(d["late"] is False for d in detail["deadlines"]), detail["deadlines"]
    transitions = [
        e.data.get("action")
        for e in journey.events(AuditEventType.CASE_TRANSITIONED)
        if isinstance(e.data, dict)
    ]
    assert transitions == [
        "acknowledge",
        "accept",
        "issue_travel_document",
        "schedule_transfer",
        "record_transfer",
        "close",
    ]
    assert len(journey.events(AuditEventType.READMISSION_APPLICATION_SUBMITTED)) == 1
    assert len(journey.events(AuditEventType.CONSULAR_REQUEST_CREATED)) == 1
    assert len(journey.events(AuditEventType.TRANSFER_COST_RECORDED)) == 1
    journey.outsider_refused(case_path)
