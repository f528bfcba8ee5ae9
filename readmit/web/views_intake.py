"""The readmission application form on a readmission agreement.

Thin: the form only collects text; ``readmit.cases.applications.ApplicationIn`` validates it
(the same model as the API) and ``readmission_application_submit`` opens the case. Every
problem is shown next to the field it names; nothing is written while one stands.
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
from django.views.decorators.http import require_http_methods
from pydantic import ValidationError

from readmit.accounts.access import access_agreement, standing
from readmit.accounts.models import User
from readmit.agreements.models import Agreement, AgreementKind, AgreementStatus
from readmit.agreements.vocabularies import DOCUMENT_TYPES
from readmit.cases.applications import ApplicationIn, CivilStatus, application_errors
from readmit.cases.evidence import LABELS, EvidenceKind
from readmit.cases.intake import readmission_application_submit
from readmit.cases.models import ApplicationSource
from readmit.cases.workflow import WORKERS
from readmit.core.errors import ValidationFailed
from readmit.web.errors import application_errors as page_errors


def _choices(pairs: list[tuple[str, str]], blank: str) -> list[tuple[str, str]]:
    return [("", blank), *pairs]


class ApplicationForm(forms.Form):
    """Every field is optional here: the application model says what is missing, by name."""

    external_id = forms.CharField(required=False, label="Your reference (external id)")
    procedure = forms.ChoiceField(
        required=False,
        choices=_choices([("normal", "Normal"), ("accelerated", "Accelerated (border)")], "…"),
    )
    apprehended_on = forms.CharField(
        required=False, label="Apprehended on (accelerated procedure, YYYY-MM-DD)"
    )
    given_names = forms.CharField(required=False, label="Given names as written")
    family_name = forms.CharField(required=False, label="Family name as written")
    given_names_latin = forms.CharField(required=False, label="Given names, Latin form")
    family_name_latin = forms.CharField(required=False, label="Family name, Latin form")
    aliases = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Aliases and former names",
        help_text="One per line: alias|former|birth; family name; given names",
    )
    birth_date = forms.CharField(
        required=False, label="Date of birth (YYYY, YYYY-MM or YYYY-MM-DD)"
    )
    place_of_birth = forms.CharField(required=False)
    sex = forms.ChoiceField(
        required=False, choices=_choices([("F", "F"), ("M", "M"), ("X", "X"), ("U", "U")], "…")
    )
    nationalities = forms.CharField(required=False, help_text="Country codes, comma-separated")
    father = forms.CharField(required=False, label="Father's name, where known")
    mother = forms.CharField(required=False, label="Mother's name, where known")
    civil_status = forms.ChoiceField(
        required=False, choices=_choices([(c.value, c.value) for c in CivilStatus], "…")
    )
    languages = forms.CharField(required=False, help_text="Comma-separated")
    last_address = forms.CharField(required=False, label="Last address in the requested state")
    medical_needs = forms.CharField(required=False, help_text='Write "none" if there are none')
    escort_needs = forms.CharField(required=False, help_text='Write "none" if there are none')
    evidence_kind = forms.ChoiceField(
        required=False,
        label="Evidence of nationality",
        choices=_choices([(k.value, LABELS[k]) for k in EvidenceKind], "No evidence"),
    )
    evidence_reference = forms.CharField(required=False, label="Evidence reference")
    document_type = forms.ChoiceField(
        required=False, choices=_choices([(t, t) for t in DOCUMENT_TYPES], "No document")
    )
    document_number = forms.CharField(required=False)
    document_country = forms.CharField(required=False, label="Document issued by (country code)")
    document_expires_on = forms.CharField(required=False, label="Document valid until")
    mrz = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "mono"}),
        label="Machine-readable zone",
        help_text="The 2 or 3 lines as printed; every check digit is verified",
    )
    false_document = forms.BooleanField(required=False, label="Flagged as a false document")


# Where an error of the application model is shown on the form.
FIELD_OF: dict[tuple[str | int, ...], str] = {
    ("person", "given_names"): "given_names",
    ("person", "family_name"): "family_name",
    ("person", "given_names_latin"): "given_names_latin",
    ("person", "family_name_latin"): "family_name_latin",
    ("person", "other_names"): "aliases",
    ("person", "birth_date"): "birth_date",
    ("person", "place_of_birth"): "place_of_birth",
    ("person", "sex"): "sex",
    ("person", "nationalities"): "nationalities",
    ("person", "parents"): "father",
    ("person", "civil_status"): "civil_status",
    ("person", "languages"): "languages",
    ("evidence", 0, "kind"): "evidence_kind",
    ("evidence", 0, "class"): "evidence_kind",
    ("evidence", 0, "reference"): "evidence_reference",
    ("evidence", 0, "mrz"): "mrz",
    ("evidence", 0, "document", "type"): "document_type",
    ("evidence", 0, "document", "number"): "document_number",
    ("evidence", 0, "document", "issuing_country"): "document_country",
    ("evidence", 0, "document", "expires_on"): "document_expires_on",
}


def _field_for(loc: list[Any], form: ApplicationForm) -> str | None:
    for size in range(len(loc), 0, -1):
        name = FIELD_OF.get(tuple(loc[:size]))
        if name:
            return name
    return str(loc[0]) if loc and str(loc[0]) in form.fields else None


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _parent(relation: str, text: str) -> dict[str, str]:
    *given, family = text.split()
    return {"relation": relation, "given_names": " ".join(given), "family_name": family}


def form_to_application(data: dict[str, Any]) -> dict[str, Any]:
    """The form's text as the API's application; empty fields are left out (so missing)."""
    person: dict[str, Any] = {
        key: data[key]
        for key in (
            "given_names",
            "family_name",
            "given_names_latin",
            "family_name_latin",
            "birth_date",
            "place_of_birth",
            "sex",
            "civil_status",
        )
        if data.get(key)
    }
    if data.get("nationalities"):
        person["nationalities"] = _split(data["nationalities"])
    if data.get("languages"):
        person["languages"] = _split(data["languages"])
    person["parents"] = [
        _parent(relation, data[relation]) for relation in ("father", "mother") if data.get(relation)
    ]
    other_names = []
    for line in (data.get("aliases") or "").splitlines():
        if line.strip():
            kind, _, rest = line.partition(";")
            family, _, given = rest.partition(";")
            other_names.append(
                {"kind": kind.strip(), "family_name": family.strip(), "given_names": given.strip()}
            )
    person["other_names"] = other_names
    body: dict[str, Any] = {
        key: data[key]
        for key in (
            "external_id",
            "procedure",
            "apprehended_on",
            "last_address",
            "medical_needs",
            "escort_needs",
        )
        if data.get(key)
    }
    body["person"] = person
    evidence: list[dict[str, Any]] = []
    if data.get("evidence_kind"):
        item: dict[str, Any] = {
            "kind": data["evidence_kind"],
            "reference": data.get("evidence_reference", ""),
            "mrz": data.get("mrz", ""),
            "false_document": bool(data.get("false_document")),
        }
        if data.get("document_type") or data.get("document_number"):
            item["document"] = {
                "type": data.get("document_type", ""),
                "number": data.get("document_number", ""),
                "issuing_country": data.get("document_country", ""),
                **(
                    {"expires_on": data["document_expires_on"]}
                    if data.get("document_expires_on")
                    else {}
                ),
            }
        evidence.append(item)
    body["evidence"] = evidence
    return body


def may_submit_application(user: User, agreement: Agreement) -> bool:
    """The service refuses other kinds, sides, roles and agreements not in force: no dead link."""
    position = standing(user, agreement)
    return (
        agreement.kind == AgreementKind.READMISSION
        and agreement.status == AgreementStatus.IN_FORCE
        and position.side == "sending"
        and bool(position.roles & WORKERS)
    )


@require_http_methods(["GET", "POST"])
@login_required
@page_errors
def application_new(request: HttpRequest, agreement_id: uuid.UUID) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    agreement = access_agreement(user, agreement_id)
    form = ApplicationForm(request.POST or None)
    context: dict[str, Any] = {
        "agreement": agreement,
        "form": form,
        "may_submit": may_submit_application(user, agreement),
        "message": "",
    }
    if request.method != "POST" or not form.is_valid():
        return render(request, "web/intake/new.html", context)
    try:
        application = ApplicationIn.model_validate(form_to_application(form.cleaned_data))
        result = readmission_application_submit(
            agreement=agreement,
            application=application,
            acting_user=user,
            source=ApplicationSource.WEB,
        )
    except (ValidationError, ValidationFailed) as exc:
        errors = application_errors(exc) if isinstance(exc, ValidationError) else list(exc.errors)
        for error in errors:
            name = _field_for(list(error.get("loc", ())), form)
            message = str(error.get("msg", ""))
            if name is None:
                form.add_error(None, f"{'.'.join(map(str, error.get('loc', ())))}: {message}")
            else:
                form.add_error(name, message)
        context["message"] = "The application is incomplete or invalid; nothing was created."
        return render(request, "web/intake/new.html", context, status=422)
    flagged = len(result.duplicates)
    note = f" {flagged} possible duplicate(s) flagged for review." if flagged else ""
    messages.success(request, f"Application {result.case.reference} submitted.{note}")
    return redirect("web:case", case_id=result.case.id)


urlpatterns = [
    path(
        "agreements/<uuid:agreement_id>/applications/new/",
        application_new,
        name="application_new",
    ),
]
