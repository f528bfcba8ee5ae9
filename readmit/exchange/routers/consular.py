"""``/consular-requests``: consular help routed to the mission of the person's district.

Thin over ``readmit.consular``: the mission gate (``visible_consular_requests``) decides what
is seen, the services decide routing, limits and who may act.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.params.functions import Header, Path, Query
from ninja.responses import Status

from readmit.accounts.access import access_consular_request
from readmit.accounts.models import User
from readmit.cases.services import PersonInput
from readmit.consular.districts import Requester, RequestKind, RequestState
from readmit.consular.models import ConsularRequest
from readmit.consular.selectors import consular_request_list
from readmit.consular.services import (
    OUTCOME_MAX,
    consular_request_create,
    consular_request_transition,
    request_allowed_actions,
)
from readmit.core.errors import N_, ValidationFailed
from readmit.exchange.auth import caller
from readmit.exchange.pagination import paginate
from readmit.exchange.schemas import Problem, StrictIn, UuidStr
from readmit.relocation.lists import parse_birth_date

router = Router(tags=["consular"])

MAX_PAGE_SIZE = 200
UUID_PATH = Path(
    ..., description="The request's UUID. A malformed id answers 404, like an unknown one."
)
IDEMPOTENCY_KEY = Header(
    None,
    alias="Idempotency-Key",
    description="Send the same key to repeat a request safely: it is created once; a repeat "
    "answers 200 with the same request; the same key with another body answers 409.",
)


class ConsularPersonIn(StrictIn):
    family_name: str = Field(..., description="As written, any script.")
    given_names: str = ""
    family_name_latin: str = ""
    given_names_latin: str = ""
    birth_date: str | None = Field(None, description="YYYY, YYYY-MM or YYYY-MM-DD")


class ConsularRequestIn(StrictIn):
    # Checked by the service (with residence_region, so that every bad field is named at
    # once); the document declares the same values.
    kind: str = Field(
        ...,
        max_length=40,
        description="What the consulate is asked for.",
        json_schema_extra={"enum": [k.value for k in RequestKind]},
    )
    requester: str = Field(
        ...,
        max_length=40,
        description="citizen (the citizen abroad) or sending_state (needs a case)",
        json_schema_extra={"enum": [r.value for r in Requester]},
    )
    residence_region: str = Field(
        ...,
        max_length=6,
        description="The person's last address in the host state as an ISO 3166-2 code "
        "(e.g. US-NY); routes the request to the mission whose district covers it.",
    )
    case: UuidStr | None = Field(None, description="The readmission case, when there is one.")
    person: ConsularPersonIn | None = Field(
        None, description="Without a case: the citizen, recorded by the receiving state."
    )
    details: str = Field("", max_length=OUTCOME_MAX)


class ConsularTransitionIn(StrictIn):
    action: Literal["take", "complete", "decline"] = Field(
        ..., description="take, complete (by the owner) or decline"
    )
    outcome: str = Field("", max_length=OUTCOME_MAX, description="Required to complete.")
    reason: str = Field("", max_length=OUTCOME_MAX, description="Required to decline.")


class ConsularRequestOut(Schema):
    id: UuidStr
    reference: str
    kind: str
    requester: str
    state: str
    person: str = Field(description="The person's name as written (Latin form in brackets).")
    case: UuidStr | None
    residence_region: str
    routed_to: str = Field(description="The mission (or ministry) the request is routed to.")
    routed_to_id: UuidStr
    routing_reason: str
    requested_by: str
    owner: str | None
    due_on: dt.date
    due_explanation: str
    details: str
    outcome: str
    reason: str
    version: int
    allowed_actions: list[str]


class ConsularRequestPage(Schema):
    items: list[ConsularRequestOut]
    next_cursor: str | None


def request_out(user: User, request: ConsularRequest) -> ConsularRequestOut:
    return ConsularRequestOut(
        id=str(request.id),
        reference=request.reference,
        kind=request.kind,
        requester=request.requester,
        state=request.state,
        person=request.person.display_name,
        case=str(request.case_id) if request.case_id else None,
        residence_region=request.residence_region,
        routed_to=request.routed_to.name,
        routed_to_id=str(request.routed_to_id),
        routing_reason=request.routing_reason,
        requested_by=request.requested_by.name,
        owner=str(request.owner) if request.owner else None,
        due_on=request.due_on,
        due_explanation=request.due_explanation,
        details=request.details,
        outcome=request.outcome,
        reason=request.reason,
        version=request.version,
        allowed_actions=request_allowed_actions(user, request),
    )


def _body_errors(exc: ValidationFailed) -> ValidationFailed:
    exc.errors = [
        {
            "loc": (
                ["header", *e.get("loc", ())]
                if list(e.get("loc", ()))[:1] == ["Idempotency-Key"]
                else ["body", "payload", *e.get("loc", ())]
            ),
            "msg": e.get("msg", ""),
        }
        for e in exc.errors
    ]
    return exc


def _person(data: ConsularPersonIn | None) -> PersonInput | None:
    if data is None:
        return None
    year = month = day = None
    if data.birth_date:
        try:
            year, month, day = parse_birth_date(data.birth_date)
        except ValueError as exc:
            raise ValidationFailed(
                N_("person.birth_date: %(problem)s."),
                params={"problem": str(exc)},
                errors=[{"loc": ["person", "birth_date"], "msg": str(exc)}],
            ) from None
    return PersonInput(
        family_name=data.family_name.strip(),
        given_names=data.given_names.strip(),
        family_name_latin=data.family_name_latin.strip(),
        given_names_latin=data.given_names_latin.strip(),
        birth_year=year,
        birth_month=month,
        birth_day=day,
    )


@router.get(
    "",
    response={200: ConsularRequestPage, 401: Problem, 422: Problem},
    operation_id="consular_request_list",
    summary="Consular requests you may see, newest first",
    description="A mission sees the requests routed to it; a ministry those routed to it or "
    "its missions; any organisation the requests it asked.",
)
def consular_request_page(
    request: HttpRequest,
    state: str | None = Query(None, description="open, in_progress, done or declined"),
    cursor: str | None = Query(None, description="The next_cursor of the previous page."),
    limit: int | None = Query(None, ge=1, le=MAX_PAGE_SIZE, description="Page size."),
) -> ConsularRequestPage:
    user = caller(request)
    if state is not None and state not in {s.value for s in RequestState}:
        raise ValidationFailed(
            N_("'%(state)s' is not a state of a consular request."),
            params={"state": state},
            errors=[{"loc": ["query", "state"], "msg": N_("unknown state")}],
        )
    items, next_cursor = paginate(
        consular_request_list(user, state=state or ""),
        cursor=cursor,
        limit=limit or settings.READMIT_API_PAGE_SIZE,
    )
    return ConsularRequestPage(items=[request_out(user, r) for r in items], next_cursor=next_cursor)


@router.post(
    "",
    response={
        200: ConsularRequestOut,
        201: ConsularRequestOut,
        401: Problem,
        403: Problem,
        404: Problem,
        409: Problem,
        422: Problem,
    },
    operation_id="consular_request_create",
    summary="Ask for consular help; routed to the mission of the person's district",
    description="The sending state asks on a readmission case it is party to; the receiving "
    "state records a citizen's request (with or without a case). Routed by "
    "`residence_region` to the mission whose consular district covers it, else to the "
    "ministry with the reason recorded.",
)
def consular_request_create_view(
    request: HttpRequest,
    payload: ConsularRequestIn,
    idempotency_key: str | None = IDEMPOTENCY_KEY,
) -> Status[ConsularRequestOut]:
    user = caller(request)
    try:
        result = consular_request_create(
            acting_user=user,
            kind=payload.kind,
            requester=payload.requester,
            residence_region=payload.residence_region,
            case_id=payload.case,
            person=_person(payload.person),
            details=payload.details,
            idempotency_key=idempotency_key,
        )
    except ValidationFailed as exc:
        raise _body_errors(exc) from None
    # Answered from the result, not re-read through the gate: a mission that records a
    # citizen's request routed to another mission does not see it afterwards.
    return Status(201 if result.created else 200, request_out(user, result.request))


@router.get(
    "/{id}",
    response={200: ConsularRequestOut, 401: Problem, 404: Problem},
    operation_id="consular_request_detail",
    summary="One consular request",
)
def consular_request_detail(request: HttpRequest, id: UuidStr = UUID_PATH) -> ConsularRequestOut:
    user = caller(request)
    return request_out(user, access_consular_request(user, id))


@router.post(
    "/{id}/transitions",
    response={
        200: ConsularRequestOut,
        401: Problem,
        403: Problem,
        404: Problem,
        409: Problem,
        422: Problem,
    },
    operation_id="consular_request_transition",
    summary="Take, complete or decline a consular request",
    description="Only members of the organisation the request is routed to act; `take` makes "
    "the caller the owner; only the owner completes (with an outcome); a decline needs a "
    "reason.",
)
def consular_request_transition_view(
    request: HttpRequest, payload: ConsularTransitionIn, id: UuidStr = UUID_PATH
) -> ConsularRequestOut:
    user = caller(request)
    try:
        consular_request_transition(
            request_id=id,
            action=payload.action,
            acting_user=user,
            outcome=payload.outcome,
            reason=payload.reason,
        )
    except ValidationFailed as exc:
        raise _body_errors(exc) from None
    return request_out(user, access_consular_request(user, id))
