"""``POST /agreements/{id}/applications``: a readmission application (DESIGN §7).

Thin over ``readmit.cases.intake.readmission_application_submit``. The body is the one
application model (``readmit.cases.applications.ApplicationIn``): an incomplete application
answers 422 naming every missing or bad part, and creates nothing.
"""

from __future__ import annotations

import uuid

from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema
from ninja.params.functions import Header, Path
from ninja.responses import Status

from readmit.accounts.access import access_agreement, access_case
from readmit.accounts.models import User
from readmit.cases.applications import (
    PHOTO_MAX_BYTES,
    PHOTO_MAX_LENGTH,
    ApplicationIn,
    EvidenceIn,
    decode_photo,
)
from readmit.cases.intake import ApplicationResult, evidence_add, readmission_application_submit
from readmit.cases.models import ApplicationSource, Case, Deadline
from readmit.cases.photos import outstanding_particulars, photo_add, photo_for
from readmit.core.errors import N_, ValidationFailed
from readmit.exchange.auth import caller
from readmit.exchange.schemas import CaseOut, Problem, StrictIn, UuidStr, case_out
from readmit.screening.models import DuplicateCandidate

router = Router(tags=["applications"])

UUID_PATH = Path(
    ..., description="The agreement's UUID. A malformed id answers 404, like an unknown one."
)
IDEMPOTENCY_KEY = Header(
    None,
    alias="Idempotency-Key",
    description="Send the same key to repeat a request safely: the application is created "
    "once and a repeat with the same body answers the same case; the same key with "
    "another body answers 409.",
)


class DuplicateOut(Schema):
    id: UuidStr = Field(description="The duplicate candidate, for the review.")
    kind: str = Field(description="certain (same document) or possible (similar name).")
    score: float
    evidence: str


class ApplicationOut(CaseOut):
    duplicates: list[DuplicateOut] = Field(
        description="Known people this person may be (the screening duplicate finder); a "
        "reviewer decides, nothing is merged."
    )
    outstanding: list[str] = Field(
        description="Particulars the application still owes: 'photo' until the person's photo "
        "is sent (with the application or with POST /api/v1/cases/{id}/photo)."
    )


def _case(user: User, case_id: uuid.UUID | str) -> Case:
    """The case with everything ``case_out`` reads."""
    case = access_case(user, case_id)
    return (
        Case.objects.select_related("agreement", "person")
        .prefetch_related(
            "person__nationalities",
            "evidence_items",
            "agreement__parties",
            Prefetch(
                "deadlines",
                queryset=Deadline.objects.live().order_by("due_on"),
            ),
        )
        .get(id=case.id)
    )


def application_out(request: HttpRequest, result: ApplicationResult) -> ApplicationOut:
    """The case as ``GET /cases/{id}`` shows it, with the duplicates flagged at intake (read
    back from the records, so a repeat with the same Idempotency-Key answers the same)."""
    user = caller(request)
    case = _case(user, result.case.id)
    person = case.person_id
    duplicates = DuplicateCandidate.objects.filter(
        Q(person_a_id=person) | Q(person_b_id=person)
    ).order_by("-score", "id")
    return ApplicationOut(
        **case_out(user, case).model_dump(by_alias=True),
        duplicates=[
            DuplicateOut(id=str(d.id), kind=d.kind, score=d.score, evidence=d.evidence)
            for d in duplicates
        ],
        outstanding=outstanding_particulars(case),
    )


@router.post(
    "/{id}/applications",
    operation_id="readmission_application_create",
    response={
        201: ApplicationOut,
        401: Problem,
        403: Problem,
        404: Problem,
        409: Problem,
        422: Problem,
    },
    summary="Submit a readmission application; it becomes a case in state `submitted`",
    description="Only the requesting (sending) party's caseworkers and supervisors, under a "
    "readmission agreement in force. An incomplete or invalid application answers 422 naming "
    "every missing or bad part (a bad MRZ check digit names `evidence.N.mrz`), and creates "
    "nothing. The same `Idempotency-Key` with the same body answers 201 with the same case; "
    "with another body, 409.",
)
def readmission_application_create(
    request: HttpRequest,
    payload: ApplicationIn,
    id: UuidStr = UUID_PATH,
    idempotency_key: str | None = IDEMPOTENCY_KEY,
) -> Status[ApplicationOut]:
    user = caller(request)
    agreement = access_agreement(user, id)
    try:
        result = readmission_application_submit(
            agreement=agreement,
            application=payload,
            acting_user=user,
            source=ApplicationSource.API,
            idempotency_key=idempotency_key,
        )
    except ValidationFailed as exc:
        exc.errors = [
            {"loc": ["body", "payload", *e.get("loc", ())], "msg": e.get("msg", "")}
            for e in exc.errors
        ]
        raise
    return Status(201, application_out(request, result))


# Evidence added to a case after intake ------------------------------------------------------

evidence_router = Router(tags=["applications"])

CASE_PATH = Path(
    ..., description="The case's UUID. A malformed id answers 404, like an unknown one."
)


@evidence_router.post(
    "/{id}/evidence",
    operation_id="case_evidence_add",
    response={201: CaseOut, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem},
    summary="Add one item of evidence of nationality to a readmission application",
    description="Only the requesting (sending) party's caseworkers and supervisors, while the "
    "reply is awaited (submitted, acknowledged, interview_requested). The evidence is weighed "
    "again; `201` with the case. A bad MRZ check digit answers 422 naming `mrz`.",
)
def case_evidence_add(
    request: HttpRequest, payload: EvidenceIn, id: UuidStr = CASE_PATH
) -> Status[CaseOut]:
    user = caller(request)
    try:
        evidence_add(case_id=id, item=payload, acting_user=user)
    except ValidationFailed as exc:
        exc.errors = [
            {"loc": ["body", "payload", *e.get("loc", ())], "msg": e.get("msg", "")}
            for e in exc.errors
        ]
        raise
    case = _case(user, id)
    return Status(201, case_out(user, case))


# The person's photo -------------------------------------------------------------------------


class PhotoIn(StrictIn):
    photo: str = Field(
        description=f"base64 of a JPEG or PNG image of at most {PHOTO_MAX_BYTES:,} bytes (1 MB); "
        "the type is told by the image's first bytes.",
        json_schema_extra={"maxLength": PHOTO_MAX_LENGTH},
    )


class PhotoOut(Schema):
    case: UuidStr
    content_type: str = Field(description="image/jpeg or image/png")
    size: int
    sha256: str
    outstanding: list[str] = Field(description="Particulars the application still owes.")


@evidence_router.post(
    "/{id}/photo",
    operation_id="case_photo_add",
    response={201: PhotoOut, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem},
    summary="Send the person's photo for a readmission application (it replaces an earlier one)",
    description="Only the requesting (sending) party's caseworkers and supervisors, on a "
    "readmission case that is not closed. A photo that is not a JPEG or PNG (by its content) "
    "or is larger than 1 MB answers 422 naming `photo`, and nothing is written.",
)
def case_photo_add(
    request: HttpRequest, payload: PhotoIn, id: UuidStr = CASE_PATH
) -> Status[PhotoOut]:
    user = caller(request)
    try:
        data = decode_photo(payload.photo)
    except ValueError as exc:
        access_case(user, id)  # a case that is not yours answers 404 before the body is judged
        raise ValidationFailed(
            N_("photo %(problem)s"),
            params={"problem": str(exc)},
            errors=[{"loc": ["body", "payload", "photo"], "msg": str(exc)}],
        ) from None
    photo = photo_add(case_id=id, data=data, acting_user=user)
    return Status(
        201,
        PhotoOut(
            case=str(photo.case_id),
            content_type=photo.content_type,
            size=photo.size,
            sha256=photo.sha256,
            outstanding=outstanding_particulars(photo.case),
        ),
    )


@evidence_router.get(
    "/{id}/photo",
    operation_id="case_photo",
    response={200: None, 401: Problem, 403: Problem, 404: Problem},
    summary="The person's photo (JPEG or PNG)",
    description="The parties' caseworkers, supervisors and liaison officers (other roles "
    "403); the other party only where the agreement shares the category `photo` (403 "
    "`not-shared`). 404 for a non-party, or while the photo is outstanding. Reads by the "
    "other party are audited.",
)
def case_photo(request: HttpRequest, id: UuidStr = CASE_PATH) -> HttpResponse:
    photo = photo_for(caller(request), id)
    with photo.file.open("rb") as handle:
        response = HttpResponse(handle.read(), content_type=photo.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
