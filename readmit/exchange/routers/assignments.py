"""``POST /cases/assignments``: assign (or reassign) cases and lists on the caller's side.

Thin over ``readmit.work.services.assignment_set``: one owner and/or team for up to 500
cases and lists at once, all or nothing. Send an ``Idempotency-Key`` to repeat it safely.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from readmit.core.errors import ValidationFailed
from readmit.exchange.auth import caller
from readmit.exchange.schemas import Problem, StrictIn, UuidStr
from readmit.work.services import MAX_BULK, assignment_set

router = Router(tags=["cases"])


class AssignmentIn(StrictIn):
    cases: list[UuidStr] = Field(
        default_factory=list, max_length=MAX_BULK, description="Case ids to assign."
    )
    lists: list[UuidStr] = Field(
        default_factory=list, max_length=MAX_BULK, description="Proposal list ids to assign."
    )
    owner: str | None = Field(
        None,
        max_length=150,
        description="Username of an active caseworker or supervisor of your organisation.",
    )
    team: UuidStr | None = Field(None, description="A team of your organisation.")


class AssignmentOut(Schema):
    case: UuidStr | None
    list: UuidStr | None
    owner: str | None
    team: UuidStr | None
    assigned_at: dt.datetime


class AssignmentsOut(Schema):
    assignments: list[AssignmentOut]


@router.post(
    "/assignments",
    operation_id="cases_assign",
    response={201: AssignmentsOut, 401: Problem, 403: Problem, 404: Problem, 422: Problem},
    summary="Assign cases and lists to an owner and/or a team of your organisation",
    description="Each party owns its own side of a case: the assignment is the caller's "
    "organisation's and the other party never sees it. All or nothing: a case or list you "
    "cannot see answers 404, a role other than caseworker or supervisor 403 `wrong-role`, "
    "an owner or team not of your organisation 422 naming the field. Each case and list is "
    "audited and its new owner notified.",
)
def cases_assign(request: HttpRequest, payload: AssignmentIn) -> Status[AssignmentsOut]:
    user = caller(request)
    owner_id = None
    if payload.owner:
        found = get_user_model().objects.filter(username=payload.owner).first()
        if found is None:
            message = "The owner must be an active caseworker or supervisor of your organisation."
            raise ValidationFailed(message, errors=[{"loc": ["body", "owner"], "msg": message}])
        owner_id = found.pk
    try:
        done = assignment_set(
            acting_user=user,
            case_ids=payload.cases,
            list_ids=payload.lists,
            owner_id=owner_id,
            team_id=payload.team,
        )
    except ValidationFailed as exc:
        exc.errors = [
            {"loc": ["body", *e.get("loc", ())], "msg": e.get("msg", "")} for e in exc.errors
        ]
        raise
    return Status(
        201,
        AssignmentsOut(
            assignments=[
                AssignmentOut(
                    case=str(a.case_id) if a.case_id else None,
                    list=str(a.proposal_list_id) if a.proposal_list_id else None,
                    owner=a.owner.get_username() if a.owner else None,
                    team=str(a.team_id) if a.team_id else None,
                    assigned_at=a.assigned_at,
                )
                for a in done
            ]
        ),
    )
