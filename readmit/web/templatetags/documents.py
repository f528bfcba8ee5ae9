"""``{% letters_panel case %}``: write a letter to the person; print the case summary."""

from __future__ import annotations

from typing import Any

from django import template

from readmit.cases.access import can_write_case_files
from readmit.documents.letters import letters_due, suggested_language
from readmit.documents.wording import LETTER_NAMES, language_choices

register = template.Library()


@register.inclusion_tag("web/_letters.html", takes_context=True)
def letters_panel(context: dict[str, Any], case: Any) -> dict[str, Any]:
    user = context["request"].user
    may_write = can_write_case_files(user, case)
    due = letters_due(case) if may_write else []
    return {
        "case": case,
        "may_write": may_write,
        "letters": [(kind, LETTER_NAMES[kind]) for kind in due],
        "languages": language_choices(),
        "suggested": suggested_language(case) if due else "en",
        "csrf_token": context.get("csrf_token"),
    }
