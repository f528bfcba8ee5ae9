"""``{% assignment_panel case %}``, ``{% bulk_assign %}``, ``{% notification_preferences %}``
and ``{% inbox_waiting %}``: the work app's parts of shared pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from readmit.work.models import Channel
from readmit.work.selectors import case_assignment, inbox, list_assignment

register = template.Library()


def _common(context: Any) -> dict[str, Any]:
    from readmit.web.views_work import assign_choices

    user = context["request"].user
    return {**assign_choices(user), "user": user, "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("web/work/_assignment_panel.html", takes_context=True)
def assignment_panel(context: Any, case: Any) -> dict[str, Any]:
    common = _common(context)
    return {**common, "case": case, "assignment": case_assignment(common["user"], case)}


@register.inclusion_tag("web/work/_assignment_panel.html", takes_context=True)
def list_assignment_panel(context: Any, proposal_list: Any) -> dict[str, Any]:
    common = _common(context)
    return {
        **common,
        "case": None,
        "list": proposal_list,
        "assignment": list_assignment(common["user"], proposal_list),
    }


@register.inclusion_tag("web/work/_teams.html", takes_context=True)
def team_panel(context: Any) -> dict[str, Any]:
    from readmit.web.views_work import team_rows

    return {
        "rows": team_rows(context["request"].user),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("web/work/_bulk_assign.html", takes_context=True)
def bulk_assign(context: Any) -> dict[str, Any]:
    return {**_common(context), "next": context["request"].get_full_path()}


@register.inclusion_tag("web/work/_preferences.html", takes_context=True)
def notification_preferences(context: Any) -> dict[str, Any]:
    from readmit.web.views_work import preference_rows

    user = context["request"].user
    channels = [(value, _(str(label))) for value, label in Channel.choices]
    return {
        "rows": preference_rows(user),
        "channels": channels,
        "csrf_token": context.get("csrf_token"),
    }


EVENT_LABELS = {
    "case.created": gettext_lazy("case opened"),
    "case.transitioned": gettext_lazy("case moved on"),
    "case.hold_placed": gettext_lazy("legal hold placed"),
    "case.hold_lifted": gettext_lazy("legal hold lifted"),
    "list.received": gettext_lazy("list received"),
    "screening.finished": gettext_lazy("screening finished"),
    "amendment.proposed": gettext_lazy("amendment proposed"),
    "amendment.confirmed": gettext_lazy("amendment confirmed"),
    "amendment.rejected": gettext_lazy("amendment rejected"),
    "amendment.withdrawn": gettext_lazy("amendment withdrawn"),
    "agreement.status_changed": gettext_lazy("agreement status changed"),
    "assigned": gettext_lazy("assigned to you"),
}


@register.filter
def event_label(value: str) -> str:
    """A notification's event in words; a deadline's kind as it is (``reply``)."""
    return str(EVENT_LABELS.get(value, value.replace("_", " ")))


@register.simple_tag(takes_context=True)
def inbox_waiting(context: Any) -> int:
    return inbox(context["request"].user).waiting
