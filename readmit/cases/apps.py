from __future__ import annotations

from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "readmit.cases"
    label = "cases"
    verbose_name = "People and cases"

    def ready(self) -> None:
        from readmit.cases import intake, rules, silence, transit, travel

        rules.register()
        silence.register()
        travel.register()
        intake.register()
        transit.register()
