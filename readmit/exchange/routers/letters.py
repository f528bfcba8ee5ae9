"""Letters to the person (issue #14 item 4). Thin over ``readmit.documents.letters``.

``POST /cases/{id}/letters`` writes one letter in one language as a PDF, stores it as an
attachment of kind ``letter`` and answers it as the attachment list does; the PDF is
downloaded through ``GET /attachments/{id}``, the attachment gate.
"""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router
from ninja.params.functions import Path
from ninja.responses import Status

from readmit.cases.models import Attachment
from readmit.core.errors import ValidationFailed
from readmit.documents.letters import letter_create
from readmit.exchange.auth import caller
from readmit.exchange.routers.records import AttachmentOut, attachment_out
from readmit.exchange.schemas import Problem, StrictIn, UuidStr

router = Router(tags=["documents"])

CASE_PATH = Path(
    ..., description="The case's UUID. A malformed id answers 404, like an unknown one."
)

LetterKindName = Literal[
    "selected",
    "declined",
    "readmission_accepted",
    "readmission_rejected",
    "transfer_notice",
    "reception_stay",
]
LetterLanguage = Literal["en", "es", "ht", "fr", "ar", "bn", "cnr"]


class LetterIn(StrictIn):
    kind: LetterKindName = Field(
        description="The letter: a decision (selected, declined, readmission_accepted, "
        "readmission_rejected), the transfer notice or the reception-stay notice."
    )
    language: LetterLanguage = Field(
        description="The person's language: en English, es Spanish, ht Haitian Creole, "
        "fr French, ar Arabic, bn Bengali, cnr Montenegrin."
    )


@router.post(
    "/{id}/letters",
    response={
        201: AttachmentOut,
        401: Problem,
        403: Problem,
        404: Problem,
        409: Problem,
        422: Problem,
        503: Problem,
    },
    operation_id="case_letter_create",
    summary="Write a letter to the person, in their language (PDF attached to the case)",
    description="Caseworkers, supervisors and liaison officers of a party (`403 wrong-role` "
    "for others, `404` for a non-party). A letter not due in the case's state answers `409` "
    "with rule `letter-not-due` (e.g. a declined letter for a case that was not declined). "
    "The PDF carries the person's name exactly as written; it is stored as an attachment of "
    "kind `letter` (download: `GET /api/v1/attachments/{id}`) and audited. `503 "
    "pdf-font-missing` if the fonts are not installed. Send an `Idempotency-Key` to repeat "
    "the request safely.",
)
def case_letter_create(
    request: HttpRequest, payload: LetterIn, id: UuidStr = CASE_PATH
) -> Status[AttachmentOut]:
    try:
        attachment = letter_create(
            case_id=id, kind=payload.kind, language=payload.language, acting_user=caller(request)
        )
    except ValidationFailed as exc:
        exc.errors = [
            {"loc": ["body", *e.get("loc", ())], "msg": e.get("msg", "")} for e in exc.errors
        ]
        raise
    loaded = Attachment.objects.select_related("uploaded_by", "organisation").get(id=attachment.id)
    return Status(201, attachment_out(loaded))
