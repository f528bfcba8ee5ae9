"""The profile page: the signed-in user's time zone and language and, for administrators,
their organisation's zone; the language chooser of the login page. Thin: the services
``user_set_time_zone``, ``user_set_language`` and ``organisation_set_time_zone`` decide."""

from __future__ import annotations

import uuid
import zoneinfo
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from readmit.accounts.access import memberships
from readmit.accounts.models import Organisation, User
from readmit.accounts.roles import Role
from readmit.accounts.services import (
    organisation_set_time_zone,
    user_set_language,
    user_set_time_zone,
)
from readmit.core.errors import N_, NotFound, ValidationFailed
from readmit.web.errors import application_errors, field_message
from readmit.web.forms import LanguageForm, TimeZoneForm


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _render(
    request: HttpRequest,
    *,
    form: TimeZoneForm | None = None,
    language_form: LanguageForm | None = None,
    org_forms: dict[uuid.UUID, TimeZoneForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    administered = {
        m.organisation_id: m.organisation for m in memberships(user) if m.role == Role.ADMINISTRATOR
    }
    org_forms = org_forms or {}
    context: dict[str, Any] = {
        "form": form or TimeZoneForm(initial={"time_zone": user.time_zone}),
        "organisations": [
            (org, org_forms.get(org.id) or TimeZoneForm(initial={"time_zone": org.time_zone}))
            for org in administered.values()
        ],
        "zones": sorted(zoneinfo.available_timezones()),
        "language_form": language_form
        or LanguageForm(initial={"language": user.language, "next": reverse("web:profile")}),
    }
    return render(request, "web/profile.html", context, status=status)


def _refused(form: TimeZoneForm, exc: ValidationFailed) -> None:
    for error in exc.errors:
        form.add_error("time_zone", field_message(error))


@require_http_methods(["GET", "POST"])
@login_required
@application_errors
def profile(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _render(request)
    user = _user(request)
    form = TimeZoneForm(request.POST)
    if not form.is_valid():
        return _render(request, form=form, status=422)
    try:
        user_set_time_zone(user=user, time_zone=form.cleaned_data["time_zone"], acting_user=user)
    except ValidationFailed as exc:
        _refused(form, exc)
        return _render(request, form=form, status=exc.status)
    messages.success(request, _("Your time zone is saved."))
    return redirect(reverse("web:profile"))


@require_POST
@login_required
@application_errors
def organisation_time_zone(request: HttpRequest, organisation_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    organisation = Organisation.objects.filter(id=organisation_id).first()
    if organisation is None:
        raise NotFound(N_("No such organisation."))
    form = TimeZoneForm(request.POST)
    if form.is_valid():
        try:
            organisation_set_time_zone(
                organisation=organisation,
                time_zone=form.cleaned_data["time_zone"],
                acting_user=user,
            )
        except ValidationFailed as exc:
            _refused(form, exc)
    if form.errors:
        return _render(request, org_forms={organisation.id: form}, status=422)
    messages.success(
        request, _("The time zone of %(name)s is saved.") % {"name": organisation.name}
    )
    return redirect(reverse("web:profile"))


@require_POST
@application_errors
def language(request: HttpRequest) -> HttpResponse:
    """The interface language: kept in a cookie for anyone (the login page's chooser), and on
    the signed-in user's profile (audited), where it follows them to every browser."""
    form = LanguageForm(request.POST)
    user = request.user
    if not form.is_valid():
        if user.is_authenticated and user.is_verified():  # type: ignore[attr-defined]
            return _render(request, language_form=form, status=422)
        return redirect(reverse("web:login"))
    code = form.cleaned_data["language"]
    # A session past its second factor keeps the choice on the profile; before it, the cookie.
    if user.is_authenticated and user.is_verified():  # type: ignore[attr-defined]
        user_set_language(user=_user(request), language=code, acting_user=_user(request))
        with translation.override(code or None):
            messages.success(request, _("Your language is saved."))
    target = form.cleaned_data["next"] or reverse("web:home")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("web:home")
    response = redirect(target)
    if code:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=request.is_secure(),
            httponly=True,
        )
    else:
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
    return response


urlpatterns = [
    path("language/", language, name="language"),
    path("profile/", profile, name="profile"),
    path(
        "organisations/<uuid:organisation_id>/time-zone/",
        organisation_time_zone,
        name="organisation_time_zone",
    ),
]
