"""Decision support on a proposal list (bulk recommend, decline, select with one reason; the
quota a selection would use, updated by htmx as boxes are ticked) and the family panel on the
case page ("schedule the whole family").

Thin: the reads are ``readmit.relocation.decisions`` and the family predicates of
``readmit.relocation.access``; the writes are ``list_bulk_transition`` and
``family_schedule_transfer``, which take every case through ``case_transition``.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from readmit.accounts.access import Standing, access_case, standing, visible_cases
from readmit.accounts.models import User
from readmit.cases.access import action_refusal
from readmit.cases.models import Case
from readmit.cases.workflow import Side, workflow_for
from readmit.core import clock
from readmit.core.errors import PreconditionFailed, TransitionRefused, ValidationFailed
from readmit.relocation.access import (
    access_proposal_list,
    families_together,
    family_schedule_refusal,
)
from readmit.relocation.decisions import (
    BULK_ACTIONS,
    OUTCOMES,
    SCREENING_STATES,
    BulkOutcome,
    ListFilters,
    list_board,
    list_bulk_transition,
    list_selection_quota_impact,
    selection_quota_impact,
)
from readmit.relocation.models import ProposalList
from readmit.relocation.selectors import family_members, planned_dates
from readmit.relocation.services import family_schedule_transfer
from readmit.web.errors import application_errors, message_of
from readmit.web.payloads import PayloadRefused, payload_fields, payload_from_post


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _filters(request: HttpRequest) -> ListFilters:
    get = request.GET
    return ListFilters(
        outcome=get.get("outcome", "") if get.get("outcome") in OUTCOMES else "",
        screening=get.get("screening", "") if get.get("screening") in SCREENING_STATES else "",
        nationality=get.get("nationality", "")[:3].upper(),
        family=get.get("family", "")[:80],
    )


def list_context(
    user: User,
    proposal_list: ProposalList,
    filters: ListFilters,
    *,
    outcome: BulkOutcome | None = None,
    bulk_errors: dict[str, str] | None = None,
    reason: str = "",
) -> dict[str, Any]:
    """The list page: rows, counts, filters, and the bulk buttons (disabled with the rule
    named when the caller can never take the action, or no row would allow it)."""
    board = list_board(user, proposal_list, filters)
    position = standing(user, proposal_list.agreement)
    buttons = []
    offered = workflow_for(proposal_list.agreement.kind).actions
    for action in (a for a in BULK_ACTIONS if a in offered):
        forbidden = action_refusal(proposal_list.agreement.kind, action, position)
        open_rows = [row for row in board.rows if row.refusals.get(action) is None]
        rules = sorted({r.type for row in board.rows if (r := row.refusals.get(action))})
        buttons.append(
            {
                "action": action,
                "forbidden": forbidden,
                "open": len(open_rows),
                "rules": rules,
                "disabled": forbidden is not None or not open_rows,
            }
        )
    return {
        "list": proposal_list,
        "agreement": proposal_list.agreement,
        "board": board,
        "rows": board.rows,
        "filters": filters,
        "outcomes": OUTCOMES,
        "screening_states": SCREENING_STATES,
        "buttons": buttons,
        "may_act": any(not b["forbidden"] for b in buttons),
        "outcome": outcome,
        "bulk_errors": bulk_errors or {},
        "reason": reason,
        "impact": selection_quota_impact(proposal_list.agreement, 0),
    }


@require_GET
@login_required
@application_errors
def list_detail(request: HttpRequest, list_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    proposal_list = access_proposal_list(user, list_id)
    context = list_context(user, proposal_list, _filters(request))
    return render(request, "web/lists/detail.html", context)


@require_GET
@login_required
@application_errors
def list_quota_impact(request: HttpRequest, list_id: uuid.UUID) -> HttpResponse:
    """The fragment "selecting these 9 leaves 32", for the ticked boxes (htmx)."""
    proposal_list = access_proposal_list(_user(request), list_id)
    impact = list_selection_quota_impact(proposal_list, request.GET.getlist("cases"))
    return render(request, "web/lists/_quota_impact.html", {"impact": impact})


@require_POST
@login_required
@application_errors
def list_bulk(request: HttpRequest, list_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    proposal_list = access_proposal_list(user, list_id)
    action, reason = request.POST.get("action", ""), request.POST.get("reason", "")
    try:
        outcome = list_bulk_transition(
            proposal_list=proposal_list,
            case_ids=request.POST.getlist("cases"),
            action=action,
            reason=reason,
            acting_user=user,
        )
    except ValidationFailed as exc:
        errors = {str(e["loc"][-1]): message_of(exc) for e in exc.errors if e.get("loc")}
        context = list_context(
            user, proposal_list, ListFilters(), bulk_errors=errors, reason=reason
        )
        return render(request, "web/lists/detail.html", context, status=422)
    context = list_context(user, proposal_list, ListFilters(), outcome=outcome)
    return render(request, "web/lists/detail.html", context)


# Families on the case page --------------------------------------------------------------


def family_context(user: User, case: Case, position: Standing) -> dict[str, Any]:
    """The family panel: the members (this case among them) the reader may see, their states
    and planned transfers, and "schedule the whole family" with what certainly refuses it.
    A consular mission sees only the members routed to it."""
    if not case.family_group:
        return {"family": None}
    relatives = family_members(case)
    visible = set(
        visible_cases(user).filter(id__in=[m.id for m in relatives]).values_list("id", flat=True)
    )
    members = sorted([case, *(m for m in relatives if m.id in visible)], key=lambda c: c.reference)
    dates = planned_dates(members)
    now = clock.now()
    refusal = family_schedule_refusal(case, position, at=now)
    return {
        "family": {
            "group": case.family_group,
            "members": [{"case": m, "planned_for": dates.get(m)} for m in members],
            "together": families_together(case, now),
            "refusal": refusal,
            "may_schedule": position.side == Side.SENDING and refusal is None,
            "shows_form": position.side == Side.SENDING,
            "fields": payload_fields(case, "schedule_transfer"),
        }
    }


@require_POST
@login_required
@application_errors
def case_family_transfer(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """Schedule the whole family for one transfer: each member through ``case_transition``
    (checked and audited one by one), all of them or none."""
    user = _user(request)
    case = access_case(user, case_id)
    try:
        payload, _shown = payload_from_post(case, "schedule_transfer", request.POST)
    except PayloadRefused as exc:
        messages.error(
            request, _("Nobody was scheduled: %(message)s") % {"message": message_of(exc)}
        )
        return redirect("web:case", case_id=case.id)
    try:
        scheduled = family_schedule_transfer(case=case, acting_user=user, payload=payload)
    except TransitionRefused as exc:
        messages.error(
            request,
            _("Nobody was scheduled (rule %(rule)s): %(message)s")
            % {"rule": exc.rule, "message": message_of(exc)},
        )
        return redirect("web:case", case_id=case.id)
    except (ValidationFailed, PreconditionFailed) as exc:
        messages.error(
            request, _("Nobody was scheduled: %(message)s") % {"message": message_of(exc)}
        )
        return redirect("web:case", case_id=case.id)
    messages.success(
        request,
        _("Family %(group)s: %(count)d members scheduled for one transfer.")
        % {"group": case.family_group, "count": len(scheduled)},
    )
    return redirect("web:case", case_id=case.id)


urlpatterns = [
    path("lists/<uuid:list_id>/", list_detail, name="list_detail"),
    path("lists/<uuid:list_id>/quota-impact/", list_quota_impact, name="list_quota_impact"),
    path("lists/<uuid:list_id>/bulk/", list_bulk, name="list_bulk"),
    path(
        "cases/<uuid:case_id>/family-transfer/", case_family_transfer, name="case_family_transfer"
    ),
]
