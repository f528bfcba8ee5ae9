"""``PUT /cases/{id}/return-plan``: the return-to-origin plan of the case's open reception
stay, which ``record_departure`` requires. Thin over ``stay_record_return_plan``; needs
``If-Match`` with the stay's ETag (``readmit.exchange.preconditions``)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema
from ninja.params.functions import Path

from readmit.accounts.access import access_case
from readmit.core.errors import ValidationFailed
from readmit.exchange.auth import caller
from readmit.exchange.preconditions import IF_MATCH, etag_of, require_if_match, with_etag
from readmit.exchange.schemas import Problem, StrictIn, UuidStr
from readmit.relocation.models import ReceptionStay
from readmit.relocation.services import stay_record_return_plan

router = Router(tags=["cases"])

UUID_PATH = Path(
    ..., description="The case's UUID. A malformed id answers 404, like an unknown one."
)


class ReturnPlanIn(StrictIn):
    plan: str = Field(..., description="How the person returns to the country of origin.")


class StayOut(Schema):
    id: UuidStr
    case: UuidStr
    site: str
    arrived_at: dt.datetime
    max_end: dt.date | None
    return_plan: str
    return_plan_recorded_at: dt.datetime | None
    etag: str = Field(description="The stay's ETag, for the next If-Match.")


@router.put(
    "/{id}/return-plan",
    operation_id="case_return_plan",
    response={
        200: StayOut,
        401: Problem,
        403: Problem,
        404: Problem,
        409: Problem,
        412: Problem,
        422: Problem,
        428: Problem,
    },
    summary="Record the return-to-origin plan of the open reception stay",
    description="Needed before `record_departure`. Requires `If-Match` with the open stay's "
    "ETag (`etag` in `GET /cases/{id}/stays`): missing → 428, stale → 412. 409 "
    "`no-open-stay` when the case has no open stay. Replaces an earlier plan; answers the "
    "stay with its new `ETag`.",
)
def case_return_plan(
    request: HttpRequest,
    response: HttpResponse,
    payload: ReturnPlanIn,
    id: UuidStr = UUID_PATH,
    if_match: str | None = IF_MATCH,
) -> StayOut:
    user = caller(request)
    case = access_case(user, id)
    with transaction.atomic():
        open_stay = (
            ReceptionStay.objects.select_for_update()
            .filter(case=case, ended_at__isnull=True)
            .first()
        )
        if open_stay is not None or not (if_match or "").strip():
            require_if_match(if_match, etag_of(open_stay) if open_stay else "", what="stay")
        try:
            stay = stay_record_return_plan(case=case, plan=payload.plan, acting_user=user)
        except ValidationFailed as exc:
            exc.errors = [
                {"loc": ["body", "payload", *e.get("loc", ())], "msg": e.get("msg", "")}
                for e in exc.errors
            ]
            raise
    with_etag(response, stay)
    return StayOut(
        id=str(stay.id),
        case=str(stay.case_id),
        site=stay.site.name,
        arrived_at=stay.arrived_at,
        max_end=stay.max_end,
        return_plan=stay.return_plan,
        return_plan_recorded_at=stay.return_plan_recorded_at,
        etag=etag_of(stay),
    )
