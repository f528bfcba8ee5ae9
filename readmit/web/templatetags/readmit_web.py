"""Presentation filters: labels for snake_case values, badge classes, page links."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import QueryDict

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
