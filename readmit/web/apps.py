from __future__ import annotations

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "readmit.web"
    label = "web"
    verbose_name = "Web interface"

    def ready(self) -> None:
        from readmit.web.i18n.languages import install_lang_info

        install_lang_info()
