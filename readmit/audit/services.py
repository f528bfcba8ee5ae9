"""Writing and verifying the audit log. Every service that changes state calls ``audit_record``."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.db import connection, transaction

from readmit.audit.anchor import FORMAT as ANCHOR_FORMAT
from readmit.audit.anchor import (
    Mismatch,
    SigningKeyError,
    check_checkpoints,
    load_private_key,
    public_hex,
    sign,
)
from readmit.audit.chain import GENESIS, Break, find_break, row_hash
from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditCheckpoint, AuditEvent, AuditHead
from readmit.core import clock
from readmit.core.actors import SystemActor
from readmit.core.bulkinsert import rows_insert
from readmit.core.errors import N_, Forbidden, ValidationFailed

if TYPE_CHECKING:
    from readmit.accounts.actors import Actor


# Events written before anybody is known: a visitor's refused login. Every other event names
# its actor, a person or the system's task (core/actors.py); no actor refuses the write.
ANONYMOUS_EVENTS = frozenset(
    {
        AuditEventType.USER_LOGIN_FAILED,
        AuditEventType.LOGIN_REFUSED_LOCKED,
        AuditEventType.LOGIN_REFUSED_BUSY,
    }
)


def _require_actor(event_type: AuditEventType, acting_user: Actor | None) -> None:
    # A visitor who is not logged in (Django's AnonymousUser) is no actor either.
    if (
        acting_user is not None
        and not isinstance(acting_user, SystemActor)
        and not getattr(acting_user, "is_authenticated", False)
    ):
        acting_user = None
    if acting_user is None and event_type not in ANONYMOUS_EVENTS:
        raise Forbidden(
            N_(
                "No actor for %(event)s: every change names who makes it, a person or the "
                "system's task."
            ),
            params={"event": event_type.name},
            type="wrong-role",
        )


def _iso(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _uuid_str(value: uuid.UUID | str | None) -> str | None:
    return None if value is None else str(value)


# Called with each audit row, inside its transaction (the events outbox registers one).
_LISTENERS: list[Callable[[AuditEvent], None]] = []
# A listener's form for many rows at once (``audit_record_many``), where it has one.
_MANY: dict[Callable[[AuditEvent], None], Callable[[list[AuditEvent]], None]] = {}


def register_audit_listener(
    listener: Callable[[AuditEvent], None],
    *,
    many: Callable[[list[AuditEvent]], None] | None = None,
) -> None:
    """``listener`` is called with each audit row; ``many``, if given, is called instead
    with all the rows of one ``audit_record_many`` (same effect, fewer queries)."""
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)
    if many is not None:
        _MANY[listener] = many


@dataclass(frozen=True)
class AuditEntry:
    """One event for :func:`audit_record_many` (the arguments of :func:`audit_record`)."""

    event_type: AuditEventType
    organisation_id: uuid.UUID | None = None
    agreement_id: uuid.UUID | None = None
    case_id: uuid.UUID | None = None
    object_type: str = ""
    object_id: str = ""
    data: Mapping[str, Any] = field(default_factory=dict)


def _actor(acting_user: Actor | None) -> tuple[int | None, str]:
    """``(actor_id, actor_username)`` as a row records them."""
    if acting_user is None:
        return None, ""
    return acting_user.pk, acting_user.get_username()


def _event_fields() -> tuple[str, ...]:
    return tuple(f.attname for f in AuditEvent._meta.concrete_fields)


def _chained(
    seq: int,
    prev_hash: str,
    occurred_at: dt.datetime,
    actor: tuple[int | None, str],
    entry: AuditEntry,
    fields: tuple[str, ...],
) -> AuditEvent:
    """The row ``seq`` after ``prev_hash``, its hash computed (nothing is written).
    ``fields``: ``_event_fields()``, read once by the caller (the instance is built from
    its values in field order, the fast path of ``Model.__init__``)."""
    row: dict[str, Any] = {
        "seq": seq,
        "occurred_at": _iso(occurred_at),
        "event_type": int(entry.event_type),
        "actor_id": actor[0],
        "actor_username": actor[1],
        "organisation_id": _uuid_str(entry.organisation_id),
        "agreement_id": _uuid_str(entry.agreement_id),
        "case_id": _uuid_str(entry.case_id),
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "data": dict(entry.data),
        "prev_hash": prev_hash,
    }
    values = {
        **row,
        "occurred_at": occurred_at,
        "organisation_id": entry.organisation_id,
        "agreement_id": entry.agreement_id,
        "case_id": entry.case_id,
        "hash": row_hash(row),
    }
    return AuditEvent(*[values[name] for name in fields])  # type: ignore[misc]


def audit_record_many(entries: Sequence[AuditEntry], *, acting_user: Actor) -> list[AuditEvent]:
    """Append many events at once, in order: the same rows, hashes and listeners as calling
    :func:`audit_record` for each, with one lock of the head, one insert and one head update.

    The chain is kept: the head is locked first, each row's hash is computed in sequence
    from the one before, and the head ends at the last row (ADR 0002). Must run inside the
    transaction that makes the changes the rows record.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record_many must be called inside the transaction it records")
    if not entries:
        return []
    for entry in entries:
        _require_actor(entry.event_type, acting_user)
    head, _ = AuditHead.objects.select_for_update().get_or_create(
        id=1, defaults={"seq": 0, "hash": GENESIS}
    )
    seq, prev_hash = head.seq, head.hash
    actor, fields = _actor(acting_user), _event_fields()
    events: list[AuditEvent] = []
    for entry in entries:
        seq += 1
        event = _chained(seq, prev_hash, clock.now(), actor, entry, fields)
        prev_hash = event.hash
        events.append(event)
    rows_insert(AuditEvent, events)
    AuditHead.objects.filter(id=1).update(seq=seq, hash=prev_hash)
    for listener in _LISTENERS:
        many = _MANY.get(listener)
        if many is not None:
            many(events)
        else:
            for event in events:
                listener(event)
    return events


def audit_record(
    *,
    event_type: AuditEventType,
    acting_user: Actor | None,
    organisation_id: uuid.UUID | None = None,
    agreement_id: uuid.UUID | None = None,
    case_id: uuid.UUID | None = None,
    object_type: str = "",
    object_id: str = "",
    data: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. Must run inside the transaction that makes the change it records."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record must be called inside the transaction it records")
    _require_actor(event_type, acting_user)
    head, _ = AuditHead.objects.select_for_update().get_or_create(
        id=1, defaults={"seq": 0, "hash": GENESIS}
    )
    entry = AuditEntry(
        event_type=event_type,
        organisation_id=organisation_id,
        agreement_id=agreement_id,
        case_id=case_id,
        object_type=object_type,
        object_id=object_id,
        data=dict(data or {}),
    )
    event = _chained(
        head.seq + 1, head.hash, clock.now(), _actor(acting_user), entry, _event_fields()
    )
    event.save()
    AuditHead.objects.filter(id=1).update(seq=event.seq, hash=event.hash)
    for listener in _LISTENERS:
        listener(event)
    return event


def _stored_rows() -> Iterator[dict[str, Any]]:
    fields = (
        "seq",
        "occurred_at",
        "event_type",
        "actor_id",
        "actor_username",
        "organisation_id",
        "agreement_id",
        "case_id",
        "object_type",
        "object_id",
        "data",
        "prev_hash",
        "hash",
    )
    for values in AuditEvent.objects.order_by("seq").values_list(*fields).iterator(2000):
        row = dict(zip(fields, values, strict=True))
        row["occurred_at"] = _iso(row["occurred_at"])
        for key in ("organisation_id", "agreement_id", "case_id"):
            row[key] = _uuid_str(row[key])
        yield row


def audit_verify() -> tuple[int, Break | None]:
    """Recompute the whole chain: (rows checked, first break or None)."""
    with transaction.atomic():
        head = AuditHead.objects.filter(id=1).first()
        head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
        count = 0

        def counted() -> Iterator[dict[str, Any]]:
            nonlocal count
            for row in _stored_rows():
                count += 1
                yield row

        broken = find_break(counted(), head_seq, head_hash)
    return count, broken


def _signing_key() -> Ed25519PrivateKey:
    from django.conf import settings

    try:
        return load_private_key(getattr(settings, "READMIT_AUDIT_SIGNING_KEY", ""))
    except SigningKeyError as exc:
        raise ValidationFailed(
            N_("READMIT_AUDIT_SIGNING_KEY: %(problem)s."),
            params={"problem": str(exc)},
            errors=[{"loc": ["READMIT_AUDIT_SIGNING_KEY"], "msg": str(exc)}],
        ) from None


def _checkpoint_dict(checkpoint: AuditCheckpoint) -> dict[str, Any]:
    return {
        "seq": checkpoint.seq,
        "hash": checkpoint.hash,
        "signed_at": _iso(checkpoint.signed_at),
        "public_key": checkpoint.public_key,
        "signature": checkpoint.signature,
    }


def audit_checkpoint() -> AuditCheckpoint:
    """Sign the chain's head now (from cron or the task; see docs/operations.md) and record
    that it was signed, in the chain itself."""
    key = _signing_key()
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(
            id=1, defaults={"seq": 0, "hash": GENESIS}
        )
        signed_at = clock.now()
        checkpoint = AuditCheckpoint.objects.create(
            seq=head.seq,
            hash=head.hash,
            signed_at=signed_at,
            public_key=public_hex(key),
            signature=sign(key, head.seq, head.hash, _iso(signed_at)),
        )
        audit_record(
            event_type=AuditEventType.AUDIT_CHECKPOINT_SIGNED,
            acting_user=SystemActor("audit checkpoint"),
            object_type="audit_checkpoint",
            object_id=str(checkpoint.id),
            data={"seq": head.seq, "hash": head.hash, "public_key": checkpoint.public_key},
        )
    return checkpoint


def audit_checkpoints_export() -> dict[str, Any]:
    """Every checkpoint, as the file a party downloads and keeps (hashes and signatures
    only: no personal data, nothing about any organisation)."""
    return {
        "format": ANCHOR_FORMAT,
        "checkpoints": [_checkpoint_dict(c) for c in AuditCheckpoint.objects.order_by("id")],
    }


def audit_verify_checkpoints(
    checkpoints: Iterable[Mapping[str, Any]], *, trusted_keys: frozenset[str] | None = None
) -> tuple[int, Mismatch | None]:
    """Check checkpoints a party kept against the log as it is now."""

    def hash_at(seq: int) -> str | None:
        return AuditEvent.objects.filter(seq=seq).values_list("hash", flat=True).first()

    return check_checkpoints(checkpoints, hash_at, trusted_keys=trusted_keys)
