"""Bearer-token authentication: the only way into the exchange API (no sessions, no CSRF)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from readmit.accounts.models import User
from readmit.accounts.services import token_authenticate


def caller(request: HttpRequest) -> User:
    """The user the bearer token authenticated (every operation requires one)."""
    user = getattr(request, "auth", None)
    if not isinstance(user, User):  # pragma: no cover - Ninja refuses the request before
        raise AuthenticationError()
    return user


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``; tokens come from ``readmit createtoken USERNAME``."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = token_authenticate(token.strip())
        if user is not None:
            request.user = user
        return user
