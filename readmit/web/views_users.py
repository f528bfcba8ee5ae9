"""An organisation's users, for its administrator: invite, change a role, deactivate and
reactivate, unlock a locked account, reset a lost second factor; and the invitee's page
where they choose a password. Thin: ``readmit.accounts.administration`` and
``readmit.accounts.logins`` decide who may, and audit."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from readmit.accounts.administration import (
    INVITATION_DAYS,
    invitation_accept,
    invitation_user,
    member_for_administrator,
    membership_role_change,
    organisation_for_administrator,
    organisation_members,
    user_deactivate,
    user_invite,
    user_invite_resend,
    user_reactivate,
)
from readmit.accounts.logins import (
    accounts_locked_until,
    login_unlock,
    second_factor_reset,
    user_for_administrator,
)
from readmit.accounts.models import Organisation, User
from readmit.core.errors import TransitionRefused, ValidationFailed
from readmit.web.errors import application_errors, message_of
from readmit.web.forms_admin import InvitationAcceptForm, InviteForm, RoleForm, errors_into


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _page(
    request: HttpRequest,
    organisation: Organisation,
    *,
    invite_form: InviteForm | None = None,
    row_errors: dict[int, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    members = organisation_members(organisation)
    locked = accounts_locked_until(row.user for row in members)
    rows = [
        {
            "member": row,
            "user": row.user,
            "locked_until": locked.get(row.user.pk),
            "second_factor": row.second_factor,
            "role_form": RoleForm(
                initial={"role": row.roles[0].value if row.roles else ""},
                prefix=f"u{row.user.pk}",
            ),
            "error": (row_errors or {}).get(row.user.pk, ""),
        }
        for row in members
    ]
    context = {
        "organisation": organisation,
        "rows": rows,
        "invite_form": invite_form or InviteForm(),
        "invitation_days": INVITATION_DAYS,
    }
    return render(request, "web/users.html", context, status=status)


@require_GET
@login_required
@application_errors
def organisation_users(request: HttpRequest, organisation_id: uuid.UUID) -> HttpResponse:
    organisation = organisation_for_administrator(
        organisation_id=organisation_id, acting_user=_user(request)
    )
    return _page(request, organisation)


def _link_for(request: HttpRequest) -> Any:
    def link_for(token: str) -> str:
        return request.build_absolute_uri(reverse("web:invitation_accept", args=[token]))

    return link_for


def _users_url(organisation: Organisation) -> str:
    return reverse("web:organisation_users", args=[organisation.id])


@require_POST
@login_required
@application_errors
def user_invite_view(request: HttpRequest, organisation_id: uuid.UUID) -> HttpResponse:
    acting = _user(request)
    organisation = organisation_for_administrator(
        organisation_id=organisation_id, acting_user=acting
    )
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            invited = user_invite(
                organisation_id=organisation.id,
                acting_user=acting,
                link_for=_link_for(request),
                **form.cleaned_data,
            )
        except ValidationFailed as exc:
            errors_into(form, exc)
        except TransitionRefused as exc:
            messages.error(request, message_of(exc))
            return redirect(_users_url(organisation))
        else:
            messages.success(
                request,
                _("%(username)s is invited: the e-mail with their link is sent to %(email)s.")
                % {"username": invited.username, "email": invited.email},
            )
            return redirect(_users_url(organisation))
    return _page(request, organisation, invite_form=form, status=422)


def _row_action(
    request: HttpRequest, organisation_id: uuid.UUID, user_id: int, action: Any, done: str
) -> HttpResponse:
    """Run one action on a member; a refusal is shown on the page next to their row."""
    acting = _user(request)
    organisation, target = member_for_administrator(
        organisation_id=organisation_id, user_id=user_id, acting_user=acting
    )
    try:
        action(acting, organisation, target)
    except (TransitionRefused, ValidationFailed) as exc:
        message = message_of(exc)
        if isinstance(exc, ValidationFailed) and exc.errors:
            message = "; ".join(str(e.get("msg", "")) for e in exc.errors)
        return _page(request, organisation, row_errors={target.pk: message}, status=exc.status)
    messages.success(request, done % {"username": target.username})
    return redirect(_users_url(organisation))


@require_POST
@login_required
@application_errors
def user_role_change(
    request: HttpRequest, organisation_id: uuid.UUID, user_id: int
) -> HttpResponse:
    form = RoleForm(request.POST, prefix=f"u{user_id}")
    role = (
        form.cleaned_data["role"] if form.is_valid() else request.POST.get(f"u{user_id}-role", "")
    )

    def change(acting: User, organisation: Organisation, target: User) -> None:
        membership_role_change(
            organisation_id=organisation.id, user_id=target.pk, role=role, acting_user=acting
        )

    return _row_action(
        request, organisation_id, user_id, change, _("The role of %(username)s is changed.")
    )


@require_POST
@login_required
@application_errors
def user_deactivate_view(
    request: HttpRequest, organisation_id: uuid.UUID, user_id: int
) -> HttpResponse:
    def deactivate(acting: User, _organisation: Organisation, target: User) -> None:
        user_deactivate(user=target, acting_user=acting)

    return _row_action(
        request,
        organisation_id,
        user_id,
        deactivate,
        _("%(username)s is deactivated: they cannot log in and their API tokens stop."),
    )


@require_POST
@login_required
@application_errors
def user_reactivate_view(
    request: HttpRequest, organisation_id: uuid.UUID, user_id: int
) -> HttpResponse:
    def reactivate(acting: User, _organisation: Organisation, target: User) -> None:
        user_reactivate(user=target, acting_user=acting)

    return _row_action(
        request, organisation_id, user_id, reactivate, _("%(username)s is active again.")
    )


@require_POST
@login_required
@application_errors
def user_invite_resend_view(
    request: HttpRequest, organisation_id: uuid.UUID, user_id: int
) -> HttpResponse:
    def resend(acting: User, organisation: Organisation, target: User) -> None:
        user_invite_resend(
            organisation_id=organisation.id,
            user_id=target.pk,
            acting_user=acting,
            link_for=_link_for(request),
        )

    return _row_action(
        request,
        organisation_id,
        user_id,
        resend,
        _("A new invitation is sent to %(username)s; the earlier link no longer works."),
    )


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


@require_http_methods(["GET", "POST"])
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    """Open without a login: the signed link is the credential. An invalid link (expired,
    used, replaced) shows why, and nothing else."""
    try:
        invited = invitation_user(token)
    except TransitionRefused as exc:
        return render(request, "web/invitation.html", {"refusal": message_of(exc)}, status=410)
    form = InvitationAcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation_accept(token=token, **form.cleaned_data)
        except ValidationFailed as exc:
            errors_into(form, exc)
        else:
            messages.success(
                request,
                _("Your password is set. Log in, then set up your second factor."),
            )
            return redirect(reverse("web:login"))
    status = 422 if request.method == "POST" else 200
    return render(request, "web/invitation.html", {"form": form, "invited": invited}, status=status)


_MEMBER = "organisations/<uuid:organisation_id>/users/<int:user_id>/"
urlpatterns = [
    path(
        "organisations/<uuid:organisation_id>/users/",
        organisation_users,
        name="organisation_users",
    ),
    path(
        "organisations/<uuid:organisation_id>/users/invite/",
        user_invite_view,
        name="user_invite",
    ),
    path(f"{_MEMBER}role/", user_role_change, name="user_role_change"),
    path(f"{_MEMBER}deactivate/", user_deactivate_view, name="user_deactivate"),
    path(f"{_MEMBER}reactivate/", user_reactivate_view, name="user_reactivate"),
    path(f"{_MEMBER}invite/", user_invite_resend_view, name="user_invite_resend"),
    path("users/<int:user_id>/unlock/", user_unlock, name="user_unlock"),
    path(
        "users/<int:user_id>/second-factor/reset/",
        user_second_factor_reset,
        name="user_second_factor_reset",
    ),
    path("invitation/<str:token>/", invitation_accept_view, name="invitation_accept"),
]
