"""The person form: the owning organisation's caseworkers and supervisors change a case's
person (names, other names, birth date, nationalities, documents). Thin: validation and the
rules are ``readmit.cases.people`` (the same service and checks as ``PATCH
/api/v1/cases/{id}/person``); a form opened before someone else's change is refused and
shown again with what was typed."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from readmit.accounts.access import access_case
from readmit.accounts.models import User
from readmit.agreements import vocabularies
from readmit.cases.models import Person
from readmit.cases.people import DocumentAdd, person_edit, person_edit_gate, person_version
from readmit.core.errors import ApplicationError, NotFound, PreconditionFailed, ValidationFailed
from readmit.web.errors import application_errors, message_of
from readmit.web.forms import StrictForm

# A refusal's first ``loc`` part names the API field; the form's field may be named otherwise.
_FIELD_OF = {
    "type": "document_type",
    "number": "document_number",
    "issuing_country": "document_country",
}


class PersonEditForm(StrictForm):
    version = forms.CharField(widget=forms.HiddenInput, max_length=40)
    given_names = forms.CharField(label=gettext_lazy("Given names, as written"), required=False)
    family_name = forms.CharField(label=gettext_lazy("Family name, as written"), required=False)
    given_names_latin = forms.CharField(
        label=gettext_lazy("Given names in Latin letters"), required=False
    )
    family_name_latin = forms.CharField(
        label=gettext_lazy("Family name in Latin letters"),
        required=False,
        help_text=gettext_lazy("Required when the name is written in another script."),
    )
    other_names = forms.CharField(
        label=gettext_lazy("Other names"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "One a line: kind | family name | given names. Kinds: alias, former, birth, script."
        ),
    )
    birth_date = forms.CharField(
        label=gettext_lazy("Date of birth"),
        required=False,
        max_length=10,
        help_text=gettext_lazy("YYYY, YYYY-MM or YYYY-MM-DD; empty if not known."),
    )
    nationalities = forms.CharField(
        label=gettext_lazy("Nationalities"),
        required=False,
        max_length=400,
        help_text=gettext_lazy("Country codes separated by commas, e.g. VE, CO."),
    )
    remove_documents = forms.MultipleChoiceField(
        label=gettext_lazy("Remove documents recorded in error"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    document_type = forms.ChoiceField(label=gettext_lazy("Add a document: type"), required=False)
    document_number = forms.CharField(label=gettext_lazy("Number"), required=False)
    document_country = forms.CharField(
        label=gettext_lazy("Issuing country"), required=False, max_length=3
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        remove = self.fields["remove_documents"]
        kinds = self.fields["document_type"]
        assert isinstance(remove, forms.ChoiceField) and isinstance(kinds, forms.ChoiceField)
        remove.choices = [
            (str(d.id), f"{d.get_type_display()} {d.number} ({d.issuing_country_id})")
            for d in person.documents.order_by("created_at", "id")
        ]
        kinds.choices = [("", "—"), *vocabularies.DOCUMENT_TYPES.items()]

    def changes(self) -> dict[str, Any]:
        """The fields as the API PATCH takes them (validated by the same service)."""
        data = self.cleaned_data
        other_names = []
        for line in data["other_names"].splitlines():
            if not line.strip():
                continue
            kind, _sep, rest = line.partition("|")
            family, _sep, given = rest.partition("|")
            other_names.append(
                {"kind": kind.strip(), "family_name": family.strip(), "given_names": given.strip()}
            )
        return {
            "given_names": data["given_names"],
            "family_name": data["family_name"],
            "given_names_latin": data["given_names_latin"],
            "family_name_latin": data["family_name_latin"],
            "other_names": other_names,
            "birth_date": data["birth_date"].strip() or None,
            "nationalities": [c.strip() for c in data["nationalities"].split(",") if c.strip()],
        }

    def document(self) -> DocumentAdd | None:
        data = self.cleaned_data
        if not (data["document_type"] or data["document_number"] or data["document_country"]):
            return None
        return DocumentAdd(
            type=data["document_type"],
            number=data["document_number"],
            issuing_country=data["document_country"],
        )


def _initial(person: Person) -> dict[str, Any]:
    return {
        "version": person_version(person),
        "given_names": person.given_names,
        "family_name": person.family_name,
        "given_names_latin": person.given_names_latin,
        "family_name_latin": person.family_name_latin,
        "other_names": "\n".join(
            f"{n.kind} | {n.family_name} | {n.given_names}"
            for n in person.other_names.order_by("created_at", "id")
        ),
        "birth_date": "" if person.birth_year is None else person.birth_date_display,
        "nationalities": ", ".join(sorted(person.nationalities.values_list("code", flat=True))),
    }


def _show_refusal(form: PersonEditForm, exc: ValidationFailed) -> None:
    for error in exc.errors or [{"loc": [], "msg": message_of(exc)}]:
        loc = list(error.get("loc", ()))
        name = _FIELD_OF.get(str(loc[0]), str(loc[0])) if loc else None
        form.add_error(name if name in form.fields else None, message_of(exc))


@require_http_methods(["GET", "POST"])
@login_required
@application_errors
def person_edit_view(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    case = access_case(user, case_id)  # outsiders get the same 404 as for a missing case
    person_edit_gate(user, case)  # the other party and other roles: 403
    person = case.person
    status = 200
    if request.method == "POST":
        form = PersonEditForm(request.POST, person=person)
        if form.is_valid():
            try:
                person_edit(
                    case=case,
                    changes=form.changes(),
                    acting_user=user,
                    expected_version=form.cleaned_data["version"],
                    add_document=form.document(),
                    remove_documents=form.cleaned_data["remove_documents"],
                )
            except NotFound:
                raise
            except PreconditionFailed as exc:
                # What was typed stays in the form; the version becomes the current one, so
                # saving again (after checking the record) applies it.
                fresh = request.POST.copy()
                person = Person.objects.get(id=person.id)
                fresh["version"] = person_version(person)
                form = PersonEditForm(fresh, person=person)
                form.is_valid()
                form.add_error(None, message_of(exc))
                status = exc.status
            except ValidationFailed as exc:
                _show_refusal(form, exc)
                status = exc.status
            except ApplicationError as exc:
                if exc.status == 403:
                    raise
                form.add_error(None, message_of(exc))
                status = exc.status
            else:
                messages.success(request, _("The person's record was saved."))
                return redirect(reverse("web:case", args=[case.id]))
        else:
            status = 400
    else:
        form = PersonEditForm(initial=_initial(person), person=person)
    context = {"case": case, "person": person, "form": form}
    return render(request, "web/person_edit.html", context, status=status)
