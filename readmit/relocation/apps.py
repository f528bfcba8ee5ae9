from __future__ import annotations

from django.apps import AppConfig


class RelocationConfig(AppConfig):
    name = "readmit.relocation"
    label = "relocation"
    verbose_name = "Relocation and reception"

    def ready(self) -> None:
        from readmit.relocation import holds, hooks, listeners

        hooks.register()
        holds.register()
        listeners.register()
