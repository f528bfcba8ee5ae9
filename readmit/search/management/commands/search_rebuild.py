"""``manage.py search_rebuild``: write every person's search keys afresh from their names."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from readmit.search.services import search_terms_rebuild


class Command(BaseCommand):
    help = "Rebuild the people's search keys from their names (after a change of the keys)."

    def handle(self, *args: Any, **options: Any) -> None:
        rows = search_terms_rebuild()
        self.stdout.write(f"Search keys rebuilt: {rows} name parts.")
