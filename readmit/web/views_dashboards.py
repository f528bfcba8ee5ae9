"""Dashboards: an index and one page per chart, each with its table, filters and an XLSX
export. Thin: ``readmit.reporting.dashboards`` gates, counts and draws."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from readmit.accounts.models import User
from readmit.core import clock
from readmit.reporting.dashboards import (
    FIRST_YEAR,
    LAST_YEAR,
    TITLES,
    Scope,
    dashboard_build,
    dashboard_export_rows,
    dashboard_scope,
)
from readmit.reporting.exports import rows_xlsx
from readmit.web.errors import application_errors
from readmit.web.forms import StrictForm

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class DashboardFilterForm(StrictForm):
    agreement = forms.UUIDField(label=_("Agreement"), required=False)
    year = forms.IntegerField(
        label=_("Year"), required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR
    )


def _filters(request: HttpRequest) -> tuple[DashboardFilterForm, uuid.UUID | None, int]:
    form = DashboardFilterForm(request.GET or None)
    agreement, year = None, clock.today().year
    if form.is_valid():
        agreement = form.cleaned_data["agreement"]
        year = form.cleaned_data["year"] or year
    return form, agreement, year


def _render(
    request: HttpRequest,
    template: str,
    *,
    form: DashboardFilterForm,
    scope: Scope,
    **context: object,
) -> HttpResponse:
    """A dashboard page with its filters and the query string its links carry on."""
    return render(
        request,
        f"web/dashboards/{template}",
        {
            "form": form,
            "scope": scope,
            "query": request.GET.urlencode(),
            **context,
        },
    )


@require_GET
@login_required
@application_errors
def dashboards_index(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form, agreement, year = _filters(request)
    scope = dashboard_scope(user, agreement_id=agreement, year=year)
    # The index only links: each chart costs a query over the year's rows (docs/performance.md).
    boards = list(TITLES.items())
    return _render(
        request, "index.html", form=form, scope=scope, boards=boards, year=year, agreement=agreement
    )


@require_GET
@login_required
@application_errors
def dashboard_page(request: HttpRequest, name: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form, agreement, year = _filters(request)
    board, scope = dashboard_build(user, name=name, agreement_id=agreement, year=year)
    return _render(
        request,
        "dashboard.html",
        form=form,
        scope=scope,
        board=board,
        year=year,
        agreement=agreement,
    )


@require_GET
@login_required
@application_errors
def dashboard_xlsx(request: HttpRequest, name: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    _form, agreement, year = _filters(request)
    columns, rows = dashboard_export_rows(user, name=name, agreement_id=agreement, year=year)
    response = HttpResponse(rows_xlsx(rows, columns=columns, sheet=name), content_type=XLSX_TYPE)
    stamp = clock.now().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="readmit-{name}-{year}-{stamp}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    response["X-Readmit-Rows"] = str(len(rows))
    return response


urlpatterns = [
    path("dashboards/", dashboards_index, name="dashboards"),
    path("dashboards/<slug:name>/", dashboard_page, name="dashboard"),
    path("dashboards/<slug:name>/export.xlsx", dashboard_xlsx, name="dashboard_xlsx"),
]
