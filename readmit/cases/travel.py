"""Readmission travel documents, the transfer and its costs (issue #9, items 4, 5 and 8).

Transition hooks (run inside ``case_transition``; a refusal writes nothing):

| action                   | rule named on refusal                                        |
|--------------------------|--------------------------------------------------------------|
| issue_travel_document    | ``travel-document-live`` (one live document at a time),      |
|                          | ``travel-document-consent`` (EU document without the         |
|                          | requested state's prior consent where the terms need it)     |
| revoke_travel_document   | ``no-travel-document``                                       |
| schedule_transfer        | ``travel-document-revoked``, ``travel-document-validity``    |
|                          | (the document ends before, or starts after, the planned day),|
|                          | ``transfer-limit`` (planned after the transfer time limit)   |
| record_transfer          | ``travel-document-revoked``, ``travel-document-expired``     |

The transfer plan is relocation's (``readmit.relocation.hooks.schedule_transfer``, the same
``TransferPlan`` and notice rules); readmission adds that the plan names a border crossing
point or a flight and the person's medical needs ("none" is an answer).

Costs: the agreement's ``costs`` say which party pays each leg; a cost is recorded by that
party only, in an ISO 4217 currency, and totals are per agreement, payer and currency.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

import pycountry
from django.db import transaction
from django.db.models import Count, Sum
from pydantic import Field

from readmit.accounts.access import access_case, standing
from readmit.accounts.models import Organisation, User
from readmit.accounts.roles import CASE_WRITERS
from readmit.agreements.models import Agreement, AgreementKind
from readmit.agreements.selectors import terms_at
from readmit.audit.events import AuditEventType
from readmit.audit.services import audit_record
from readmit.cases.models import (
    Case,
    CostLeg,
    Sex,
    TransferCost,
    TravelDocument,
    TravelDocumentType,
)
from readmit.cases.services import CHECK, TransitionContext, register_transition_hook
from readmit.core import clock
from readmit.core.errors import (
    N_,
    Forbidden,
    NotFound,
    Term,
    TransitionRefused,
    ValidationFailed,
    field_error,
)
from readmit.core.labels import english
from readmit.core.payloads import ActionPayload, Choices, Day, Flag, Moment
from readmit.core.zones import country_zone, zone
from readmit.relocation.hooks import TransferPlanIn, _invalid

# After relocation's ``schedule_transfer`` hook (order CHECK), which stores the plan.
AFTER_PLAN = CHECK + 10
# Where a cost may be recorded: the transfer is planned or done.
COST_STATES = frozenset({"transfer_scheduled", "transferred", "closed"})
SIDE_NAMES = {"sending": "sending", "receiving": "requested"}


def requested_zone(agreement: Agreement) -> dt.tzinfo:
    """The requested (receiving) state's zone: its days count for validity dates."""
    party = agreement.receiving_party
    if party is None:
        return dt.UTC
    org = party.organisation
    return zone(org.time_zone or country_zone(org.country_id))


def local_day(moment: dt.datetime, agreement: Agreement) -> dt.date:
    return moment.astimezone(requested_zone(agreement)).date()


def latest_document(case: Case) -> TravelDocument | None:
    return case.travel_documents.select_related("issuing_mission").order_by("-issued_at").first()


# What the actions take ------------------------------------------------------------------


class IssueTravelDocumentIn(ActionPayload):
    type: TravelDocumentType = Field(title="Type")
    number: str = Field(min_length=1, max_length=40, title="Number")
    issuing_mission: Annotated[uuid.UUID, Choices("missions")] | None = Field(
        default=None,
        title="Issuing mission",
        description="An organisation of the requested state; empty: your own",
    )
    valid_from: Day | None = Field(
        default=None, title="Valid from", description="Leave empty for today"
    )
    valid_until: Day = Field(title="Valid until")
    single_journey: Flag = Field(default=True, title="Single journey")
    prior_consent_reference: str = Field(
        default="",
        max_length=120,
        title="Prior consent of the requested state (reference)",
        description="EU travel document, where the agreement needs it",
    )
    prior_consent_given_on: Day | None = Field(default=None, title="Consent given on")
    example = {
        "type": "emergency_travel_document",
        "number": "ETD-2026-0042",
        "valid_from": "2026-12-01",
        "valid_until": "2027-01-31",
    }

    def problems(self) -> list[tuple[str, str]]:
        problems = []
        if self.valid_from is not None and self.valid_until < self.valid_from:
            problems.append(("valid_until", "cannot be before valid_from"))
        if self.prior_consent_reference and self.prior_consent_given_on is None:
            problems.append(
                ("prior_consent_given_on", "is required, as an ISO 8601 date (YYYY-MM-DD)")
            )
        return problems


class ReadmissionTransferPlanIn(TransferPlanIn):
    """Readmission's plan names a border crossing point or a flight (the route may then be
    left out), and the person's medical needs ("none" is an answer)."""

    route: str = Field(
        default="",
        max_length=300,
        title="Route",
        description="e.g. flight, via; or a crossing point / flight below",
    )
    medical_needs: str = Field(
        min_length=1, max_length=1000, title="Medical needs", description='"none" is an answer'
    )
    example = {
        "planned_for": "2027-03-01T09:00:00-05:00",
        "flight": "JFK-TGD via VIE",
        "escort": "Two officers",
        "notice_language": "sr",
        "medical_needs": "none",
    }

    def problems(self) -> list[tuple[str, str]]:
        if not self.crossing_point and not self.flight:
            return [("crossing_point", "is required, or a flight")]
        return []


class RecordTransferIn(ActionPayload):
    received_by: str = Field(min_length=1, max_length=200, title="Received by (officer)")
    place: str = Field(min_length=1, max_length=200, title="Place of the handover")
    handed_over_at: Moment | None = Field(
        default=None, title="Handed over at", description="Empty for now"
    )
    handed_over_by: str = Field(default="", max_length=200, title="Handed over by (escort)")
    example = {
        "received_by": "Officer M. Example",
        "place": "Podgorica airport",
        "handed_over_at": "2027-03-01T16:10:00+01:00",
    }


# Issue and revoke ------------------------------------------------------------------------


def _issuing_mission(context: TransitionContext) -> Organisation:
    """The payload's ``issuing_mission`` (an organisation id), by default the acting one; it
    must be an organisation of the requested state."""
    case = context.case
    receiving = case.agreement.receiving_party
    assert receiving is not None  # an agreement has its two parties
    raw = context.payload_as(IssueTravelDocumentIn).issuing_mission or context.organisation_id
    try:
        org = Organisation.objects.get(id=raw or uuid.UUID(int=0))
    except Organisation.DoesNotExist:
        raise _invalid("issuing_mission", "is not a known organisation") from None
    if org.country_id != receiving.organisation.country_id:
        raise _invalid(
            "issuing_mission",
            f"must be an organisation of the requested state ({receiving.organisation.country_id})",
        )
    return org


def issue_travel_document(context: TransitionContext) -> None:
    """Record the travel document as a structured, validated record; refuse a second one
    while a valid one stands, and the EU document without the prior consent the agreement
    needs."""
    case, payload = context.case, context.payload_as(IssueTravelDocumentIn)
    doc_type, number = TravelDocumentType(payload.type), payload.number
    mission = _issuing_mission(context)
    today = local_day(context.at, case.agreement)
    valid_from = payload.valid_from or today
    valid_until = payload.valid_until
    if valid_until < valid_from:
        raise _invalid("valid_until", "cannot be before valid_from")
    if valid_until < today:
        raise _invalid("valid_until", "is already past: the document would be expired")
    single_journey = payload.single_journey
    consent_reference = payload.prior_consent_reference
    consent_given_on = None
    if consent_reference:
        consent_given_on = payload.prior_consent_given_on
        assert consent_given_on is not None  # problems() requires it with a reference
        if consent_given_on > today:
            raise _invalid("prior_consent_given_on", "cannot be in the future")
    terms = terms_at(case.agreement, context.at)
    if (
        doc_type == TravelDocumentType.EU_RETURN
        and terms.eu_travel_document_needs_consent
        and not consent_reference
    ):
        raise TransitionRefused(
            N_(
                "This agreement allows the EU travel document for return only with the "
                "requested state's prior consent: give prior_consent_reference and "
                "prior_consent_given_on."
            ),
            rule="travel-document-consent",
        )
    current = latest_document(case)
    if current is not None and current.revoked_at is None and current.valid_until >= today:
        raise TransitionRefused(
            N_(
                "Travel document %(number)s is valid until %(valid_until)s; revoke it before "
                "issuing another."
            ),
            params={"number": current.number, "valid_until": current.valid_until.isoformat()},
            rule="travel-document-live",
        )
    document = TravelDocument.objects.create(
        case=case,
        type=doc_type,
        number=number,
        issuing_mission=mission,
        valid_from=valid_from,
        valid_until=valid_until,
        single_journey=single_journey,
        consent_reference=consent_reference,
        consent_given_on=consent_given_on,
        issued_at=context.at,
        issued_by=context.acting_user,
    )
    context.audit_data["travel_document"] = {
        "id": str(document.id),
        "type": doc_type,
        "number": number,
        "issuing_mission": str(mission.id),
        "valid_from": valid_from.isoformat(),
        "valid_until": valid_until.isoformat(),
        "single_journey": single_journey,
        **({"prior_consent": consent_reference} if consent_reference else {}),
    }


def revoke_travel_document(context: TransitionContext) -> None:
    document = latest_document(context.case)
    if document is None or document.revoked_at is not None:
        raise TransitionRefused(
            N_("This case has no travel document to revoke."), rule="no-travel-document"
        )
    document.revoked_at = context.at
    document.revoked_by = context.acting_user
    document.revocation_reason = context.reason
    document.save(update_fields=["revoked_at", "revoked_by", "revocation_reason", "updated_at"])
    context.audit_data["travel_document"] = {"id": str(document.id), "revoked": True}


# Transfer ----------------------------------------------------------------------------------


# A travel document not valid on the day, one whole sentence per day it is checked for.
_NOT_VALID_ON = {
    "planned": N_(
        "Travel document %(number)s is valid from %(valid_from)s to %(valid_until)s, not on "
        "the planned day %(day)s."
    ),
    "handover": N_(
        "Travel document %(number)s is valid from %(valid_from)s to %(valid_until)s, not on "
        "the handover day %(day)s."
    ),
}


def _usable_on(case: Case, day: dt.date, *, when: str) -> None:
    """The case's latest travel document, if it has one, must be unrevoked and valid on
    ``day``. A case without a travel document travels on the person's own passport."""
    document = latest_document(case)
    if document is None:
        return
    if document.revoked_at is not None:
        raise TransitionRefused(
            N_("Travel document %(number)s was revoked (%(reason)s); issue a new one first."),
            params={"number": document.number, "reason": document.revocation_reason},
            rule="travel-document-revoked",
        )
    if not document.valid_from <= day <= document.valid_until:
        expired = when == "handover" and day > document.valid_until
        rule = "travel-document-expired" if expired else "travel-document-validity"
        raise TransitionRefused(
            _NOT_VALID_ON[when],
            params={
                "number": document.number,
                "valid_from": document.valid_from.isoformat(),
                "valid_until": document.valid_until.isoformat(),
                "day": day.isoformat(),
            },
            rule=rule,
        )


def schedule_readmission_transfer(context: TransitionContext) -> None:
    """After the plan is validated: the travel document valid on the planned day (in the
    requested state's zone); the planned day within the transfer time limit."""
    case = context.case
    planned_for = context.payload_as(ReadmissionTransferPlanIn).planned_for
    day = local_day(planned_for, case.agreement)
    _usable_on(case, day, when="planned")
    limit = case.deadlines.filter(kind="transfer").open().first()
    if limit is not None and day > limit.due_on:
        raise TransitionRefused(
            N_(
                "The transfer must take place by %(due_on)s (the transfer time limit, "
                "%(limit)s); %(day)s is after it."
            ),
            params={
                "due_on": limit.due_on.isoformat(),
                "limit": limit.explanation,
                "day": day.isoformat(),
            },
            rule="transfer-limit",
        )


def record_transfer(context: TransitionContext) -> None:
    """The receiving side records the handover: who received the person, when and where;
    a revoked or expired travel document blocks it."""
    case, payload = context.case, context.payload_as(RecordTransferIn)
    received_by, place = payload.received_by, payload.place
    handed_over_by = payload.handed_over_by
    handed_over_at = payload.handed_over_at or context.at
    if handed_over_at > context.at:
        raise _invalid("handed_over_at", "cannot be in the future")
    _usable_on(case, local_day(handed_over_at, case.agreement), when="handover")
    handover = {
        "received_by": received_by,
        "place": place,
        "handed_over_at": handed_over_at.isoformat(),
        **({"handed_over_by": handed_over_by} if handed_over_by else {}),
        "recorded_by": context.acting_user.get_username(),
        "recorded_at": context.at.isoformat(),
    }
    case.data["handover"] = handover
    context.audit_data["handover"] = handover


def register() -> None:
    register_transition_hook(
        "readmission",
        "issue_travel_document",
        issue_travel_document,
        payload=IssueTravelDocumentIn,
    )
    register_transition_hook("readmission", "revoke_travel_document", revoke_travel_document)
    # The plan's completeness (a crossing point or flight, medical needs) is the payload's.
    register_transition_hook(
        "readmission",
        "schedule_transfer",
        schedule_readmission_transfer,
        order=AFTER_PLAN,
        payload=ReadmissionTransferPlanIn,
    )
    register_transition_hook(
        "readmission", "record_transfer", record_transfer, payload=RecordTransferIn
    )


# Reading and downloading -------------------------------------------------------------------


def case_travel_document(user: User, case_id: uuid.UUID | str) -> TravelDocument:
    """The latest travel document of a case the user can see; ``NotFound`` when none."""
    case = access_case(user, case_id)
    document = latest_document(case)
    if document is None:
        raise NotFound(N_("Case %(case)s has no travel document."), params={"case": case.reference})
    return document


@dataclass(frozen=True)
class TravelDocumentDownload:
    document: TravelDocument
    person: dict[str, str]
    pdf: bytes | None


def travel_document_download(
    *, user: User, case_id: uuid.UUID | str, fmt: str
) -> TravelDocumentDownload:
    """Gate and audit one download of a travel document (JSON or PDF) by either party.

    Only caseworkers, supervisors and liaison officers of a party download it (an auditor
    reads the case and the audit log, not the travel document: 403). What the document
    holds is identity and nationality, which every agreement shares (sharing.py), and the
    document itself, which both parties need for the transfer. ``fmt``: ``json`` or ``pdf``."""
    document = case_travel_document(user, case_id)
    case = document.case
    position = standing(user, case.agreement)
    if not CASE_WRITERS.intersection(position.roles):
        raise Forbidden(
            N_(
                "Only caseworkers, supervisors and liaison officers of a party download travel "
                "documents."
            ),
            type="wrong-role",
        )
    person = person_fields(case)
    pdf = None
    if fmt == "pdf":
        from readmit.cases.travel_pdf import travel_document_pdf

        pdf = travel_document_pdf(document, person)  # a font refusal audits no download
    with transaction.atomic():
        audit_record(
            event_type=AuditEventType.TRAVEL_DOCUMENT_DOWNLOADED,
            acting_user=user,
            organisation_id=position.organisation_id,
            agreement_id=case.agreement_id,
            case_id=case.id,
            object_type="travel_document",
            object_id=str(document.id),
            data={"format": fmt},
        )
    return TravelDocumentDownload(document, person, pdf)


def person_fields(case: Case) -> dict[str, str]:
    """The person as the travel document shows them: names as written and their Latin form,
    birth date and place, sex, nationality (identity and nationality: always shared)."""
    person = case.person
    written = " ".join(p for p in (person.given_names, person.family_name) if p)
    latin = " ".join(p for p in (person.given_names_latin, person.family_name_latin) if p)
    return {
        "name": written,
        "name_latin": latin or written,
        "birth_date": person.birth_date_display,
        "place_of_birth": person.place_of_birth,
        "sex": english(Sex(person.sex).label),  # the document is in English
        "nationality": ", ".join(sorted(c.code for c in person.nationalities.all())),
    }


# Costs -------------------------------------------------------------------------------------


# Only the paying party records a cost: one whole sentence per payer the terms name.
_PAYER_RECORDS = {
    "sending": N_(
        "Under this agreement the sending state pays '%(leg)s' (costs.%(leg)s); only that "
        "party records it."
    ),
    "requested": N_(
        "Under this agreement the requested state pays '%(leg)s' (costs.%(leg)s); only that "
        "party records it."
    ),
}


def currency_check(value: Any) -> str:
    code = str(value or "").strip().upper()
    if len(code) != 3 or pycountry.currencies.get(alpha_3=code) is None:
        raise ValidationFailed(
            N_("currency: '%(value)s' is not an ISO 4217 currency code (e.g. EUR, USD)."),
            params={"value": value},
            errors=[{"loc": ["currency"], "msg": N_("not an ISO 4217 currency code")}],
        )
    return code


def amount_check(value: Any) -> Decimal:
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        amount = Decimal("NaN")
    if not amount.is_finite() or amount <= 0 or amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValidationFailed(
            N_("amount: '%(value)s' is not a positive amount with at most two decimals."),
            params={"value": value},
            errors=[{"loc": ["amount"], "msg": N_("a positive amount, at most two decimals")}],
        )
    if amount >= Decimal("1e10"):
        raise ValidationFailed(
            N_("amount: too large."),
            errors=[field_error(["amount"], N_("at most %(most)s"), most="9999999999.99")],
        )
    return amount


def transfer_cost_record(
    *, case_id: uuid.UUID | str, leg: str, amount: Any, currency: Any, acting_user: User
) -> TransferCost:
    """Record one cost of a readmission transfer. The agreement's ``costs`` name the party
    that pays the leg; only that party records it (caseworkers and supervisors)."""
    with transaction.atomic():
        case = access_case(acting_user, case_id, for_update=True)
        if leg not in CostLeg.values:
            raise ValidationFailed(
                N_("leg: must be one of %(legs)s."),
                params={"legs": ", ".join(CostLeg.values)},
                errors=[
                    field_error(
                        ["leg"], N_("one of %(choices)s"), choices=", ".join(CostLeg.values)
                    )
                ],
            )
        amount_value = amount_check(amount)
        currency_code = currency_check(currency)
        position = standing(acting_user, case.agreement)
        if not {"caseworker", "supervisor"}.intersection(position.roles):
            raise Forbidden(
                N_("Costs are recorded by caseworkers and supervisors."), type="wrong-role"
            )
        if case.kind != AgreementKind.READMISSION:
            raise TransitionRefused(
                N_("Transfer costs are recorded on readmission cases."), rule="not-readmission"
            )
        if case.state not in COST_STATES:
            raise TransitionRefused(
                N_(
                    "Case %(case)s is '%(state)s': costs are recorded once the transfer is "
                    "scheduled."
                ),
                params={"case": case.reference, "state": Term(case.state)},
                rule="no-transfer",
            )
        payer = getattr(terms_at(case.agreement, clock.now()).costs, leg)
        side = SIDE_NAMES.get(str(position.side), "")
        if side != payer:
            raise Forbidden(
                _PAYER_RECORDS[payer],
                params={"leg": leg},
                type="wrong-party",
            )
        assert position.organisation_id is not None
        cost = TransferCost.objects.create(
            agreement=case.agreement,
            case=case,
            leg=leg,
            amount=amount_value,
            currency=currency_code,
            payer=payer,
            organisation_id=position.organisation_id,
            recorded_by=acting_user,
            recorded_at=clock.now(),
        )
        audit_record(
            event_type=AuditEventType.TRANSFER_COST_RECORDED,
            acting_user=acting_user,
            organisation_id=position.organisation_id,
            agreement_id=case.agreement_id,
            case_id=case.id,
            object_type="transfer_cost",
            object_id=str(cost.id),
            data={
                "leg": leg,
                "amount": str(amount_value),
                "currency": currency_code,
                "payer": payer,
            },
        )
    return cost


@dataclass(frozen=True)
class CostTotal:
    payer: str
    leg: str
    currency: str
    amount: Decimal
    count: int


def _cents(value: Decimal | float | int) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def agreement_cost_totals(agreement: Agreement) -> list[CostTotal]:
    """The agreement's transfer costs summed per payer, leg and currency (never converted)."""
    rows = (
        TransferCost.objects.filter(agreement=agreement)
        .values("payer", "leg", "currency")
        .annotate(total=Sum("amount"), count=Count("id"))
        .order_by("payer", "leg", "currency")
    )
    return [
        CostTotal(r["payer"], r["leg"], r["currency"], _cents(r["total"]), r["count"]) for r in rows
    ]
