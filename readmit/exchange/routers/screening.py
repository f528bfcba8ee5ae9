"""Screening in the exchange API (DESIGN §7): runs on demand, their progress, a case's
matches and their review.

Thin over ``readmit.screening`` services and selectors, with the visibility rules of the web
pages (ADR 0003): every party of the agreement sees a match's outcome, score and reason, but
only the list's owner (or everyone, when the owner shares the list) sees the entry behind it:
who is on the list, the spelling that matched and the explanation.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema
from ninja.params.functions import Path
from ninja.responses import Status
from pydantic import ConfigDict

from readmit.accounts.access import access_agreement, access_case
from readmit.core.errors import ValidationFailed
from readmit.exchange.auth import caller
from readmit.exchange.schemas import Problem, StrictIn, UuidStr
from readmit.screening import selectors
from readmit.screening.models import MatchStatus, ScreeningMatch, ScreeningRun
from readmit.screening.services import screening_match_review, screening_run_start

agreement_router = Router(tags=["screening"])
run_router = Router(tags=["screening"])
case_router = Router(tags=["screening"])
match_router = Router(tags=["screening"])

ID_PATH = Path(..., description="A UUID. A malformed id answers 404, like an unknown one.")
DECISIONS = {"confirm": MatchStatus.CONFIRMED, "dismiss": MatchStatus.DISMISSED}


def _body_errors(exc: ValidationFailed) -> ValidationFailed:
    exc.errors = [
        {"loc": ["body", "payload", *e.get("loc", ())], "msg": e.get("msg", "")} for e in exc.errors
    ]
    return exc


# Runs -----------------------------------------------------------------------------------------


class RunIn(StrictIn):
    model_config = ConfigDict(extra="forbid")

    reference: str = Field("", max_length=120, description="Your note on why, e.g. a list.")
    case_ids: list[UuidStr] | None = Field(
        None,
        max_length=100_000,
        description="The cases to screen; absent: every open case of the agreement.",
    )


class RunOut(Schema):
    id: UuidStr
    agreement: UuidStr
    status: Literal["queued", "running", "done", "failed"]
    trigger: str = Field(description="manual, watchlist_update or list_arrived.")
    reference: str
    case_count: int
    entry_count: int
    match_count: int
    not_screenable_count: int = Field(
        description="People none of whose names the matcher can read: not cleared, to be"
        " checked by hand (their criterion reads unknown)."
    )
    not_screenable_case_ids: list[UuidStr] = Field(
        description="The cases of those people, in the order of their ids."
    )
    versions_used: dict[str, int] = Field(description="{watchlist slug: version number}.")
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    error: str = Field(description="Why a failed run failed (empty otherwise).")


def run_out(run: ScreeningRun) -> RunOut:
    return RunOut(
        id=str(run.id),
        agreement=str(run.agreement_id),
        status=run.status,  # type: ignore[arg-type]
        trigger=run.trigger,
        reference=run.reference,
        case_count=run.case_count,
        entry_count=run.entry_count,
        match_count=run.match_count,
        not_screenable_count=len(run.not_screenable),
        not_screenable_case_ids=sorted(run.not_screenable),
        versions_used=dict(run.versions_used),
        created_at=run.created_at,
        started_at=run.started_at,
        finished_at=run.finished_at,
        error=run.error,
    )


def _run_location(run: ScreeningRun) -> str:
    return f"/api/v1/screening-runs/{run.id}"


@agreement_router.post(
    "/{id}/screening-runs",
    operation_id="screening_run_create",
    response={202: RunOut, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem},
    summary="Start a screening of the agreement's cases against its watchlists",
    description="Caseworkers and supervisors of a party. Answers 202 with the queued run and "
    "its `Location`; follow `GET /api/v1/screening-runs/{id}`. 409 `no-watchlists` when the "
    "agreement uses no list, `no-cases` when there is nothing open to screen. Lists that "
    "arrive and new watchlist versions are screened without this call.",
)
def screening_run_create(
    request: HttpRequest, response: HttpResponse, payload: RunIn, id: UuidStr = ID_PATH
) -> Status[RunOut]:
    user = caller(request)
    agreement = access_agreement(user, id)
    try:
        run = screening_run_start(
            agreement=agreement,
            acting_user=user,
            case_ids=payload.case_ids,
            reference=payload.reference,
        )
    except ValidationFailed as exc:
        raise _body_errors(exc) from None
    response["Location"] = _run_location(run)
    return Status(202, run_out(run))


@run_router.get(
    "/{id}",
    operation_id="screening_run_detail",
    response={200: RunOut, 401: Problem, 404: Problem},
    summary="A screening run and its progress",
    description="Visible to the case readers of the agreement's parties; anyone else gets 404.",
)
def screening_run_detail(request: HttpRequest, id: UuidStr = ID_PATH) -> RunOut:
    return run_out(selectors.access_run(caller(request), id))


# Matches -----------------------------------------------------------------------------------


class WatchlistRef(Schema):
    id: UuidStr
    name: str
    slug: str
    version: int


class EntryOut(Schema):
    """The listing behind a match: only for the list's owner, or a shared list."""

    external_id: str
    name: str
    aliases: list[str]
    birth_date: str
    nationality: str
    document_number: str


class MatchOut(Schema):
    id: UuidStr
    case: UuidStr
    run: UuidStr
    status: Literal["pending", "confirmed", "dismissed"]
    score: float
    watchlist: WatchlistRef
    entry_shared: bool = Field(
        description="false: the list's owner does not share its entries; `entry`, "
        "`matched_name` and `explanation` are then null."
    )
    entry: EntryOut | None
    matched_name: str | None
    explanation: str | None
    reason: str = Field(description="The reviewer's reason, read by both parties.")
    reviewed_at: dt.datetime | None
    created_at: dt.datetime


def match_out(match: ScreeningMatch, readable: set[object]) -> MatchOut:
    version = match.entry.version
    watchlist = version.watchlist
    shared = watchlist.id in readable
    entry = match.entry
    return MatchOut(
        id=str(match.id),
        case=str(match.case_id),
        run=str(match.run_id),
        status=match.status,  # type: ignore[arg-type]
        score=match.score,
        watchlist=WatchlistRef(
            id=str(watchlist.id), name=watchlist.name, slug=watchlist.slug, version=version.number
        ),
        entry_shared=shared,
        entry=EntryOut(
            external_id=entry.external_id,
            name=entry.name,
            aliases=[str(a) for a in entry.aliases],
            birth_date=entry.birth_date,
            nationality=entry.nationality,
            document_number=entry.document_number,
        )
        if shared
        else None,
        matched_name=match.matched_name if shared else None,
        explanation=match.explanation if shared else None,
        reason=match.reason,
        reviewed_at=match.reviewed_at,
        created_at=match.created_at,
    )


@case_router.get(
    "/{id}/matches",
    operation_id="case_matches",
    response={200: list[MatchOut], 401: Problem, 404: Problem},
    summary="The case's screening matches, best score first",
    description="Every reader of the case sees each match's status, score, list and review "
    "reason; the entry behind it only if their organisation owns the list or the owner "
    "shares it (`entry_shared`).",
)
def case_matches(request: HttpRequest, id: UuidStr = ID_PATH) -> list[MatchOut]:
    user = caller(request)
    case = access_case(user, id)
    readable: set[object] = set(selectors.readable_watchlist_ids(user))
    return [match_out(m, readable) for m in selectors.case_matches(case)]


class ReviewIn(StrictIn):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["confirm", "dismiss"] = Field(
        ..., description="confirm: the same person; dismiss: not the same person."
    )
    reason: str = Field(..., max_length=2000, description="Required; read by both parties.")
    internal_note: str = Field(
        "", max_length=2000, description="Optional; only your organisation reads it (audit)."
    )


@match_router.post(
    "/{id}/review",
    operation_id="match_review",
    response={200: MatchOut, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem},
    summary="Confirm or dismiss a pending match, with a reason",
    description="Caseworkers and supervisors of the receiving party (403 for anyone else who "
    "sees the case). 409 `already-reviewed` when another reviewer decided first. The criteria "
    "of the case are evaluated again in the same transaction.",
)
def match_review(request: HttpRequest, payload: ReviewIn, id: UuidStr = ID_PATH) -> MatchOut:
    user = caller(request)
    try:
        reviewed = screening_match_review(
            match=selectors.access_match(user, id).id,
            decision=DECISIONS[payload.decision],
            reason=payload.reason,
            internal_note=payload.internal_note,
            acting_user=user,
        )
    except ValidationFailed as exc:
        raise _body_errors(exc) from None
    fresh = selectors.case_matches(reviewed.case).get(id=reviewed.id)
    return match_out(fresh, set(selectors.readable_watchlist_ids(user)))
