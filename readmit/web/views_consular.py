"""Consular requests in the web: the mission's list, the request page (take, complete,
decline) and "Ask the consulate" on a readmission case. Thin: the mission gate and
``readmit.consular.services`` decide everything."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from readmit.accounts.access import access_case, access_consular_request, memberships, standing
from readmit.accounts.models import Organisation, OrganisationKind, User
from readmit.accounts.roles import CASE_WRITERS, Role
from readmit.agreements.models import AgreementKind
from readmit.cases.models import Case
from readmit.cases.workflow import Side
from readmit.consular.districts import (
    REQUEST_TRANSITIONS,
    US_SUBDIVISIONS,
    Requester,
    RequestKind,
    RequestState,
)
from readmit.consular.models import ConsularRequest
from readmit.consular.selectors import consular_request_list
from readmit.consular.services import (
    consular_request_create,
    consular_request_transition,
    district_of,
    district_set,
    request_allowed_actions,
)
from readmit.core.errors import (
    N_,
    ApplicationError,
    Forbidden,
    NotFound,
    PreconditionFailed,
    ValidationFailed,
)
from readmit.web.errors import application_errors, field_message, message_of

KIND_CHOICES = [(k.value, _(k.label)) for k in RequestKind]


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


class ConsularAskForm(forms.Form):
    kind = forms.ChoiceField(label=_("What is needed"), choices=KIND_CHOICES)
    residence_region = forms.CharField(
        label=_("Last address in the host state (ISO 3166-2, e.g. US-NY)"), max_length=6
    )
    details = forms.CharField(
        label=_("Details for the consulate"), required=False, max_length=4000, widget=forms.Textarea
    )


class ConsularActionForm(forms.Form):
    action = forms.ChoiceField(choices=[(a, a) for a in REQUEST_TRANSITIONS])
    version = forms.IntegerField(min_value=1)
    outcome = forms.CharField(required=False, max_length=4000, widget=forms.Textarea)
    reason = forms.CharField(required=False, max_length=4000, widget=forms.Textarea)


def ask_requester(user: User, case: Case) -> Requester | None:
    """Who asks when this user asks the consulate from the case page: the sending state's
    writers ask for it; the receiving side's writers record the citizen's own request."""
    if case.kind != AgreementKind.READMISSION:
        return None
    position = standing(user, case.agreement)
    if not position.roles & CASE_WRITERS:
        return None
    if position.side == Side.SENDING:
        return Requester.SENDING_STATE
    if position.side == Side.RECEIVING:
        return Requester.CITIZEN
    return None


def _field_errors(form: forms.Form, exc: ValidationFailed) -> None:
    for error in exc.errors:
        loc = list(error.get("loc", ()))
        name = str(loc[0]) if loc else ""
        form.add_error(name if name in form.fields else None, field_message(error))
    if not exc.errors:
        form.add_error(None, message_of(exc))


@require_GET
@login_required
@application_errors
def consular_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    state = request.GET.get("state", "")
    if state not in {s.value for s in RequestState}:
        state = ""
    requests = consular_request_list(user, state=state)
    return render(
        request,
        "web/consular/list.html",
        {"requests": requests, "state": state, "states": [s.value for s in RequestState]},
    )


def _detail_context(user: User, item: ConsularRequest, **extra: Any) -> dict[str, Any]:
    return {
        "item": item,
        "allowed": request_allowed_actions(user, item),
        "case_visible": item.case is not None and _sees_case(user, item.case_id),
        **extra,
    }


def _sees_case(user: User, case_id: uuid.UUID | None) -> bool:
    try:
        access_case(user, case_id)  # type: ignore[arg-type]
    except ApplicationError:
        return False
    return True


@require_GET
@login_required
@application_errors
def consular_detail(request: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    item = access_consular_request(user, request_id)
    return render(request, "web/consular/detail.html", _detail_context(user, item))


@require_POST
@login_required
@application_errors
def consular_transition(request: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    access_consular_request(user, request_id)  # outsiders: the same 404 as a missing one
    form = ConsularActionForm(request.POST)
    error, status = "", 200
    if not form.is_valid():
        error, status = "The form was incomplete; reload the page and try again.", 400
    else:
        try:
            consular_request_transition(
                request_id=request_id,
                action=form.cleaned_data["action"],
                acting_user=user,
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except PreconditionFailed:
            error, status = "This request changed since you loaded it; check it and retry.", 412
        except ValidationFailed as exc:
            error, status = message_of(exc), exc.status
        except ApplicationError as exc:
            if exc.status == 404:
                raise
            error, status = message_of(exc), exc.status
        else:
            messages.success(
                request,
                _("%(capitalize)s: done.")
                % {"capitalize": form.cleaned_data["action"].capitalize()},
            )
            return redirect(reverse("web:consular_request", args=[request_id]))
    item = access_consular_request(user, request_id)
    context = _detail_context(
        user,
        item,
        error=error,
        failed=request.POST.get("action", ""),
        typed_outcome=request.POST.get("outcome", ""),
        typed_reason=request.POST.get("reason", ""),
    )
    return render(request, "web/consular/detail.html", context, status=status)


@require_POST
@login_required
@application_errors
def case_consular_ask(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    case = access_case(user, case_id)
    requester = ask_requester(user, case)
    form = ConsularAskForm(request.POST)
    status = 422
    if requester is None:
        form.add_error(
            None,
            "Only a party's caseworkers, supervisors and liaison officers ask "
            "the consulate, on readmission cases.",
        )
        status = 403
    elif form.is_valid():
        try:
            result = consular_request_create(
                acting_user=user,
                kind=form.cleaned_data["kind"],
                requester=requester.value,
                residence_region=form.cleaned_data["residence_region"],
                case_id=case.id,
                details=form.cleaned_data["details"],
            )
        except ValidationFailed as exc:
            _field_errors(form, exc)
        except ApplicationError as exc:
            if exc.status == 404:
                raise
            form.add_error(None, message_of(exc))
            status = exc.status
        else:
            created = result.request
            messages.success(
                request,
                f"Consular request {created.reference} sent: {created.routing_reason}",
            )
            return redirect(reverse("web:case", args=[case.id]) + "#consular-title")
    return render(
        request,
        "web/consular/ask.html",
        {"case": case, "form": form, "regions": sorted(US_SUBDIVISIONS.items())},
        status=status,
    )


# Districts (administrators of a ministry) -------------------------------------------------


def _administered_missions(user: User) -> list[Organisation]:
    ministries = [
        m.organisation_id
        for m in memberships(user)
        if m.role == Role.ADMINISTRATOR and m.organisation.kind != OrganisationKind.MISSION
    ]
    return list(
        Organisation.objects.filter(parent_id__in=ministries, kind=OrganisationKind.MISSION)
        .select_related("parent")
        .order_by("name")
    )


@require_http_methods(["GET", "POST"])
@login_required
@application_errors
def consular_districts(request: HttpRequest) -> HttpResponse:
    """A ministry's administrators set its missions' consular districts."""
    user = _user(request)
    if not any(m.role == Role.ADMINISTRATOR for m in memberships(user)):
        raise Forbidden(N_("Consular districts are set by the ministry's administrators."))
    missions = _administered_missions(user)
    if not missions:
        raise NotFound(N_("No missions to manage."))
    errors: dict[uuid.UUID, str] = {}
    typed: dict[uuid.UUID, str] = {}
    status = 200
    if request.method == "POST":
        by_id = {str(m.id): m for m in missions}
        mission = by_id.get(request.POST.get("mission", ""))
        if mission is None:
            raise NotFound(N_("No such mission."))
        raw = request.POST.get("district", "")
        try:
            district_set(
                mission=mission,
                district=[c for c in raw.replace(",", " ").split() if c],
                acting_user=user,
            )
        except ValidationFailed as exc:
            errors[mission.id], typed[mission.id], status = message_of(exc), raw, exc.status
        else:
            messages.success(
                request, _("The consular district of %(name)s is saved.") % {"name": mission.name}
            )
            return redirect(reverse("web:consular_districts"))
    rows = [
        {
            "mission": m,
            "district": " ".join(district_of(m)),
            "error": errors.get(m.id, ""),
            "typed": typed.get(m.id),
        }
        for m in missions
    ]
    return render(request, "web/consular/districts.html", {"rows": rows}, status=status)


# The lead adds these to readmit/web/urls.py with one line, as for the other modules.
urlpatterns = [
    path("consular/", consular_list, name="consular_requests"),
    path("consular/districts/", consular_districts, name="consular_districts"),
    path("consular/<uuid:request_id>/", consular_detail, name="consular_request"),
    path(
        "consular/<uuid:request_id>/transitions/",
        consular_transition,
        name="consular_transition",
    ),
    path("cases/<uuid:case_id>/consular/", case_consular_ask, name="case_consular_ask"),
]
