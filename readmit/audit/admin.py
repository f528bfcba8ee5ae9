from __future__ import annotations

from django.contrib import admin

from readmit.audit.models import AuditEvent
from readmit.core.admin import ReadOnlyAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = (
        "seq",
        "occurred_at",
        "event_type",
        "actor_username",
        "object_type",
        "object_id",
    )
    list_filter = ("event_type",)
