"""Login in two steps (password, then the second factor), logout, and enrolment.

The password step is throttled (``readmit.accounts.logins``): a locked account or address is
refused before any password check, with one message that does not say whether the account
exists. A right password logs the session in *unverified*: until a TOTP code or a recovery
code is verified, ``second_factor_required`` lets it reach only these pages. A user without a
second factor enrols one here at first login. Every step is audited by the accounts services
(``readmit.accounts.logins``); a failed login records the name that was typed, never whether
it existed.
"""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from readmit.accounts.hashers import PasswordChecksBusy
from readmit.accounts.logins import (
    BUSY_MESSAGE,
    LOCKED_MESSAGE,
    enrolment_device,
    has_second_factor,
    login_audit,
    login_failed_audit,
    login_failure_record,
    login_lock,
    login_password_accepted_audit,
    login_refused_audit,
    logout_audit,
    second_factor_enrol,
    second_factor_verify,
)
from readmit.accounts.models import User
from readmit.audit.events import AuditEventType
from readmit.core import clock
from readmit.core.errors import ValidationFailed
from readmit.web.errors import field_message

SESSION_STARTED = "readmit_session_started"
SESSION_SEEN = "readmit_session_seen"
EXPIRED_MESSAGES = {
    "idle": _("Your session ended because it was idle too long. Log in again."),
    "absolute": _("Your session reached its maximum length. Log in again."),
}


def client_details(request: HttpRequest) -> dict[str, str]:
    return {
        "ip": request.META.get("REMOTE_ADDR", ""),
        "user_agent": request.headers.get("User-Agent", "")[:200],
    }


def _safe_next(request: HttpRequest, value: str) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


class LoginForm(AuthenticationForm):
    """Django's form, behind the throttle and the bound on password checks."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": LOCKED_MESSAGE,
        "busy": BUSY_MESSAGE,
    }
    refusal = ""

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        address = self.request.META.get("REMOTE_ADDR", "") if self.request else ""
        lock = login_lock(username=username, address=address)
        if lock is not None:
            self.refusal = f"locked:{lock.scope}"
            raise ValidationError(self.error_messages["locked"], code="locked")
        try:
            return super().clean()
        except PasswordChecksBusy:
            self.refusal = "busy"
            raise ValidationError(self.error_messages["busy"], code="busy") from None
        except ValidationError:
            self.refusal = "password"
            if username:
                login_failure_record(username=username, address=address)
            raise


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True
    form_class = LoginForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["expired"] = EXPIRED_MESSAGES.get(self.request.GET.get("expired", ""), "")
        return context

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        auth_login(self.request, user)
        now = clock.now().timestamp()
        self.request.session[SESSION_STARTED] = now
        self.request.session[SESSION_SEEN] = now
        login_password_accepted_audit(user=user, client=client_details(self.request))
        step = "web:login_verify" if has_second_factor(user) else "web:login_enrol"
        query = urlencode({"next": self.get_redirect_url()})
        return redirect(f"{reverse(step)}?{query}")

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        username = self.request.POST.get("username", "")
        refusal = getattr(form, "refusal", "")
        if refusal.startswith("locked:"):
            login_refused_audit(
                event_type=AuditEventType.LOGIN_REFUSED_LOCKED,
                username=username,
                client=client_details(self.request),
                scope=refusal.split(":", 1)[1],
            )
            status = 429
        elif refusal == "busy":
            login_refused_audit(
                event_type=AuditEventType.LOGIN_REFUSED_BUSY,
                username=username,
                client=client_details(self.request),
            )
            status = 503
        else:
            login_failed_audit(username=username, client=client_details(self.request))
            status = 200
        response = super().form_invalid(form)
        response.status_code = status
        if status in (429, 503):
            response["Retry-After"] = "60"
        return response


class LogoutView(auth_views.LogoutView):
    """POST only (Django's default); audits before the session ends, while we know who."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            logout_audit(user=request.user, client=client_details(request))
        return super().post(request, *args, **kwargs)


# Second factor ---------------------------------------------------------------------------


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


def _finish(request: HttpRequest, user: User, device: Any, *, factor: str) -> str:
    """Mark the session verified, give it a new key, audit the login; answers where to go."""
    otp_login(request, device)
    request.session.cycle_key()
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next", ""))
    login_audit(user=user, client=client_details(request), factor=factor, next_url=next_url)
    return next_url or reverse("web:home")


def _refuse(form: TokenForm, exc: ValidationFailed) -> None:
    for error in exc.errors:
        form.add_error("token", field_message(error))


@require_http_methods(["GET", "POST"])
@login_required
def login_verify(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next", ""))
    if user.is_verified():  # type: ignore[attr-defined]
        return redirect(next_url or reverse("web:home"))
    if not has_second_factor(user):
        return redirect(f"{reverse('web:login_enrol')}?{urlencode({'next': next_url})}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = second_factor_verify(
                user=user, token=form.cleaned_data["token"], client=client_details(request)
            )
        except ValidationFailed as exc:
            _refuse(form, exc)
        else:
            factor = "recovery_code" if device.__class__.__name__ == "StaticDevice" else "totp"
            return redirect(_finish(request, user, device, factor=factor))
    status = 422 if request.method == "POST" else 200
    return render(request, "web/login_verify.html", {"form": form, "next": next_url}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def login_enrol(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next", ""))
    if has_second_factor(user):
        return redirect(f"{reverse('web:login_verify')}?{urlencode({'next': next_url})}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = second_factor_enrol(
                user=user, token=form.cleaned_data["token"], client=client_details(request)
            )
        except ValidationFailed as exc:
            _refuse(form, exc)
        else:
            target = _finish(request, user, device, factor="enrolment")
            return render(
                request, "web/recovery_codes.html", {"codes": codes, "continue_url": target}
            )
    device = enrolment_device(user)
    context = {
        "form": form,
        "next": next_url,
        "secret": base64.b32encode(device.bin_key).decode("ascii"),
        "uri": device.config_url,
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "web/login_enrol.html", context, status=status)


def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin site's login is ours (throttled, two factors, audited). A signed-in user
    whom the admin sent here lacks the staff flag: refused, not sent round in a loop."""
    if request.user.is_authenticated:
        if not request.user.is_verified():  # type: ignore[attr-defined]
            return redirect(f"{reverse('web:login_verify')}?{urlencode({'next': '/admin/'})}")
        raise PermissionDenied("Your account may not use the admin site.")
    query = request.META.get("QUERY_STRING", "")
    return redirect(f"{reverse('web:login')}{'?' + query if query else ''}")
