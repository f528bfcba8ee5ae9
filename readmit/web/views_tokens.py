"""API tokens page: a user's own tokens (revoke, rotate) and, for an organisation's
administrator, its members' tokens (revoke). Thin: the services decide who may."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from readmit.accounts.models import ApiToken, User
from readmit.accounts.selectors import tokens_visible
from readmit.accounts.services import token_is_live, token_revoke, token_rotate
from readmit.core import clock
from readmit.core.errors import N_, NotFound
from readmit.web.errors import application_errors


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _page(request: HttpRequest, *, new_secret: str = "") -> HttpResponse:
    own, others = tokens_visible(_user(request))
    context = {
        "own": [(t, token_is_live(t)) for t in own],
        "others": [(t, token_is_live(t)) for t in others],
        "new_secret": new_secret,
        "now": clock.now(),
    }
    return render(request, "web/tokens.html", context)


def _token(token_id: uuid.UUID) -> ApiToken:
    token = ApiToken.objects.select_related("user").filter(id=token_id).first()
    if token is None:
        raise NotFound(N_("No such token."))
    return token


@require_GET
@login_required
@application_errors
def tokens(request: HttpRequest) -> HttpResponse:
    return _page(request)


@require_POST
@login_required
@application_errors
def token_revoke_view(request: HttpRequest, token_id: uuid.UUID) -> HttpResponse:
    token = _token(token_id)
    token_revoke(token=token, acting_user=_user(request))
    messages.success(
        request,
        _("Token %(prefix)s… of %(username)s is revoked.")
        % {"prefix": token.prefix, "username": token.user.username},
    )
    return redirect(reverse("web:tokens"))


@require_POST
@login_required
@application_errors
def token_rotate_view(request: HttpRequest, token_id: uuid.UUID) -> HttpResponse:
    token = _token(token_id)
    new, secret = token_rotate(token=token, acting_user=_user(request))
    messages.success(
        request,
        f"New token {new.prefix}… created; {token.prefix}… keeps working until it expires "
        "or you revoke it.",
    )
    return _page(request, new_secret=secret)


urlpatterns = [
    path("tokens/", tokens, name="tokens"),
    path("tokens/<uuid:token_id>/revoke/", token_revoke_view, name="token_revoke"),
    path("tokens/<uuid:token_id>/rotate/", token_rotate_view, name="token_rotate"),
]
