"""The audit log page: auditors read their agreements' events and check the chain."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from readmit.accounts.models import User
from readmit.audit.selectors import (
    audit_checkpoints_for_auditor,
    audit_events_for_auditor,
    audit_rows_for,
)
from readmit.audit.services import audit_verify
from readmit.web.errors import application_errors

EVENTS_PER_PAGE = 100


@require_GET
@login_required
@application_errors
def audit_log(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    events = audit_events_for_auditor(user)
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    rows = audit_rows_for(user, page)
    context: dict[str, object] = {"page": page, "rows": rows}
    if request.GET.get("verify") == "1":
        # The chain spans every organisation: say whether it holds, not where or how long.
        _checked, broken = audit_verify()
        context["chain_intact"] = broken is None
    return render(request, "web/audit_log.html", context)


@require_GET
@login_required
@application_errors
def audit_checkpoints_download(request: HttpRequest) -> HttpResponse:
    """The signed checkpoints as a file to keep outside Readmit (``readmit audit verify
    --checkpoints FILE`` checks the log against it)."""
    user: User = request.user  # type: ignore[assignment]
    response = JsonResponse(audit_checkpoints_for_auditor(user), json_dumps_params={"indent": 2})
    response["Content-Disposition"] = 'attachment; filename="readmit-audit-checkpoints.json"'
    return response
