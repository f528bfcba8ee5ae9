"""``{% consular_panel case %}``: the case's consular requests and "Ask the consulate"."""

from __future__ import annotations

from typing import Any

from django import template

from readmit.agreements.models import AgreementKind
from readmit.consular.districts import US_SUBDIVISIONS
from readmit.consular.selectors import consular_request_list
from readmit.web.views_consular import ConsularAskForm, ask_requester

register = template.Library()


@register.inclusion_tag("web/consular/_case_panel.html", takes_context=True)
def consular_panel(context: dict[str, Any], case: Any) -> dict[str, Any]:
    user = context["request"].user
    requester = ask_requester(user, case)
    return {
        "case": case,
        "requests": list(consular_request_list(user, case=case)),
        "requester": requester,
        "form": ConsularAskForm() if requester is not None else None,
        "regions": sorted(US_SUBDIVISIONS.items()),
        "csrf_token": context.get("csrf_token"),
        "is_readmission": case.kind == AgreementKind.READMISSION,
    }
