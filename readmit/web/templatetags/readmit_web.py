"""Presentation filters: labels for snake_case values, badge classes, page links."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import QueryDict

from readmit.web.presenters import humanize as _humanize

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
