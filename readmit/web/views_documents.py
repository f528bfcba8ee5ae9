"""Letters to the person, the printable case summary and the font files pages use."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from readmit.accounts.models import User
from readmit.audit.selectors import internal_note_for
from readmit.cases.selectors import case_history, case_sharing
from readmit.core import clock
from readmit.core.errors import TransitionRefused, ValidationFailed
from readmit.documents import fonts
from readmit.documents.letters import letter_create
from readmit.documents.printouts import DATA_PROTECTION_NOTICE, case_summary_print, printed_mark
from readmit.documents.wording import LETTER_NAMES, language_choices
from readmit.web import presenters
from readmit.web.errors import application_errors, message_of
from readmit.web.forms import StrictForm


class LetterForm(StrictForm):
    """The letter and the person's language, both chosen from lists (no code is typed)."""

    kind = forms.ChoiceField(label=gettext_lazy("Letter"), choices=list(LETTER_NAMES.items()))
    language = forms.ChoiceField(label=gettext_lazy("Language of the person"), choices=[])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["language"].choices = language_choices()  # type: ignore[attr-defined]


@require_POST
@login_required
@application_errors
def letter_write(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = LetterForm(request.POST)
    if not form.is_valid():
        problems = "; ".join(
            f"{form.fields[name].label}: {' '.join(str(e) for e in errors)}"
            for name, errors in form.errors.items()
        )
        messages.error(
            request, _("The letter was not written: %(problems)s") % {"problems": problems}
        )
        return redirect("web:case", case_id=case_id)
    try:
        attachment = letter_create(
            case_id=case_id,
            kind=form.cleaned_data["kind"],
            language=form.cleaned_data["language"],
            acting_user=user,
        )
    except (ValidationFailed, TransitionRefused) as exc:
        messages.error(
            request, _("The letter was not written: %(problems)s") % {"problems": message_of(exc)}
        )
    else:
        messages.success(
            request,
            _("Letter written and attached: %(filename)s") % {"filename": attachment.filename},
        )
    return redirect("web:case", case_id=case_id)


@require_GET
@login_required
@application_errors
def case_summary(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """The printable case summary; the browser prints it (its print style hides nothing the
    paper needs and shows no navigation)."""
    user: User = request.user  # type: ignore[assignment]
    case = case_summary_print(user=user, case_id=str(case_id))
    sharing = case_sharing(user, case)
    person = case.person
    context = {
        "case": case,
        "person": person,
        "agreement": case.agreement,
        "shared": sharing.shown,
        "nationalities": list(person.nationalities.all()),
        "documents": list(person.documents.select_related("issuing_country"))
        if sharing.shows("documents")
        else [],
        "deadlines": list(case.deadlines.order_by("due_on")),
        "history": [
            presenters.history_line(e, internal_note=internal_note_for(user, e))
            for e in case_history(case)
        ],
        "printed": printed_mark(user, clock.now()),
        "notice": DATA_PROTECTION_NOTICE,
    }
    response = render(request, "web/case_summary.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def font_file(request: HttpRequest, name: str) -> FileResponse:
    """One file of the font stack, for pages on machines without it; nothing else."""
    if name not in fonts.FILES:
        raise Http404("No such font.")
    path = fonts.font_dir() / name
    if not path.is_file():
        raise Http404(f"The font {name} is not installed on the server ({fonts.FONT_PACKAGE}).")
    response = FileResponse(path.open("rb"), content_type="font/ttf")
    response["Cache-Control"] = "public, max-age=604800"
    return response


urlpatterns = [
    path("cases/<uuid:case_id>/letters/", letter_write, name="letter_write"),
    path("cases/<uuid:case_id>/summary/", case_summary, name="case_summary"),
    path("fonts/<str:name>", font_file, name="font_file"),
]
