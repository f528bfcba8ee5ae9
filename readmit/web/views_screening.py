"""Screening pages: watchlists, an agreement's screening and review queue, duplicates.

Thin, like ``views``: reads go through ``readmit.screening.selectors`` (the gates), writes
through the screening services; refusals become 404/403 or a message on the page.
``readmit/web/urls.py`` adds :data:`urlpatterns` to the site's own.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from readmit.accounts.access import (
    access_agreement,
    organisation_ids,
    roles_in,
    standing,
    visible_agreements,
)
from readmit.accounts.models import User
from readmit.agreements.selectors import partner_names
from readmit.cases.workflow import Side
from readmit.core.errors import N_, ApplicationError
from readmit.screening import selectors
from readmit.screening.duplicates import (
    DUPLICATE_FINDERS,
    duplicate_mark_distinct,
    duplicates_find,
    person_merge,
)
from readmit.screening.models import MatchStatus, SourceKind
from readmit.screening.services import (
    LIST_IMPORTERS,
    LIST_MANAGERS,
    REVIEWERS,
    SCREENERS,
    agreement_watchlist_add,
    default_threshold,
    screening_match_review,
    screening_run_start,
    watchlist_create,
    watchlist_import,
    watchlist_set_sharing,
)
from readmit.web.errors import application_errors, is_htmx, message_of

ENTRIES_SHOWN = 200
RUNS_SHOWN = 20


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


# Watchlists ----------------------------------------------------------------------------


def _watchlists_context(user: User, **extra: Any) -> dict[str, Any]:
    lists = list(
        selectors.visible_watchlists(user)
        .select_related("owner", "owner__country")
        .prefetch_related("versions", "agreement_links__agreement")
    )
    mine = set(visible_agreements(user).values_list("id", flat=True))
    rows = [
        {
            "watchlist": w,
            "latest": max(w.versions.all(), key=lambda v: v.number, default=None),
            "agreements": [
                link.agreement for link in w.agreement_links.all() if link.agreement_id in mine
            ],
            "can_import": bool(roles_in(user, w.owner_id) & LIST_IMPORTERS),
        }
        for w in lists
    ]
    owners = [
        m.organisation
        for m in user.memberships.select_related("organisation")
        if roles_in(user, m.organisation_id) & LIST_MANAGERS
    ]
    return {
        "rows": rows,
        "owners": list({o.id: o for o in owners}.values()),
        "source_kinds": SourceKind.choices,
        **extra,
    }


@require_GET
@login_required
@application_errors
def watchlists(request: HttpRequest) -> HttpResponse:
    return render(request, "web/screening/watchlists.html", _watchlists_context(_user(request)))


@require_POST
@login_required
@application_errors
def watchlist_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    owner = next(
        (
            m.organisation
            for m in user.memberships.select_related("organisation")
            if str(m.organisation_id) == request.POST.get("owner", "")
        ),
        None,
    )
    try:
        if owner is None:
            raise ApplicationError(N_("Choose the organisation that owns the list."))
        created = watchlist_create(
            name=request.POST.get("name", ""),
            slug=request.POST.get("slug", ""),
            owner=owner,
            source_kind=request.POST.get("source_kind", ""),
            description=request.POST.get("description", ""),
            shared_with_parties=request.POST.get("shared_with_parties") == "on",
            acting_user=user,
        )
    except ApplicationError as exc:
        context = _watchlists_context(user, create_error=message_of(exc), typed=request.POST)
        return render(request, "web/screening/watchlists.html", context, status=exc.status)
    messages.success(
        request,
        _("Watchlist '%(name)s' created; import its first version.") % {"name": created.name},
    )
    return redirect(reverse("web:watchlist", args=[created.id]))


def _watchlist_context(user: User, watchlist_id: uuid.UUID, **extra: Any) -> dict[str, Any]:
    watchlist = selectors.access_watchlist(user, watchlist_id)
    versions = list(selectors.watchlist_versions(watchlist))
    latest = versions[0] if versions else None
    readable = selectors.entries_visible(user, watchlist)
    entries = (
        list(selectors.watchlist_entries(latest)[:ENTRIES_SHOWN]) if latest and readable else []
    )
    return {
        "watchlist": watchlist,
        "versions": versions,
        "latest": latest,
        "entries": entries,
        "entries_readable": readable,
        "entries_shown": ENTRIES_SHOWN,
        "can_import": bool(roles_in(user, watchlist.owner_id) & LIST_IMPORTERS),
        "can_share": bool(roles_in(user, watchlist.owner_id) & LIST_MANAGERS),
        "formats": [
            ("csv", "CSV"),
            ("ftm", "FollowTheMoney JSON lines"),
            ("un-xml", "UN consolidated list XML"),
        ],
        **extra,
    }


@require_GET
@login_required
@application_errors
def watchlist_detail(request: HttpRequest, watchlist_id: uuid.UUID) -> HttpResponse:
    context = _watchlist_context(_user(request), watchlist_id)
    return render(request, "web/screening/watchlist_detail.html", context)


@require_POST
@login_required
@application_errors
def watchlist_upload(request: HttpRequest, watchlist_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    watchlist = selectors.access_watchlist(user, watchlist_id)
    upload = request.FILES.get("file")
    fmt = request.POST.get("format") or None
    try:
        if upload is None:
            raise ApplicationError(N_("Choose a file to import."))
        version = watchlist_import(
            watchlist=watchlist,
            path_or_file=upload,
            fmt=fmt,
            filename=upload.name or "",
            acting_user=user,
        )
    except ApplicationError as exc:
        context = _watchlist_context(user, watchlist.id, import_error=message_of(exc))
        return render(request, "web/screening/watchlist_detail.html", context, status=exc.status)
    messages.success(
        request,
        f"Version {version.number} imported: {version.entry_count} people"
        + (f", {version.skipped_count} other records skipped" if version.skipped_count else "")
        + ". Cases of agreements using this list are being screened again.",
    )
    return redirect(reverse("web:watchlist", args=[watchlist.id]))


@require_POST
@login_required
@application_errors
def watchlist_sharing(request: HttpRequest, watchlist_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    watchlist = selectors.access_watchlist(user, watchlist_id)
    shared = request.POST.get("shared") == "on"
    try:
        changed = watchlist_set_sharing(
            watchlist=watchlist,
            shared=shared,
            reason=request.POST.get("reason", ""),
            acting_user=user,
        )
    except ApplicationError as exc:
        if exc.status in (403, 404):
            raise
        context = _watchlist_context(user, watchlist.id, sharing_error=message_of(exc))
        return render(request, "web/screening/watchlist_detail.html", context, status=exc.status)
    messages.success(
        request,
        "Its entries are now shared with the other parties of agreements that use it."
        if changed.shared_with_parties
        else "Its entries are now seen by your organisation only.",
    )
    return redirect(reverse("web:watchlist", args=[watchlist.id]))


# An agreement's screening -------------------------------------------------------------------


def _screening_context(user: User, agreement_id: uuid.UUID, **extra: Any) -> dict[str, Any]:
    agreement = access_agreement(user, agreement_id)
    position = standing(user, agreement)
    links = list(selectors.agreement_watchlist_links(agreement))
    current = {v.watchlist_id: v for v in selectors.current_versions(agreement)}
    return {
        "agreement": agreement,
        "links": [(link, current.get(link.watchlist_id)) for link in links],
        "runs": list(
            selectors.agreement_runs(user, agreement).select_related("started_by")[:RUNS_SHOWN]
        ),
        "queue": list(selectors.review_queue(user, agreement=agreement)),
        "unscreenable": selectors.unscreenable_cases(user, agreement),
        "reviewed": list(
            selectors.review_queue(user, agreement=agreement, status=MatchStatus.CONFIRMED)
        )
        + list(
            selectors.review_queue(user, agreement=agreement, status=MatchStatus.DISMISSED)[:50]
        ),
        "can_start": bool(position.is_party and position.roles & SCREENERS),
        "default_threshold": default_threshold(),
        "can_choose": bool(position.is_party and position.roles & LIST_MANAGERS),
        # Only lists the caller's organisation owns, and only if it is a party: the rule of
        # agreement_watchlist_add, so nothing is offered that would be refused.
        "choosable": selectors.visible_watchlists(user)
        .filter(owner_id__in=organisation_ids(user, roles=LIST_MANAGERS))
        .filter(owner_id__in=agreement.parties.values_list("organisation_id", flat=True))
        .exclude(id__in=[link.watchlist_id for link in links])
        .order_by("name"),
        "can_review": position.side == Side.RECEIVING and bool(position.roles & REVIEWERS),
        "readable_lists": selectors.readable_watchlist_ids(user),
        "partner_names": partner_names(agreement, position.side),
        **extra,
    }


@require_GET
@login_required
@application_errors
def agreement_screening(request: HttpRequest, agreement_id: uuid.UUID) -> HttpResponse:
    context = _screening_context(_user(request), agreement_id)
    return render(request, "web/screening/agreement_screening.html", context)


@require_POST
@login_required
@application_errors
def agreement_screening_start(request: HttpRequest, agreement_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    agreement = access_agreement(user, agreement_id)
    try:
        run = screening_run_start(
            agreement=agreement, acting_user=user, reference=request.POST.get("reference", "")[:120]
        )
    except ApplicationError as exc:
        if exc.status in (403, 404):
            raise
        context = _screening_context(user, agreement.id, start_error=message_of(exc))
        return render(request, "web/screening/agreement_screening.html", context, status=exc.status)
    messages.success(
        request, _("Screening of %(case_count)s cases started.") % {"case_count": run.case_count}
    )
    return redirect(reverse("web:agreement_screening", args=[agreement.id]))


@require_POST
@login_required
@application_errors
def agreement_watchlist_choose(request: HttpRequest, agreement_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    agreement = access_agreement(user, agreement_id)
    watchlist = selectors.access_watchlist(user, request.POST.get("watchlist", ""))
    raw = request.POST.get("threshold", "").strip()
    try:
        try:
            threshold = float(raw) if raw else None
        except ValueError:
            raise ApplicationError(N_("The threshold must be a number such as 0.85.")) from None
        agreement_watchlist_add(
            agreement=agreement, watchlist=watchlist, acting_user=user, threshold=threshold
        )
    except ApplicationError as exc:
        if exc.status in (403, 404):
            raise
        context = _screening_context(user, agreement.id, choose_error=message_of(exc))
        return render(request, "web/screening/agreement_screening.html", context, status=exc.status)
    messages.success(
        request, _("The agreement now screens against '%(name)s'.") % {"name": watchlist.name}
    )
    return redirect(reverse("web:agreement_screening", args=[agreement.id]))


@require_POST
@login_required
@application_errors
def match_review(request: HttpRequest, match_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    match = selectors.access_match(user, match_id)
    error = ""
    status = 200
    try:
        match = screening_match_review(
            match=match,
            decision=request.POST.get("decision", ""),
            reason=request.POST.get("reason", ""),
            internal_note=request.POST.get("internal_note", ""),
            acting_user=user,
        )
    except ApplicationError as exc:
        if exc.status in (403, 404):
            raise
        error, status = message_of(exc), exc.status
        match = selectors.access_match(user, match_id)
    if not is_htmx(request):
        if error:
            messages.error(request, error)
        else:
            messages.success(
                request, _("Match %(lower)s.") % {"lower": match.get_status_display().lower()}
            )
        return redirect(reverse("web:agreement_screening", args=[match.case.agreement_id]))
    position = standing(user, match.case.agreement)
    context = {
        "m": match,
        "error": error,
        "reason": request.POST.get("reason", ""),
        "internal_note": request.POST.get("internal_note", "") if error else "",
        "can_review": position.side == Side.RECEIVING and bool(position.roles & REVIEWERS),
        "readable_lists": selectors.readable_watchlist_ids(user),
        "partner_names": partner_names(match.case.agreement, position.side),
    }
    return render(request, "web/screening/_match_row.html", context, status=status)


# Duplicates ------------------------------------------------------------------------------


def _duplicates_context(user: User, **extra: Any) -> dict[str, Any]:
    return {
        "candidates": list(selectors.duplicate_queue(user)),
        "can_find": bool(organisation_ids(user, roles=DUPLICATE_FINDERS)),
        **extra,
    }


@require_GET
@login_required
@application_errors
def duplicates(request: HttpRequest) -> HttpResponse:
    return render(request, "web/screening/duplicates.html", _duplicates_context(_user(request)))


@require_POST
@login_required
@application_errors
def duplicates_search(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    found = duplicates_find(acting_user=user)
    messages.success(request, _("%(len)s new possible duplicates found.") % {"len": len(found)})
    return redirect(reverse("web:duplicates"))


@require_POST
@login_required
@application_errors
def duplicate_decide(request: HttpRequest, candidate_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    candidate = selectors.access_duplicate(user, candidate_id)
    decision = request.POST.get("decision", "")
    reason = request.POST.get("reason", "")
    try:
        if decision == "merge":
            person_merge(candidate=candidate, acting_user=user, reason=reason)
        elif decision == "distinct":
            duplicate_mark_distinct(candidate=candidate, acting_user=user, reason=reason)
        else:
            raise ApplicationError(N_("Choose merge or distinct."))
    except ApplicationError as exc:
        if exc.status == 404:
            raise
        context = _duplicates_context(
            user, error=message_of(exc), failed_id=candidate.id, reason=reason
        )
        return render(request, "web/screening/duplicates.html", context, status=exc.status)
    messages.success(
        request,
        "Merged: both records and their cases are kept."
        if decision == "merge"
        else "Marked as two different people.",
    )
    return redirect(reverse("web:duplicates"))


urlpatterns = [
    path("screening/watchlists/", watchlists, name="watchlists"),
    path("screening/watchlists/new/", watchlist_new, name="watchlist_new"),
    path("screening/watchlists/<uuid:watchlist_id>/", watchlist_detail, name="watchlist"),
    path(
        "screening/watchlists/<uuid:watchlist_id>/import/",
        watchlist_upload,
        name="watchlist_import",
    ),
    path(
        "screening/watchlists/<uuid:watchlist_id>/sharing/",
        watchlist_sharing,
        name="watchlist_sharing",
    ),
    path(
        "agreements/<uuid:agreement_id>/screening/", agreement_screening, name="agreement_screening"
    ),
    path(
        "agreements/<uuid:agreement_id>/screening/start/",
        agreement_screening_start,
        name="agreement_screening_start",
    ),
    path(
        "agreements/<uuid:agreement_id>/screening/watchlists/",
        agreement_watchlist_choose,
        name="agreement_watchlist_choose",
    ),
    path("screening/matches/<uuid:match_id>/review/", match_review, name="match_review"),
    path("screening/duplicates/", duplicates, name="duplicates"),
    path("screening/duplicates/find/", duplicates_search, name="duplicates_find"),
    path(
        "screening/duplicates/<uuid:candidate_id>/decide/",
        duplicate_decide,
        name="duplicate_decide",
    ),
]
