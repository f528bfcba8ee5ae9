"""``/cases``: read cases with their deadlines and allowed actions; take workflow actions.

Reads go through ``case_list`` / ``access_case``; the one write goes through
``case_transition``, which checks the gate, the version, the table and the agreement's
rules and writes nothing when it refuses.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from ninja import Router
from ninja.params.functions import Header, Path, Query

from readmit.accounts.access import access_case
from readmit.audit.reads import personal_data_read
from readmit.cases.models import Case, Deadline
from readmit.cases.selectors import case_list
from readmit.cases.services import case_transition
from readmit.cases.workflow import WORKFLOWS
from readmit.core.errors import N_, ValidationFailed
from readmit.exchange.auth import caller
from readmit.exchange.errors import PreconditionRequired
from readmit.exchange.pagination import paginate
from readmit.exchange.schemas import (
    CaseOut,
    CasePage,
    Problem,
    TransitionIn,
    UuidStr,
    case_out,
)

router = Router(tags=["cases"])

MAX_PAGE_SIZE = 200
KNOWN_STATES = sorted({state for w in WORKFLOWS.values() for state in w.states})
UUID_PATH = Path(
    ..., description="The case's UUID. A malformed id answers 404, like an unknown one."
)
AGREEMENT_QUERY = Query(
    None, description="Only cases of this agreement; one you cannot see answers 404."
)
STATE_QUERY = Query(None, description="Only cases in this state, e.g. proposed.")
CURSOR_QUERY = Query(None, description="The next_cursor of the previous page.")
LIMIT_QUERY = Query(
    None, ge=1, le=MAX_PAGE_SIZE, description="Page size (default 50, at most 200)."
)
IF_NONE_MATCH = Header(
    None, alias="If-None-Match", description="An ETag you hold: 304 when the case is unchanged."
)
IF_MATCH = Header(
    None,
    alias="If-Match",
    description="The ETag of the case as you read it; required (428 without it).",
)
_ENTITY_TAG = re.compile(r'^(W/)?"([^"]*)"$')


def _with_details(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Everything ``case_out`` reads, in a fixed number of queries whatever the page size."""
    return cases.select_related("agreement", "person").prefetch_related(
        "agreement__parties",
        "person__nationalities",
        "evidence_items",
        Prefetch(
            "deadlines",
            queryset=Deadline.objects.live().order_by("due_on"),
        ),
    )


def _case_detail(request: HttpRequest, case_id: uuid.UUID | str) -> Case:
    case = access_case(caller(request), case_id)
    return _with_details(Case.objects.filter(id=case.id)).get()


def _in_body(error: dict[str, Any]) -> bool:
    """Whether a service error names a member of the body itself, not of its payload."""
    return list(error.get("loc", ()))[:1] in (["reason_code"], ["internal_note"])


def _entity_tags(header: str) -> list[str]:
    """The entity tags of an ``If-Match`` / ``If-None-Match`` list (RFC 9110 §8.8.3)."""
    return [part.strip() for part in header.split(",") if part.strip()]


def _none_match(header: str | None, etag: str) -> bool:
    """True when ``If-None-Match`` matches (weak comparison): the client's copy is current."""
    if not header:
        return False
    for tag in _entity_tags(header):
        if tag == "*":
            return True
        match = _ENTITY_TAG.match(tag)
        if match and f'"{match.group(2)}"' == etag:
            return True
    return False


def _expected_version(header: str | None, case_id: str) -> int | None:
    """The case version named by ``If-Match`` (strong comparison); None for ``*``.

    A tag that is weak, malformed or for another case matches no version (0), so the
    service answers 412, after its gate has answered 404 for a case that is not yours.
    """
    if header is None or not header.strip():
        raise PreconditionRequired(
            N_(
                "Send 'If-Match' with the ETag of the case you read; "
                "transitions are refused without it."
            )
        )
    tags = _entity_tags(header)
    if tags == ["*"]:
        return None
    try:
        case_id = str(uuid.UUID(case_id))
    except ValueError:
        return 0
    for tag in tags:
        match = _ENTITY_TAG.match(tag)
        if match is None or match.group(1):
            continue
        tag_case, _, version = match.group(2).rpartition("-")
        if tag_case == case_id and version.isdigit():
            return int(version)
    return 0


def _with_etag(response: HttpResponse, case: Case) -> None:
    response["ETag"] = case.etag


@router.get(
    "",
    response={200: CasePage, 401: Problem, 404: Problem, 422: Problem},
    operation_id="case_list",
    summary="Your cases, newest first, one page at a time",
)
def case_page(
    request: HttpRequest,
    agreement: uuid.UUID | None = AGREEMENT_QUERY,
    state: str | None = STATE_QUERY,
    cursor: str | None = CURSOR_QUERY,
    limit: int | None = LIMIT_QUERY,
) -> CasePage:
    if state is not None and state not in KNOWN_STATES:
        raise ValidationFailed(
            N_("'%(state)s' is not a case state; known states: %(known)s."),
            params={"state": state, "known": ", ".join(KNOWN_STATES)},
            errors=[{"loc": ["query", "state"], "msg": N_("unknown state")}],
        )
    cases = _with_details(case_list(caller(request), agreement_id=agreement, state=state))
    items, next_cursor = paginate(
        cases, cursor=cursor, limit=limit or settings.READMIT_API_PAGE_SIZE
    )
    personal_data_read(user=caller(request), cases=items, channel="api-list")
    return CasePage(items=[case_out(caller(request), c) for c in items], next_cursor=next_cursor)


@router.get(
    "/{id}",
    response={200: CaseOut, 304: None, 401: Problem, 404: Problem},
    operation_id="case_detail",
    summary="One case, with an ETag; If-None-Match answers 304 when unchanged",
)
def case_detail(
    request: HttpRequest,
    response: HttpResponse,
    id: UuidStr = UUID_PATH,
    if_none_match: str | None = IF_NONE_MATCH,
) -> CaseOut | HttpResponse:
    case = _case_detail(request, id)
    if _none_match(if_none_match, case.etag):
        not_modified = HttpResponseNotModified()
        _with_etag(not_modified, case)
        return not_modified
    _with_etag(response, case)
    personal_data_read(user=caller(request), cases=[case], channel="api")
    return case_out(caller(request), case)


@router.post(
    "/{id}/transitions",
    operation_id="case_transition",
    response={
        200: CaseOut,
        401: Problem,
        403: Problem,
        404: Problem,
        409: Problem,
        412: Problem,
        422: Problem,
        428: Problem,
    },
    summary="Take one workflow action; answers the updated case and its new ETag",
    description="Requires `If-Match` with the case's ETag: missing → 428, stale → 412. "
    "A refusal by the workflow or a rule of the agreement (quota, capacity, "
    "legal hold, exclusion ...) answers 409 with the rule in `type` and `rule`; "
    "nothing is written on any refusal.",
)
def case_transition_create(
    request: HttpRequest,
    response: HttpResponse,
    payload: TransitionIn,
    id: UuidStr = UUID_PATH,
    if_match: str | None = IF_MATCH,
) -> CaseOut:
    expected = _expected_version(if_match, id)
    try:
        case = case_transition(
            case_id=id,
            action=payload.action,
            acting_user=caller(request),
            reason=payload.reason,
            internal_note=payload.internal_note,
            reason_code=payload.reason_code,
            payload=payload.payload,
            expected_version=expected,
        )
    except ValidationFailed as exc:
        # The service names its own inputs; name them where they are in this request.
        exc.errors = [
            {**e, "loc": ["body", *([] if _in_body(e) else ["payload"]), *e.get("loc", ())]}
            for e in exc.errors
        ]
        raise
    case = _case_detail(request, case.id)
    _with_etag(response, case)
    return case_out(caller(request), case)
