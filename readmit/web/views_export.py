"""The case list as a CSV file, with the same filters as the page."""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, StreamingHttpResponse
from django.views.decorators.http import require_GET

from readmit.accounts.access import visible_agreements
from readmit.accounts.models import User
from readmit.core import clock
from readmit.reporting.exports import cases_export
from readmit.web.errors import application_errors
from readmit.web.forms import CaseFilterForm


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
