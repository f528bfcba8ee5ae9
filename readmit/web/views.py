"""Pages for caseworkers. Thin: read through the gates and selectors, write through services."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from readmit.accounts.access import (
    access_agreement,
    access_case,
    organisation_ids,
    standing,
    visible_agreements,
)
from readmit.accounts.models import User
from readmit.accounts.roles import CASE_READERS
from readmit.agreements.models import Agreement, AgreementParty
from readmit.agreements.selectors import partner_names, quota_status
from readmit.audit.reads import personal_data_read
from readmit.audit.selectors import internal_note_for
from readmit.cases.access import can_write_case_files
from readmit.cases.attachments import FILE_KINDS, case_files
from readmit.cases.models import Case, IdentityDocument
from readmit.cases.people import person_editable
from readmit.cases.reasons import REASON_CODES
from readmit.cases.selectors import (
    case_allowed_actions,
    case_history,
    case_list,
    case_sharing,
    case_state_counts,
    deadlines_due,
    deadlines_due_query,
)
from readmit.cases.services import case_transition
from readmit.cases.workflow import workflow_for
from readmit.core.errors import ApplicationError, NotFound, PreconditionFailed
from readmit.relocation.access import (
    LIST_KINDS,
    can_check_criteria,
    can_propose_list,
    can_record_return_plan,
    has_criteria,
)
from readmit.relocation.selectors import case_relocation_summary, open_holds, proposal_lists
from readmit.relocation.services import case_evaluate
from readmit.screening.selectors import case_screening
from readmit.web import presenters, views_intake
from readmit.web.errors import application_errors, is_htmx, message_of
from readmit.web.forms import CaseFilterForm, TransitionForm
from readmit.web.payloads import BoundField, PayloadRefused, payload_fields, payload_from_post
from readmit.web.views_decisions import family_context
from readmit.web.views_intake import intake_case_context
from readmit.web.views_lists import vulnerability_context
from readmit.web.views_travel import readmission_agreement_context, readmission_case_context

CASES_PER_PAGE = 50
# The overview lists the soonest deadlines due, at most this many.
DUE_SHOWN = 50


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _reads_cases(user: User) -> bool:
    return bool(organisation_ids(user, roles=CASE_READERS))


def _agreements(user: User) -> QuerySet[Agreement]:
    parties = AgreementParty.objects.select_related("organisation", "organisation__country")
    return visible_agreements(user).prefetch_related(Prefetch("parties", queryset=parties))


# Home ------------------------------------------------------------------------------------


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    reads_cases = _reads_cases(user)
    counts = case_state_counts(user, open_only=True) if reads_cases else {}
    rows = []
    for agreement in _agreements(user):
        by_state = counts.get(agreement.id, {})
        rows.append(
            {
                "agreement": agreement,
                "quota": quota_status(agreement),
                "open_by_state": sorted(
                    by_state.items(), key=lambda item: _state_order(agreement.kind, item[0])
                ),
                "open_total": sum(by_state.values()),
            }
        )
    # The soonest few, and how many in all: the page stays the same size however many
    # deadlines are open (the inbox and the case list hold the rest).
    due = deadlines_due(user, limit=DUE_SHOWN) if reads_cases else []
    due_total = len(due) if len(due) < DUE_SHOWN else deadlines_due_query(user).count()
    return render(
        request,
        "web/home.html",
        {
            "agreement_rows": rows,
            "reads_cases": reads_cases,
            "due": due,
            "due_total": due_total,
            "due_soon_days": settings.READMIT_DUE_SOON_DAYS,
        },
    )


def _state_order(kind: str, state: str) -> int:
    states = workflow_for(kind).states
    return states.index(state) if state in states else len(states)


# Case list -------------------------------------------------------------------------------


@require_GET
@login_required
@application_errors
def cases(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = CaseFilterForm(request.GET or None, agreements=visible_agreements(user))
    results = (
        case_list(user, **form.filters())
        .select_related("agreement", "person")
        .prefetch_related("person__nationalities")
        .order_by("-created_at", "reference")
    )
    page = Paginator(results, CASES_PER_PAGE).get_page(request.GET.get("page"))
    personal_data_read(user=user, cases=page.object_list, channel="page-list")
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "filter_query": params.urlencode(),
        "reads_cases": _reads_cases(user),
    }
    template = "web/_case_results.html" if is_htmx(request) else "web/case_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# Case page -------------------------------------------------------------------------------


@dataclass
class ActionForm:
    """One button on the case page and the small form it opens."""

    action: str
    label: str
    needs_reason: bool
    reason: str = ""
    internal_note: str = ""
    reason_code: str = ""
    reason_codes: tuple[tuple[str, str], ...] = ()  # (code, label) of the action's vocabulary
    error: str = ""
    is_open: bool = False
    fields: list[BoundField] = field(default_factory=list)

    @property
    def tone(self) -> str:
        return "danger" if self.action in {"decline", "reject", "withdraw"} else "primary"


def _load_case(user: User, case_id: uuid.UUID) -> Case:
    case = access_case(user, case_id)
    # The gate answered; this only fetches what the page shows, one query per relation.
    documents = IdentityDocument.objects.select_related("issuing_country")
    prefetch_related_objects(
        [case.person], "nationalities", "other_names", Prefetch("documents", queryset=documents)
    )
    return case


def _case_context(
    user: User,
    case: Case,
    *,
    failed: str = "",
    reason: str = "",
    internal_note: str = "",
    reason_code: str = "",
    error: str = "",
    notice: str = "",
    typed: dict[str, Any] | None = None,
) -> dict[str, Any]:
    workflow = workflow_for(case.kind)
    allowed = case_allowed_actions(user, case)
    forms = [
        ActionForm(
            action=a,
            label=presenters.humanize(a),
            needs_reason=workflow.get(a).needs_reason,
            fields=payload_fields(case, a, typed if a == failed else None),
            reason_codes=tuple((c, presenters.humanize(c)) for c in REASON_CODES.get(a, ())),
        )
        for a in allowed
    ]
    kept_reason = ""
    for form in forms:
        if form.action == failed:
            form.reason, form.internal_note = reason, internal_note
            form.reason_code = reason_code
            form.error, form.is_open = error, True
    if failed and reason and failed not in allowed:
        kept_reason = reason  # the action is gone: show what was typed so it is not lost
    sharing = case_sharing(user, case)
    parties = list(case.agreement.parties.select_related("organisation", "organisation__country"))
    position = standing(user, case.agreement)
    relocation = case_relocation_summary(case) if has_criteria(case) else None
    stay = relocation.stay if relocation else None
    screening_status, screening_reason = case_screening(case)
    return {
        "case": case,
        "person": case.person,
        "agreement": case.agreement,
        "parties": parties,
        "my_side": position.side,
        "relocation": relocation,
        "may_record_return_plan": bool(
            stay is not None and stay.is_open and can_record_return_plan(user, case)
        ),
        "may_check_criteria": can_check_criteria(user, case),
        **vulnerability_context(user, case),
        **family_context(user, case, position),
        **readmission_case_context(user, case),
        **intake_case_context(user, case),
        # The case's general files; the person's photo has its own gate (cases.photos).
        "files": list(case_files(case).select_related("uploaded_by")),
        # What this viewer reads of the person: readmit.agreements.sharing decides.
        "shared": sharing.shown,
        # The person's languages mark their name (``lang``) only where this viewer reads them.
        "name_languages": list(case.person.languages or [])
        if sharing.shown.get("languages")
        else [],
        "criteria_results": sharing.results(relocation.evaluation.results)
        if relocation and relocation.evaluation
        else [],
        "deadlines": list(case.deadlines.all()),
        "holds": open_holds(case) if case.legal_hold else [],
        "history": [
            presenters.history_line(e, internal_note=internal_note_for(user, e))
            for e in case_history(case)
        ],
        "partner_names": partner_names(case.agreement, position.side),
        "action_forms": forms,
        "error": error if failed not in allowed else "",
        "failed_action": presenters.humanize(failed) if failed else "",
        "kept_reason": kept_reason,
        "notice": notice,
        "final": case.state in workflow.final,
        "screening_status": screening_status,
        "screening_reason": screening_reason,
    }


@require_GET
@login_required
@application_errors
def case_detail(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    case = _load_case(user, case_id)
    context = _case_context(user, case)
    personal_data_read(user=user, cases=[case], channel="page")
    context["can_attach"] = can_write_case_files(user, case)
    context["can_edit_person"] = person_editable(user, case)
    context["attachment_kinds"] = FILE_KINDS
    return render(request, "web/case_detail.html", context)


@require_POST
@login_required
@application_errors
def case_transition_view(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    loaded = access_case(user, case_id)  # outsiders get the same 404 as for a missing case
    form = TransitionForm(request.POST)
    action = request.POST.get("action", "")
    reason = request.POST.get("reason", "")
    status = 200
    error = notice = ""
    try:
        payload, typed = payload_from_post(loaded, action, request.POST)
    except PayloadRefused as exc:  # a local time the user's zone cannot read
        payload, typed, error, status = {}, exc.shown, message_of(exc), exc.status
    if not error and not form.is_valid():
        error, status = "The form was incomplete; reload the page and try again.", 400
    elif not error:
        try:
            case_transition(
                case_id=case_id,
                action=form.cleaned_data["action"],
                acting_user=user,
                reason=form.cleaned_data["reason"],
                internal_note=form.cleaned_data["internal_note"],
                reason_code=form.cleaned_data["reason_code"],
                payload=payload,
                expected_version=form.cleaned_data["version"],
            )
        except NotFound:
            raise
        except PreconditionFailed as exc:
            error, status = (
                _(
                    "This case changed since you loaded it; what you see now is "
                    "the current state. Check it, then try again."
                ),
                exc.status,
            )
        except ApplicationError as exc:
            error, status = message_of(exc), exc.status
        else:
            notice = _("%(action)s: done.") % {"action": presenters.humanize(action)}
            if not is_htmx(request):
                messages.success(request, notice)
                return redirect(reverse("web:case", args=[case_id]), permanent=False)
    case = _load_case(user, case_id)
    context = _case_context(
        user,
        case,
        failed=action if error else "",
        reason=reason,
        internal_note=request.POST.get("internal_note", "") if error else "",
        reason_code=request.POST.get("reason_code", "") if error else "",
        error=error,
        notice=notice,
        typed=typed,
    )
    template = "web/_case_panel.html" if is_htmx(request) else "web/case_detail.html"
    return render(request, template, context, status=status)


@require_POST
@login_required
@application_errors
def case_criteria_check(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """Apply the agreement's criteria to the person again now ("Check again")."""
    user = _user(request)
    case = access_case(user, case_id)  # outsiders get the same 404 as for a missing case
    status = 200
    error = notice = ""
    try:
        stored = case_evaluate(case=case, acting_user=user)
    except NotFound:
        raise
    except ApplicationError as exc:
        if exc.status == 403:
            raise
        error, status = message_of(exc), exc.status
    else:
        notice = f"Criteria checked again: {stored.get_outcome_display().lower()}."
        if not is_htmx(request):
            messages.success(request, notice)
            return redirect(reverse("web:case", args=[case_id]), permanent=False)
    context = _case_context(user, _load_case(user, case_id), error=error, notice=notice)
    template = "web/_case_panel.html" if is_htmx(request) else "web/case_detail.html"
    return render(request, template, context, status=status)


# Agreement page --------------------------------------------------------------------------


@require_GET
@login_required
@application_errors
def agreement_detail(request: HttpRequest, agreement_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    agreement = access_agreement(user, agreement_id)
    agreement = (
        _agreements(user)
        .prefetch_related(
            "sites__country", "contacts__from_country", "contacts__to_country", "positions__country"
        )
        .get(id=agreement.id)
    )
    terms = agreement.parsed_terms
    reads_cases = _reads_cases(user)
    by_state = (
        case_state_counts(user, agreement_id=agreement.id).get(agreement.id, {})
        if reads_cases
        else {}
    )
    states = [(s, by_state.get(s, 0)) for s in workflow_for(agreement.kind).states]
    position = standing(user, agreement)
    takes_lists = agreement.kind in LIST_KINDS
    lists = list(proposal_lists(user, agreement)) if takes_lists else []
    return render(
        request,
        "web/agreement_detail.html",
        {
            "agreement": agreement,
            "terms": terms,
            "quota": quota_status(agreement),
            "capacity": terms.capacity,
            "time_limits": presenters.time_limit_rows(terms),
            "other_terms": presenters.other_term_rows(terms),
            "exclusions": presenters.exclusion_rows(terms),
            "criteria": presenters.criteria_texts(terms),
            "data_sharing": presenters.data_sharing_rows(terms),
            "reads_cases": reads_cases,
            "state_counts": states,
            "case_total": sum(by_state.values()),
            "my_side": position.side,
            # The service refuses other kinds and agreements not in force: no dead link.
            "may_propose_list": can_propose_list(user, agreement),
            "takes_lists": takes_lists,
            "proposal_lists": lists,
            **readmission_agreement_context(agreement),
            "may_submit_application": views_intake.may_submit_application(user, agreement),
        },
    )
