"""Request middleware: the user's time zone and language, session timeouts, the second-factor
gate, and the security headers every response carries.

Pages read and show times in the signed-in user's zone; everything is stored in UTC.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation

from readmit.accounts.logins import session_expired_audit
from readmit.accounts.selectors import user_zone
from readmit.core import clock
from readmit.web.auth import SESSION_SEEN, SESSION_STARTED, client_details


def user_time_zone(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[..., HttpResponse]:
    """Activate the user's zone (their own, else their organisation's) for the request."""

    def middleware(request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            timezone.activate(user_zone(user))
        else:
            timezone.deactivate()
        try:
            return get_response(request)
        finally:
            timezone.deactivate()

    return middleware


def user_language(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[..., HttpResponse]:
    """The signed-in user's own interface language, where they chose one (profile page),
    over the browser's and the login page's (``LocaleMiddleware`` decided those)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        chosen = getattr(user, "language", "") if user is not None else ""
        if chosen and user is not None and user.is_authenticated:
            translation.activate(chosen)
            request.LANGUAGE_CODE = translation.get_language()
        return get_response(request)

    return middleware


def security_headers(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[..., HttpResponse]:
    """Content-Security-Policy and Permissions-Policy on every response (pages, API, files).

    The policy allows scripts and styles from our own origin only: no inline script, no
    ``style`` attribute, no ``eval`` (htmx is told so in ``base.html``). Django's own
    middleware sets the rest: ``X-Frame-Options`` (clickjacking), ``Referrer-Policy``,
    ``X-Content-Type-Options``, ``Cross-Origin-Opener-Policy`` and, in production, HSTS.
    """
    csp = settings.READMIT_CONTENT_SECURITY_POLICY
    permissions = settings.READMIT_PERMISSIONS_POLICY

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        response.headers.setdefault("Content-Security-Policy", csp)
        response.headers.setdefault("Permissions-Policy", permissions)
        return response

    return middleware


# Names of the pages a session may reach before its second factor is verified.
UNVERIFIED_ALLOWED = frozenset(
    {
        "web:login",
        "web:logout",
        "web:login_verify",
        "web:login_enrol",
        "web:language",
        "admin_login_redirect",
        "web:font_file",
    }
)
# Pages anyone may reach (the login itself, the language chooser, the font files the login
# draws names with, and an invitation's page). Everything else needs a verified login.
ANONYMOUS_ALLOWED = frozenset(
    {
        "web:login",
        "web:language",
        "admin_login_redirect",
        "web:font_file",
        # The invitee's page: its signed, expiring, single-use link is the credential.
        "web:invitation_accept",
    }
)
# Health probes (no data) and metrics (its own bearer token): answered before the session is
# looked at, so a probe never touches the sessions table.
OPERATIONS_OPEN = frozenset({"healthz", "readyz", "metrics"})
# The API authenticates every request with its own credential (a bearer token), never a
# session, and answers 401 itself; static files carry no data.
OWN_CREDENTIAL_PREFIXES = ("/api/", "/static/")

# The last-seen time is rewritten at most this often, so not every request saves the session.
SEEN_GRANULARITY_SECONDS = 30


def _url_name(request: HttpRequest) -> str | None:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    return match.view_name


def second_factor_required(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[..., HttpResponse]:
    """Every page needs a login whose second factor is verified, except an explicit list.

    A session that passed only the password reaches the second-factor pages and logout;
    anything else sends it there. Anonymous requests go to the login page. Unknown paths
    fall through to their 404.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(OWN_CREDENTIAL_PREFIXES):
            return get_response(request)
        name = _url_name(request)
        if name is None or name in OPERATIONS_OPEN:
            return get_response(request)
        user = request.user
        if not user.is_authenticated:
            if name in ANONYMOUS_ALLOWED:
                return get_response(request)
            return redirect_to_login(request.get_full_path(), reverse("web:login"))
        if not user.is_verified() and name not in UNVERIFIED_ALLOWED:  # type: ignore[attr-defined]
            return redirect(
                f"{reverse('web:login_verify')}?{urlencode({'next': request.get_full_path()})}"
            )
        return get_response(request)

    return middleware


def session_timeouts(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[..., HttpResponse]:
    """End a session idle longer than ``READMIT_SESSION_IDLE_SECONDS`` or older than
    ``READMIT_SESSION_ABSOLUTE_SECONDS`` (audited), whatever the cookie says."""

    def middleware(request: HttpRequest) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return get_response(request)
        session = request.session
        now = clock.now().timestamp()
        started = float(session.setdefault(SESSION_STARTED, now))
        seen = float(session.get(SESSION_SEEN, now))
        reason = ""
        if now - seen > settings.READMIT_SESSION_IDLE_SECONDS:
            reason = "idle"
        elif now - started > settings.READMIT_SESSION_ABSOLUTE_SECONDS:
            reason = "absolute"
        if reason:
            session_expired_audit(user=user, client=client_details(request), reason=reason)
            logout(request)
            query = urlencode({"next": request.get_full_path(), "expired": reason})
            return redirect(f"{reverse('web:login')}?{query}")
        if SESSION_SEEN not in session or now - seen >= SEEN_GRANULARITY_SECONDS:
            session[SESSION_SEEN] = now
        return get_response(request)

    return middleware
