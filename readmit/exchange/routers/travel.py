"""Readmission travel documents (DESIGN §7) and transfer costs. Thin over ``cases.travel``.

- ``GET /cases/{id}/travel-document`` and ``GET /cases/{id}/travel-document.pdf``: the case's
  latest travel document, for caseworkers, supervisors and liaison officers of either party;
  every download is audited.
- ``POST /cases/{id}/transfer-costs``: one cost of the transfer, by the party the agreement's
  ``costs`` name for its leg.
- ``GET /agreements/{id}/transfer-costs``: the agreement's totals per payer, leg and currency.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema
from ninja.params.functions import Path
from ninja.responses import Status

from readmit.accounts.access import access_agreement
from readmit.cases.travel import (
    agreement_cost_totals,
    transfer_cost_record,
    travel_document_download,
)
from readmit.exchange.auth import caller
from readmit.exchange.schemas import Problem, StrictIn, UuidStr

router = Router(tags=["readmission"])
agreements_router = Router(tags=["readmission"])

UUID_PATH = Path(
    ..., description="The case's UUID. A malformed id answers 404, like an unknown one."
)


class TravelPersonOut(Schema):
    name: str = Field(description="As written, in any script; never translated.")
    name_latin: str
    birth_date: str
    place_of_birth: str
    sex: str
    nationality: str


class TravelDocumentOut(Schema):
    id: UuidStr
    case: UuidStr
    type: Literal["emergency_travel_document", "eu_travel_document"]
    number: str
    issuing_mission: UuidStr
    issuing_mission_name: str
    valid_from: dt.date
    valid_until: dt.date
    single_journey: bool
    prior_consent_reference: str
    prior_consent_given_on: dt.date | None
    issued_at: dt.datetime
    revoked_at: dt.datetime | None
    revocation_reason: str
    person: TravelPersonOut


@router.get(
    "/{id}/travel-document",
    operation_id="case_travel_document",
    response={200: TravelDocumentOut, 401: Problem, 403: Problem, 404: Problem},
    summary="The case's travel document (the latest one, revoked or not)",
    description="Both parties' caseworkers, supervisors and liaison officers (403 "
    "`wrong-role` for others); 404 for a non-party or a case without a travel document. "
    "Every read is audited.",
)
def case_travel_document(request: HttpRequest, id: UuidStr = UUID_PATH) -> TravelDocumentOut:
    download = travel_document_download(user=caller(request), case_id=id, fmt="json")
    doc = download.document
    return TravelDocumentOut(
        id=str(doc.id),
        case=str(doc.case_id),
        type=doc.type,  # type: ignore[arg-type]
        number=doc.number,
        issuing_mission=str(doc.issuing_mission_id),
        issuing_mission_name=doc.issuing_mission.name,
        valid_from=doc.valid_from,
        valid_until=doc.valid_until,
        single_journey=doc.single_journey,
        prior_consent_reference=doc.consent_reference,
        prior_consent_given_on=doc.consent_given_on,
        issued_at=doc.issued_at,
        revoked_at=doc.revoked_at,
        revocation_reason=doc.revocation_reason,
        person=TravelPersonOut(**download.person),
    )


@router.get(
    "/{id}/travel-document.pdf",
    operation_id="case_travel_document_pdf",
    response={
        200: None,
        401: Problem,
        403: Problem,
        404: Problem,
        503: Problem,
    },
    summary="The case's travel document as a PDF, the name as written in any script",
    description="Same access as the JSON. 503 `pdf-font-missing` when the font is missing "
    "or lacks a character of the name (never printed with boxes). Every download is audited.",
)
def case_travel_document_pdf(request: HttpRequest, id: UuidStr = UUID_PATH) -> HttpResponse:
    download = travel_document_download(user=caller(request), case_id=id, fmt="pdf")
    assert download.pdf is not None
    response = HttpResponse(download.pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="travel-document-{download.document.number}.pdf"'
    )
    return response


class TransferCostIn(StrictIn):
    leg: Literal["transport_to_border", "onward"]
    amount: Decimal = Field(gt=0, max_digits=12, decimal_places=2)
    currency: str = Field(min_length=3, max_length=3, description="ISO 4217, e.g. EUR, USD.")


class TransferCostOut(Schema):
    id: UuidStr
    case: UuidStr
    leg: str
    amount: Decimal
    currency: str
    payer: Literal["sending", "requested"]
    recorded_at: dt.datetime


@router.post(
    "/{id}/transfer-costs",
    operation_id="case_transfer_cost_create",
    response={
        201: TransferCostOut,
        401: Problem,
        403: Problem,
        404: Problem,
        409: Problem,
        422: Problem,
    },
    summary="Record one cost of a readmission transfer",
    description="The agreement's `costs` name the party that pays each leg; only its "
    "caseworkers and supervisors record it (403 `wrong-party` for the other party). 409 "
    "`no-transfer` before the transfer is scheduled; 422 names a bad amount or currency.",
)
def case_transfer_cost_create(
    request: HttpRequest, payload: TransferCostIn, id: UuidStr = UUID_PATH
) -> Status[TransferCostOut]:
    cost = transfer_cost_record(
        case_id=id,
        leg=payload.leg,
        amount=payload.amount,
        currency=payload.currency,
        acting_user=caller(request),
    )
    return Status(
        201,
        TransferCostOut(
            id=str(cost.id),
            case=str(cost.case_id),
            leg=cost.leg,
            amount=cost.amount,
            currency=cost.currency,
            payer=cost.payer,  # type: ignore[arg-type]
            recorded_at=cost.recorded_at,
        ),
    )


class CostTotalOut(Schema):
    payer: Literal["sending", "requested"]
    leg: str
    currency: str
    amount: Decimal
    count: int


@agreements_router.get(
    "/{id}/transfer-costs",
    operation_id="agreement_transfer_costs",
    response={200: list[CostTotalOut], 401: Problem, 404: Problem},
    summary="The agreement's transfer costs, summed per payer, leg and currency",
)
def agreement_transfer_costs(request: HttpRequest, id: UuidStr = UUID_PATH) -> list[CostTotalOut]:
    agreement = access_agreement(caller(request), id)
    return [
        CostTotalOut(
            payer=t.payer,  # type: ignore[arg-type]
            leg=t.leg,
            currency=t.currency,
            amount=t.amount,
            count=t.count,
        )
        for t in agreement_cost_totals(agreement)
    ]
