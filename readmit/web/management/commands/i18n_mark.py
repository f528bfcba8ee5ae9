"""``manage.py i18n_mark TEMPLATE...``: wrap a template's unmarked sentences for translation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from readmit.web.i18n.markup import mark, unmarked


class Command(BaseCommand):
    help = "Wrap the unmarked sentences of templates in {% translate %} / {% blocktranslate %}."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("templates", nargs="+", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        for path in options["templates"]:
            source = path.read_text(encoding="utf-8")
            marked = mark(source)
            if marked != source:
                path.write_text(marked, encoding="utf-8")
            left = unmarked(marked)
            self.stdout.write(f"{path}: marked; {len(left)} sentence(s) left to mark by hand")
            for finding in left:
                self.stdout.write(f"  line {finding.line}: {finding.text}")
