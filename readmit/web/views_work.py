"""The inbox, the notification bell and page, notification preferences, and assigning
cases (one on the case page, many from the case list). Thin: ``readmit.work`` decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from readmit.accounts.access import memberships
from readmit.accounts.models import User
from readmit.accounts.roles import Role
from readmit.core.errors import ValidationFailed
from readmit.web.errors import application_errors, field_message, is_htmx, message_of
from readmit.web.forms import StrictForm
from readmit.work.models import NotificationKind
from readmit.work.selectors import (
    assignable_owners,
    inbox,
    notifications_for,
    organisation_teams,
    unread_count,
)
from readmit.work.services import (
    assignment_set,
    notification_preference_set,
    notifications_mark_read,
    team_create,
)

ASSIGNER_ROLES = {Role.CASEWORKER.value, Role.SUPERVISOR.value}


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


class AssignForm(StrictForm):
    cases = forms.CharField(required=False, max_length=20000)
    owner = forms.IntegerField(required=False, min_value=1)
    team = forms.UUIDField(required=False)
    next = forms.CharField(required=False, max_length=500)


def assign_choices(user: User) -> dict[str, Any]:
    """The owners and teams the caller may choose: those of their organisations where they
    are a caseworker or supervisor."""
    orgs = {m.organisation_id for m in memberships(user) if m.role in ASSIGNER_ROLES}
    owners: dict[int, User] = {}
    teams = []
    for org_id in sorted(orgs):
        owners.update({u.pk: u for u in assignable_owners(user, org_id)})
        teams += organisation_teams(user, org_id)
    return {"can_assign": bool(orgs), "owners": list(owners.values()), "teams": teams}


def _back(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


@require_POST
@login_required
@application_errors
def assign(request: HttpRequest) -> HttpResponse:
    """Assign the checked cases (``cases``, one or many) to an owner and/or team."""
    user = _user(request)
    form = AssignForm(request.POST)
    back = _back(request, reverse("web:cases"))
    if not form.is_valid():
        messages.error(request, _("The assignment form was incomplete; try again."))
        return redirect(back)
    case_ids = [c for c in request.POST.getlist("cases") if c]
    list_ids = [x for x in request.POST.getlist("lists") if x]
    try:
        done = assignment_set(
            acting_user=user,
            case_ids=case_ids,
            list_ids=list_ids,
            owner_id=form.cleaned_data["owner"],
            team_id=form.cleaned_data["team"],
        )
    except ValidationFailed as exc:
        for text in [field_message(e) for e in exc.errors] or [message_of(exc)]:
            messages.error(request, text)
        return redirect(back)
    messages.success(
        request,
        _("%(count)s assigned.") % {"count": len(done)},
    )
    return redirect(back)


@require_GET
@login_required
@application_errors
def inbox_page(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(request, "web/work/inbox.html", {"inbox": inbox(user)})


@require_GET
@login_required
def bell(request: HttpRequest) -> HttpResponse:
    """The bell's fragment: the unread count, loaded after the page and on a click."""
    return render(request, "web/work/_bell.html", {"unread": unread_count(_user(request))})


@require_GET
@login_required
def notifications_page(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "web/work/notifications.html",
        {"notifications": notifications_for(user), "unread": unread_count(user)},
    )


@require_POST
@login_required
@application_errors
def notifications_read(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    ids = request.POST.getlist("notification") or None
    changed = notifications_mark_read(acting_user=user, notification_ids=ids)
    if is_htmx(request):
        return render(request, "web/work/_bell.html", {"unread": unread_count(user)})
    messages.success(request, _("%(count)s notification(s) marked read.") % {"count": changed})
    return redirect(reverse("web:notifications"))


def preference_rows(user: User) -> list[dict[str, Any]]:
    from readmit.work.notifications import channels

    return [
        {
            "kind": kind,
            "label": label,
            "channel": channels([user.pk], kind)[user.pk],
        }
        for kind, label in NotificationKind.choices
    ]


@require_POST
@login_required
@application_errors
def notification_preferences(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    try:
        for kind in NotificationKind.values:
            channel = request.POST.get(kind)
            if channel is not None:
                notification_preference_set(acting_user=user, kind=kind, channel=channel)
    except ValidationFailed as exc:
        for error in exc.errors:
            messages.error(request, field_message(error))
        return redirect(reverse("web:profile") + "#notifications")
    messages.success(request, _("Your notification choices are saved."))
    return redirect(reverse("web:profile") + "#notifications")


class TeamForm(StrictForm):
    organisation = forms.UUIDField()
    name = forms.CharField(max_length=100)


@require_POST
@login_required
@application_errors
def team_new(request: HttpRequest) -> HttpResponse:
    """Create a team of one of the caller's organisations (supervisors, administrators)."""
    form = TeamForm(request.POST)
    back = reverse("web:profile") + "#teams"
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{field}: {' '.join(str(e) for e in errors)}")
        return redirect(back)
    try:
        team = team_create(
            acting_user=_user(request),
            organisation_id=form.cleaned_data["organisation"],
            name=form.cleaned_data["name"],
        )
    except ValidationFailed as exc:
        for error in exc.errors:
            messages.error(request, field_message(error))
        return redirect(back)
    messages.success(request, _("Team %(name)s created.") % {"name": team.name})
    return redirect(back)


def team_rows(user: User) -> list[dict[str, Any]]:
    """The caller's organisations where they may create teams, with their teams."""
    orgs = {
        m.organisation_id: m.organisation
        for m in memberships(user)
        if m.role in {Role.SUPERVISOR.value, Role.ADMINISTRATOR.value}
    }
    return [
        {"organisation": org, "teams": organisation_teams(user, org_id)}
        for org_id, org in orgs.items()
    ]


urlpatterns = [
    path("teams/", team_new, name="team_new"),
    path("inbox/", inbox_page, name="inbox"),
    path("cases/assign/", assign, name="cases_assign"),
    path("notifications/", notifications_page, name="notifications"),
    path("notifications/bell/", bell, name="notifications_bell"),
    path("notifications/read/", notifications_read, name="notifications_read"),
    path("notifications/preferences/", notification_preferences, name="notification_preferences"),
]
