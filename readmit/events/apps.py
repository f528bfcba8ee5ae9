from __future__ import annotations

from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "readmit.events"
    label = "events"
    verbose_name = "Events: webhook subscriptions, the outbox and deliveries"

    def ready(self) -> None:
        from readmit.audit.services import register_audit_listener
        from readmit.events.outbox import outbox_on_audit, outbox_on_audit_many

        register_audit_listener(outbox_on_audit, many=outbox_on_audit_many)
