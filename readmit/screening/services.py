"""Writes on watchlists, agreement list choices, screening runs and match reviews.

Each service takes ``acting_user``, checks the gate first (not visible: ``NotFound``), then
the caller's role and side (``Forbidden``), and writes its audit event in the same
transaction, so a refusal writes nothing. Runs are computed by a background task that takes
only the run id (``tasks.screen_cases_task``) and is enqueued once the run is committed.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max

from readmit.accounts.access import (
    access_agreement,
    roles_in,
    standing,
    visible_cases,
)
from readmit.accounts.actors import person_of
from readmit.accounts.roles import Role
from readmit.audit.events import AuditEventType
from readmit.audit.services import audit_record
from readmit.cases.models import Case
from readmit.cases.services import INTERNAL_NOTE_MAX
from readmit.cases.workflow import Side
from readmit.core import clock
from readmit.core.actors import SystemAction, SystemActor, acts_as_system
from readmit.core.errors import N_, Forbidden, Term, TransitionRefused, ValidationFailed
from readmit.screening import adapter, importers
from readmit.screening.listeners import ScreeningAnswered, screening_answered
from readmit.screening.models import (
    AgreementWatchlist,
    MatchStatus,
    RunStatus,
    RunTrigger,
    ScreeningMatch,
    ScreeningRun,
    SourceKind,
    Watchlist,
    WatchlistEntry,
    WatchlistVersion,
)
from readmit.screening.selectors import access_match, access_watchlist, current_versions

if TYPE_CHECKING:
    from readmit.accounts.actors import Actor
    from readmit.accounts.models import Organisation, User
    from readmit.agreements.models import Agreement

DEFAULT_THRESHOLD = 0.80
LIST_MANAGERS = frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR})
LIST_IMPORTERS = frozenset({Role.CASEWORKER, Role.SUPERVISOR, Role.ADMINISTRATOR})
SCREENERS = frozenset({Role.CASEWORKER, Role.SUPERVISOR})
REVIEWERS = frozenset({Role.CASEWORKER, Role.SUPERVISOR})
_ENTRY_BATCH = 2000


def default_threshold() -> float:
    return float(getattr(settings, "READMIT_SCREENING_THRESHOLD", DEFAULT_THRESHOLD))


def _required_reason(reason: str) -> str:
    cleaned = reason.strip()
    if not cleaned:
        raise ValidationFailed(
            N_("A reason is required."),
            errors=[{"loc": ["reason"], "msg": N_("a reason is required")}],
        )
    return cleaned


# Watchlists -------------------------------------------------------------------------------


def watchlist_create(
    *,
    name: str,
    slug: str,
    owner: Organisation,
    source_kind: str,
    description: str = "",
    shared_with_parties: bool = False,
    acting_user: Actor,
) -> Watchlist:
    """A new, empty list owned by ``owner``; a supervisor or administrator of it creates it.

    ``shared_with_parties``: whether the other parties of agreements that use the list may
    read its entries (a public sanctions list) or not (a national police list, the default).
    """
    if (
        not acts_as_system(acting_user, SystemAction.WATCHLIST_CREATE)
        and not roles_in(acting_user, owner.id) & LIST_MANAGERS
    ):
        raise Forbidden(
            N_(
                "Only a supervisor or administrator of the owning organisation can create a "
                "watchlist."
            )
        )
    if source_kind not in SourceKind.values:
        raise ValidationFailed(
            N_("Unknown source kind '%(kind)s'."),
            params={"kind": source_kind},
            errors=[{"loc": ["source_kind"], "msg": N_("unknown source kind")}],
        )
    if not name.strip() or not slug.strip():
        raise ValidationFailed(
            N_("A watchlist needs a name and a slug."),
            errors=[{"loc": ["name"], "msg": N_("required")}],
        )
    with transaction.atomic():
        if Watchlist.objects.filter(slug=slug).exists():
            raise ValidationFailed(
                N_("The slug '%(slug)s' is taken."),
                params={"slug": slug},
                errors=[{"loc": ["slug"], "msg": N_("already used")}],
            )
        watchlist = Watchlist.objects.create(
            name=name.strip(),
            slug=slug.strip(),
            owner=owner,
            source_kind=source_kind,
            description=description,
            shared_with_parties=shared_with_parties,
        )
        audit_record(
            event_type=AuditEventType.WATCHLIST_CREATED,
            acting_user=acting_user,
            organisation_id=owner.id,
            object_type="watchlist",
            object_id=str(watchlist.id),
            data={
                "slug": watchlist.slug,
                "source_kind": source_kind,
                "shared_with_parties": shared_with_parties,
            },
        )
    return watchlist


def _read_source(path_or_file: str | Path | IO[bytes] | Any, filename: str) -> tuple[bytes, str]:
    if isinstance(path_or_file, str | Path):
        path = Path(path_or_file)
        try:
            return path.read_bytes(), filename or path.name
        except OSError as exc:
            raise ValidationFailed(
                N_("%(path)s: cannot be read (%(error)s)."),
                params={"path": str(path), "error": exc.strerror},
                errors=[{"loc": ["file"], "msg": N_("unreadable")}],
            ) from None
    data = path_or_file.read()
    if isinstance(data, str):
        data = data.encode("utf-8")
    name = filename or Path(str(getattr(path_or_file, "name", "") or "upload")).name
    return bytes(data), name


def _entry_fingerprint(row: importers.EntryRow) -> str:
    content = [
        row.name,
        list(row.aliases),
        row.birth_date,
        row.nationality,
        row.document_number,
        row.extra,
    ]
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def entry_fingerprint(entry: WatchlistEntry) -> str:
    """Same content, same fingerprint: a re-imported unchanged listing is not re-reviewed."""
    return _entry_fingerprint(
        importers.EntryRow(
            entry.external_id,
            entry.name,
            tuple(entry.aliases),
            entry.birth_date,
            entry.nationality,
            entry.document_number,
            dict(entry.extra),
        )
    )


def watchlist_set_sharing(
    *, watchlist: Watchlist, shared: bool, reason: str, acting_user: User
) -> Watchlist:
    """Share the list's entries with the other parties of agreements that use it, or stop.

    A supervisor or administrator of the owner decides, with a reason; the other parties
    are refused (403) and everyone else does not see the list (404). Stopping hides the
    entries from then on; what a party has already read cannot be taken back, and the
    audit log says when it could read them.
    """
    with transaction.atomic():
        locked = access_watchlist(acting_user, watchlist.id)
        locked = Watchlist.objects.select_for_update().get(id=locked.id)
        if not roles_in(acting_user, locked.owner_id) & LIST_MANAGERS:
            raise Forbidden(
                N_(
                    "Only a supervisor or administrator of the owning organisation decides "
                    "whether a watchlist is shared."
                )
            )
        reason = _required_reason(reason)
        if locked.shared_with_parties == shared:
            return locked  # nothing changes, nothing to audit
        locked.shared_with_parties = shared
        locked.save(update_fields=["shared_with_parties", "updated_at"])
        audit_record(
            event_type=AuditEventType.WATCHLIST_SHARING_CHANGED,
            acting_user=acting_user,
            organisation_id=locked.owner_id,
            object_type="watchlist",
            object_id=str(locked.id),
            data={"slug": locked.slug, "shared_with_parties": shared, "reason": reason},
        )
    return locked


def watchlist_import(
    *,
    watchlist: Watchlist,
    path_or_file: str | Path | IO[bytes] | Any,
    fmt: str | None = None,
    acting_user: Actor,
    filename: str = "",
) -> WatchlistVersion:
    """Store a file as the list's next version, or refuse it whole with file, line, field.

    Once committed, every open case of every agreement using the list is screened again
    (one run per agreement, as a background task). A system actor is the operator's
    command line on the server (or the demo loader).
    """
    if not acts_as_system(acting_user, SystemAction.WATCHLIST_IMPORT):
        watchlist = access_watchlist(acting_user, watchlist.id)
        if not roles_in(acting_user, watchlist.owner_id) & LIST_IMPORTERS:
            raise Forbidden(N_("Only the organisation that owns a watchlist can import it."))
    data, name = _read_source(path_or_file, filename)
    parsed = importers.parse(data, fmt=fmt or watchlist.source_kind, filename=name)
    if not parsed.rows:
        raise ValidationFailed(
            N_("%(file)s: no people found in the file; nothing imported."),
            params={"file": name},
            errors=[{"loc": [name], "msg": N_("no people")}],
        )
    with transaction.atomic():
        Watchlist.objects.select_for_update().filter(id=watchlist.id).get()
        top = watchlist.versions.aggregate(top=Max("number"))["top"] or 0
        version = WatchlistVersion.objects.create(
            watchlist=watchlist,
            number=top + 1,
            imported_at=clock.now(),
            imported_by=person_of(acting_user),
            source_filename=name[:255],
            sha256=hashlib.sha256(data).hexdigest(),
            entry_count=len(parsed.rows),
            skipped_count=parsed.skipped,
        )
        WatchlistEntry.objects.bulk_create(
            (
                WatchlistEntry(
                    version=version,
                    external_id=row.external_id,
                    name=row.name,
                    aliases=list(row.aliases),
                    birth_date=row.birth_date,
                    nationality=row.nationality,
                    document_number=row.document_number,
                    extra=row.extra,
                )
                for row in parsed.rows
            ),
            batch_size=_ENTRY_BATCH,
        )
        audit_record(
            event_type=AuditEventType.WATCHLIST_IMPORTED,
            acting_user=acting_user,
            organisation_id=watchlist.owner_id,
            object_type="watchlist_version",
            object_id=str(version.id),
            data={
                "watchlist": watchlist.slug,
                "number": version.number,
                "file": name,
                "sha256": version.sha256,
                "entries": version.entry_count,
                "skipped": version.skipped_count,
            },
        )
        for link in AgreementWatchlist.objects.filter(watchlist=watchlist).select_related(
            "agreement"
        ):
            open_cases = _open_cases(link.agreement)
            if not open_cases:
                continue
            _run_create(
                agreement=link.agreement,
                cases=open_cases,
                started_by=acting_user,
                trigger=RunTrigger.WATCHLIST_UPDATE,
                reference=f"{watchlist.slug} v{version.number}",
                organisation_id=watchlist.owner_id,
            )
    return version


def agreement_watchlist_add(
    *,
    agreement: Agreement,
    watchlist: Watchlist,
    acting_user: User,
    threshold: float | None = None,
) -> AgreementWatchlist:
    """The agreement screens against this list from now on.

    Only the list's owner attaches it (a supervisor or administrator of the owning
    organisation), and only to an agreement the owner is a party to: a party that can see
    another state's list through one agreement cannot hand it to a third state.
    """
    agreement = access_agreement(acting_user, agreement.id)
    position = standing(acting_user, agreement)
    if not position.roles & LIST_MANAGERS:
        raise Forbidden(N_("Only a supervisor or administrator of a party chooses its watchlists."))
    watchlist = access_watchlist(acting_user, watchlist.id)
    if not roles_in(acting_user, watchlist.owner_id) & LIST_MANAGERS:
        raise Forbidden(
            N_("Only the owner of '%(watchlist)s' (%(owner)s) attaches it to an agreement."),
            params={"watchlist": watchlist.name, "owner": str(watchlist.owner)},
            type="watchlist-owner",
        )
    if not agreement.parties.filter(organisation_id=watchlist.owner_id).exists():
        raise Forbidden(
            N_(
                "'%(watchlist)s' belongs to %(owner)s, which is not a party to this "
                "agreement: a list is only attached to its owner's agreements."
            ),
            params={"watchlist": watchlist.name, "owner": str(watchlist.owner)},
            type="watchlist-owner",
        )
    if threshold is not None and not 0 < threshold <= 1:
        raise ValidationFailed(
            N_("The threshold must be in (0, 1]."),
            errors=[{"loc": ["threshold"], "msg": N_("out of range")}],
        )
    with transaction.atomic():
        try:
            with transaction.atomic():
                link = AgreementWatchlist.objects.create(
                    agreement=agreement,
                    watchlist=watchlist,
                    threshold=threshold,
                    added_by=acting_user,
                )
        except IntegrityError:
            raise ValidationFailed(
                N_("The agreement already uses '%(watchlist)s'."),
                params={"watchlist": watchlist.name},
                errors=[{"loc": ["watchlist"], "msg": N_("already chosen")}],
            ) from None
        audit_record(
            event_type=AuditEventType.AGREEMENT_WATCHLIST_ADDED,
            acting_user=acting_user,
            organisation_id=position.organisation_id,
            agreement_id=agreement.id,
            object_type="watchlist",
            object_id=str(watchlist.id),
            data={"watchlist": watchlist.slug, "threshold": threshold},
        )
    return link


# Runs ---------------------------------------------------------------------------------------


def _open_cases(agreement: Agreement) -> list[Case]:
    return list(Case.objects.filter(agreement=agreement).open())


def _run_threshold(agreement: Agreement) -> float:
    values = [
        link.threshold if link.threshold is not None else default_threshold()
        for link in AgreementWatchlist.objects.filter(agreement=agreement)
    ]
    return min(values) if values else default_threshold()


def _enqueue(run_id: uuid.UUID) -> None:
    from readmit.screening.tasks import screen_cases_task

    transaction.on_commit(lambda: screen_cases_task.enqueue(str(run_id)))


def _run_create(
    *,
    agreement: Agreement,
    cases: Sequence[Case],
    started_by: Actor,
    trigger: str,
    reference: str,
    organisation_id: uuid.UUID | None,
) -> ScreeningRun:
    run = ScreeningRun.objects.create(
        agreement=agreement,
        reference=reference[:120],
        trigger=trigger,
        started_by=person_of(started_by),
        threshold=_run_threshold(agreement),
        case_count=len(cases),
    )
    run.cases.set(cases)
    audit_record(
        event_type=AuditEventType.SCREENING_RUN_STARTED,
        acting_user=started_by,
        organisation_id=organisation_id,
        agreement_id=agreement.id,
        object_type="screening_run",
        object_id=str(run.id),
        data={
            "trigger": trigger,
            "cases": len(cases),
            "threshold": run.threshold,
            "reference": reference,
        },
    )
    _enqueue(run.id)
    return run


def screening_run_start(
    *,
    agreement: Agreement,
    acting_user: User,
    case_ids: Iterable[uuid.UUID | str] | None = None,
    reference: str = "",
) -> ScreeningRun:
    """Queue a screening of the agreement's cases (all open ones by default)."""
    agreement = access_agreement(acting_user, agreement.id)
    position = standing(acting_user, agreement)
    if not position.is_party or not position.roles & SCREENERS:
        raise Forbidden(N_("Only a caseworker or supervisor of a party can start a screening."))
    if not AgreementWatchlist.objects.filter(agreement=agreement).exists():
        raise TransitionRefused(
            N_("The agreement uses no watchlist yet: a supervisor must choose its lists first."),
            rule="no-watchlists",
        )
    if case_ids is None:
        cases = _open_cases(agreement)
    else:
        wanted = {str(c) for c in case_ids}
        cases = list(visible_cases(acting_user).filter(agreement=agreement, id__in=list(wanted)))
        if len(cases) != len(wanted):
            raise ValidationFailed(
                N_("Some cases are not cases of this agreement."),
                errors=[{"loc": ["case_ids"], "msg": N_("unknown case for this agreement")}],
            )
    if not cases:
        raise TransitionRefused(N_("There are no open cases to screen."), rule="no-cases")
    with transaction.atomic():
        return _run_create(
            agreement=agreement,
            cases=cases,
            started_by=acting_user,
            trigger=RunTrigger.MANUAL,
            reference=reference,
            organisation_id=position.organisation_id,
        )


def cases_screen_on_arrival(
    *,
    agreement: Agreement,
    cases: Sequence[Case],
    reference: str,
    organisation_id: uuid.UUID | None,
) -> ScreeningRun | None:
    """Screen newly arrived cases (a proposal list) in the background, without anyone asking.

    Called inside the transaction that created the cases: the run is recorded with them
    (``trigger = list_arrived``, started by the system) and its task is enqueued once they
    are committed. An agreement that uses no watchlist yet has nothing to screen against:
    no run (its cases are screened when a list is chosen and imported).
    """
    if not cases or not AgreementWatchlist.objects.filter(agreement=agreement).exists():
        return None
    return _run_create(
        agreement=agreement,
        cases=cases,
        started_by=SystemActor("screening run"),
        trigger=RunTrigger.LIST_ARRIVED,
        reference=f"list {reference}",
        organisation_id=organisation_id,
    )


def case_screen_on_person_change(
    *, case: Case, acting_user: User, organisation_id: uuid.UUID | None
) -> ScreeningRun | None:
    """Screen a case again because its person's names, birth date, nationalities or
    documents changed (``readmit.cases.people``), in the background.

    Called inside the transaction of the change: the run (``trigger = person_changed``,
    started by who changed the person) is enqueued once it commits, and the criteria are
    evaluated again when it finishes. No run under an agreement that uses no watchlist.
    """
    if not AgreementWatchlist.objects.filter(agreement_id=case.agreement_id).exists():
        return None
    return _run_create(
        agreement=case.agreement,
        cases=[case],
        started_by=acting_user,
        trigger=RunTrigger.PERSON_CHANGED,
        reference=f"person changed on {case.reference}",
        organisation_id=organisation_id,
    )


# Entries do not change once imported, so an index over a set of versions can be reused by
# the next run over the same versions in this process (the common case: a worker screening
# list after list against unchanged watchlists).
_INDEX_CACHE: dict[frozenset[uuid.UUID], adapter.Index] = {}


def _index_for(versions: Sequence[WatchlistVersion]) -> adapter.Index:
    key = frozenset(v.id for v in versions)
    index = _INDEX_CACHE.get(key)
    if index is None:
        entries = WatchlistEntry.objects.filter(version__in=list(key)).iterator(_ENTRY_BATCH)
        index = adapter.build_index(r for e in entries for r in adapter.entry_records(e))
        _INDEX_CACHE.clear()
        _INDEX_CACHE[key] = index
    return index


def screening_run_execute(run_id: uuid.UUID | str) -> ScreeningRun:
    """Screen the run's cases against the current versions of the agreement's lists.

    Idempotent: a run that is not queued is left alone. Matches at or above each list's
    threshold go to the review queue, except a listing already reviewed (or awaiting review)
    for this case with the same content.
    """
    with transaction.atomic():
        run = ScreeningRun.objects.select_for_update().get(id=run_id)
        if run.status != RunStatus.QUEUED:
            return run
        run.status = RunStatus.RUNNING
        run.started_at = clock.now()
        run.save(update_fields=["status", "started_at", "updated_at"])
    try:
        return _execute(run)
    except Exception as exc:
        with transaction.atomic():
            run.status = RunStatus.FAILED
            run.finished_at = clock.now()
            run.error = f"{type(exc).__name__}: {exc}"[:2000]
            run.save(update_fields=["status", "finished_at", "error", "updated_at"])
            audit_record(
                event_type=AuditEventType.SCREENING_RUN_FAILED,
                acting_user=SystemActor("screening run"),
                agreement_id=run.agreement_id,
                object_type="screening_run",
                object_id=str(run.id),
                data={"error": run.error},
            )
        raise


def _execute(run: ScreeningRun) -> ScreeningRun:
    versions = current_versions(run.agreement)
    thresholds = {
        link.watchlist_id: link.threshold if link.threshold is not None else default_threshold()
        for link in AgreementWatchlist.objects.filter(agreement=run.agreement)
    }
    index = _index_for(versions)
    cases = list(
        run.cases.select_related("person").prefetch_related(
            "person__other_names", "person__nationalities", "person__documents"
        )
    )
    floor = min(thresholds.values(), default=run.threshold)
    records = {case.id: adapter.person_records(case.person) for case in cases}
    hits = [
        (case, hit)
        for case in cases
        for hit in adapter.query(index, records[case.id], threshold=floor)
    ]
    # People none of whose names the matcher can read: not cleared, reported (issue #11).
    not_screenable = {
        str(case.id): reason
        for case in cases
        if (reason := adapter.unscreenable_reason(records[case.id])) is not None
    }
    # Only the entries that were hit are loaded: a national list stays in the index.
    entries = WatchlistEntry.objects.select_related("version").in_bulk(
        [uuid.UUID(hit.target_id) for _, hit in hits]
    )
    known = {
        (case_id, key, fingerprint)
        for case_id, key, fingerprint in ScreeningMatch.objects.filter(
            case__in=run.cases.all()
        ).values_list("case_id", "entry_key", "entry_fingerprint")
    }
    found: list[ScreeningMatch] = []
    for case, hit in hits:
        entry = entries[uuid.UUID(hit.target_id)]
        if hit.score < thresholds.get(entry.version.watchlist_id, run.threshold):
            continue
        key = f"{entry.version.watchlist_id}:{entry.external_id}"
        fingerprint = entry_fingerprint(entry)
        if (case.id, key, fingerprint) in known:
            continue
        known.add((case.id, key, fingerprint))
        found.append(
            ScreeningMatch(
                run=run,
                case=case,
                entry=entry,
                entry_key=key,
                entry_fingerprint=fingerprint,
                score=round(hit.score, 4),
                explanation=hit.explanation,
                matched_name=hit.matched_name[:400],
            )
        )
    with transaction.atomic():
        ScreeningMatch.objects.bulk_create(found)
        run.versions.set(versions)
        run.versions_used = {v.watchlist.slug: v.number for v in versions}
        run.entry_count = sum(v.entry_count for v in versions)
        run.case_count = len(cases)
        run.match_count = len(found)
        run.not_screenable = not_screenable
        run.status = RunStatus.DONE
        run.finished_at = clock.now()
        run.save()
        audit_record(
            event_type=AuditEventType.SCREENING_RUN_FINISHED,
            acting_user=SystemActor("screening run"),
            agreement_id=run.agreement_id,
            object_type="screening_run",
            object_id=str(run.id),
            data={
                "versions": run.versions_used,
                "cases": run.case_count,
                "entries": run.entry_count,
                "matches": run.match_count,
                "not_screenable": len(not_screenable),
            },
        )
        # What the rules that read screening (relocation's no_watchlist_match criterion)
        # see may have changed for these cases: their listeners are told.
        screening_answered(
            ScreeningAnswered(
                trigger="run",
                case_ids=[str(c.id) for c in cases],
                acting_user=SystemActor("screening run"),
            )
        )
    return run


# Review ---------------------------------------------------------------------------------


def screening_match_review(
    *,
    match: ScreeningMatch | uuid.UUID | str,
    decision: str,
    reason: str,
    acting_user: User,
    internal_note: str = "",
) -> ScreeningMatch:
    """Confirm (same person) or dismiss a pending match, with a reason.

    The reason is read by both parties; the optional ``internal_note`` only by the
    reviewer's organisation (kept in the audit event).

    Reviewers are caseworkers and supervisors of the receiving party: the host decides
    whether the public-order criterion holds. Anyone else is refused and nothing is written.
    """
    match_id = match.id if isinstance(match, ScreeningMatch) else match
    if decision not in (MatchStatus.CONFIRMED, MatchStatus.DISMISSED):
        raise ValidationFailed(
            N_("Unknown decision '%(decision)s'; use confirmed or dismissed."),
            params={"decision": decision},
            errors=[{"loc": ["decision"], "msg": N_("confirmed or dismissed")}],
        )
    if len(internal_note.strip()) > INTERNAL_NOTE_MAX:
        raise ValidationFailed(
            N_("The internal note is longer than %(limit)s characters."),
            params={"limit": INTERNAL_NOTE_MAX},
            errors=[{"loc": ["internal_note"], "msg": N_("too long")}],
        )
    with transaction.atomic():
        locked = access_match(acting_user, match_id, for_update=True)
        position = standing(acting_user, locked.case.agreement)
        if position.side != Side.RECEIVING or not position.roles & REVIEWERS:
            raise Forbidden(
                N_("Only a caseworker or supervisor of the receiving party reviews matches.")
            )
        reason = _required_reason(reason)
        if locked.status != MatchStatus.PENDING:
            raise TransitionRefused(
                N_("This match was already %(status)s by another reviewer."),
                params={"status": Term(locked.status)},
                rule="already-reviewed",
            )
        locked.status = decision
        locked.reason = reason
        locked.reviewed_by = acting_user
        locked.reviewed_at = clock.now()
        locked.save(update_fields=["status", "reason", "reviewed_by", "reviewed_at", "updated_at"])
        audit_record(
            event_type=AuditEventType.SCREENING_MATCH_REVIEWED,
            acting_user=acting_user,
            organisation_id=position.organisation_id,
            agreement_id=locked.case.agreement_id,
            case_id=locked.case_id,
            object_type="screening_match",
            object_id=str(locked.id),
            data={
                "decision": decision,
                "reason": reason,
                **({"internal_note": note} if (note := internal_note.strip()) else {}),
                "score": locked.score,
                "entry": locked.entry_key,
            },
        )
        screening_answered(
            ScreeningAnswered(
                trigger="review",
                case_ids=[locked.case_id],
                acting_user=acting_user,
                organisation_id=position.organisation_id,
            )
        )
    return locked
