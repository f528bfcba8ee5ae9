"""Reads for relocation and reception. Every one starts from the gates in accounts.access."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, QuerySet

from readmit.accounts.access import organisation_ids, visible_cases
from readmit.accounts.models import User
from readmit.accounts.roles import CASE_READERS
from readmit.agreements.criteria import PersonFacts, convictions_from_records
from readmit.agreements.models import Agreement, Site
from readmit.agreements.selectors import terms_in_force
from readmit.cases.models import Case
from readmit.core import clock
from readmit.relocation.models import (
    CriteriaEvaluation,
    LegalHold,
    ProposalList,
    ReceptionStay,
    TransferPlan,
)
from readmit.screening import selectors as screening_selectors


def latest_evaluation(case: Case) -> CriteriaEvaluation | None:
    """The newest criteria evaluation of the case (the caller has passed the case gate)."""
    return (
        CriteriaEvaluation.objects.filter(case=case)
        .order_by("-evaluated_at", "-created_at")
        .first()
    )


def latest_evaluations(cases: list[Case]) -> dict[object, CriteriaEvaluation]:
    """The newest evaluation per case, in one query (list pages)."""
    latest: dict[object, CriteriaEvaluation] = {}
    for evaluation in CriteriaEvaluation.objects.filter(case__in=cases).order_by(
        "case_id", "-evaluated_at", "-created_at"
    ):
        latest.setdefault(evaluation.case_id, evaluation)
    return latest


def proposal_lists(user: User, agreement: Agreement) -> QuerySet[ProposalList]:
    """The lists of an agreement the caller's organisation is party to."""
    readers = organisation_ids(user, roles=CASE_READERS)
    if not agreement.parties.filter(organisation_id__in=readers).exists():
        return ProposalList.objects.none()
    return ProposalList.objects.filter(agreement=agreement)


def open_stay(case: Case) -> ReceptionStay | None:
    return ReceptionStay.objects.filter(case=case, ended_at__isnull=True).first()


def open_holds(case: Case) -> list[LegalHold]:
    """The holds in place on a case, newest first, with the organisation that placed each."""
    return list(
        LegalHold.objects.filter(case=case, lifted_at__isnull=True).select_related("organisation")
    )


def site_occupancy(site: Site) -> int:
    return ReceptionStay.objects.filter(site=site, ended_at__isnull=True).count()


def agreement_occupancy(agreement: Agreement) -> int:
    return ReceptionStay.objects.filter(site__agreement=agreement, ended_at__isnull=True).count()


@dataclass(frozen=True)
class StayAlert:
    stay: ReceptionStay
    days_left: int

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


def stays_ending(
    user: User, within_days: int | None = None, *, today: dt.date | None = None
) -> list[StayAlert]:
    """Open stays on the caller's cases whose maximum length ends within ``within_days``
    (by default each agreement's ``stay_alert_days``), or has passed; soonest first."""
    today = today or clock.today()
    stays = (
        ReceptionStay.objects.filter(
            case__in=visible_cases(user), ended_at__isnull=True, max_end__isnull=False
        )
        .select_related("case", "case__person", "case__agreement", "site")
        .order_by("max_end")
    )
    alerts = []
    window: dict[object, int] = {}
    for stay in stays:
        assert stay.max_end is not None
        days = within_days
        if days is None:
            agreement_id = stay.case.agreement_id
            if agreement_id not in window:
                window[agreement_id] = terms_in_force(stay.case.agreement, clock.now())[
                    0
                ].stay_alert_days
            days = window[agreement_id]
        left = (stay.max_end - today).days
        if left <= days:
            alerts.append(StayAlert(stay, left))
    return alerts


@dataclass(frozen=True)
class RelocationSummary:
    """What a case page shows about relocation and reception (after the case gate)."""

    evaluation: CriteriaEvaluation | None
    transfer_plan: TransferPlan | None
    stay: ReceptionStay | None  # the open stay, else the latest one
    recommendation: dict[str, str] | None
    decision: dict[str, str] | None


def case_relocation_summary(case: Case) -> RelocationSummary:
    stay = (
        ReceptionStay.objects.filter(case=case)
        .select_related("site")
        .order_by(F("ended_at").desc(nulls_first=True), "-arrived_at")
        .first()
    )
    return RelocationSummary(
        evaluation=latest_evaluation(case),
        transfer_plan=TransferPlan.objects.filter(case=case).order_by("-created_at").first(),
        stay=stay,
        recommendation=case.data.get("recommendation"),
        decision=case.data.get("decision"),
    )


# Criteria: what the engine may know about a person -----------------------------------


def watchlist_status_for(case: Case) -> str | None:
    """The person's screening status for the ``no_watchlist_match`` criterion.

    ``confirmed_match``, ``no_match``, ``pending_review``, or
    None when the person has not been screened against the current version of every list
    the agreement uses. None evaluates to *unknown* (never a pass), so nobody can be
    selected under a watchlist criterion before screening has answered.
    """
    status: str | None = screening_selectors.watchlist_status(case)
    return status


def person_facts(case: Case) -> PersonFacts:
    """What the criteria engine may know about the case's person; missing facts stay None.

    A list can say a person's convictions or vulnerabilities are *not known*; the person
    record cannot hold that, so the case keeps it in ``data["facts_unknown"]``.
    """
    return facts_of(
        case,
        nationalities=frozenset(case.person.nationalities.values_list("code", flat=True)),
        watchlist_status=watchlist_status_for(case),
    )


def facts_of(
    case: Case, *, nationalities: frozenset[str], watchlist_status: str | None
) -> PersonFacts:
    """:func:`person_facts` with the two facts that need queries given (read in bulk for
    many cases at once: ``readmit.relocation.bulk``)."""
    person = case.person
    unknown = set(case.data.get("facts_unknown", ()))
    convictions = None if "convictions" in unknown else person.convictions
    vulnerabilities = (
        None if "vulnerabilities" in unknown else frozenset(str(v) for v in person.vulnerabilities)
    )
    return PersonFacts(
        birth_year=person.birth_year,
        birth_month=person.birth_month,
        birth_day=person.birth_day,
        sex=person.sex,
        nationalities=nationalities,
        convictions=convictions_from_records(convictions),
        pending_criminal_case=person.pending_criminal_case,
        vulnerabilities=vulnerabilities,
        watchlist_status=watchlist_status,
    )


# Lists and families ------------------------------------------------------------------


def proposal_list_cases(proposal_list: ProposalList) -> list[Case]:
    return [
        e.case for e in proposal_list.entries.select_related("case", "case__person").order_by("row")
    ]


def family_members(case: Case, *, lock: bool = False) -> list[Case]:
    """The other cases of the same family group under the same agreement that still count:
    a withdrawn or closed member no longer travels with the family."""
    if not case.family_group:
        return []
    members = (
        Case.objects.filter(agreement_id=case.agreement_id, family_group=case.family_group)
        .exclude(id=case.id)
        .exclude(state__in=("withdrawn", "closed"))
        .order_by("id")
    )
    if lock:
        members = members.select_for_update()
    return list(members)


def planned_dates(cases: list[Case]) -> dict[Case, dt.datetime]:
    """The planned transfer of each case that has a plan (its latest), in one query."""
    by_id = {c.id: c for c in cases}
    dates: dict[Case, dt.datetime] = {}
    for case_id, planned_for in (
        TransferPlan.objects.filter(case_id__in=list(by_id))
        .order_by("case_id", "-created_at")
        .values_list("case_id", "planned_for")
    ):
        dates.setdefault(by_id[case_id], planned_for)
    return dates
