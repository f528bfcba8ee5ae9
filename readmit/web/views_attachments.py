"""Adding and downloading a case's files, through the case gate."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from readmit.accounts.models import User
from readmit.audit.reads import attachment_read
from readmit.cases.attachments import access_attachment, attachment_add
from readmit.core.errors import N_, ValidationFailed
from readmit.web.errors import application_errors, message_of


@require_POST
@login_required
@application_errors
def attachment_upload(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    upload = request.FILES.get("file")
    if upload is None:
        raise ValidationFailed(
            N_("Choose a file to attach."), errors=[{"loc": ["file"], "msg": N_("is required")}]
        )
    try:
        attachment_add(
            case_id=case_id,
            kind=request.POST.get("kind", ""),
            file=upload,
            filename=upload.name or "",
            acting_user=user,
        )
    except ValidationFailed as exc:
        messages.error(
            request, _("The file was not attached: %(message)s") % {"message": message_of(exc)}
        )
    else:
        messages.success(request, _("Attached %(name)s.") % {"name": upload.name})
    return redirect("web:case", case_id=case_id)


@require_GET
@login_required
@application_errors
def attachment_download(
    request: HttpRequest, case_id: uuid.UUID, attachment_id: uuid.UUID
) -> HttpResponseBase:
    user: User = request.user  # type: ignore[assignment]
    attachment = access_attachment(user, case_id, attachment_id)
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
