"""Key rotation and status for the encrypted fields (``readmit keys rotate|status``).

Rotation re-wraps each value's data key under the current key-encryption key (the first
of ``READMIT_DATA_KEYS``); the encrypted values themselves are not touched. It works in
batches, each in its own transaction with its audit row (``DATA_KEYS_REWRAPPED``), and
skips what is already under the current key, so it is idempotent and an interrupted run is
finished by running it again. Only then may an old key leave ``READMIT_DATA_KEYS``.

Blind-index rotation (``readmit keys rotate --blind-index``) recomputes every blind index
under ``READMIT_BLIND_INDEX_KEY`` while the key it replaces is still listed in
``READMIT_BLIND_INDEX_PREVIOUS_KEYS`` (lookups try each key meanwhile). An index can only be
recomputed from the value, so each number is decrypted; an index already under the current
key is left alone (idempotent), and each batch commits with its audit row
(``BLIND_INDEX_RECOMPUTED``), so an interrupted run is finished by running it again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models, transaction

from readmit.audit.events import AuditEventType
from readmit.audit.services import audit_record
from readmit.core import crypto
from readmit.core.actors import SystemActor
from readmit.core.sealed import (
    DocumentNumberIndexField,
    Sealed,
    SealedField,
    context_of,
    keyring,
)

BATCH_SIZE = 500


def sealed_fields() -> Iterator[tuple[type[models.Model], SealedField]]:
    """Every encrypted column, in a stable order."""
    for model in sorted(apps.get_models(), key=lambda m: m._meta.label):
        for f in model._meta.concrete_fields:
            if isinstance(f, SealedField):
                yield model, f


def _label(model: type[models.Model], f: SealedField) -> str:
    return f"{model._meta.label_lower}.{f.name}"


def _rows(
    model: type[models.Model], f: SealedField | DocumentNumberIndexField, *, batch_size: int
) -> Iterator[list[tuple[object, str | None]]]:
    """(pk, sealed text) in pk order, one batch at a time (keyset pagination)."""
    last = None
    while True:
        query = model._base_manager.order_by("pk")
        if last is not None:
            query = query.filter(pk__gt=last)
        batch = list(query.values_list("pk", f.attname)[:batch_size])
        if not batch:
            return
        yield batch
        last = batch[-1][0]


@dataclass
class RotationResult:
    current: str
    rewrapped: Counter[str] = field(default_factory=Counter)
    already_current: int = 0

    @property
    def total(self) -> int:
        return sum(self.rewrapped.values())


def keys_rotate(*, batch_size: int = BATCH_SIZE) -> RotationResult:
    """Re-wrap every data key not yet under the current key. Idempotent and resumable."""
    keys = keyring()
    result = RotationResult(current=keys.current)
    for model, f in sealed_fields():
        label = _label(model, f)
        for batch in _rows(model, f, batch_size=batch_size):
            stale = [
                (pk, sealed)
                for pk, sealed in batch
                if sealed is not None and crypto.key_id_of(sealed) != keys.current
            ]
            result.already_current += len(batch) - len(stale)
            if not stale:
                continue
            with transaction.atomic():
                done = Counter[str]()
                for pk, sealed in stale:
                    assert sealed is not None
                    new = crypto.rewrap(
                        sealed, context=context_of(model, f.column, pk), keyring=keys
                    )
                    # Only if nobody saved the value meanwhile (it is then under the current
                    # key already).
                    changed = model._base_manager.filter(
                        pk=pk, **{f.attname: Sealed(sealed)}
                    ).update(**{f.attname: Sealed(new)})
                    if changed:
                        done[crypto.key_id_of(sealed)] += 1
                if done:
                    audit_record(
                        event_type=AuditEventType.DATA_KEYS_REWRAPPED,
                        acting_user=SystemActor("data key rotation"),
                        object_type="sealed_field",
                        object_id=label,
                        data={"field": label, "to": keys.current, "from": dict(done)},
                    )
                result.rewrapped[label] += sum(done.values())
    return result


@dataclass(frozen=True)
class FieldStatus:
    label: str
    by_key: dict[str, int]
    empty: int


def keys_status() -> tuple[str, list[FieldStatus], set[str]]:
    """The current key id, how many values each key wraps per field, and the key ids in
    use that ``READMIT_DATA_KEYS`` does not hold (those values cannot be read)."""
    keys = keyring()
    report = []
    missing: set[str] = set()
    for model, f in sealed_fields():
        counts: Counter[str] = Counter()
        empty = 0
        for batch in _rows(model, f, batch_size=5000):
            for _, sealed in batch:
                if sealed is None:
                    empty += 1
                else:
                    counts[crypto.key_id_of(sealed)] += 1
        missing |= {k for k in counts if k not in keys.keys}
        report.append(FieldStatus(_label(model, f), dict(sorted(counts.items())), empty))
    return keys.current, report, missing


def blind_index_fields() -> Iterator[tuple[type[models.Model], DocumentNumberIndexField]]:
    """Every blind-index column, in a stable order."""
    for model in sorted(apps.get_models(), key=lambda m: m._meta.label):
        for f in model._meta.concrete_fields:
            if isinstance(f, DocumentNumberIndexField):
                yield model, f


@dataclass
class IndexRotationResult:
    recomputed: Counter[str] = field(default_factory=Counter)
    already_current: int = 0

    @property
    def total(self) -> int:
        return sum(self.recomputed.values())


def blind_index_rotate(*, batch_size: int = BATCH_SIZE) -> IndexRotationResult:
    """Recompute every blind index not yet under the current ``READMIT_BLIND_INDEX_KEY``.
    Idempotent and resumable; each batch is one transaction with its audit row."""
    result = IndexRotationResult()
    for model, f in blind_index_fields():
        label = f"{model._meta.label_lower}.{f.name}"
        source = model._meta.get_field(f.source)
        assert isinstance(source, models.Field)
        for batch in _rows(model, f, batch_size=batch_size):
            pks = [pk for pk, _ in batch]
            values = dict(model._base_manager.filter(pk__in=pks).values_list("pk", source.attname))
            stale = []
            for pk, stored in batch:
                sealed = values.get(pk)
                number = (
                    crypto.open_sealed(
                        sealed, context=context_of(model, source.column, pk), keyring=keyring()
                    )
                    if isinstance(sealed, str) and crypto.is_sealed(sealed)
                    else sealed
                )
                index = f.index_of(str(number or ""))
                if index != (stored or ""):
                    stale.append((pk, stored, index))
            result.already_current += len(batch) - len(stale)
            if not stale:
                continue
            with transaction.atomic():
                done = 0
                for pk, stored, index in stale:
                    # Only if nobody saved the row meanwhile (its index is then current).
                    done += model._base_manager.filter(pk=pk, **{f.attname: stored}).update(
                        **{f.attname: index}
                    )
                if done:
                    audit_record(
                        event_type=AuditEventType.BLIND_INDEX_RECOMPUTED,
                        acting_user=SystemActor("data key rotation"),
                        object_type="blind_index",
                        object_id=label,
                        data={"field": label, "recomputed": done},
                    )
                result.recomputed[label] += done
    return result
