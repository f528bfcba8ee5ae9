"""The audit log page: auditors read their agreements' events as readable lines, filter
them (event, user, case, days), export them, and check the chain."""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from readmit.accounts.models import User
from readmit.audit.selectors import (
    audit_checkpoints_for_auditor,
    audit_events_for_auditor,
    audit_lines_for,
    audit_log_query,
)
from readmit.audit.services import audit_verify
from readmit.core import clock
from readmit.core.errors import ValidationFailed
from readmit.reporting.audit_log import AUDIT_COLUMNS, audit_log_export_rows
from readmit.reporting.exports import csv_lines, rows_xlsx
from readmit.web.errors import application_errors
from readmit.web.forms_admin import AuditFilterForm

EVENTS_PER_PAGE = 100
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_GET
@login_required
@application_errors
def audit_log(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    audit_events_for_auditor(user)  # the gate: only auditors read the log
    form = AuditFilterForm(_filter_data(request))
    try:
        events = audit_log_query(user, **form.filters())
    except ValidationFailed:
        events = audit_events_for_auditor(user).none()
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    context: dict[str, object] = {
        "page": page,
        "lines": audit_lines_for(user, page),
        "form": form,
        "query": _query(request),
    }
    if request.GET.get("verify") == "1":
        # The chain spans every organisation: say whether it holds, not where or how long.
        _checked, broken = audit_verify()
        context["chain_intact"] = broken is None
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "web/audit_log.html", context, status=status)


_FILTER_FIELDS = ("event", "actor", "case", "date_from", "date_to")


def _filter_data(request: HttpRequest) -> dict[str, str] | None:
    data = {k: request.GET[k] for k in _FILTER_FIELDS if request.GET.get(k)}
    return data or None


def _query(request: HttpRequest) -> str:
    """The filters as a query string, for the pages and the exports."""
    data = request.GET.copy()
    for key in list(data):
        if key not in _FILTER_FIELDS:
            del data[key]
    return data.urlencode()


def _export_rows(request: HttpRequest, fmt: str) -> list[list[str]]:
    user: User = request.user  # type: ignore[assignment]
    form = AuditFilterForm(_filter_data(request))
    return audit_log_export_rows(user=user, filters=form.filters(), fmt=fmt)


def _attachment(response: HttpResponse | StreamingHttpResponse, extension: str, rows: int) -> None:
    stamp = clock.now().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="readmit-audit-{stamp}.{extension}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Readmit-Rows"] = str(rows)


@require_GET
@login_required
@application_errors
def audit_log_csv(request: HttpRequest) -> StreamingHttpResponse:
    rows = _export_rows(request, "csv")

    def body() -> Iterator[str]:
        yield "\ufeff"  # so spreadsheets read the names' scripts as UTF-8
        yield from csv_lines(rows, AUDIT_COLUMNS)

    response = StreamingHttpResponse(body(), content_type="text/csv; charset=utf-8")
    _attachment(response, "csv", len(rows))
    return response


@require_GET
@login_required
@application_errors
def audit_log_xlsx(request: HttpRequest) -> HttpResponse:
    rows = _export_rows(request, "xlsx")
    response = HttpResponse(
        rows_xlsx(rows, columns=AUDIT_COLUMNS, sheet="audit log"), content_type=XLSX_TYPE
    )
    _attachment(response, "xlsx", len(rows))
    return response


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
