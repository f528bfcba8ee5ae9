"""``POST /cases/{id}/vulnerability-assessments``: record an assessment of the person.

Thin over ``readmit.relocation.services.vulnerability_assess``: the party that recorded the
person (the sending state) says who assessed, when (now) and what was found, possibly
nothing. Until then, exclusions that read vulnerabilities answer unknown and block the
decision; afterwards the criteria are evaluated again.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, get_args

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.params.functions import Path
from ninja.responses import Status

from readmit.accounts.access import access_case
from readmit.agreements.vocabularies import VULNERABILITIES
from readmit.core.errors import ValidationFailed
from readmit.exchange.auth import caller
from readmit.exchange.schemas import Problem, StrictIn, UuidStr
from readmit.relocation.services import vulnerability_assess

router = Router(tags=["cases"])

UUID_PATH = Path(
    ..., description="The case's UUID. A malformed id answers 404, like an unknown one."
)
Vulnerability = Literal[
    "minor",
    "unaccompanied_minor",
    "disability",
    "elderly",
    "pregnant",
    "single_parent",
    "trafficking_victim",
    "medical",
    "mental_health",
    "torture_survivor",
]
assert set(get_args(Vulnerability)) == set(VULNERABILITIES)  # one vocabulary


class AssessmentIn(StrictIn):
    vulnerabilities: list[Vulnerability] = Field(
        ..., description="What the assessment found; an empty list: none."
    )
    note: str = Field("", max_length=2000, description="Seen by the assessing party only.")


class AssessmentOut(Schema):
    id: UuidStr
    case: UuidStr
    vulnerabilities: list[str]
    assessed_at: dt.datetime
    assessed_by: str


@router.post(
    "/{id}/vulnerability-assessments",
    operation_id="case_vulnerability_assess",
    response={201: AssessmentOut, 401: Problem, 403: Problem, 404: Problem, 422: Problem},
    summary="Record an assessment of the person's vulnerabilities",
    description="Caseworkers and supervisors of the party that recorded the person (403 "
    "`wrong-party` for the other party, `wrong-role` for other roles). The vulnerabilities "
    "become known (no longer 'not assessed'), the criteria are evaluated again, and the "
    "assessment is audited.",
)
def case_vulnerability_assess(
    request: HttpRequest, payload: AssessmentIn, id: UuidStr = UUID_PATH
) -> Status[AssessmentOut]:
    user = caller(request)
    case = access_case(user, id)
    try:
        assessment = vulnerability_assess(
            case=case,
            vulnerabilities=list(payload.vulnerabilities),
            acting_user=user,
            note=payload.note,
        )
    except ValidationFailed as exc:
        exc.errors = [
            {"loc": ["body", "payload", *e.get("loc", ())], "msg": e.get("msg", "")}
            for e in exc.errors
        ]
        raise
    return Status(
        201,
        AssessmentOut(
            id=str(assessment.id),
            case=str(case.id),
            vulnerabilities=list(assessment.vulnerabilities),
            assessed_at=assessment.assessed_at,
            assessed_by=user.get_username(),
        ),
    )
