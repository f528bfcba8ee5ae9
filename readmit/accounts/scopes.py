"""API token scopes, pure Python: which scope a request needs and whether a token has it.

A token carries ``read`` (every GET) and write scopes per area (``write:cases``,
``write:lists``, ``write:agreements``, ``write:screening``); ``write`` alone grants every
area, including areas added later. The area of a request is read from its path under
``/api/v1/``; a path of an area not named here is its first segment (``write:<segment>``),
which only the ``write`` scope grants.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

READ = "read"
WRITE_ALL = "write"
AREAS = ("cases", "lists", "agreements", "screening")
ALL_SCOPES = (READ, WRITE_ALL, *(f"write:{area}" for area in AREAS))
DEFAULT_SCOPES = (READ, WRITE_ALL)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# First match wins: proposal lists live under an agreement but are their own area.
_AREA_RULES = (
    (re.compile(r"^agreements/[^/]+/lists(/|$)"), "lists"),
    (re.compile(r"^agreements(/|$)"), "agreements"),
    (re.compile(r"^cases(/|$)"), "cases"),
    (re.compile(r"^(screening|watchlists|duplicates)(/|$)"), "screening"),
)


class UnknownScope(ValueError):
    def __init__(self, scope: str) -> None:
        super().__init__(f"unknown scope '{scope}' (known: {', '.join(ALL_SCOPES)})")
        self.scope = scope


def parse_scopes(values: Iterable[str]) -> tuple[str, ...]:
    """Known scopes, deduplicated in canonical order; commas or spaces separate several."""
    wanted: set[str] = set()
    for value in values:
        for part in re.split(r"[,\s]+", value.strip()):
            if not part:
                continue
            if part not in ALL_SCOPES:
                raise UnknownScope(part)
            wanted.add(part)
    return tuple(s for s in ALL_SCOPES if s in wanted)


def area_of(api_path: str) -> str:
    """The area of a path relative to ``/api/v1/`` (``cases/…/transitions`` → ``cases``)."""
    rest = api_path.strip("/")
    for pattern, area in _AREA_RULES:
        if pattern.match(rest):
            return area
    return rest.split("/", 1)[0]


def required_scope(method: str, api_path: str) -> str:
    if method.upper() in SAFE_METHODS:
        return READ
    return f"write:{area_of(api_path)}"


def allows(scopes: Iterable[str], required: str) -> bool:
    held = set(scopes)
    return required in held or (required.startswith("write:") and WRITE_ALL in held)
