"""``{% assignment_panel case %}``, ``{% bulk_assign %}``, ``{% notification_preferences %}``
and ``{% inbox_waiting %}``: the work app's parts of shared pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

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


@register.simple_tag(takes_context=True)
def inbox_waiting(context: Any) -> int:
    return inbox(context["request"].user).waiting
