"""An organisation's users, for its administrator: unlock a locked account, reset a lost
second factor. Thin: ``readmit.accounts.logins`` decides who may, and audits."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from readmit.accounts.access import organisation_ids, roles_in
from readmit.accounts.logins import (
    account_locked_until,
    has_second_factor,
    login_unlock,
    second_factor_reset,
    user_for_administrator,
)
from readmit.accounts.models import Organisation, User
from readmit.accounts.roles import Role
from readmit.core.errors import Forbidden, NotFound
from readmit.web.errors import application_errors


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@require_GET
@login_required
@application_errors
def organisation_users(request: HttpRequest, organisation_id: uuid.UUID) -> HttpResponse:
    acting = _user(request)
    if organisation_id not in organisation_ids(acting):
        raise NotFound("No such organisation.")
    if Role.ADMINISTRATOR not in roles_in(acting, organisation_id):
        raise Forbidden("Only an administrator of the organisation manages its users.")
    organisation = Organisation.objects.get(id=organisation_id)
    users = (
        User.objects.filter(memberships__organisation_id=organisation_id)
        .distinct()
        .order_by("username")
    )
    rows = [
        {
            "user": u,
            "locked_until": account_locked_until(u),
            "second_factor": has_second_factor(u),
        }
        for u in users
    ]
    return render(request, "web/users.html", {"organisation": organisation, "rows": rows})


def _back(request: HttpRequest) -> HttpResponse:
    organisation_id = request.POST.get("organisation", "")
    try:
        return redirect(reverse("web:organisation_users", args=[uuid.UUID(organisation_id)]))
    except ValueError:
        return redirect(reverse("web:home"))


@require_POST
@login_required
@application_errors
def user_unlock(request: HttpRequest, user_id: int) -> HttpResponse:
    target = user_for_administrator(user_id=user_id, acting_user=_user(request))
    cleared = login_unlock(user=target, acting_user=_user(request))
    messages.success(
        request,
        _("%(username)s is unlocked (%(cleared)s failed attempts cleared).")
        % {"username": target.username, "cleared": cleared},
    )
    return _back(request)


@require_POST
@login_required
@application_errors
def user_second_factor_reset(request: HttpRequest, user_id: int) -> HttpResponse:
    target = user_for_administrator(user_id=user_id, acting_user=_user(request))
    second_factor_reset(user=target, acting_user=_user(request))
    messages.success(
        request,
        _("The second factor of %(username)s is reset: they enrol a new one at login.")
        % {"username": target.username},
    )
    return _back(request)


urlpatterns = [
    path(
        "organisations/<uuid:organisation_id>/users/",
        organisation_users,
        name="organisation_users",
    ),
    path("users/<int:user_id>/unlock/", user_unlock, name="user_unlock"),
    path(
        "users/<int:user_id>/second-factor/reset/",
        user_second_factor_reset,
        name="user_second_factor_reset",
    ),
]
