"""Reads on watchlists, screening runs, matches and duplicates; every one starts at a gate.

Visibility follows the records: a watchlist is visible to its owner organisation and to the
parties of agreements that use it; a run to the parties of its agreement; a match to whoever
may see its case. Anything else answers ``NotFound``, exactly like a missing id.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Max, Q, QuerySet

from readmit.accounts.access import (
    _parse_id,
    organisation_ids,
    visible_cases,
    visible_people,
)
from readmit.accounts.roles import CASE_READERS
from readmit.core.errors import N_, NotFound
from readmit.screening.models import (
    AgreementWatchlist,
    DuplicateCandidate,
    DuplicateStatus,
    MatchStatus,
    RunStatus,
    ScreeningMatch,
    ScreeningRun,
    Watchlist,
    WatchlistEntry,
    WatchlistVersion,
)

if TYPE_CHECKING:
    from readmit.accounts.models import User
    from readmit.agreements.models import Agreement
    from readmit.cases.models import Case, Person

CONFIRMED_MATCH = "confirmed_match"
PENDING_REVIEW = "pending_review"
NO_MATCH = "no_match"
NOT_SCREENABLE = "not_screenable"


# Watchlists -------------------------------------------------------------------------------


def visible_watchlists(user: User) -> QuerySet[Watchlist]:
    orgs = organisation_ids(user)
    return Watchlist.objects.filter(
        Q(owner_id__in=orgs) | Q(agreement_links__agreement__parties__organisation_id__in=orgs)
    ).distinct()


def entries_visible(user: User, watchlist: Watchlist) -> bool:
    """Whether ``user`` may read the list's entries: its owner's people, or a shared list.

    Seeing a list (``visible_watchlists``) is not reading it: the other parties of an
    agreement that uses a national list learn its name, its versions and the outcome of
    each review, not who is on it.
    """
    return watchlist.shared_with_parties or watchlist.owner_id in organisation_ids(user)


def readable_watchlist_ids(user: User) -> set[uuid.UUID]:
    """Ids of the visible lists whose entries ``user`` may read (see ``entries_visible``)."""
    orgs = organisation_ids(user)
    return set(
        visible_watchlists(user)
        .filter(Q(owner_id__in=orgs) | Q(shared_with_parties=True))
        .values_list("id", flat=True)
    )


def access_watchlist(user: User, key: uuid.UUID | str) -> Watchlist:
    """By id or slug; a list the caller may not see answers like one that does not exist."""
    watchlists = visible_watchlists(user).select_related("owner")
    found: Watchlist | None
    try:
        found = watchlists.filter(id=uuid.UUID(str(key))).first()
    except ValueError:
        found = watchlists.filter(slug=str(key)).first()
    if found is None:
        raise NotFound(N_("No such watchlist."))
    return found


def watchlist_latest_version(watchlist: Watchlist) -> WatchlistVersion | None:
    return watchlist.versions.order_by("-number").first()


def watchlist_versions(watchlist: Watchlist) -> QuerySet[WatchlistVersion]:
    return watchlist.versions.select_related("imported_by").order_by("-number")


def watchlist_entries(version: WatchlistVersion) -> QuerySet[WatchlistEntry]:
    return version.entries.order_by("name")


def agreement_watchlist_links(agreement: Agreement) -> QuerySet[AgreementWatchlist]:
    return (
        AgreementWatchlist.objects.filter(agreement=agreement)
        .select_related("watchlist", "watchlist__owner")
        .order_by("watchlist__name")
    )


def current_versions(agreement: Agreement) -> list[WatchlistVersion]:
    """The newest version of each list the agreement uses (lists never imported are left out)."""
    return current_versions_of(agreement.id)


def current_versions_of(agreement_id: uuid.UUID) -> list[WatchlistVersion]:
    latest = (
        WatchlistVersion.objects.filter(watchlist__agreement_links__agreement_id=agreement_id)
        .values("watchlist_id")
        .annotate(top=Max("number"))
    )
    wanted = Q(pk__in=[])
    for row in latest:
        wanted |= Q(watchlist_id=row["watchlist_id"], number=row["top"])
    return list(WatchlistVersion.objects.filter(wanted).select_related("watchlist"))


# Runs and matches --------------------------------------------------------------------------


def visible_runs(user: User) -> QuerySet[ScreeningRun]:
    orgs = organisation_ids(user, roles=CASE_READERS)
    return ScreeningRun.objects.filter(agreement__parties__organisation_id__in=orgs).distinct()


def access_run(user: User, run_id: uuid.UUID | str) -> ScreeningRun:
    run = (
        visible_runs(user)
        .select_related("agreement", "started_by")
        .filter(id=_parse_id(run_id, "screening run"))
        .first()
    )
    if run is None:
        raise NotFound(N_("No such screening run."))
    return run


def agreement_runs(user: User, agreement: Agreement) -> QuerySet[ScreeningRun]:
    return visible_runs(user).filter(agreement=agreement).order_by("-created_at")


def visible_matches(user: User) -> QuerySet[ScreeningMatch]:
    return ScreeningMatch.objects.filter(case_id__in=visible_cases(user).values("id"))


def access_match(
    user: User, match_id: uuid.UUID | str, *, for_update: bool = False
) -> ScreeningMatch:
    pk = _parse_id(match_id, "match")
    if not visible_matches(user).filter(id=pk).exists():
        raise NotFound(N_("No such match."))
    matches = ScreeningMatch.objects.select_related("case", "case__agreement", "run", "entry")
    if for_update:
        matches = matches.select_for_update(of=("self",))
    return matches.get(id=pk)


def review_queue(
    user: User, *, agreement: Agreement | None = None, status: str = MatchStatus.PENDING
) -> QuerySet[ScreeningMatch]:
    """Matches awaiting review (or in ``status``), best score first."""
    matches = visible_matches(user).filter(status=status)
    if agreement is not None:
        matches = matches.filter(case__agreement=agreement)
    return matches.select_related(
        "case",
        "case__person",
        "entry",
        "entry__version",
        "entry__version__watchlist",
        "reviewed_by",
    ).order_by("-score", "created_at")


def case_matches(case: Case) -> QuerySet[ScreeningMatch]:
    return case.screening_matches.select_related(
        "entry", "entry__version", "entry__version__watchlist", "reviewed_by"
    ).order_by("-score")


def watchlist_status(case: Case) -> str | None:
    """The case's standing against its agreement's watchlists, for the criterion.

    ``confirmed_match`` if any match was confirmed; else ``pending_review`` if one awaits
    review; else ``not_screenable`` if the latest run could not read any of the person's
    names (a script the matcher does not read); else ``no_match`` if the case was screened
    against the current version of every list the agreement uses; else ``None`` (never
    screened, no lists chosen, or a list was updated since and the new screening has not
    finished).
    """
    return watchlist_statuses([case])[case.id]


def watchlist_statuses(cases: Iterable[Case]) -> dict[uuid.UUID, str | None]:
    """:func:`watchlist_status` for many cases in a handful of queries (lists, pages)."""
    cases = list(cases)
    ids = [c.id for c in cases]
    found: dict[uuid.UUID, set[str]] = defaultdict(set)
    for case_id, status in (
        ScreeningMatch.objects.filter(case_id__in=ids).values_list("case_id", "status").distinct()
    ):
        found[case_id].add(status)
    current = {
        agreement_id: {v.id for v in current_versions_of(agreement_id)}
        for agreement_id in {c.agreement_id for c in cases}
    }
    run_cases = ScreeningRun.cases.through.objects.filter(
        case_id__in=ids, screeningrun__status=RunStatus.DONE
    ).values_list(
        "case_id", "screeningrun_id", "screeningrun__finished_at", "screeningrun__not_screenable"
    )
    runs_of: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    latest: dict[uuid.UUID, tuple[float, bool]] = {}  # case -> (finished, not screenable)
    for case_id, run_id, finished, unreadable in run_cases:
        runs_of[case_id].add(run_id)
        seen = (finished.timestamp() if finished else 0.0, str(case_id) in (unreadable or {}))
        if case_id not in latest or seen > latest[case_id]:
            latest[case_id] = seen
    versions_of: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    all_runs = set().union(*runs_of.values()) if runs_of else set()
    for run_id, version_id in ScreeningRun.versions.through.objects.filter(
        screeningrun_id__in=all_runs
    ).values_list("screeningrun_id", "watchlistversion_id"):
        versions_of[run_id].add(version_id)
    result: dict[uuid.UUID, str | None] = {}
    for case in cases:
        statuses = found.get(case.id, set())
        if MatchStatus.CONFIRMED in statuses:
            result[case.id] = CONFIRMED_MATCH
        elif MatchStatus.PENDING in statuses:
            result[case.id] = PENDING_REVIEW
        else:
            needed = current[case.agreement_id]
            screened: set[uuid.UUID] = set()
            for run_id in runs_of.get(case.id, ()):
                screened |= versions_of[run_id]
            cleared = bool(needed) and needed <= screened
            if cleared and latest.get(case.id, (None, False))[1]:
                result[case.id] = NOT_SCREENABLE  # the last run could not read the name
            else:
                result[case.id] = NO_MATCH if cleared else None
    return result


def unscreenable_cases(user: User, agreement: Agreement) -> list[tuple[Case, str]]:
    """Cases of ``agreement`` the caller sees whose latest screening could not read the name.

    Each comes with the reason the run recorded (``script not read: Ethiopic``). They stay
    in the review queue, as needing a manual check, until a run reads a name of theirs:
    an unscreenable person is never shown as cleared (issue #11).
    """
    reasons: dict[str, str] = {}
    for unreadable in (
        agreement_runs(user, agreement)
        .filter(status=RunStatus.DONE)
        .order_by("finished_at")
        .values_list("not_screenable", flat=True)
    ):
        reasons.update(unreadable or {})
    if not reasons:
        return []
    cases = list(
        visible_cases(user)
        .filter(agreement=agreement, id__in=[uuid.UUID(k) for k in reasons])
        .select_related("person")
        .order_by("reference")
    )
    statuses = watchlist_statuses(cases)
    return [(c, reasons[str(c.id)]) for c in cases if statuses[c.id] == NOT_SCREENABLE]


def case_screening(case: Case) -> tuple[str | None, str]:
    """The case's watchlist status and, when not screenable, why (for the case page)."""
    status = watchlist_status(case)
    reason = ""
    if status == NOT_SCREENABLE:
        latest = (
            case.screening_runs.filter(status=RunStatus.DONE)
            .order_by("-finished_at")
            .values_list("not_screenable", flat=True)
            .first()
        )
        reason = (latest or {}).get(str(case.id), "")
    return status, reason


# Duplicates --------------------------------------------------------------------------------


def visible_duplicates(user: User) -> QuerySet[DuplicateCandidate]:
    """Candidates where the caller may see both people."""
    people = visible_people(user).values("id")
    return DuplicateCandidate.objects.filter(person_a_id__in=people, person_b_id__in=people)


def duplicate_queue(
    user: User, *, status: str = DuplicateStatus.OPEN
) -> QuerySet[DuplicateCandidate]:
    return (
        visible_duplicates(user)
        .filter(status=status)
        .select_related("person_a", "person_b", "person_a__owner", "person_b__owner")
        .order_by("kind", "-score")
    )


def access_duplicate(
    user: User, candidate_id: uuid.UUID | str, *, for_update: bool = False
) -> DuplicateCandidate:
    pk = _parse_id(candidate_id, "duplicate candidate")
    if not visible_duplicates(user).filter(id=pk).exists():
        raise NotFound(N_("No such duplicate candidate."))
    candidates = DuplicateCandidate.objects.select_related("person_a", "person_b")
    if for_update:
        candidates = candidates.select_for_update(of=("self",))
    return candidates.get(id=pk)


def person_survivor(person: Person) -> Person:
    """The person a merged record now stands for (itself if never merged)."""
    from readmit.screening.models import PersonMerge

    seen = {person.id}
    current = person
    while True:
        merge = PersonMerge.objects.filter(merged=current).select_related("survivor").first()
        if merge is None or merge.survivor_id in seen:
            return current
        current = merge.survivor
        seen.add(current.id)
