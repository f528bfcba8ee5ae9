"""What the case page shows besides the workflow, as the API: the person (names in every
script, other names, documents), evidence, files, deadlines, transfer plans, stays and
duplicates.

Every read goes through the case gate (``access_case``: a case you cannot see answers 404)
and shows the person only as the agreement's data-sharing terms allow
(``readmit.agreements.sharing``); a read of another party's person is audited
(``readmit.audit.reads``). Files are added through ``attachment_add`` (kind, size and type
checked by content) and downloaded through the gate of their case.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, HttpRequest, HttpResponse
from ninja import Field, Router, Schema
from ninja.files import UploadedFile
from ninja.params.functions import File, Form, Path
from ninja.responses import Status
from pydantic import ConfigDict

from readmit.accounts.access import access_case, visible_cases
from readmit.accounts.models import User
from readmit.audit.reads import attachment_read, personal_data_read
from readmit.cases.attachments import MAX_BYTES, SIGNATURES, access_attachment_by_id, attachment_add
from readmit.cases.models import Attachment, AttachmentKind, Case, IdentityDocument, Person
from readmit.cases.people import (
    DocumentAdd,
    person_document_add,
    person_document_remove,
    person_edit_gate,
    person_update,
)
from readmit.cases.selectors import case_sharing
from readmit.core.errors import ValidationFailed
from readmit.exchange.auth import caller
from readmit.exchange.preconditions import IF_MATCH, etag_of, require_if_match
from readmit.exchange.schemas import EvidenceOut, Problem, StrictIn, UuidStr, _evidence_out
from readmit.relocation.models import ReceptionStay, TransferPlan
from readmit.screening.duplicates import duplicate_mark_distinct, person_merge
from readmit.screening.selectors import access_duplicate, visible_duplicates

router = Router(tags=["case records"])
attachments_router = Router(tags=["case records"])
duplicates_router = Router(tags=["screening"])

CASE_PATH = Path(
    ..., description="The case's UUID. A malformed id answers 404, like an unknown one."
)
DUPLICATE_PATH = Path(
    ..., description="The duplicate candidate's UUID; one you cannot see answers 404."
)
DOCUMENT_PATH = Path(
    ..., description="The identity document's UUID; one of another person answers 404."
)
ATTACHMENT_PATH = Path(
    ..., description="The file's UUID. A file of a case you cannot see answers 404."
)
KIND_FORM = Form(..., description="What the file is.")
FILE_FORM = File(..., description="The file itself.")
READ = {401: Problem, 403: Problem, 404: Problem}
ACCEPTED_TYPES = sorted({content_type for _, content_type in SIGNATURES})


def _gate(request: HttpRequest, case_id: str) -> tuple[User, Case]:
    user = caller(request)
    return user, access_case(user, case_id)


# The person --------------------------------------------------------------------------------


class OtherNameOut(Schema):
    kind: str = Field(
        description="alias, former, birth or script (the same name in another script)."
    )
    given_names: str
    family_name: str


class DocumentOut(Schema):
    id: uuid.UUID
    type: str
    number: str
    issuing_country: str
    issued_on: dt.date | None
    expires_on: dt.date | None
    is_copy: bool
    flagged_false: bool = Field(description="A document flagged false counts for nothing.")


class PersonDetailOut(Schema):
    case: uuid.UUID
    owner: str = Field(description="The slug of the organisation that recorded the person.")
    shared: dict[str, bool] = Field(
        description="Each category of personal data with whether you read it under the "
        "agreement's data-sharing terms; a category you do not read is null below."
    )
    given_names: str = Field(description="As written, in any script; never translated.")
    family_name: str
    given_names_latin: str
    family_name_latin: str
    other_names: list[OtherNameOut]
    birth_date: str | None = Field(description='Partial: "1990", "1990-04" or "1990-04-12".')
    place_of_birth: str
    sex: str
    nationalities: list[str]
    languages: list[str] | None
    documents: list[DocumentOut] | None
    convictions: list[dict[str, str | None]] | None
    pending_criminal_case: bool | None = Field(
        description="Null when unknown or not shared (see `shared.criminal_data`)."
    )
    vulnerabilities: list[str] | None
    anonymised_at: dt.datetime | None = Field(
        description="When the retention purge removed the personal data, if it did."
    )
    etag: str = Field(
        description="The person's ETag (also in the `ETag` header): send it as `If-Match` to "
        "`PATCH /cases/{id}/person`."
    )


@router.get(
    "/{id}/person",
    response={200: PersonDetailOut, **READ},
    operation_id="case_person",
    summary="The case's person: names in every script, other names, documents",
    description="What the case page shows: the owner reads everything it recorded; the other "
    "party reads documents, languages, vulnerabilities and criminal data only as the "
    "agreement's `data_sharing` terms allow (a category it does not read is null and "
    "`shared` says so). A read of another party's person is audited.",
)
def case_person(
    request: HttpRequest, response: HttpResponse, id: UuidStr = CASE_PATH
) -> PersonDetailOut:
    user, case = _gate(request, id)
    personal_data_read(user=user, cases=[case], channel="api")
    response["ETag"] = etag_of(case.person)
    return _person_out(user, case, case.person)


def _person_out(user: User, case: Case, person: Person) -> PersonDetailOut:
    sharing = case_sharing(user, case)
    documents = IdentityDocument.objects.filter(person=person).order_by("created_at", "id")
    return PersonDetailOut(
        case=case.id,
        owner=person.owner.slug,
        shared=sharing.shown,
        given_names=person.given_names,
        family_name=person.family_name,
        given_names_latin=person.given_names_latin,
        family_name_latin=person.family_name_latin,
        other_names=[
            OtherNameOut(kind=n.kind, given_names=n.given_names, family_name=n.family_name)
            for n in person.other_names.order_by("created_at", "id")
        ],
        birth_date=None if person.birth_year is None else person.birth_date_display,
        place_of_birth=person.place_of_birth,
        sex=person.sex,
        nationalities=sorted(c.code for c in person.nationalities.all()),
        languages=list(person.languages) if sharing.shows("languages") else None,
        documents=[
            DocumentOut(
                id=d.id,
                type=d.type,
                number=d.number,
                issuing_country=d.issuing_country_id,
                issued_on=d.issued_on,
                expires_on=d.expires_on,
                is_copy=d.is_copy,
                flagged_false=d.flagged_false,
            )
            for d in documents
        ]
        if sharing.shows("documents")
        else None,
        convictions=[
            {k: (None if v is None else str(v)) for k, v in c.items()}
            for c in person.convictions
            if isinstance(c, dict)
        ]
        if sharing.criminal
        else None,
        pending_criminal_case=person.pending_criminal_case if sharing.criminal else None,
        vulnerabilities=list(person.vulnerabilities) if sharing.shows("vulnerabilities") else None,
        anonymised_at=person.anonymised_at,
        etag=etag_of(person),
    )


class OtherNameIn(StrictIn):
    kind: Literal["alias", "former", "birth", "script"] = Field(
        description="alias, former, birth or script (the same name in another script)."
    )
    given_names: str = Field(default="", max_length=200)
    family_name: str = Field(min_length=1, max_length=200)


class PersonPatchIn(StrictIn):
    """Only the fields sent change; a list sent replaces the list."""

    given_names: str | None = Field(default=None, max_length=200, description="As written.")
    family_name: str | None = Field(
        default=None, max_length=200, description="As written; cannot be emptied."
    )
    given_names_latin: str | None = Field(
        default=None,
        max_length=200,
        description="In Latin letters; required when the name is written in another script.",
    )
    family_name_latin: str | None = Field(default=None, max_length=200)
    other_names: list[OtherNameIn] | None = Field(
        default=None, max_length=50, description="Replaces every other name."
    )
    birth_date: str | None = Field(
        default=None,
        max_length=10,
        description='Partial: "1990", "1990-04" or "1990-04-12"; null: not known.',
    )
    place_of_birth: str | None = Field(default=None, max_length=200)
    sex: Literal["F", "M", "X", "U"] | None = None
    nationalities: list[str] | None = Field(
        default=None, max_length=50, description="Country codes (alpha-2 or -3)."
    )
    languages: list[str] | None = Field(default=None, max_length=50)


class PersonDocumentIn(StrictIn):
    type: str = Field(max_length=30, description="passport, id_card, emergency_travel_document ...")
    number: str = Field(min_length=1, max_length=40, description="As written on it.")
    issuing_country: str = Field(max_length=3, description="Country code (alpha-2 or -3).")
    issued_on: dt.date | None = None
    expires_on: dt.date | None = None
    is_copy: bool = False


def _in_body(exc: ValidationFailed) -> ValidationFailed:
    exc.errors = [
        {"loc": ["body", "payload", *e.get("loc", ())], "msg": e.get("msg", "")} for e in exc.errors
    ]
    return exc


WRITE = {401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem}


@router.patch(
    "/{id}/person",
    response={200: PersonDetailOut, **WRITE, 412: Problem, 428: Problem},
    operation_id="case_person_update",
    summary="Change the case's person: names, other names, birth, sex, nationalities, languages",
    description="Only caseworkers and supervisors of the party that recorded the person "
    "(`403 wrong-party` for the other party, `wrong-role` for other roles; `404` for an "
    "organisation outside the agreement). Requires `If-Match` with the person's ETag (`GET "
    "/cases/{id}/person`): missing → 428, stale → 412, and nothing is written. Only the "
    "fields sent change. A closed case (`409 case-closed`) or a purged person (`409 "
    "anonymised`) is not changed. A change of names, other names, birth date or "
    "nationalities screens the case again in the background (`trigger: person_changed`) and "
    "runs the duplicate finder again for the person. "
    "Audited with the names of the fields changed. Answers the person with its new `ETag`.",
)
def case_person_update(
    request: HttpRequest,
    response: HttpResponse,
    payload: PersonPatchIn,
    id: UuidStr = CASE_PATH,
    if_match: str | None = IF_MATCH,
) -> PersonDetailOut:
    user, case = _gate(request, id)
    with transaction.atomic():
        person_edit_gate(user, case)
        locked = Person.objects.select_for_update().get(id=case.person_id)
        require_if_match(if_match, etag_of(locked), what="person")
        changes = payload.model_dump(exclude_unset=True)
        try:
            person = person_update(case=case, changes=changes, acting_user=user)
        except ValidationFailed as exc:
            raise _in_body(exc) from None
    response["ETag"] = etag_of(person)
    case.refresh_from_db()
    return _person_out(user, case, person)


@router.post(
    "/{id}/person/documents",
    response={201: DocumentOut, **WRITE},
    operation_id="case_person_document_add",
    summary="Add an identity document to the case's person",
    description="As `PATCH /cases/{id}/person`: the party that recorded the person, its "
    "caseworkers and supervisors. The number is encrypted at rest. Screens the case again "
    "in the background. Send an `Idempotency-Key` to repeat the request safely.",
)
def case_person_document_add(
    request: HttpRequest, payload: PersonDocumentIn, id: UuidStr = CASE_PATH
) -> Status[DocumentOut]:
    user, case = _gate(request, id)
    try:
        added = person_document_add(
            case=case, document=DocumentAdd(**payload.model_dump()), acting_user=user
        )
    except ValidationFailed as exc:
        raise _in_body(exc) from None
    return Status(
        201,
        DocumentOut(
            id=added.id,
            type=added.type,
            number=added.number,
            issuing_country=added.issuing_country_id,
            issued_on=added.issued_on,
            expires_on=added.expires_on,
            is_copy=added.is_copy,
            flagged_false=added.flagged_false,
        ),
    )


@router.delete(
    "/{id}/person/documents/{doc_id}",
    response={204: None, **WRITE},
    operation_id="case_person_document_remove",
    summary="Remove an identity document of the case's person (one recorded in error)",
    description="As `PATCH /cases/{id}/person`: the party that recorded the person. A "
    "document of another person answers 404; one that is evidence of nationality is kept "
    "(`409 document-in-use`: flag it false instead). Screens the case again.",
)
def case_person_document_remove(
    request: HttpRequest, id: UuidStr = CASE_PATH, doc_id: UuidStr = DOCUMENT_PATH
) -> Status[None]:
    user, case = _gate(request, id)
    person_document_remove(case=case, document_id=doc_id, acting_user=user)
    return Status(204, None)


# Evidence ----------------------------------------------------------------------------------


def case_evidence(request: HttpRequest, id: UuidStr = CASE_PATH) -> EvidenceOut:
    user, case = _gate(request, id)
    loaded = (
        Case.objects.select_related("agreement", "person")
        .prefetch_related("evidence_items")
        .get(id=case.id)
    )
    personal_data_read(user=user, cases=[loaded], channel="api")
    weighed = _evidence_out(user, loaded)
    if weighed is None:
        return EvidenceOut(effect="none", explanation="No evidence of nationality.", items=[])
    return weighed


def add_evidence_list(evidence_router: Router) -> None:
    """Register ``GET /cases/{id}/evidence`` on the router that holds ``POST`` of the same
    path (Ninja serves one path from one router)."""
    evidence_router.get(
        "/{id}/evidence",
        response={200: EvidenceOut, **READ},
        operation_id="case_evidence",
        summary="The evidence of nationality of a readmission case, weighed",
        description="Each item with its class under the agreement's annexes; document "
        "references are empty when the agreement does not share `documents`. A case that is "
        "not a readmission (or has no evidence) answers no items with effect `none`. Add "
        "evidence with `POST /cases/{id}/evidence`.",
    )(case_evidence)


# Files -------------------------------------------------------------------------------------


class AttachmentOut(Schema):
    id: uuid.UUID
    case: uuid.UUID
    kind: str
    filename: str
    content_type: str = Field(description="As read from the file's content, not its name.")
    size: int
    sha256: str
    uploaded_by: str = Field(description="The username of who added it.")
    organisation: str = Field(description="The slug of the organisation that added it.")
    created_at: dt.datetime
    download: str = Field(description="Where to download it: GET /api/v1/attachments/{id}.")


def attachment_out(attachment: Attachment) -> AttachmentOut:
    return AttachmentOut(
        id=attachment.id,
        case=attachment.case_id,
        kind=attachment.kind,
        filename=attachment.filename,
        content_type=attachment.content_type,
        size=attachment.size,
        sha256=attachment.sha256,
        uploaded_by=attachment.uploaded_by.username,
        organisation=attachment.organisation.slug,
        created_at=attachment.created_at,
        download=f"/api/v1/attachments/{attachment.id}",
    )


@router.get(
    "/{id}/attachments",
    response={200: list[AttachmentOut], **READ},
    operation_id="case_attachments",
    summary="The files attached to a case, oldest first",
)
def case_attachments(request: HttpRequest, id: UuidStr = CASE_PATH) -> list[AttachmentOut]:
    user, case = _gate(request, id)
    files = (
        Attachment.objects.filter(case=case)
        .select_related("uploaded_by", "organisation")
        .order_by("created_at", "id")
    )
    personal_data_read(user=user, cases=[case], channel="api")
    return [attachment_out(a) for a in files]


@router.post(
    "/{id}/attachments",
    response={201: AttachmentOut, 401: Problem, 403: Problem, 404: Problem, 422: Problem},
    operation_id="case_attachment_create",
    summary="Attach a file (multipart/form-data: `kind` and `file`)",
    description=f"Only caseworkers, supervisors and liaison officers of a party. `kind`: one "
    f"of {', '.join(AttachmentKind.values)}. `file`: at most {MAX_BYTES // (1024 * 1024)} MB, "
    f"a PDF, PNG, JPEG or TIFF file ({', '.join(ACCEPTED_TYPES)}) as its content shows, "
    "whatever its name says; anything else answers 422 naming `file` and the limit, and "
    "stores nothing.",
)
def case_attachment_create(
    request: HttpRequest,
    id: UuidStr = CASE_PATH,
    kind: str = KIND_FORM,
    file: UploadedFile = FILE_FORM,
) -> Status[AttachmentOut]:
    user = caller(request)
    try:
        attachment = attachment_add(
            case_id=id, kind=kind, file=file, filename=file.name or "", acting_user=user
        )
    except ValidationFailed as exc:
        exc.errors = [
            {"loc": ["body", *e.get("loc", ())], "msg": e.get("msg", "")} for e in exc.errors
        ]
        raise
    loaded = Attachment.objects.select_related("uploaded_by", "organisation").get(id=attachment.id)
    return Status(201, attachment_out(loaded))


@attachments_router.get(
    "/{id}",
    response={200: None, **READ},
    openapi_extra={
        "responses": {
            "200": {
                "description": "The file, with the content type read from its content.",
                "content": {
                    t: {"schema": {"type": "string", "format": "binary"}} for t in ACCEPTED_TYPES
                },
            }
        }
    },
    operation_id="attachment_download",
    summary="Download a file, through the gate of its case",
    description="Answers the file as stored, with the content type read from its content. A "
    "download of a file another organisation added is audited.",
)
def attachment_download(request: HttpRequest, id: UuidStr = ATTACHMENT_PATH) -> FileResponse:
    user = caller(request)
    attachment = access_attachment_by_id(user, id)
    attachment_read(user=user, attachment=attachment)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# Deadlines ---------------------------------------------------------------------------------


class DeadlineDetailOut(Schema):
    id: uuid.UUID
    kind: str
    label: str
    due_on: dt.date
    status: str = Field(description="open, met, late (met after the due date) or lapsed.")
    met_at: dt.datetime | None
    lapsed_at: dt.datetime | None
    cancelled_at: dt.datetime | None = Field(
        description="A deadline the workflow cancelled (the step it waited for is moot)."
    )
    explanation: str


@router.get(
    "/{id}/deadlines",
    response={200: list[DeadlineDetailOut], **READ},
    operation_id="case_deadlines",
    summary="Every deadline of the case, cancelled ones included, by due date",
)
def case_deadlines(request: HttpRequest, id: UuidStr = CASE_PATH) -> list[DeadlineDetailOut]:
    _, case = _gate(request, id)
    return [
        DeadlineDetailOut(
            id=d.id,
            kind=d.kind,
            label=d.label,
            due_on=d.due_on,
            status=d.status,
            met_at=d.met_at,
            lapsed_at=d.lapsed_at,
            cancelled_at=d.cancelled_at,
            explanation=d.explanation,
        )
        for d in case.deadlines.order_by("due_on", "created_at")
    ]


# Stays -------------------------------------------------------------------------------------


class StayDetailOut(Schema):
    id: uuid.UUID
    site: str
    site_id: uuid.UUID
    arrived_at: dt.datetime
    max_end: dt.date | None = Field(description="The longest the stay may last, if limited.")
    return_plan: str = Field(description="Set with PUT /cases/{id}/return-plan.")
    return_plan_recorded_at: dt.datetime | None
    ended_at: dt.datetime | None
    outcome: str = Field(description="How the stay ended; empty while it is open.")
    etag: str = Field(description="Send it as If-Match to PUT /cases/{id}/return-plan.")


@router.get(
    "/{id}/stays",
    response={200: list[StayDetailOut], **READ},
    operation_id="case_stays",
    summary="The case's stays at reception sites, with their return plans, newest first",
)
def case_stays(request: HttpRequest, id: UuidStr = CASE_PATH) -> list[StayDetailOut]:
    user, case = _gate(request, id)
    stays = ReceptionStay.objects.filter(case=case).select_related("site").order_by("-arrived_at")
    personal_data_read(user=user, cases=[case], channel="api")
    return [
        StayDetailOut(
            id=s.id,
            site=s.site.name,
            site_id=s.site_id,
            arrived_at=s.arrived_at,
            max_end=s.max_end,
            return_plan=s.return_plan,
            return_plan_recorded_at=s.return_plan_recorded_at,
            ended_at=s.ended_at,
            outcome=s.outcome,
            etag=etag_of(s),
        )
        for s in stays
    ]


# Transfer plans ----------------------------------------------------------------------------


class TransferPlanOut(Schema):
    id: uuid.UUID
    planned_for: dt.datetime
    urgent: bool
    route: str
    flight: str
    crossing_point: str
    escort: str
    medical_needs: str | None = Field(
        description="Null when the agreement does not share vulnerabilities with you."
    )
    notice_language: str
    notice_given_at: dt.datetime
    created_at: dt.datetime


@router.get(
    "/{id}/transfer-plans",
    response={200: list[TransferPlanOut], **READ},
    operation_id="case_transfer_plans",
    summary="The case's transfer plans (set by `schedule_transfer`), newest first",
)
def case_transfer_plans(request: HttpRequest, id: UuidStr = CASE_PATH) -> list[TransferPlanOut]:
    user, case = _gate(request, id)
    medical = case_sharing(user, case).shows("vulnerabilities")
    plans = TransferPlan.objects.filter(case=case).order_by("-created_at", "-id")
    personal_data_read(user=user, cases=[case], channel="api")
    return [
        TransferPlanOut(
            id=p.id,
            planned_for=p.planned_for,
            urgent=p.urgent,
            route=p.route,
            flight=p.flight,
            crossing_point=p.crossing_point,
            escort=p.escort,
            medical_needs=p.medical_needs if medical else None,
            notice_language=p.notice_language,
            notice_given_at=p.notice_given_at,
            created_at=p.created_at,
        )
        for p in plans
    ]


# Duplicates --------------------------------------------------------------------------------


class DuplicateCandidateOut(Schema):
    id: uuid.UUID
    kind: str = Field(description="certain (same document) or possible (similar name).")
    score: float
    evidence: str
    status: str = Field(description="open, or the reviewer's decision.")
    other_cases: list[uuid.UUID] = Field(
        description="The cases of the other person that you can see."
    )


@router.get(
    "/{id}/duplicates",
    response={200: list[DuplicateCandidateOut], **READ},
    operation_id="case_duplicates",
    summary="Known people the case's person may be, from the duplicate finder",
    description="The candidates the screening duplicate finder stored for the person, where "
    "you may see both people (as on the duplicates page); a reviewer decides, nothing is "
    "merged here.",
)
def case_duplicates(request: HttpRequest, id: UuidStr = CASE_PATH) -> list[DuplicateCandidateOut]:
    user, case = _gate(request, id)
    person = case.person_id
    candidates = list(
        visible_duplicates(user)
        .filter(Q(person_a_id=person) | Q(person_b_id=person))
        .order_by("-score", "id")
    )
    others = {c.person_b_id if c.person_a_id == person else c.person_a_id for c in candidates}
    cases_of: dict[uuid.UUID, list[uuid.UUID]] = {}
    for case_id, person_id in (
        visible_cases(user)
        .filter(person_id__in=others)
        .order_by("created_at")
        .values_list("id", "person_id")
    ):
        cases_of.setdefault(person_id, []).append(case_id)
    personal_data_read(user=user, cases=[case], channel="api")
    return [
        DuplicateCandidateOut(
            id=c.id,
            kind=c.kind,
            score=c.score,
            evidence=c.evidence,
            status=c.status,
            other_cases=cases_of.get(
                c.person_b_id if c.person_a_id == person else c.person_a_id, []
            ),
        )
        for c in candidates
    ]


class DuplicateDecisionIn(StrictIn):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["merge", "distinct"] = Field(
        description="merge: one person (both records and their cases are kept); distinct: "
        "two people, not proposed again."
    )
    reason: str = Field(min_length=1, max_length=2000, description="Why; required.")


class DuplicateDecisionOut(Schema):
    id: uuid.UUID
    kind: str
    score: float
    status: str = Field(description="merged or distinct.")
    decided_at: dt.datetime | None
    reason: str


@duplicates_router.post(
    "/{id}/decision",
    response={
        200: DuplicateDecisionOut,
        401: Problem,
        403: Problem,
        404: Problem,
        409: Problem,
        422: Problem,
    },
    operation_id="duplicate_decide",
    summary="Decide a duplicate candidate: merge the two records or mark them distinct",
    description="As on the duplicates page: caseworkers and supervisors of the organisation "
    "that recorded both people merge (records of two organisations are never merged: 409 "
    "`cross-organisation-merge`); of either organisation mark them distinct. A candidate "
    "already decided answers 409 `already-decided`. Audited.",
)
def duplicate_decide(
    request: HttpRequest, payload: DuplicateDecisionIn, id: UuidStr = DUPLICATE_PATH
) -> DuplicateDecisionOut:
    user = caller(request)
    candidate = access_duplicate(user, id)
    try:
        if payload.decision == "merge":
            person_merge(candidate=candidate, acting_user=user, reason=payload.reason)
        else:
            duplicate_mark_distinct(candidate=candidate, acting_user=user, reason=payload.reason)
    except ValidationFailed as exc:
        exc.errors = [
            {"loc": ["body", "payload", *e.get("loc", ())], "msg": e.get("msg", "")}
            for e in exc.errors
        ]
        raise
    decided = access_duplicate(user, id)
    return DuplicateDecisionOut(
        id=decided.id,
        kind=decided.kind,
        score=decided.score,
        status=decided.status,
        decided_at=decided.decided_at,
        reason=decided.reason,
    )
