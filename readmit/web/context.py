"""Template context: the signed-in user's organisations and roles, for the layout."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from readmit.accounts.access import memberships


def membership(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    rows = memberships(user)  # type: ignore[arg-type]
    return {
        "my_memberships": rows,
        "my_organisation": rows[0].organisation if rows else None,
        "my_roles": sorted({m.role for m in rows}),
    }
