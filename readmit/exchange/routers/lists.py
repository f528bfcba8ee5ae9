"""``POST /agreements/{id}/lists``: a proposal list from the sending state (DESIGN §7).

Thin over ``readmit.relocation.services.proposal_list_submit``: the person shape is checked
by the one list validator (``readmit.relocation.lists``), so a bad list answers 422 naming
each person (by index) and field, and creates nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema
from ninja.params.functions import Header, Path
from ninja.responses import Status

from readmit.accounts.access import access_agreement
from readmit.agreements import vocabularies
from readmit.core.errors import ValidationFailed
from readmit.core.strict import declare_text_pattern
from readmit.exchange.auth import caller
from readmit.exchange.schemas import Problem, StrictIn, UuidStr
from readmit.relocation.imports import access_list_import, list_import_queue, sync_max_rows
from readmit.relocation.models import ListImport, ListSource
from readmit.relocation.services import ListResult, proposal_list_submit

router = Router(tags=["lists"])
imports_router = Router(tags=["lists"])

UUID_PATH = Path(
    ..., description="The agreement's UUID. A malformed id answers 404, like an unknown one."
)
IDEMPOTENCY_KEY = Header(
    None,
    alias="Idempotency-Key",
    description="Send the same key to repeat a request safely: the list "
    "is created once; a repeat answers 200 with the same "
    "body; the same key with another body answers 409.",
)

PERSON_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["external_id", "given_names", "family_name", "nationalities"],
    "properties": {
        "external_id": {
            "type": "string",
            "maxLength": 80,
            "description": "The sending state's id, unique in the agreement.",
        },
        "given_names": {"type": "string", "description": "As written, any script."},
        "family_name": {"type": "string", "description": "As written, any script."},
        "birth_date": {"type": ["string", "null"], "description": "YYYY, YYYY-MM or YYYY-MM-DD"},
        "sex": {"type": "string", "enum": list(vocabularies.SEXES)},
        "nationalities": {
            "type": "array",
            "items": {"type": "string"},
            "minItems": 1,
            "description": "Country codes (alpha-2; XK, XXA ... allowed).",
        },
        "documents": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["type", "number", "issuing_country"],
                "additionalProperties": False,
                "properties": {
                    "type": {"type": "string", "enum": list(vocabularies.DOCUMENT_TYPES)},
                    "number": {"type": "string"},
                    "issuing_country": {"type": "string"},
                },
            },
        },
        "convictions": {
            "type": ["array", "null"],
            "description": "null or absent: not known; []: none.",
            "items": {
                "type": "object",
                "required": ["offence", "category"],
                "additionalProperties": False,
                "properties": {
                    "offence": {"type": "string"},
                    "category": {
                        "type": "string",
                        "enum": list(vocabularies.OFFENCE_CATEGORIES),
                        "description": f"{vocabularies.ICCS_SOURCE}: "
                        + "; ".join(f"{k} {v}" for k, v in vocabularies.OFFENCE_CATEGORIES.items())
                        + ". Other values only where the agreement allows free text "
                        "(the criterion then answers unknown).",
                    },
                    "date": {"type": ["string", "null"], "format": "date"},
                    "country": {"type": ["string", "null"]},
                },
            },
        },
        "pending_cases": {"type": ["boolean", "null"], "description": "null: not known"},
        "vulnerabilities": {
            "type": ["array", "null"],
            "items": {"type": "string", "enum": list(vocabularies.VULNERABILITIES)},
            "description": "null or absent: not assessed; []: none. "
            f"{vocabularies.VULNERABILITY_SOURCE}.",
        },
        "family_group": {"type": "string", "description": "Members move together or not."},
    },
}


declare_text_pattern(PERSON_SCHEMA)


class ListIn(StrictIn):
    reference: str = Field(
        ..., min_length=1, max_length=80, description="The sending state's reference for the list."
    )
    people: list[dict[str, Any]] = Field(..., json_schema_extra={"items": PERSON_SCHEMA})
    only_valid_rows: bool = Field(
        False,
        description="Import the valid people and leave the invalid ones out, instead of nothing.",
    )


class ListCaseOut(Schema):
    id: UuidStr
    external_id: str
    state: str


class ListOut(Schema):
    id: UuidStr
    reference: str
    row_count: int
    imported_count: int
    cases: list[ListCaseOut]


class ImportErrorOut(Schema):
    loc: list[str | int]
    msg: str


class ImportListRef(Schema):
    id: UuidStr
    reference: str


class ImportOut(Schema):
    id: UuidStr
    agreement: UuidStr
    reference: str
    state: str = Field(description="queued, running, done or failed.")
    row_count: int
    rows_done: int = Field(description="People imported so far (cases created).")
    rows_failed: int = Field(description="Invalid rows (left out with `only_valid_rows`).")
    errors: list[ImportErrorOut] = Field(
        description='Each bad row and field, e.g. loc ["people", 3, "birth_date"].'
    )
    proposal_list: ImportListRef | None = Field(description="The proposal list, once created.")
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None


def import_out(job: ListImport) -> ImportOut:
    return ImportOut(
        id=str(job.id),
        agreement=str(job.agreement_id),
        reference=job.reference,
        state=job.state,
        row_count=job.row_count,
        rows_done=job.rows_done,
        rows_failed=job.rows_failed,
        errors=[ImportErrorOut(loc=list(e["loc"]), msg=e["msg"]) for e in job.errors],
        proposal_list=ImportListRef(
            id=str(job.proposal_list.id), reference=job.proposal_list.reference
        )
        if job.proposal_list is not None
        else None,
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
    )


def import_location(job: ListImport) -> str:
    return f"/api/v1/imports/{job.id}"


def list_out(result: ListResult) -> ListOut:
    proposal_list = result.proposal_list
    return ListOut(
        id=str(proposal_list.id),
        reference=proposal_list.reference,
        row_count=proposal_list.row_count,
        imported_count=proposal_list.imported_count,
        cases=[
            ListCaseOut(id=str(c.id), external_id=c.external_id, state=c.state)
            for c in result.cases
        ],
    )


@router.post(
    "/{id}/lists",
    operation_id="proposal_list_create",
    response={
        200: ListOut,
        201: ListOut,
        202: ImportOut,
        401: Problem,
        403: Problem,
        404: Problem,
        409: Problem,
        413: Problem,
        422: Problem,
    },
    summary="Propose a list of people; each becomes a case in state `proposed`",
    description="Only the sending party's caseworkers and supervisors, under an agreement in "
    "force. An invalid list answers 422 naming each bad person (index in "
    "`people`) and field, and creates nothing. The same `Idempotency-Key` or "
    "list `reference` again answers 200 with the list already created. A list of more "
    "people than the import threshold (`READMIT_LIST_SYNC_MAX_ROWS`, 1,000 by default) answers "
    "202 with `Location: /api/v1/imports/{id}`: an import job that checks every row, then "
    "imports in batches in the background, with the same all-or-nothing rule. A body over "
    "the size limit answers 413.",
)
def proposal_list_create(
    request: HttpRequest,
    response: HttpResponse,
    payload: ListIn,
    id: UuidStr = UUID_PATH,
    idempotency_key: str | None = IDEMPOTENCY_KEY,
) -> Status[ListOut | ImportOut]:
    user = caller(request)
    agreement = access_agreement(user, id)
    try:
        if len(payload.people) > sync_max_rows():
            queued = list_import_queue(
                agreement=agreement,
                reference=payload.reference,
                people=payload.people,
                acting_user=user,
                idempotency_key=idempotency_key,
                only_valid_rows=payload.only_valid_rows,
            )
            if isinstance(queued, ListImport):
                response["Location"] = import_location(queued)
                return Status(202, import_out(queued))
            return Status(200, list_out(queued))
        result = proposal_list_submit(
            agreement=agreement,
            reference=payload.reference,
            people=payload.people,
            acting_user=user,
            idempotency_key=idempotency_key,
            only_valid_rows=payload.only_valid_rows,
            source=ListSource.API,
        )
    except ValidationFailed as exc:
        exc.errors = [
            {"loc": ["body", "payload", *e.get("loc", ())], "msg": e.get("msg", "")}
            for e in exc.errors
        ]
        raise
    return Status(201 if result.created else 200, list_out(result))


@imports_router.get(
    "/{id}",
    operation_id="list_import_detail",
    response={200: ImportOut, 401: Problem, 403: Problem, 404: Problem},
    summary="A list import job: state, rows done, rows failed, errors",
    description="The submitting organisation's caseworkers, supervisors, liaison officers and "
    "auditors read it (its other members get 403); anyone else gets 404. `state` is "
    "`queued`, `running`, `done` (`proposal_list` names the list; its cases are at "
    "`GET /api/v1/cases?agreement=`) or `failed` (`errors` names each bad row and field; "
    "nothing was imported).",
)
def list_import_detail(request: HttpRequest, id: UuidStr = UUID_PATH) -> ImportOut:
    return import_out(access_list_import(caller(request), id))
