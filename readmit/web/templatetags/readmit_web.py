"""Presentation filters: labels for snake_case values, badge classes, page links, names of
people and of languages."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import QueryDict
from django.utils.html import format_html
from django.utils.translation import gettext

from readmit.web.i18n.languages import language_name as _language_name
from readmit.web.i18n.languages import name_language
from readmit.web.i18n.sentences import explanation as _explanation
from readmit.web.presenters import humanize as _humanize
from readmit.web.presenters import local_time, party_times

register = template.Library()

# Badge colour families; every state of every workflow falls in one.
_STATE_TONES = {
    "proposed": "pending",
    "submitted": "pending",
    "acknowledged": "pending",
    "interview_requested": "pending",
    "recommended": "pending",
    "selected": "positive",
    "accepted": "positive",
    "deemed_accepted": "positive",
    "travel_document_issued": "positive",
    "transfer_scheduled": "scheduled",
    "in_reception": "present",
    "declined": "negative",
    "rejected": "negative",
    "withdrawn": "negative",
    "departed": "done",
    "transferred": "done",
    "closed": "done",
    "in_force": "positive",
    "signed": "pending",
    "approached": "pending",
    "negotiating": "pending",
    "suspended": "negative",
    "ended": "done",
}


@register.filter
def humanize(value: Any) -> str:
    return _humanize(value)


@register.filter
def explained(value: Any) -> str:
    """A stored criteria explanation in the reader's language (``i18n.sentences``)."""
    return _explanation(str(value or ""))


@register.filter
def label(value: Any) -> str:
    """A label the code wrote in English (a criterion's default label), in the reader's
    language; a label an agreement gave itself is shown as written."""
    return gettext(str(value)) if value else ""


@register.filter
def tone(state: str) -> str:
    return _STATE_TONES.get(state, "pending")


@register.simple_tag
def page_url(filter_query: str, page: int) -> str:
    params = QueryDict(filter_query, mutable=True)
    params["page"] = str(page)
    return "?" + params.urlencode()


@register.filter
def absolute(value: int) -> int:
    return abs(value)


@register.filter
def local(value: Any) -> str:
    """``2026-12-03 09:00 America/New_York``: the viewer's zone, named."""
    return local_time(value)


@register.filter
def both_sides(value: Any, parties: Any) -> str:
    """The viewer's local time, then the other parties' (``value|both_sides:parties``)."""
    return party_times(value, parties)


@register.filter
def person_name(value: Any, languages: Any = None) -> str:
    """A person's name as written, marked for screen readers and bidirectional text:
    ``<span dir="auto" lang="ar">…</span>`` (``lang`` only where the person's shared languages
    say which one is written in the name's script). Never translated."""
    text = "" if value is None else str(value)
    if not text:
        return ""
    lang = name_language(text, list(languages or ()))
    if lang:
        return format_html('<span class="person-name" dir="auto" lang="{}">{}</span>', lang, text)
    return format_html('<span class="person-name" dir="auto">{}</span>', text)


@register.filter
def language_name(code: Any) -> str:
    """``cnr`` -> "Montenegrin", ``ht`` -> "Haitian Creole", in the interface language."""
    return _language_name(str(code or ""))


@register.filter
def language_names(codes: Any) -> str:
    """A list of language codes as names, comma-separated."""
    return ", ".join(_language_name(str(c)) for c in codes or ())
