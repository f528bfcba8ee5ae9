"""The person's photo on a readmission application (a particular of the application).

- The requesting party sends it with the application (the web form's file, the API's base64
  ``photo``) or later (``photo_add``: the case page's upload, ``POST /api/v1/cases/{id}/
  photo``); an application may say it is ``"to follow"``, and batches cannot carry one.
  Until a photo is on the case it is listed as an outstanding particular
  (``outstanding_particulars``), never silently absent.
- It is checked before anything is written (JPEG or PNG by its first bytes, at most 1 MB:
  ``readmit.cases.applications.photo_content_type``), stored as an ``Attachment`` of kind
  ``photo`` under an opaque name, and audited (``PHOTO_ADDED``) in the same transaction.
- It is served only through the case gate (``photo_for``): a non-party gets 404; the
  parties' caseworkers, supervisors and liaison officers read it (other roles 403), the
  other party only where the agreement's ``data_sharing`` shares the category ``photo``
  (403 ``not-shared``). A read by the other party is audited as a personal-data read.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction

from readmit.accounts.access import access_case, standing
from readmit.accounts.models import User
from readmit.accounts.roles import CASE_WRITERS
from readmit.agreements.models import AgreementKind
from readmit.audit.events import AuditEventType
from readmit.cases.applications import PHOTO_MAX_BYTES, photo_content_type
from readmit.cases.attachments import attachment_store
from readmit.cases.models import Attachment, AttachmentKind, Case
from readmit.cases.selectors import case_sharing
from readmit.cases.workflow import WORKERS, Side
from readmit.core.errors import (
    N_,
    Forbidden,
    NotFound,
    TransitionRefused,
    ValidationFailed,
    field_error,
)

__all__ = ["latest_photo", "outstanding_particulars", "photo_add", "photo_for", "photo_store"]


def latest_photo(case: Case) -> Attachment | None:
    return case.attachments.filter(kind=AttachmentKind.PHOTO).order_by("-created_at").first()


def outstanding_particulars(case: Case) -> list[str]:
    """The particulars a readmission application still owes: the photo until it is sent."""
    if case.kind != AgreementKind.READMISSION:
        return []
    return [] if latest_photo(case) is not None else ["photo"]


def _invalid(detail: str, message: str, **params: Any) -> ValidationFailed:
    """A refusal of the photo: ``detail`` the whole sentence (``photo ...``), ``message`` the
    field's own part; both marked ids filled with ``params``."""
    return ValidationFailed(
        detail,
        params=params,
        errors=[field_error(["photo"], message, **params)],
    )


def _content_type(data: bytes) -> str:
    """The photo's type (``photo_content_type``), each refusal a whole marked sentence."""
    if not data:
        raise _invalid(N_("photo is empty"), N_("is empty"))
    if len(data) > PHOTO_MAX_BYTES:
        raise _invalid(
            N_("photo is %(size)s bytes: a photo is at most 1 MB (%(most)s bytes)"),
            N_("is %(size)s bytes: a photo is at most 1 MB (%(most)s bytes)"),
            size=f"{len(data):,}",
            most=f"{PHOTO_MAX_BYTES:,}",
        )
    try:
        return photo_content_type(data)
    except ValueError:
        raise _invalid(
            N_("photo is not a JPEG or PNG image (its content says so, whatever its name)"),
            N_("is not a JPEG or PNG image (its content says so, whatever its name)"),
        ) from None


def photo_store(
    *, case: Case, data: bytes, organisation_id: uuid.UUID, acting_user: User, filename: str = ""
) -> Attachment:
    """Store a photo on ``case`` and audit it, inside the caller's transaction; the caller
    checked the gate. A photo that is not a JPEG or PNG of at most 1 MB is refused."""
    content_type = _content_type(data)
    extension = "jpg" if content_type == "image/jpeg" else "png"
    return attachment_store(
        case=case,
        kind=AttachmentKind.PHOTO,
        filename=(filename.replace("\\", "/").rsplit("/", 1)[-1] or f"photo.{extension}")[:200],
        content_type=content_type,
        data=data,
        acting_user=acting_user,
        organisation_id=organisation_id,
        event_type=AuditEventType.PHOTO_ADDED,
        # No image, no name: the audit log outlives the retention purge.
        audit_data={"content_type": content_type},
    )


def photo_add(
    *, case_id: uuid.UUID | str, data: bytes, acting_user: User, filename: str = ""
) -> Attachment:
    """The requesting party's caseworkers and supervisors add (or replace) the person's photo
    on a readmission case that is not closed; the latest photo is the one shown."""
    with transaction.atomic():
        case = access_case(acting_user, case_id, for_update=True)
        if case.kind != AgreementKind.READMISSION:
            raise TransitionRefused(
                N_("A photo is a particular of a readmission application."), rule="agreement-kind"
            )
        position = standing(acting_user, case.agreement)
        if position.side != Side.SENDING:
            raise Forbidden(
                N_("Only the requesting (sending) party sends the person's photo."),
                type="wrong-party",
            )
        if not position.roles & WORKERS or position.organisation_id is None:
            raise Forbidden(
                N_("Sending the photo needs the role caseworker or supervisor."), type="wrong-role"
            )
        if case.closed_at is not None:
            raise TransitionRefused(
                N_("The case is closed: no photo can be added."), rule="workflow"
            )
        return photo_store(
            case=case,
            data=data,
            organisation_id=position.organisation_id,
            acting_user=acting_user,
            filename=filename,
        )


def photo_for(user: User, case_id: uuid.UUID | str) -> Attachment:
    """The case's photo for ``user``, as the gate and the data-sharing policy allow."""
    from readmit.audit.reads import attachment_read

    case = access_case(user, case_id)
    position = standing(user, case.agreement)
    if not position.roles & CASE_WRITERS:
        raise Forbidden(
            N_("The photo is read by the parties' caseworkers, supervisors and liaison officers."),
            type="wrong-role",
        )
    if not case_sharing(user, case).shows("photo"):
        raise Forbidden(
            N_("The agreement does not share the person's photo with your party."),
            type="not-shared",
        )
    photo = latest_photo(case)
    if photo is None:
        raise NotFound(N_("The case has no photo yet: it is an outstanding particular."))
    attachment_read(user=user, attachment=photo)
    return photo
