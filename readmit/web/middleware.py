"""Pages read and show times in the signed-in user's zone (everything is stored in UTC);
every response carries the security headers."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from readmit.accounts.selectors import user_zone


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
