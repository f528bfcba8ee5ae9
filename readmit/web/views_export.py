"""The case list as CSV, XLSX or PDF, with the same filters and visibility as the page."""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.views.decorators.http import require_GET

from readmit.accounts.access import visible_agreements
from readmit.accounts.models import User
from readmit.core import clock
from readmit.documents import printouts
from readmit.reporting.exports import COLUMNS, cases_export, cases_export_rows, rows_xlsx
from readmit.web.errors import application_errors
from readmit.web.forms import CaseFilterForm

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_GET
@login_required
@application_errors
def cases_csv(request: HttpRequest) -> StreamingHttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = CaseFilterForm(request.GET or None, agreements=visible_agreements(user))
    count, lines = cases_export(user=user, filters=form.filters())

    def body() -> Iterator[str]:
        yield "\ufeff"  # so spreadsheets read the names' scripts as UTF-8
        yield from lines

    response = StreamingHttpResponse(body(), content_type="text/csv; charset=utf-8")
    stamp = clock.now().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="readmit-cases-{stamp}.csv"'
    response["Cache-Control"] = "private, no-store"
    response["X-Readmit-Rows"] = str(count)
    return response


def _filters(request: HttpRequest, user: User) -> dict[str, object]:
    return CaseFilterForm(request.GET or None, agreements=visible_agreements(user)).filters()


def _download(body: bytes, content_type: str, extension: str, rows: int) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    stamp = clock.now().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="readmit-cases-{stamp}.{extension}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Readmit-Rows"] = str(rows)
    return response


@require_GET
@login_required
@application_errors
def cases_xlsx(request: HttpRequest) -> HttpResponse:
    """The case list as an XLSX workbook: the same filters, rows and audit as the CSV."""
    user: User = request.user  # type: ignore[assignment]
    rows = cases_export_rows(user=user, filters=_filters(request, user), fmt="xlsx")
    return _download(rows_xlsx(rows), XLSX_TYPE, "xlsx", len(rows))


@require_GET
@login_required
@application_errors
def cases_pdf(request: HttpRequest) -> HttpResponse:
    """The case list as a PDF to print, marked with who printed it, when, and the notice."""
    user: User = request.user  # type: ignore[assignment]
    rows = cases_export_rows(user=user, filters=_filters(request, user), fmt="pdf")
    body = printouts.cases_pdf(columns=COLUMNS, rows=rows, user=user, at=clock.now())
    return _download(body, "application/pdf", "pdf", len(rows))
