"""Cursor pagination over ``(-created_at, -id)``: stable while cases are added meanwhile.

A cursor is base64url JSON of the last item's ``[created_at, id]``. It is opaque to clients
but not secret: a forged cursor only moves the window, the gates still decide what is seen.
Anything that does not decode to exactly that shape is refused, naming ``cursor``.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import uuid
from typing import TypeVar

from django.db.models import Model, Q, QuerySet

from readmit.core.errors import N_, ValidationFailed

M = TypeVar("M", bound=Model)

CURSOR_LOC = ["query", "cursor"]


def encode_cursor(created_at: dt.datetime, pk: uuid.UUID) -> str:
    raw = json.dumps([created_at.isoformat(), str(pk)], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[dt.datetime, uuid.UUID]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        created, pk = json.loads(raw.decode())
        created_at = dt.datetime.fromisoformat(created)
        if created_at.tzinfo is None:
            raise ValueError("naive datetime")
        return created_at, uuid.UUID(pk)
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError, AttributeError):
        raise ValidationFailed(
            N_("The cursor is not one this API handed out; start again without it."),
            errors=[{"loc": CURSOR_LOC, "msg": N_("invalid cursor")}],
        ) from None


def paginate(
    queryset: QuerySet[M], *, cursor: str | None, limit: int
) -> tuple[list[M], str | None]:
    """One page, newest first, and the cursor of the next page (None on the last one)."""
    queryset = queryset.order_by("-created_at", "-id")
    if cursor:
        created_at, pk = decode_cursor(cursor)
        queryset = queryset.filter(
            Q(created_at__lt=created_at) | Q(created_at=created_at, id__lt=pk)
        )
    items = list(queryset[: limit + 1])
    if len(items) <= limit:
        return items, None
    items = items[:limit]
    last = items[-1]
    return items, encode_cursor(last.created_at, last.pk)  # type: ignore[attr-defined]
