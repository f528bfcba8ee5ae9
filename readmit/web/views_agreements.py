"""Agreement management pages: status changes, notice of termination, amendments of the terms
(proposed by one party, confirmed by the other), the diplomatic record.

Thin like every page: reads go through the gate (``access_agreement``) and the selectors,
writes through ``agreement_set_status``, ``termination_notice_give`` / ``_withdraw``,
``amendment_propose`` / ``_confirm`` / ``_reject`` / ``_withdraw``, ``contact_record`` and
``position_record``. A refusal is shown on the form, next to the field it names, with what
was typed kept; nothing is written.
"""

from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from readmit.accounts.access import access_agreement, standing
from readmit.accounts.models import User
from readmit.agreements import lifecycle
from readmit.agreements.access import (
    can_edit_agreement,
    can_record_diplomacy,
    is_editor,
)
from readmit.agreements.models import (
    Agreement,
    AgreementStatus,
    AgreementVersion,
    AmendmentProposal,
    ContactChannel,
    ProposalState,
    Stance,
)
from readmit.agreements.selectors import (
    agreement_proposals,
    agreement_versions,
    pending_proposals,
    proposal_changes,
    running_notice,
    status_history,
)
from readmit.agreements.services import (
    agreement_set_status,
    amendment_confirm,
    amendment_propose,
    amendment_reject,
    amendment_withdraw,
    contact_record,
    current_terms_notice_days,
    diff_summary,
    position_record,
    termination_notice_give,
    termination_notice_withdraw,
    terms_diff,
)
from readmit.core import clock
from readmit.core.errors import N_, ApplicationError, Forbidden, NotFound, ValidationFailed
from readmit.core.models import Country
from readmit.web.amendment_form import (
    AMEND_FIELDS,
    amend_forms,
    criteria_initial,
    form_initial,
    kept_criteria,
    place_criteria_errors,
    posted_rows,
    terms_from,
)
from readmit.web.errors import application_errors, field_message, is_htmx, message_of
from readmit.web.forms import (
    AgreementStatusForm,
    AmendTermsForm,
    ContactForm,
    PositionForm,
    TerminationNoticeForm,
)
from readmit.web.presenters import local_time

# Who records contacts and public positions: liaison officers keep the record with the other
# party; supervisors and administrators of a party may too. Caseworkers and auditors read it.
# (The services do not check roles yet; both interfaces ask this before calling them.)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _require(permitted: bool, refusal: str) -> None:
    """Refuse before anything is read from the form: the wrong role writes nothing (the
    service asks the same predicate, agreements/access.py)."""
    if not permitted:
        raise Forbidden(refusal, type="wrong-role")


def _agreement_url(agreement: Agreement, anchor: str = "") -> str:
    return reverse("web:agreement", args=[agreement.id]) + (f"#{anchor}" if anchor else "")


def _place_errors(
    form: forms.Form, exc: ApplicationError, fields: Mapping[tuple[str, ...], str]
) -> None:
    """Put the service's message on the form and each ``{loc, msg}`` next to its field."""
    form.add_error(None, message_of(exc))
    for error in exc.errors if isinstance(exc, ValidationFailed) else []:
        loc = tuple(str(part) for part in error.get("loc", ()))
        name = _longest_prefix(loc, fields)
        if name is not None and name in form.fields:
            form.add_error(name, field_message(error))


def _longest_prefix(loc: tuple[str, ...], fields: Mapping[tuple[str, ...], str]) -> str | None:
    for size in range(len(loc), 0, -1):
        if loc[:size] in fields:
            return fields[loc[:size]]
    return None


# The lifecycle panel (on the agreement page) and the status change -------------------------


@dataclass(frozen=True)
class ManageLinks:
    may_change_status: bool
    may_amend: bool
    may_record: bool


def _links(user: User, agreement: Agreement) -> ManageLinks:
    editor = can_edit_agreement(user, agreement)
    return ManageLinks(
        may_change_status=editor and bool(_next_statuses(agreement)),
        may_amend=editor and agreement.status != AgreementStatus.ENDED,
        may_record=can_record_diplomacy(user, agreement),
    )


def _next_statuses(agreement: Agreement) -> list[tuple[str, str | Promise]]:
    """The statuses the form offers: an agreement in force ends by notice, not here."""
    labels = dict(AgreementStatus.choices)
    order = list(AgreementStatus.values)
    allowed = sorted(lifecycle.allowed_next(agreement.status), key=order.index)
    if agreement.status in lifecycle.ENDS_BY_NOTICE:
        allowed = [s for s in allowed if s != lifecycle.Status.ENDED]
    return [(s.value, labels[s.value]) for s in allowed]


def _lifecycle_context(
    user: User,
    agreement: Agreement,
    form: AgreementStatusForm | None = None,
    notice_form: TerminationNoticeForm | None = None,
) -> dict[str, Any]:
    links = _links(user, agreement)
    if form is None and links.may_change_status:
        form = AgreementStatusForm(
            next_statuses=_next_statuses(agreement), initial={"on": clock.today()}
        )
    position = standing(user, agreement)
    editor = is_editor(position)
    notice = running_notice(agreement)
    may_give = editor and notice is None and agreement.status in lifecycle.ENDS_BY_NOTICE
    return {
        "agreement": agreement,
        "history": list(status_history(agreement)),
        "status_form": form if links.may_change_status else None,
        "links": links,
        "final": agreement.status in {s.value for s in lifecycle.FINAL},
        "notice": notice,
        "pending_amendments": pending_proposals(agreement).count(),
        "notice_days": current_terms_notice_days(agreement),
        "notice_form": (notice_form or TerminationNoticeForm()) if may_give else None,
        "may_withdraw_notice": editor
        and notice is not None
        and position.side is not None
        and position.side.value == notice.given_by_side,
    }


STATUS_FIELDS: dict[tuple[str, ...], str] = {
    ("status",): "status",
    ("on",): "on",
    ("source",): "source",
    ("reason",): "reason",
    ("ground",): "ground",
    ("ground_reference",): "ground_reference",
}


@require_http_methods(["GET", "POST"])
@login_required
@application_errors
def agreement_status(request: HttpRequest, agreement_id: uuid.UUID) -> HttpResponse:
    """GET: the lifecycle panel (a fragment for htmx, else a page). POST: change the status."""
    user = _user(request)
    agreement = access_agreement(user, agreement_id)
    if request.method == "GET":
        template = (
            "web/agreements/_lifecycle.html" if is_htmx(request) else "web/agreements/status.html"
        )
        return render(request, template, _lifecycle_context(user, agreement))
    _require(
        can_edit_agreement(user, agreement),
        N_("Only a supervisor or administrator of a party may change an agreement's status."),
    )
    form = AgreementStatusForm(request.POST, next_statuses=_next_statuses(agreement))
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            agreement_set_status(
                agreement=agreement.id,
                status=data["status"],
                on=data["on"],
                source=data["source"],
                reason=data["reason"],
                ground=data["ground"],
                ground_reference=data["ground_reference"],
                acting_user=user,
            )
        except ApplicationError as exc:
            if exc.status in (403, 404):
                raise
            _place_errors(form, exc, STATUS_FIELDS)
            status = exc.status
        else:
            label = dict(AgreementStatus.choices)[data["status"]]
            messages.success(
                request, _("The agreement is now %(lower)s.") % {"lower": label.lower()}
            )
            return redirect(_agreement_url(agreement, "lifecycle-title"))
    agreement.refresh_from_db()
    return render(
        request,
        "web/agreements/status.html",
        _lifecycle_context(user, agreement, form),
        status=status,
    )


@require_POST
@login_required
@application_errors
def agreement_termination(request: HttpRequest, agreement_id: uuid.UUID) -> HttpResponse:
    """Give notice of termination (``action=give``) or withdraw the running one."""
    user = _user(request)
    agreement = access_agreement(user, agreement_id)
    _require(
        can_edit_agreement(user, agreement),
        N_(
            "Only a supervisor or administrator of a party may give or withdraw notice of "
            "termination."
        ),
    )
    withdraw = request.POST.get("action") == "withdraw"
    form = TerminationNoticeForm(request.POST)
    status = 400
    if withdraw or form.is_valid():
        try:
            if withdraw:
                termination_notice_withdraw(
                    agreement=agreement.id,
                    reason=request.POST.get("reason", ""),
                    acting_user=user,
                )
                done = "The notice of termination is withdrawn."
            else:
                notice = termination_notice_give(
                    agreement=agreement.id,
                    reason=form.cleaned_data["reason"],
                    source=form.cleaned_data["source"],
                    acting_user=user,
                )
                done = (
                    f"Notice of termination given: the agreement ends on "
                    f"{notice.takes_effect_on:%Y-%m-%d} unless it is withdrawn before."
                )
        except ApplicationError as exc:
            if exc.status in (403, 404):
                raise
            if withdraw:
                form = TerminationNoticeForm()
            _place_errors(form, exc, {("reason",): "reason", ("source",): "source"})
            status = exc.status
        else:
            messages.success(request, done)
            return redirect(_agreement_url(agreement, "lifecycle-title"))
    return render(
        request,
        "web/agreements/status.html",
        _lifecycle_context(user, agreement, notice_form=form),
        status=status,
    )


# Terms and their versions --------------------------------------------------------------------


@dataclass(frozen=True)
class VersionRow:
    version: AgreementVersion
    changes: str
    current: bool
    pending: bool
    terms_json: str


def _version_rows(agreement: Agreement) -> list[VersionRow]:
    versions = list(agreement_versions(agreement))
    now = clock.now()
    in_force = [v for v in versions if v.valid_from <= now]
    current = max(in_force, key=lambda v: (v.valid_from, v.number)) if in_force else None
    rows = []
    previous: AgreementVersion | None = None
    for v in versions:
        if previous is None:
            changes = "Terms as first recorded"
        else:
            changes = diff_summary(terms_diff(previous.terms, v.terms)) or "No change"
        rows.append(
            VersionRow(
                v,
                changes,
                current is not None and v.id == current.id,
                v.valid_from > now,
                _pretty(v.terms),
            )
        )
        previous = v
    return rows


def _pretty(terms: Any) -> str:
    return json.dumps(terms, indent=2, sort_keys=True, ensure_ascii=False)


@dataclass(frozen=True)
class ProposalRow:
    proposal: AmendmentProposal
    changes: str
    may_decide: bool  # the other side's supervisor or administrator: confirm or reject
    may_withdraw: bool  # the proposing side's


def _proposal_rows(user: User, agreement: Agreement) -> list[ProposalRow]:
    position = standing(user, agreement)
    editor = is_editor(position)
    side = position.side.value if position.side is not None else None
    rows = []
    for p in agreement_proposals(agreement)[:20]:
        pending = p.state == ProposalState.PENDING
        rows.append(
            ProposalRow(
                p,
                diff_summary(proposal_changes(p)) or "No change",
                pending and editor and side is not None and side != p.proposed_by_side,
                pending and editor and side == p.proposed_by_side,
            )
        )
    return rows


def _terms_page(
    request: HttpRequest,
    user: User,
    agreement: Agreement,
    *,
    error: tuple[uuid.UUID, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "web/agreements/terms.html",
        {
            "agreement": agreement,
            "versions": list(reversed(_version_rows(agreement))),
            "proposals": _proposal_rows(user, agreement),
            "decision_error": error,
            "terms_json": _pretty(agreement.terms),
            "links": _links(user, agreement),
        },
        status=status,
    )


@require_GET
@login_required
@application_errors
def agreement_terms(request: HttpRequest, agreement_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    return _terms_page(request, user, access_agreement(user, agreement_id))


PROPOSAL_ACTIONS = {
    "confirm": "Amendment confirmed: it is the next version of the terms.",
    "reject": "Amendment rejected.",
    "withdraw": "Amendment withdrawn.",
}


@require_POST
@login_required
@application_errors
def agreement_proposal_decide(
    request: HttpRequest, agreement_id: uuid.UUID, proposal_id: uuid.UUID
) -> HttpResponse:
    """Confirm or reject the other party's proposal, or withdraw one's own."""
    user = _user(request)
    agreement = access_agreement(user, agreement_id)
    proposal = agreement_proposals(agreement).filter(id=proposal_id).first()
    if proposal is None:
        raise NotFound(N_("No such amendment proposal."))
    action = request.POST.get("action", "")
    if action not in PROPOSAL_ACTIONS:
        raise ApplicationError(N_("Choose confirm, reject or withdraw."))
    reason = request.POST.get("reason", "")
    try:
        if action == "confirm":
            amendment_confirm(proposal=proposal, acting_user=user)
        elif action == "reject":
            amendment_reject(proposal=proposal, reason=reason, acting_user=user)
        else:
            amendment_withdraw(proposal=proposal, reason=reason, acting_user=user)
    except ApplicationError as exc:
        if exc.status in (403, 404):
            raise
        return _terms_page(
            request, user, agreement, error=(proposal.id, message_of(exc)), status=exc.status
        )
    messages.success(request, PROPOSAL_ACTIONS[action])
    return redirect(reverse("web:agreement_terms", args=[agreement.id]) + "#proposals-title")


def _latest_terms(agreement: Agreement) -> dict[str, Any]:
    """What an amendment starts from: the newest version (the service merges into it)."""
    latest = agreement_versions(agreement).last()
    return copy.deepcopy(latest.terms if latest is not None else agreement.terms)


@require_http_methods(["GET", "POST"])
@login_required
@application_errors
def agreement_amend_view(request: HttpRequest, agreement_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    agreement = access_agreement(user, agreement_id)
    _require(
        can_edit_agreement(user, agreement),
        N_("Only a supervisor or administrator of a party may amend an agreement."),
    )
    base = _latest_terms(agreement)
    status = 200
    if request.method == "GET":
        form, formset = amend_forms(initial=form_initial(base), rows=criteria_initial(base))
    elif "add_row" in request.POST:
        # Another empty row, nothing validated or saved yet; what was typed stays.
        posted = {k: request.POST.get(k) for k in AmendTermsForm.base_fields}
        form, formset = amend_forms(initial=posted, rows=[*posted_rows(request.POST), {}])
    else:
        form, formset = amend_forms(request.POST)
        status = 400
        if form.is_valid() and formset.is_valid():
            criteria, rows = kept_criteria(formset)
            terms = terms_from(base, form.cleaned_data, criteria)
            # Only the settings the form changed are proposed; the rest stays as it is.
            changes = {k: v for k, v in terms.items() if base.get(k) != v}
            valid_from = form.cleaned_data["valid_from"] or clock.now()
            try:
                proposal = amendment_propose(
                    agreement=agreement.id,
                    changes=changes,
                    valid_from=valid_from,
                    reason=form.cleaned_data["reason"],
                    source=form.cleaned_data["source"],
                    acting_user=user,
                )
            except ApplicationError as exc:
                if exc.status in (403, 404):
                    raise
                _place_errors(form, exc, AMEND_FIELDS)
                place_criteria_errors(formset, exc, rows)
                status = exc.status
            else:
                messages.success(
                    request,
                    "Amendment proposed: it is in force only once the other party confirms "
                    f"it (from {local_time(proposal.valid_from)} at the earliest).",
                )
                return redirect(
                    reverse("web:agreement_terms", args=[agreement.id]) + "#proposals-title"
                )
    return render(
        request,
        "web/agreements/amend.html",
        {
            "agreement": agreement,
            "form": form,
            "formset": formset,
            "latest_json": _pretty(base),
        },
        status=status,
    )


# The diplomatic record -----------------------------------------------------------------------


def _country_choices(agreement: Agreement) -> list[tuple[str, str]]:
    """The parties' states first, then every other country by name."""
    parties = [
        p.organisation.country
        for p in agreement.parties.select_related("organisation__country").order_by("-side")
    ]
    first = list(dict.fromkeys(c.code for c in parties))
    named = {c.code: c.name for c in parties}
    rest = [(c.code, c.name) for c in Country.objects.exclude(code__in=first).order_by("name")]
    return [(code, named[code]) for code in first] + rest


def _record_page(
    request: HttpRequest, agreement: Agreement, form: forms.Form, *, kind: str, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "web/agreements/record.html",
        {"agreement": agreement, "form": form, "kind": kind},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
@application_errors
def agreement_contact_new(request: HttpRequest, agreement_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    agreement = access_agreement(user, agreement_id)
    _require(
        can_record_diplomacy(user, agreement),
        N_(
            "Only a liaison officer, supervisor or administrator of a party may record a "
            "diplomatic contact."
        ),
    )
    countries = _country_choices(agreement)
    kwargs: dict[str, Any] = {"countries": countries, "channels": ContactChannel.choices}
    if request.method == "GET":
        sending, receiving = agreement.sending_party, agreement.receiving_party
        initial = {
            "occurred_on": clock.today(),
            "from_country": sending.organisation.country_id if sending else "",
            "to_country": receiving.organisation.country_id if receiving else "",
        }
        return _record_page(
            request, agreement, ContactForm(initial=initial, **kwargs), kind="contact"
        )
    form = ContactForm(request.POST, **kwargs)
    if not form.is_valid():
        return _record_page(request, agreement, form, kind="contact", status=400)
    data = form.cleaned_data
    try:
        contact_record(
            agreement=agreement,
            occurred_on=data["occurred_on"],
            from_country=data["from_country"],
            to_country=data["to_country"],
            channel=data["channel"],
            summary=data["summary"].strip(),
            source=data["source"].strip(),
            acting_user=user,
        )
    except ApplicationError as exc:
        if exc.status in (403, 404):
            raise
        _place_errors(form, exc, {})
        return _record_page(request, agreement, form, kind="contact", status=exc.status)
    messages.success(request, _("Contact recorded."))
    return redirect(_agreement_url(agreement, "contacts-title"))


@require_http_methods(["GET", "POST"])
@login_required
@application_errors
def agreement_position_new(request: HttpRequest, agreement_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    agreement = access_agreement(user, agreement_id)
    _require(
        can_record_diplomacy(user, agreement),
        N_(
            "Only a liaison officer, supervisor or administrator of a party may record a public "
            "position."
        ),
    )
    kwargs: dict[str, Any] = {"countries": _country_choices(agreement), "stances": Stance.choices}
    if request.method == "GET":
        receiving = agreement.receiving_party
        initial = {
            "stated_on": clock.today(),
            "country": receiving.organisation.country_id if receiving else "",
        }
        return _record_page(
            request, agreement, PositionForm(initial=initial, **kwargs), kind="position"
        )
    form = PositionForm(request.POST, **kwargs)
    if not form.is_valid():
        return _record_page(request, agreement, form, kind="position", status=400)
    data = form.cleaned_data
    try:
        position_record(
            agreement=agreement,
            country=data["country"],
            stated_on=data["stated_on"],
            stance=data["stance"],
            statement=data["statement"].strip(),
            source=data["source"].strip(),
            acting_user=user,
        )
    except ApplicationError as exc:
        if exc.status in (403, 404):
            raise
        _place_errors(form, exc, {})
        return _record_page(request, agreement, form, kind="position", status=exc.status)
    messages.success(request, _("Public position recorded."))
    return redirect(_agreement_url(agreement, "positions-title"))
