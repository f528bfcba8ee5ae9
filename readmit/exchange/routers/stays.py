"""``PUT /cases/{id}/return-plan``: the return-to-origin plan of the case's open reception
stay, which ``record_departure`` requires. Thin over ``stay_record_return_plan``."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.params.functions import Path

from readmit.accounts.access import access_case
from readmit.core.errors import ValidationFailed
from readmit.exchange.auth import caller
from readmit.exchange.schemas import Problem, StrictIn, UuidStr
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


@router.put(
    "/{id}/return-plan",
    operation_id="case_return_plan",
    response={200: StayOut, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem},
    summary="Record the return-to-origin plan of the open reception stay",
    description="Needed before `record_departure`. 409 `no-open-stay` when the case has no "
    "open stay. Replaces an earlier plan.",
)
def case_return_plan(
    request: HttpRequest, payload: ReturnPlanIn, id: UuidStr = UUID_PATH
) -> StayOut:
    user = caller(request)
    case = access_case(user, id)
    try:
        stay = stay_record_return_plan(case=case, plan=payload.plan, acting_user=user)
    except ValidationFailed as exc:
        exc.errors = [
            {"loc": ["body", "payload", *e.get("loc", ())], "msg": e.get("msg", "")}
            for e in exc.errors
        ]
        raise
    return StayOut(
        id=str(stay.id),
        case=str(stay.case_id),
        site=stay.site.name,
        arrived_at=stay.arrived_at,
        max_end=stay.max_end,
        return_plan=stay.return_plan,
        return_plan_recorded_at=stay.return_plan_recorded_at,
    )
