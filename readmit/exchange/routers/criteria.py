"""``GET``/``POST /cases/{id}/criteria``: what the agreement's criteria say about the person.

Both parties of a relocation or reception case read the latest evaluation, rule by rule
(the watchlist criterion says pass, fail or unknown, never which list entry matched; the
explanations of criminal-record and vulnerability rules are redacted for the party that did
not record the person when the agreement does not share that data).
Caseworkers and supervisors of either party can ask for a new one. Thin over
``relocation.selectors.latest_evaluation`` and ``relocation.services.case_evaluate``.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.params.functions import Path
from ninja.responses import Status

from readmit.accounts.access import access_case
from readmit.accounts.models import User
from readmit.agreements.sharing import SharingPolicy
from readmit.cases.models import Case
from readmit.cases.selectors import case_sharing
from readmit.core.errors import N_, NotFound
from readmit.exchange.auth import caller
from readmit.exchange.schemas import Problem, UuidStr
from readmit.relocation.access import has_criteria
from readmit.relocation.models import CriteriaEvaluation
from readmit.relocation.selectors import latest_evaluation
from readmit.relocation.services import case_evaluate

router = Router(tags=["cases"])

UUID_PATH = Path(
    ..., description="The case's UUID. A malformed id answers 404, like an unknown one."
)
Outcome = Literal["pass", "fail", "unknown"]


class RuleResultOut(Schema):
    rule: str = Field(description="The criterion's rule, e.g. `no_watchlist_match`.")
    label: str
    outcome: Outcome
    explanation: str


class EvaluationOut(Schema):
    id: UuidStr
    outcome: Outcome = Field(description="`pass` only if every rule passes.")
    evaluated_at: dt.datetime
    trigger: Literal["list", "recheck", "decision", "screening"] = Field(
        description="What caused it: the list was submitted, someone asked again, a "
        "decision, or a change in screening."
    )
    terms_version: int | None = Field(description="The agreement's terms version applied.")
    results: list[RuleResultOut]


class CriteriaOut(Schema):
    case: UuidStr
    latest: EvaluationOut | None = Field(description="Null when never evaluated.")


def _out(evaluation: CriteriaEvaluation, sharing: SharingPolicy) -> EvaluationOut:
    """The evaluation as the caller may read it: explanations that would quote data the
    agreement does not share with the caller are redacted (``agreements.sharing``)."""
    return EvaluationOut(
        id=str(evaluation.id),
        outcome=evaluation.outcome,  # type: ignore[arg-type]
        evaluated_at=evaluation.evaluated_at,
        trigger=evaluation.trigger,  # type: ignore[arg-type]
        terms_version=evaluation.terms_version,
        results=[RuleResultOut.model_validate(r) for r in sharing.results(evaluation.results)],
    )


def _list_case(request: HttpRequest, case_id: str) -> tuple[User, Case]:
    user = caller(request)
    case = access_case(user, case_id)
    if not has_criteria(case):
        raise NotFound(N_("No such case."))
    return user, case


@router.get(
    "/{id}/criteria",
    operation_id="case_criteria",
    response={200: CriteriaOut, 401: Problem, 404: Problem},
    summary="The latest evaluation of the agreement's criteria for the case's person",
    description="Relocation and reception cases only; other cases answer 404.",
)
def case_criteria(request: HttpRequest, id: UuidStr = UUID_PATH) -> CriteriaOut:
    user, case = _list_case(request, id)
    latest = latest_evaluation(case)
    sharing = case_sharing(user, case)
    return CriteriaOut(case=str(case.id), latest=_out(latest, sharing) if latest else None)


@router.post(
    "/{id}/criteria",
    operation_id="case_criteria_check",
    response={201: EvaluationOut, 401: Problem, 403: Problem, 404: Problem},
    summary="Evaluate the criteria again now",
    description="Caseworkers and supervisors of either party (403 `wrong-role` for other "
    "roles). The evaluation is stored with the trigger `recheck` and audited.",
)
def case_criteria_check(request: HttpRequest, id: UuidStr = UUID_PATH) -> Status[EvaluationOut]:
    user, case = _list_case(request, id)
    evaluation = case_evaluate(case=case, acting_user=user)
    return Status(201, _out(evaluation, case_sharing(user, case)))
