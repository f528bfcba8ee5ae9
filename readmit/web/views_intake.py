"""The readmission application form on a readmission agreement.

Thin: the form only collects text; ``readmit.cases.applications.ApplicationIn`` validates it
(the same model as the API) and ``readmission_application_submit`` opens the case. Every
problem is shown next to the field it names; nothing is written while one stands.
"""

from __future__ import annotations

import base64
import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from pydantic import ValidationError

from readmit.accounts.access import access_agreement, standing
from readmit.accounts.models import User
from readmit.accounts.roles import CASE_WRITERS
from readmit.agreements.models import Agreement, AgreementKind, AgreementStatus
from readmit.agreements.vocabularies import DOCUMENT_TYPES
from readmit.cases.applications import (
    PHOTO_MAX_BYTES,
    ApplicationIn,
    CivilStatus,
    EvidenceIn,
    application_errors,
)
from readmit.cases.batch import BatchFormatError, column_of, flat_to_application, read_rows
from readmit.cases.evidence import LABELS, EvidenceKind
from readmit.cases.intake import (
    evidence_add,
    may_add_evidence,
    readmission_application_submit,
    readmission_applications_import,
)
from readmit.cases.models import ApplicationSource, Case
from readmit.cases.photos import latest_photo, outstanding_particulars, photo_add, photo_for
from readmit.cases.selectors import case_sharing
from readmit.cases.workflow import WORKERS, Side
from readmit.core.errors import TransitionRefused, ValidationFailed
from readmit.web.errors import application_errors as page_errors
from readmit.web.errors import field_message, message_of
from readmit.web.forms import StrictForm


def _choices(pairs: list[tuple[str, str]], blank: str) -> list[tuple[str, str]]:
    return [("", blank), *pairs]


class ApplicationForm(forms.Form):
    """Every field is optional here: the application model says what is missing, by name."""

    external_id = forms.CharField(required=False, label=_("Your reference (external id)"))
    variant = forms.ChoiceField(
        required=False,
        label=_("Variant"),
        choices=[
            ("readmission", "Readmission"),
            ("transit", "Transit (a third-country national escorted through)"),
            ("take_back", "Take-back (erroneous readmission)"),
        ],
        initial="readmission",
    )
    transit_destination_state = forms.CharField(
        required=False,
        label=_("Transit: destination state (country code)"),
        help_text=_("Transit only"),
    )
    transit_escort = forms.CharField(
        required=False, label=_("Transit: escort"), help_text='Transit only; write "none" if none'
    )
    take_back_of = forms.CharField(
        required=False,
        label=_("Take-back of case (its id)"),
        help_text=_("Take-back only: the earlier transferred case under this agreement"),
    )
    procedure = forms.ChoiceField(
        required=False,
        choices=_choices([("normal", "Normal"), ("accelerated", "Accelerated (border)")], "…"),
    )
    apprehended_on = forms.CharField(
        required=False, label=_("Apprehended on (accelerated procedure, YYYY-MM-DD)")
    )
    given_names = forms.CharField(required=False, label=_("Given names as written"))
    family_name = forms.CharField(required=False, label=_("Family name as written"))
    given_names_latin = forms.CharField(required=False, label=_("Given names, Latin form"))
    family_name_latin = forms.CharField(required=False, label=_("Family name, Latin form"))
    aliases = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=_("Aliases and former names"),
        help_text=_("One per line: alias|former|birth; family name; given names"),
    )
    birth_date = forms.CharField(
        required=False, label=_("Date of birth (YYYY, YYYY-MM or YYYY-MM-DD)")
    )
    place_of_birth = forms.CharField(required=False)
    sex = forms.ChoiceField(
        required=False, choices=_choices([("F", "F"), ("M", "M"), ("X", "X"), ("U", "U")], "…")
    )
    nationalities = forms.CharField(required=False, help_text=_("Country codes, comma-separated"))
    father = forms.CharField(required=False, label=_("Father's name, where known"))
    mother = forms.CharField(required=False, label=_("Mother's name, where known"))
    civil_status = forms.ChoiceField(
        required=False, choices=_choices([(c.value, c.value) for c in CivilStatus], "…")
    )
    languages = forms.CharField(required=False, help_text=_("Comma-separated"))
    last_address = forms.CharField(required=False, label=_("Last address in the requested state"))
    medical_needs = forms.CharField(required=False, help_text='Write "none" if there are none')
    escort_needs = forms.CharField(required=False, help_text='Write "none" if there are none')
    evidence_kind = forms.ChoiceField(
        required=False,
        label=_("Evidence of nationality"),
        choices=_choices([(k.value, LABELS[k]) for k in EvidenceKind], "No evidence"),
    )
    evidence_reference = forms.CharField(required=False, label=_("Evidence reference"))
    document_type = forms.ChoiceField(
        required=False, choices=_choices([(t, t) for t in DOCUMENT_TYPES], "No document")
    )
    document_number = forms.CharField(required=False)
    document_country = forms.CharField(required=False, label=_("Document issued by (country code)"))
    document_expires_on = forms.CharField(required=False, label=_("Document valid until"))
    mrz = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "mono"}),
        label=_("Machine-readable zone"),
        help_text=_("The 2 or 3 lines as printed; every check digit is verified"),
    )
    false_document = forms.BooleanField(required=False, label=_("Flagged as a false document"))
    photo = forms.FileField(
        required=False,
        label=_("Photo of the person"),
        help_text=_(
            "JPEG or PNG, at most 1 MB. Without one the photo is to follow: the case "
            "lists it as outstanding until it is sent on the case page."
        ),
    )


EVIDENCE_FIELDS = (
    "evidence_kind",
    "evidence_reference",
    "document_type",
    "document_number",
    "document_country",
    "document_expires_on",
    "mrz",
    "false_document",
)


class EvidenceForm(StrictForm):
    """One more item of evidence on a case: the application form's evidence fields."""


EvidenceForm.base_fields = {name: ApplicationForm.base_fields[name] for name in EVIDENCE_FIELDS}


def intake_case_context(user: User, case: Case) -> dict[str, Any]:
    """What the case page shows of intake: the form to add evidence, to those who may; the
    photo (as the data-sharing policy allows), the outstanding particulars."""
    if case.kind != AgreementKind.READMISSION:
        return {}
    position = standing(user, case.agreement)
    return {
        "evidence_form": EvidenceForm(prefix="evidence") if may_add_evidence(user, case) else None,
        "photo": {
            "present": latest_photo(case) is not None,
            "shown": case_sharing(user, case).shows("photo")
            and bool(position.roles & CASE_WRITERS),
            "may_add": position.side == Side.SENDING
            and bool(position.roles & WORKERS)
            and case.closed_at is None,
            "outstanding": outstanding_particulars(case),
        },
    }


@require_GET
@login_required
@page_errors
def case_photo(request: HttpRequest, case_id: uuid.UUID) -> HttpResponseBase:
    user: User = request.user  # type: ignore[assignment]
    photo = photo_for(user, case_id)
    response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@login_required
@page_errors
def case_photo_upload(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    upload = request.FILES.get("photo")
    if upload is None:
        messages.error(request, _("The photo was not added: photo: choose a JPEG or PNG file."))
        return redirect("web:case", case_id=case_id)
    try:
        photo_add(
            case_id=case_id,
            data=upload.read(PHOTO_MAX_BYTES + 1),
            acting_user=user,
            filename=upload.name or "",
        )
    except ValidationFailed as exc:
        messages.error(
            request, _("The photo was not added: %(message)s") % {"message": message_of(exc)}
        )
    else:
        messages.success(request, _("The photo was added."))
    return redirect("web:case", case_id=case_id)


@require_POST
@login_required
@page_errors
def evidence_new(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """Add one item of evidence (``cases.intake.evidence_add``); each problem is named by its
    field in the message, and nothing is written while one stands."""
    user: User = request.user  # type: ignore[assignment]
    form = EvidenceForm(request.POST, prefix="evidence")
    problems: list[str] = []
    if not form.is_valid():
        problems = [f"{name}: {' '.join(map(str, errors))}" for name, errors in form.errors.items()]
    else:
        items = flat_to_application(form.cleaned_data)["evidence"]
        if not items:
            problems = ["evidence_kind: choose the kind of evidence"]
        else:
            try:
                item = EvidenceIn.model_validate(items[0])
                added, weighing = evidence_add(case_id=case_id, item=item, acting_user=user)
            except (ValidationError, ValidationFailed) as exc:
                errors = application_errors(exc) if isinstance(exc, ValidationError) else exc.errors
                for error in errors:
                    loc = ["evidence", 0, *error.get("loc", ())]
                    name = column_of(loc) or ".".join(map(str, error.get("loc", ())))
                    problems.append(f"{name}: {error.get('msg', '')}")
            else:
                messages.success(
                    request,
                    f"Added the {LABELS[EvidenceKind(added.kind)].lower()}. {weighing.explanation}",
                )
    if problems:
        messages.error(request, "The evidence was not added: " + "; ".join(problems))
    return redirect("web:case", case_id=case_id)


def may_submit_application(user: User, agreement: Agreement) -> bool:
    """The service refuses other kinds, sides, roles and agreements not in force: no dead link."""
    position = standing(user, agreement)
    return (
        agreement.kind == AgreementKind.READMISSION
        and agreement.status == AgreementStatus.IN_FORCE
        and position.side == Side.SENDING
        and bool(position.roles & WORKERS)
    )


@require_http_methods(["GET", "POST"])
@login_required
@page_errors
def application_new(request: HttpRequest, agreement_id: uuid.UUID) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    agreement = access_agreement(user, agreement_id)
    form = ApplicationForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {
        "agreement": agreement,
        "form": form,
        "may_submit": may_submit_application(user, agreement),
        "message": "",
    }
    if request.method != "POST" or not form.is_valid():
        return render(request, "web/intake/new.html", context)
    try:
        body = flat_to_application(form.cleaned_data)
        upload = form.cleaned_data.get("photo")
        if upload:
            # The file as the API's base64: the application model checks it (type, size).
            body["photo"] = base64.b64encode(upload.read(PHOTO_MAX_BYTES + 1)).decode()
        application = ApplicationIn.model_validate(body)
        result = readmission_application_submit(
            agreement=agreement,
            application=application,
            acting_user=user,
            source=ApplicationSource.WEB,
        )
    except TransitionRefused as exc:
        if exc.rule != "take-back-window":
            raise
        form.add_error("take_back_of", message_of(exc))
        context["message"] = "The application is refused; nothing was created."
        return render(request, "web/intake/new.html", context, status=exc.status)
    except (ValidationError, ValidationFailed) as exc:
        errors = application_errors(exc) if isinstance(exc, ValidationError) else list(exc.errors)
        for error in errors:
            name = column_of(list(error.get("loc", ())))
            message = field_message(error)
            if name is None:
                form.add_error(None, f"{'.'.join(map(str, error.get('loc', ())))}: {message}")
            else:
                form.add_error(name, message)
        context["message"] = "The application is incomplete or invalid; nothing was created."
        return render(request, "web/intake/new.html", context, status=422)
    flagged = len(result.duplicates)
    note = f" {flagged} possible duplicate(s) flagged for review." if flagged else ""
    messages.success(
        request,
        _("Application %(reference)s submitted.%(note)s")
        % {"reference": result.case.reference, "note": note},
    )
    return redirect("web:case", case_id=result.case.id)


class BatchForm(forms.Form):
    file = forms.FileField(
        label=_("Applications (CSV or XLSX)"),
        help_text=_(
            "One application per row; the columns are the fields of the application "
            "form (docs/readmission.md), with variant, transit_destination_state, transit_escort "
            "and take_back_of for transits and take-backs. In a cell, separate the lines of an MRZ "
            "and the other names with |."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file is larger than 5 MB.")
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("Upload a .csv or .xlsx file.")
        return upload


MAX_UPLOAD_BYTES = 5 * 1024 * 1024


@require_http_methods(["GET", "POST"])
@login_required
@page_errors
def application_batch(request: HttpRequest, agreement_id: uuid.UUID) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    agreement = access_agreement(user, agreement_id)
    form = BatchForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {
        "agreement": agreement,
        "form": form,
        "may_submit": may_submit_application(user, agreement),
        "errors": [],
        "message": "",
    }
    if request.method != "POST" or not form.is_valid():
        return render(
            request,
            "web/intake/batch.html",
            context,
            status=422 if request.method == "POST" else 200,
        )
    upload = form.cleaned_data["file"]
    try:
        rows = read_rows(upload.name, upload.read())
    except BatchFormatError as exc:
        context["message"] = f"{upload.name}: {exc}"
        return render(request, "web/intake/batch.html", context, status=422)
    source = (
        ApplicationSource.XLSX if upload.name.lower().endswith(".xlsx") else ApplicationSource.CSV
    )
    try:
        results = readmission_applications_import(
            agreement=agreement, rows=rows, acting_user=user, source=source
        )
    except ValidationFailed as exc:
        context["message"] = message_of(exc)
        context["errors"] = exc.errors
        return render(request, "web/intake/batch.html", context, status=422)
    flagged = sum(len(r.duplicates) for r in results)
    note = f" {flagged} possible duplicate(s) flagged for review." if flagged else ""
    messages.success(
        request,
        _("%(len)s application(s) submitted.%(note)s") % {"len": len(results), "note": note},
    )
    return redirect(f"{reverse('web:cases')}?agreement={agreement.id}")


urlpatterns = [
    path("cases/<uuid:case_id>/evidence/", evidence_new, name="evidence_new"),
    path("cases/<uuid:case_id>/photo/", case_photo, name="case_photo"),
    path("cases/<uuid:case_id>/photo/upload/", case_photo_upload, name="case_photo_upload"),
    path(
        "agreements/<uuid:agreement_id>/applications/batch/",
        application_batch,
        name="application_batch",
    ),
    path(
        "agreements/<uuid:agreement_id>/applications/new/",
        application_new,
        name="application_new",
    ),
]
