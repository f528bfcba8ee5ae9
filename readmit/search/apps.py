from __future__ import annotations

from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "readmit.search"
    label = "search"
    verbose_name = "Search: people's search keys and saved searches"
