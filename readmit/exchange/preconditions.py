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

from readmit.core.errors import N_, PreconditionFailed
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


# One whole sentence for each kind of record (a page or a client reads it as it is).
_IF_MATCH_MISSING = {
    "record": N_(
        "Send 'If-Match' with the ETag of the record you read; updates are refused without it."
    ),
    "person": N_(
        "Send 'If-Match' with the ETag of the person you read; updates are refused without it."
    ),
    "stay": N_(
        "Send 'If-Match' with the ETag of the stay you read; updates are refused without it."
    ),
    "subscription": N_(
        "Send 'If-Match' with the ETag of the subscription you read; updates are refused "
        "without it."
    ),
    "agreement": N_(
        "Send 'If-Match' with the ETag of the agreement you read; updates are refused without it."
    ),
}
_STALE = {
    "record": N_("The record changed since you read it (its ETag is now %(etag)s); read it again."),
    "person": N_("The person changed since you read it (its ETag is now %(etag)s); read it again."),
    "stay": N_("The stay changed since you read it (its ETag is now %(etag)s); read it again."),
    "subscription": N_(
        "The subscription changed since you read it (its ETag is now %(etag)s); read it again."
    ),
    "agreement": N_(
        "The agreement changed since you read it (its ETag is now %(etag)s); read it again."
    ),
}


def require_if_match(header: str | None, current: str, *, what: str = "record") -> None:
    """Refuse an update unless ``If-Match`` names the current tag (or is ``*``)."""
    if header is None or not header.strip():
        missing = _IF_MATCH_MISSING.get(what, _IF_MATCH_MISSING["record"])
        raise PreconditionRequired(missing)
    tags = [part.strip() for part in header.split(",") if part.strip()]
    if tags == ["*"] or any(_ENTITY_TAG.match(t) and t == current for t in tags):
        return
    stale = _STALE.get(what, _STALE["record"])
    raise PreconditionFailed(
        stale,
        params={"etag": current},
        extra={"etag": current},
    )


def with_etag(response: HttpResponse, record: Versioned) -> None:
    response["ETag"] = etag_of(record)
