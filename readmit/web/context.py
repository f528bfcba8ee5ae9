"""Template context: the signed-in user's organisations, roles and zone, for the layout."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext

from readmit.accounts.access import memberships
from readmit.accounts.roles import Role


def membership(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    rows = memberships(user)
    by_org: dict[Any, dict[str, Any]] = {}
    for row in rows:
        entry = by_org.setdefault(
            row.organisation_id, {"organisation": row.organisation, "roles": []}
        )
        entry["roles"].append(gettext(Role(row.role).label))
    return {
        "my_memberships": rows,
        "my_organisation": rows[0].organisation if rows else None,
        "my_organisations": list(by_org.values()),
        "my_roles": sorted({m.role for m in rows}),
        "my_time_zone": timezone.get_current_timezone_name(),
    }
