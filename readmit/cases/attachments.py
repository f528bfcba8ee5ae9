"""Attachments: evidence of nationality, travel documents, notices, court decisions.

A file is checked before anything is written (kind, size, and what its first bytes say it
is, never what its name or the browser claims), stored under an opaque name, and served only
through the case gate.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import IO

from django.db import transaction
from django.db.models import QuerySet
from django.utils.functional import Promise

from readmit.accounts.access import access_case, standing
from readmit.accounts.models import User
from readmit.audit.events import AuditEventType
from readmit.audit.services import audit_record
from readmit.cases.access import can_write_case_files
from readmit.cases.models import Attachment, AttachmentKind, Case
from readmit.core.errors import N_, Forbidden, NotFound, ValidationFailed, field_error

MAX_BYTES = 10 * 1024 * 1024
# Magic numbers of the formats ministries exchange: scans and PDFs.
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)


# The person's photo is an attachment with its own rules and gate (``cases.photos``): it is
# neither added nor listed nor downloaded as a general file.
# Letters to the person are generated (``readmit.documents.letters``), never uploaded; they
# are listed and downloaded as any file.
FILE_KINDS: tuple[tuple[str, str | Promise], ...] = tuple(
    (value, label)
    for value, label in AttachmentKind.choices
    if value not in {AttachmentKind.PHOTO, AttachmentKind.LETTER}
)


def case_files(case: Case) -> QuerySet[Attachment]:
    """The case's general files (not the person's photo), oldest first."""
    return case.attachments.exclude(kind=AttachmentKind.PHOTO).order_by("created_at")


def sniff(head: bytes) -> str | None:
    for magic, content_type in SIGNATURES:
        if head.startswith(magic):
            return content_type
    return None


def _invalid(
    field: str, detail: str, message: str, params: dict[str, object] | None = None
) -> ValidationFailed:
    """A refusal naming one field: ``detail`` is the whole sentence (``field: message``),
    ``message`` the field's own part; both marked ids with the same ``params``."""
    return ValidationFailed(
        detail,
        params=params,
        errors=[field_error([field], message, **(params or {}))],
    )


def attachment_add(
    *, case_id: uuid.UUID | str, kind: str, file: IO[bytes], filename: str, acting_user: User
) -> Attachment:
    case = access_case(acting_user, case_id)
    if not can_write_case_files(acting_user, case):
        raise Forbidden(
            N_(
                "Only caseworkers, supervisors and liaison officers of a party may "
                "add files to a case."
            ),
            type="wrong-role",
        )
    position = standing(acting_user, case.agreement)
    assert position.organisation_id is not None  # a party: can_write_case_files said so
    if kind == AttachmentKind.PHOTO:
        raise _invalid(
            "kind",
            N_(
                "kind: the person's photo is sent with the application or with 'Send the "
                "photo' on the case page, not as a file"
            ),
            N_(
                "the person's photo is sent with the application or with 'Send the photo' on "
                "the case page, not as a file"
            ),
        )
    if kind == AttachmentKind.LETTER:
        raise _invalid(
            "kind",
            N_(
                "kind: letters to the person are written by Readmit ('Write a letter' on the "
                "case page, or POST /cases/{id}/letters), not uploaded"
            ),
            N_(
                "letters to the person are written by Readmit ('Write a letter' on the case "
                "page, or POST /cases/{id}/letters), not uploaded"
            ),
        )
    if kind not in AttachmentKind.values:
        raise _invalid(
            "kind",
            N_("kind: must be one of %(kinds)s"),
            N_("must be one of %(kinds)s"),
            {"kinds": ", ".join(v for v, _ in FILE_KINDS)},
        )
    data = file.read(MAX_BYTES + 1)
    if not data:
        raise _invalid("file", N_("file: is empty"), N_("is empty"))
    if len(data) > MAX_BYTES:
        raise _invalid(
            "file",
            N_("file: is larger than %(megabytes)s MB"),
            N_("is larger than %(megabytes)s MB"),
            {"megabytes": MAX_BYTES // (1024 * 1024)},
        )
    content_type = sniff(data[:16])
    if content_type is None:
        raise _invalid(
            "file",
            N_("file: is not a PDF, PNG, JPEG or TIFF file"),
            N_("is not a PDF, PNG, JPEG or TIFF file"),
        )
    safe_name = (filename.replace("\\", "/").rsplit("/", 1)[-1] or "attachment")[:200]

    return attachment_store(
        case=case,
        kind=kind,
        filename=safe_name,
        content_type=content_type,
        data=data,
        acting_user=acting_user,
        organisation_id=position.organisation_id,
        event_type=AuditEventType.ATTACHMENT_ADDED,
        audit_data={"kind": kind, "filename": safe_name},
    )


def attachment_store(
    *,
    case: Case,
    kind: str,
    filename: str,
    content_type: str,
    data: bytes,
    acting_user: User,
    organisation_id: uuid.UUID,
    event_type: AuditEventType,
    audit_data: dict[str, object],
) -> Attachment:
    """Store ``data`` as an attachment of ``case`` and audit it (``audit_data`` plus its
    SHA-256 and size) in one transaction; the file goes again if anything fails. The one
    home for uploaded files, the person's photo and the letters Readmit writes: the caller
    has checked the gate, the role and the content."""
    from django.core.files.base import ContentFile

    digest = hashlib.sha256(data).hexdigest()
    attachment = Attachment(
        case=case,
        kind=kind,
        filename=filename,
        content_type=content_type,
        size=len(data),
        sha256=digest,
        uploaded_by=acting_user,
        organisation_id=organisation_id,
    )
    try:
        with transaction.atomic():
            attachment.file.save(str(attachment.id), ContentFile(data), save=False)
            attachment.save()
            audit_record(
                event_type=event_type,
                acting_user=acting_user,
                organisation_id=organisation_id,
                agreement_id=case.agreement_id,
                case_id=case.id,
                object_type="attachment",
                object_id=str(attachment.id),
                data={**audit_data, "sha256": digest, "size": len(data)},
            )
    except BaseException:
        if attachment.file.name:
            attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


def access_attachment(
    user: User, case_id: uuid.UUID | str, attachment_id: uuid.UUID | str
) -> Attachment:
    """An attachment of a case the user can see; anything else (the person's photo too, which
    has its own gate) is the same NotFound."""
    case = access_case(user, case_id)
    try:
        return case_files(case).get(id=uuid.UUID(str(attachment_id)))
    except (ValueError, Attachment.DoesNotExist):
        raise NotFound(N_("No such attachment.")) from None


def access_attachment_by_id(user: User, attachment_id: uuid.UUID | str) -> Attachment:
    """An attachment by its own id, through the gate of its case: an attachment of a case the
    user cannot see answers the same NotFound as one that does not exist."""
    try:
        pk = uuid.UUID(str(attachment_id))
    except ValueError:
        raise NotFound(N_("No such attachment.")) from None
    case_id = Attachment.objects.filter(id=pk).values_list("case_id", flat=True).first()
    if case_id is None:
        raise NotFound(N_("No such attachment."))
    try:
        return access_attachment(user, case_id, pk)
    except NotFound:
        raise NotFound(N_("No such attachment.")) from None
