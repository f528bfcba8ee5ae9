"""Readmission on the case and agreement pages: the travel document (download), the
transfer plan and handover, transfer costs. Rules are ``readmit.cases.travel``'s."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from readmit.accounts.access import standing
from readmit.accounts.models import User
from readmit.accounts.roles import CASE_WRITERS, Role
from readmit.agreements.models import Agreement, AgreementKind
from readmit.cases.models import Case, CostLeg
from readmit.cases.selectors import case_sharing
from readmit.cases.travel import (
    COST_STATES,
    SIDE_NAMES,
    agreement_cost_totals,
    latest_document,
    transfer_cost_record,
    travel_document_download,
)
from readmit.core.errors import ValidationFailed
from readmit.web.errors import application_errors, message_of


def route_line(route: str, flight: str, crossing_point: str) -> str:
    """The route as the page shows it: the route, then the flight and crossing point unless
    the route is only their default wording (``Flight JU 501``), so nothing is said twice."""
    parts = [route]
    if flight and route != f"Flight {flight}":
        parts.append(f"flight {flight}")
    if crossing_point and route != f"Crossing point {crossing_point}":
        parts.append(f"crossing point {crossing_point}")
    return " · ".join(p for p in parts if p)


def handover_shown(handover: dict[str, Any] | None) -> dict[str, Any] | None:
    """The stored handover, its moment as an instant (ISO 8601 in the case data), so the page
    shows it in the viewer's zone like every other time."""
    if not handover:
        return None
    moment = handover.get("handed_over_at")
    parsed = parse_datetime(moment) if isinstance(moment, str) else None
    return {**handover, "moment": parsed}


def readmission_case_context(user: User, case: Case) -> dict[str, Any]:
    """What the case page shows of a readmission's travel document, plan, handover, costs."""
    if case.kind != AgreementKind.READMISSION:
        return {}
    from readmit.relocation.models import TransferPlan

    position = standing(user, case.agreement)
    terms = case.agreement.parsed_terms
    side = SIDE_NAMES.get(str(position.side), "")
    legs = [leg for leg in CostLeg if getattr(terms.costs, leg.value) == side]
    plan = TransferPlan.objects.filter(case=case).first()
    return {
        "readmission": {
            "travel_document": latest_document(case),
            "may_download": bool(position.roles & CASE_WRITERS),
            "plan": plan,
            # Health data: shown to the other party only where ``vulnerabilities`` is shared,
            # as the API's transfer-plans answer does.
            "medical_needs_shown": case_sharing(user, case).shows("vulnerabilities"),
            "route": route_line(plan.route, plan.flight, plan.crossing_point) if plan else "",
            "handover": handover_shown(case.data.get("handover")),
            "costs": list(case.transfer_costs.all()),
            "cost_legs": legs
            if case.state in COST_STATES and position.roles & {Role.CASEWORKER, Role.SUPERVISOR}
            else [],
        }
    }


def readmission_agreement_context(agreement: Agreement) -> dict[str, Any]:
    if agreement.kind != AgreementKind.READMISSION:
        return {}
    terms = agreement.parsed_terms
    payer = {"sending": "the sending state", "requested": "the requested state"}
    return {
        "readmission_terms": [
            (
                "EU travel document needs prior consent",
                "yes" if terms.eu_travel_document_needs_consent else "no",
            ),
            ("Transport to the border paid by", payer[terms.costs.transport_to_border]),
            ("Onward transport paid by", payer[terms.costs.onward]),
        ],
        "cost_totals": agreement_cost_totals(agreement),
    }


@require_GET
@login_required
@application_errors
def travel_document_pdf(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    download = travel_document_download(user=user, case_id=case_id, fmt="pdf")
    assert download.pdf is not None
    response = HttpResponse(download.pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="travel-document-{download.document.number}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@login_required
@application_errors
def transfer_cost_create(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    try:
        cost = transfer_cost_record(
            case_id=case_id,
            leg=request.POST.get("leg", ""),
            amount=request.POST.get("amount", ""),
            currency=request.POST.get("currency", ""),
            acting_user=user,
        )
    except ValidationFailed as exc:
        messages.error(
            request, _("The cost was not recorded: %(message)s") % {"message": message_of(exc)}
        )
    else:
        messages.success(
            request,
            _("Recorded %(amount)s %(currency)s (%(leg)s).")
            % {"amount": cost.amount, "currency": cost.currency, "leg": cost.leg},
        )
    return redirect("web:case", case_id=case_id)
