"""The append-only, hash-chained audit log.

Each row stores the hash of the row before it; ``AuditHead`` stores the last sequence number
and hash, so that deleting the newest rows is detected as well as altering or deleting any
other row. Rows refuse ``save()`` on update and ``delete()``; on PostgreSQL a trigger refuses
UPDATE and DELETE as well (see migration 0002).
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.db import models

from readmit.audit.events import AuditEventType


class AppendOnlyError(Exception):
    pass


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit events are append-only")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("audit events are append-only")


class AuditEvent(models.Model):
    seq = models.BigIntegerField(primary_key=True)
    occurred_at = models.DateTimeField()
    # No ``choices``: the enum grows with every feature and the column need not migrate;
    # ``type_label`` names the value for display.
    event_type = models.PositiveSmallIntegerField()
    # Plain values, not foreign keys: the log must outlive what it describes, and a row
    # must never change because something it points to did.
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_username = models.CharField(max_length=150, blank=True)
    organisation_id = models.UUIDField(null=True, blank=True, db_index=True)
    agreement_id = models.UUIDField(null=True, blank=True, db_index=True)
    case_id = models.UUIDField(null=True, blank=True, db_index=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    data = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.type_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit events are append-only")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit events are append-only")

    @property
    def type_label(self) -> str:
        try:
            return AuditEventType(self.event_type).label
        except ValueError:
            return str(self.event_type)


class AuditHead(models.Model):
    """One row: the newest sequence number and hash. Locked by every writer."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="audit_head_single")]

    def __str__(self) -> str:
        return f"head #{self.seq}"


class AuditCheckpoint(models.Model):
    """A signed statement of the head at a moment (see ``readmit.audit.anchor``). Like the
    events it anchors, it is never changed; parties keep copies outside our database."""

    seq = models.BigIntegerField()
    hash = models.CharField(max_length=64)
    signed_at = models.DateTimeField()
    public_key = models.CharField(max_length=64)
    signature = models.CharField(max_length=128)

    class Meta:
        ordering = ["signed_at", "id"]

    def __str__(self) -> str:
        return f"checkpoint of #{self.seq} at {self.signed_at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit checkpoints are append-only")
        super().save(*args, **kwargs)
