"""Login and logout with our templates, each written to the audit log explicitly.

A failed login is recorded without saying whether the username exists: no actor, only the
name that was typed, and the page shows the same generic message in both cases.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.db import transaction
from django.http import HttpRequest, HttpResponse

from readmit.accounts.access import memberships
from readmit.accounts.models import User
from readmit.audit.events import AuditEventType
from readmit.audit.services import audit_record

# Only what an operator needs to spot guessing; never the password, never whether it existed.
_MAX_RECORDED_USERNAME = 150


def _client(request: HttpRequest) -> dict[str, str]:
    return {
        "ip": request.META.get("REMOTE_ADDR", ""),
        "user_agent": request.headers.get("User-Agent", "")[:200],
    }


def _home_organisation_id(user: User) -> Any:
    rows = memberships(user)
    return rows[0].organisation_id if rows else None


def login_audit(*, user: User, request: HttpRequest) -> None:
    with transaction.atomic():
        audit_record(
            event_type=AuditEventType.USER_LOGGED_IN,
            acting_user=user,
            organisation_id=_home_organisation_id(user),
            object_type="user",
            object_id=str(user.pk),
            data=_client(request),
        )


def logout_audit(*, user: User, request: HttpRequest) -> None:
    with transaction.atomic():
        audit_record(
            event_type=AuditEventType.USER_LOGGED_OUT,
            acting_user=user,
            organisation_id=_home_organisation_id(user),
            object_type="user",
            object_id=str(user.pk),
            data=_client(request),
        )


def login_failed_audit(*, username: str, request: HttpRequest) -> None:
    with transaction.atomic():
        audit_record(
            event_type=AuditEventType.USER_LOGIN_FAILED,
            acting_user=None,
            object_type="login",
            data={"username": username[:_MAX_RECORDED_USERNAME], **_client(request)},
        )


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        login_audit(user=form.get_user(), request=self.request)
        return response

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        login_failed_audit(username=self.request.POST.get("username", ""), request=self.request)
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    """POST only (Django's default); audits before the session ends, while we know who."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            logout_audit(user=request.user, request=request)
        return super().post(request, *args, **kwargs)
