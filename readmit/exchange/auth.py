"""Bearer-token authentication: the only way into the exchange API (no sessions, no CSRF).

A token's scopes are checked here, once for every operation: a GET needs ``read``, any other
method ``write:<area>`` (see ``readmit.accounts.scopes``); a token without it gets 403
``insufficient-scope`` naming the scope it lacks.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from readmit.accounts.models import User
from readmit.accounts.scopes import allows, required_scope
from readmit.accounts.services import token_resolve
from readmit.core.errors import N_, Forbidden

API_ROOT = "/api/v1/"


def caller(request: HttpRequest) -> User:
    """The user the bearer token authenticated (every operation requires one)."""
    user = getattr(request, "auth", None)
    if not isinstance(user, User):  # pragma: no cover - Ninja refuses the request before
        raise AuthenticationError()
    return user


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``; tokens come from ``readmit createtoken USERNAME``."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found = token_resolve(token.strip())
        if found is None:
            return None
        path = request.path_info  # without a deployment's script prefix
        api_path = path[len(API_ROOT) :] if path.startswith(API_ROOT) else path
        needed = required_scope(request.method or "GET", api_path)
        if not allows(found.scopes, needed):
            raise Forbidden(
                N_("This token lacks the scope '%(needed)s' (it has: %(scopes)s)."),
                params={"needed": needed, "scopes": " ".join(found.scopes)},
                type="insufficient-scope",
                extra={"required_scope": needed},
            )
        request.user = found.user
        return found.user
