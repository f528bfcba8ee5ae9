"""Proposal list pages: upload a CSV or XLSX list, see each bad row and field, import (all,
or only the valid rows), then see every case with its criteria results. Also the form
actions that record a reception stay's return-to-origin plan and a vulnerability assessment.

Thin: the file is read by ``readmit.relocation.lists`` and imported by
``proposal_list_submit``; this module only moves data between the form and the service.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from readmit.accounts.access import (
    access_agreement,
    access_case,
)
from readmit.accounts.models import User
from readmit.agreements.vocabularies import VULNERABILITIES
from readmit.cases.models import Case
from readmit.core.errors import ValidationFailed
from readmit.relocation.access import can_assess_vulnerabilities, can_propose_list, has_criteria
from readmit.relocation.lists import ListFormatError, read_upload, upload_columns, upload_people
from readmit.relocation.services import (
    proposal_list_submit,
    stay_record_return_plan,
    vulnerability_assess,
)
from readmit.web.errors import application_errors, message_of
from readmit.web.forms import StrictForm

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class ListUploadForm(StrictForm):
    reference = forms.CharField(
        max_length=80,
        label=_("List reference"),
        help_text=_(
            "Your reference for this list; sending the same reference again imports nothing twice."
        ),
    )
    file = forms.FileField(
        label=_("List file (CSV or XLSX)"),
        help_text=_(
            "Columns as in docs/relocation.md; one person per row. Conviction "
            "categories are ICCS section codes (01 to 11); write 'unknown' where a fact is not "
            "known; cells hold values, not formulas."
        ),
    )
    only_valid_rows = forms.BooleanField(required=False, label=_("Import only the valid rows"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file is larger than 5 MB.")
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("Upload a .csv or .xlsx file.")
        return upload


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@require_http_methods(["GET", "POST"])
@login_required
@application_errors
def list_upload(request: HttpRequest, agreement_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    agreement = access_agreement(user, agreement_id)
    may_submit = can_propose_list(user, agreement)
    context: dict[str, Any] = {
        "agreement": agreement,
        "may_submit": may_submit,
        "errors": [],
        "file_error": "",
    }
    form = ListUploadForm(request.POST or None, request.FILES or None)
    context["form"] = form
    if request.method != "POST" or not form.is_valid():
        status = 422 if request.method == "POST" else 200
        return render(request, "web/lists/upload.html", context, status=status)
    upload = form.cleaned_data["file"]
    try:
        rows, source = read_upload(upload.name, upload.read())
    except ListFormatError as exc:
        context["file_error"] = f"{upload.name}: {exc}"
        return render(request, "web/lists/upload.html", context, status=422)
    people, lines = upload_people(rows)
    try:
        result = proposal_list_submit(
            agreement=agreement,
            reference=form.cleaned_data["reference"],
            people=people,
            acting_user=user,
            source=source,
            row_numbers=lines,
            columns=upload_columns(rows),
            only_valid_rows=form.cleaned_data["only_valid_rows"],
        )
    except ValidationFailed as exc:
        context["message"] = message_of(exc)
        context["errors"] = sorted(
            exc.errors, key=lambda e: (e.get("row", 0), str(e.get("field", "")))
        )
        context["bad_rows"] = len({e.get("row") for e in exc.errors})
        context["total_rows"] = len(people)
        return render(request, "web/lists/upload.html", context, status=422)
    return redirect("web:list_detail", list_id=result.proposal_list.id)


@require_POST
@login_required
@application_errors
def case_return_plan(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """Record the return-to-origin plan of the open stay (the form is
    ``web/lists/_return_plan_form.html``, included on the case page)."""
    user = _user(request)
    case = access_case(user, case_id)
    stay_record_return_plan(case=case, plan=request.POST.get("plan", ""), acting_user=user)
    messages.success(request, _("Return plan recorded."))
    return redirect("web:case", case_id=case.id)


def vulnerability_context(user: User, case: Case) -> dict[str, Any]:
    """The case page's vulnerability assessment form: shown to the workers of the party that
    recorded the person (the service checks the same)."""
    return {
        "may_assess_vulnerabilities": has_criteria(case) and can_assess_vulnerabilities(user, case),
        "vulnerabilities_unknown": "vulnerabilities" in case.data.get("facts_unknown", ()),
        "vulnerability_choices": list(VULNERABILITIES.items()),
        "last_assessment": case.person.assessments.select_related("assessed_by").first(),
    }


@require_POST
@login_required
@application_errors
def case_vulnerability_assessment(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """Record a vulnerability assessment (the form is ``web/lists/_vulnerability_form.html``);
    no box ticked: none found."""
    user = _user(request)
    case = access_case(user, case_id)
    assessment = vulnerability_assess(
        case=case,
        vulnerabilities=request.POST.getlist("vulnerabilities"),
        acting_user=user,
        note=request.POST.get("note", ""),
    )
    found = ", ".join(assessment.vulnerabilities) or "none found"
    messages.success(
        request,
        _("Vulnerability assessment recorded (%(found)s); criteria checked.") % {"found": found},
    )
    return redirect("web:case", case_id=case.id)


# The lead adds these to readmit/web/urls.py with one line: ``*views_lists.urlpatterns,``
urlpatterns = [
    path("agreements/<uuid:agreement_id>/lists/new/", list_upload, name="list_upload"),
    path("cases/<uuid:case_id>/return-plan/", case_return_plan, name="case_return_plan"),
    path(
        "cases/<uuid:case_id>/vulnerability-assessments/",
        case_vulnerability_assessment,
        name="case_vulnerability_assessment",
    ),
]
