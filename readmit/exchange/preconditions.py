"""``ETag`` / ``If-Match`` on every update (``PUT``, ``PATCH``), in one place.

A record's entity tag is ``"<id>-<version>"``: a case has its own version; any other record
the microsecond of its last change (``updated_at``). An update needs ``If-Match`` with the
tag the caller read: without it ``428 precondition-required``, with a stale, weak or
malformed one ``412 precondition-failed``; ``*`` updates whatever is current. Routers check
it inside the transaction that locks the record, after the gate (``404`` for a record you
cannot see comes first), and answer the new tag in ``ETag``.
"""

from __future__ import annotations

import re
from typing import Protocol

from django.http import HttpResponse
from ninja.params.functions import Header

from readmit.core.errors import PreconditionFailed
from readmit.exchange.errors import PreconditionRequired

HEADER = "If-Match"
DESCRIPTION = (
    "The ETag of the record as you read it (strong comparison): required, 428 without it, "
    "412 when it is stale; `*` updates whatever is current."
)
IF_MATCH = Header(None, alias=HEADER, description=DESCRIPTION)
PARAMETER = {
    "in": "header",
    "name": HEADER,
    "required": False,
    "description": DESCRIPTION,
    "schema": {"type": "string"},
}
_ENTITY_TAG = re.compile(r'^"([^"]*)"$')


class Versioned(Protocol):
    @property
    def pk(self) -> object: ...

    @property
    def updated_at(self) -> object: ...


def etag_of(record: Versioned) -> str:
    """``"<id>-<microseconds of the last change>"``."""
    stamp = record.updated_at
    micros = int(stamp.timestamp() * 1_000_000) if hasattr(stamp, "timestamp") else 0
    return f'"{record.pk}-{micros}"'


def require_if_match(header: str | None, current: str, *, what: str = "record") -> None:
    """Refuse an update unless ``If-Match`` names the current tag (or is ``*``)."""
    if header is None or not header.strip():
        raise PreconditionRequired(
            f"Send 'If-Match' with the ETag of the {what} you read; updates are refused without it."
        )
    tags = [part.strip() for part in header.split(",") if part.strip()]
    if tags == ["*"] or any(_ENTITY_TAG.match(t) and t == current for t in tags):
        return
    raise PreconditionFailed(
        f"The {what} changed since you read it (its ETag is now {current}); read it again.",
        extra={"etag": current},
    )


def with_etag(response: HttpResponse, record: Versioned) -> None:
    response["ETag"] = etag_of(record)
