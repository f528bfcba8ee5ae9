"""Reads on agreements that interfaces share (terms in force, quota figures, history)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from pydantic import ValidationError as PydanticValidationError

from readmit.agreements.models import (
    Agreement,
    AgreementStatusChange,
    AgreementVersion,
    AmendmentProposal,
    NoticeState,
    ProposalState,
    TerminationNotice,
)
from readmit.agreements.quota import QuotaStatus, period_containing
from readmit.agreements.terms import AgreementTerms
from readmit.core import clock


def partner_names(agreement: Agreement, side: str | None) -> str:
    """The organisations on the other side of the agreement from ``side``: who reads the
    reason of a decision taken from that side (empty for a non-party)."""
    if side is None:
        return ""
    parties = agreement.parties.select_related("organisation").order_by("side")
    return ", ".join(p.organisation.name for p in parties if p.side != side)


def version_at(agreement: Agreement, when: dt.datetime) -> AgreementVersion | None:
    """The version in force at ``when``: the newest whose ``valid_from`` is not after it.

    Before version 1's ``valid_from`` (an agreement recorded after it took effect) version 1
    applies. None only for an agreement without versions (not created by a service).
    """
    if timezone.is_naive(when):
        raise ValueError("terms_at needs a timezone-aware datetime")
    versions = AgreementVersion.objects.filter(agreement=agreement)
    return (
        versions.filter(valid_from__lte=when).order_by("-valid_from", "-number").first()
        or versions.order_by("number").first()
    )


def terms_at(agreement: Agreement, when: dt.datetime) -> AgreementTerms:
    """The terms in force at ``when``. Every decision applies the terms of its own moment."""
    version = version_at(agreement, when)
    if version is None:
        return agreement.parsed_terms
    return version.parsed_terms


def terms_in_force(agreement: Agreement, at: dt.datetime) -> tuple[AgreementTerms, int | None]:
    """The terms in force at ``at`` and the number of the version they come from (None for
    an agreement without versions): a decision records which version it applied."""
    version = version_at(agreement, at)
    if version is None:
        return agreement.parsed_terms, None
    return version.parsed_terms, int(version.number)


def current_terms(agreement: Agreement) -> AgreementTerms:
    return terms_at(agreement, clock.now())


def _moment_of(day: dt.date) -> dt.datetime:
    """Now for today; the last instant of any other day (its terms as they stood that day)."""
    if day == clock.today():
        return clock.now()
    return dt.datetime.combine(day, dt.time.max, tzinfo=dt.UTC)


def quota_status(agreement: Agreement, *, day: dt.date | None = None) -> QuotaStatus | None:
    """Places taken in the period containing ``day`` (today by default); None without a quota.

    The limit is the one in force on ``day``, so a raised cap shows once it is current.
    """
    day = day or clock.today()
    terms = terms_at(agreement, _moment_of(day))
    if terms.quota is None:
        return None
    period = period_containing(
        terms.quota, day=day, in_force_from=agreement.in_force_from, ends_on=agreement.ends_on
    )
    used = 0
    if period is not None:
        from readmit.cases.models import QuotaAllocation

        used = QuotaAllocation.objects.filter(
            agreement=agreement, period_start=period.start, released_at__isnull=True
        ).count()
    return QuotaStatus(limit=terms.quota.limit, used=used, period=period)


def agreement_versions(agreement: Agreement) -> QuerySet[AgreementVersion]:
    return (
        AgreementVersion.objects.filter(agreement=agreement)
        .select_related("recorded_by")
        .order_by("number")
    )


def status_history(agreement: Agreement) -> QuerySet[AgreementStatusChange]:
    return (
        AgreementStatusChange.objects.filter(agreement=agreement)
        .select_related("changed_by")
        .order_by("on", "created_at")
    )


def agreement_proposals(
    agreement: Agreement, *, state: str | None = None
) -> QuerySet[AmendmentProposal]:
    """Amendments proposed by either party, newest first: both parties read them."""
    proposals = AmendmentProposal.objects.filter(agreement=agreement)
    if state is not None:
        proposals = proposals.filter(state=state)
    return proposals.select_related(
        "proposed_by_organisation", "proposed_by", "decided_by", "version"
    ).order_by("-created_at")


def pending_proposals(agreement: Agreement) -> QuerySet[AmendmentProposal]:
    return agreement_proposals(agreement, state=ProposalState.PENDING)


def proposal_changes(proposal: AmendmentProposal) -> dict[str, dict[str, Any]]:
    """What the proposal changes, by dotted path: for a confirmed one, what its version
    changed; otherwise what it would change in the latest version now ({} if the result
    would no longer be valid terms)."""
    from readmit.agreements.services import merge_changes, terms_diff

    if proposal.version is not None:
        previous = AgreementVersion.objects.filter(
            agreement_id=proposal.agreement_id, number=proposal.version.number - 1
        ).first()
        return terms_diff(previous.terms if previous else {}, proposal.version.terms)
    latest = (
        AgreementVersion.objects.filter(agreement_id=proposal.agreement_id)
        .order_by("-number")
        .first()
    )
    before = latest.terms if latest is not None else proposal.agreement.terms
    try:
        after = AgreementTerms.model_validate(merge_changes(before, proposal.changes))
    except PydanticValidationError:
        return {}
    return terms_diff(before, after.model_dump(mode="json"))


def termination_notices(agreement: Agreement) -> QuerySet[TerminationNotice]:
    return (
        TerminationNotice.objects.filter(agreement=agreement)
        .select_related("given_by_organisation", "given_by", "withdrawn_by")
        .order_by("-created_at")
    )


def running_notice(agreement: Agreement) -> TerminationNotice | None:
    return termination_notices(agreement).filter(state=NoticeState.PENDING).first()
