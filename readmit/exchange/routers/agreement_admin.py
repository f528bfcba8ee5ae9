"""``/agreements/{id}/...``: status changes, notice of termination, amendments (proposed by
one party, confirmed by the other), versions and the diplomatic record.

Thin over ``agreement_set_status``, ``termination_notice_give`` / ``_withdraw``,
``amendment_propose`` / ``_confirm`` / ``_reject`` / ``_withdraw``, ``contact_record`` and
``position_record``: a non-party gets 404 (the gate), a party member in the wrong role 403
(``wrong-role``), a move the lifecycle table refuses 409 (``agreement-lifecycle``), bad input
422 naming each field under ``["body", "payload", ...]``. Nothing is written on a refusal.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any, Literal

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema
from ninja.params.functions import Header, Path
from ninja.responses import Status
from pydantic import ConfigDict, StringConstraints

from readmit.accounts.access import access_agreement
from readmit.accounts.models import User
from readmit.agreements.access import can_record_diplomacy
from readmit.agreements.models import (
    Agreement,
    AgreementStatusChange,
    AgreementVersion,
    AmendmentProposal,
    DiplomaticContact,
    PublicPosition,
    TerminationNotice,
)
from readmit.agreements.selectors import (
    agreement_proposals,
    agreement_versions,
    proposal_changes,
    status_history,
    termination_notices,
)
from readmit.agreements.services import (
    agreement_set_status,
    amendment_confirm,
    amendment_propose,
    amendment_reject,
    amendment_withdraw,
    contact_record,
    position_record,
    termination_notice_give,
    termination_notice_withdraw,
    terms_diff,
)
from readmit.core.errors import N_, Forbidden, NotFound, ValidationFailed
from readmit.core.models import Country
from readmit.exchange.auth import caller
from readmit.exchange.preconditions import etag_of, require_if_match, with_etag
from readmit.exchange.schemas import Problem, StrictIn, UuidStr

router = Router(tags=["agreement administration"])

UUID_PATH = Path(
    ..., description="The agreement's UUID. A malformed id answers 404, like an unknown one."
)
OPTIONAL_IF_MATCH = Header(
    None,
    alias="If-Match",
    description="Optional: the ETag of `GET .../status`; a stale one answers 412.",
)
# Who records contacts and public positions: liaison officers keep the record with the other
# party; supervisors and administrators of a party may too (as on the web pages).

# The model's choices as names the document lists; a test keeps them in step.
StatusName = Literal["approached", "negotiating", "signed", "in_force", "suspended", "ended"]
ChannelName = Literal["note", "meeting", "embassy", "public", "media", "other"]
StanceName = Literal[
    "ready", "open", "no_communication", "own_nationals_only", "refuses", "no_comment"
]

WRITE = {401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem}


# Schemas -------------------------------------------------------------------------------------

# Text that must say something: surrounding spaces are dropped, then it may not be empty.
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class _In(StrictIn):
    model_config = ConfigDict(extra="forbid")


class StatusChangeIn(_In):
    status: StatusName = Field(
        description="The next status; the lifecycle table decides "
        "which are allowed from the current one."
    )
    on: dt.date = Field(
        description="When it took effect; not in the future, not before the "
        "agreement's last recorded date."
    )
    source: Text = Field(
        max_length=2000, description="Where it is known from: a note, a gazette ..."
    )
    reason: str = Field(
        default="", max_length=2000, description="Required to suspend or end the agreement."
    )
    ground: str = Field(
        default="",
        max_length=80,
        description="Required to suspend: `court_order`, or a ground the terms list in "
        "`suspension_grounds`.",
    )
    ground_reference: str = Field(
        default="", max_length=200, description="The court order's reference (`court_order`)."
    )


class StatusChangeOut(Schema):
    on: dt.date
    from_status: str
    to_status: str
    source: str
    reason: str
    ground: str
    ground_reference: str
    changed_by: str | None = Field(description="Username, or null for the system.")
    recorded_at: dt.datetime


class NoticeOut(Schema):
    id: uuid.UUID
    state: str = Field(description="`pending` (running), `withdrawn` or `effective`.")
    given_on: dt.date
    takes_effect_on: dt.date = Field(description="The day the agreement ends.")
    given_by_organisation: str
    given_by_side: str
    given_by: str
    reason: str
    source: str
    withdrawn_by: str | None
    withdraw_reason: str


class StatusOut(Schema):
    status: str
    signed_on: dt.date | None
    in_force_from: dt.date | None
    ends_on: dt.date | None
    history: list[StatusChangeOut] = Field(description="Oldest first.")
    termination_notices: list[NoticeOut] = Field(description="Newest first.")


class NoticeIn(_In):
    reason: Text = Field(max_length=2000, description="Why the agreement is terminated.")
    source: Text = Field(max_length=2000, description="The note that gives notice.")


class ReasonIn(_In):
    reason: str = Field(default="", max_length=2000)


class RequiredReasonIn(_In):
    reason: Text = Field(max_length=2000, description="Read by the other party.")


class AmendmentIn(_In):
    changes: dict[str, Any] = Field(
        description="Only the settings that change, e.g. "
        '`{"quota": {"limit": 60}}`: objects merge key by key, a list or a value replaces '
        "the old one, keys not named are kept. The merged terms are validated."
    )
    valid_from: dt.datetime = Field(
        description="With a time zone; not before the agreement's start, at most five years "
        "ahead. Applies from the other party's confirmation if that is later."
    )
    reason: Text = Field(max_length=2000, description="Why the terms change.")
    source: str = Field(default="", max_length=2000)


class ProposalOut(Schema):
    id: uuid.UUID
    state: str = Field(description="`pending`, `confirmed`, `withdrawn` or `rejected`.")
    changes: dict[str, Any] = Field(description="The patch as proposed.")
    effect: dict[str, dict[str, Any]] = Field(
        description="What it changes in the latest version by dotted path (for a pending "
        "proposal) or changed (once confirmed)."
    )
    valid_from: dt.datetime
    reason: str
    source: str
    proposed_by_organisation: str
    proposed_by_side: str
    proposed_by: str
    proposed_at: dt.datetime
    decided_by: str | None
    decided_at: dt.datetime | None
    decision_reason: str
    version: int | None = Field(description="The version its confirmation recorded.")


class VersionOut(Schema):
    number: int
    valid_from: dt.datetime
    reason: str
    source: str
    recorded_by: str | None = Field(description="Username, or null for the system.")
    recorded_at: dt.datetime
    terms: dict[str, Any]
    changes: dict[str, dict[str, Any]] = Field(
        description="Settings changed from the previous version by dotted path, "
        'e.g. {"quota.limit": {"from": 50, "to": 60}}; empty for version 1.'
    )


class ContactIn(_In):
    occurred_on: dt.date
    from_country: str = Field(min_length=2, max_length=3, description="Country code, e.g. US.")
    to_country: str = Field(min_length=2, max_length=3, description="Country code, e.g. XK.")
    channel: ChannelName
    summary: Text = Field(max_length=4000)
    source: Text = Field(max_length=300, description="Where the contact is documented.")


class ContactOut(Schema):
    id: uuid.UUID
    occurred_on: dt.date
    from_country: str
    to_country: str
    channel: str
    summary: str
    source: str


class PositionIn(_In):
    country: str = Field(min_length=2, max_length=3, description="Country code, e.g. ME.")
    stated_on: dt.date
    stance: StanceName
    statement: Text = Field(max_length=4000)
    source: Text = Field(max_length=300, description="Where the state said it.")


class PositionOut(Schema):
    id: uuid.UUID
    country: str
    stated_on: dt.date
    stance: str
    statement: str
    source: str


# Builders ------------------------------------------------------------------------------------


def _username(user: User | None) -> str | None:
    return None if user is None else user.username


def _status_out(agreement: Agreement) -> StatusOut:
    return StatusOut(
        status=agreement.status,
        signed_on=agreement.signed_on,
        in_force_from=agreement.in_force_from,
        ends_on=agreement.ends_on,
        history=[_change_out(c) for c in status_history(agreement)],
        termination_notices=[_notice_out(n) for n in termination_notices(agreement)],
    )


def _notice_out(notice: TerminationNotice) -> NoticeOut:
    return NoticeOut(
        id=notice.id,
        state=notice.state,
        given_on=notice.given_on,
        takes_effect_on=notice.takes_effect_on,
        given_by_organisation=notice.given_by_organisation.slug,
        given_by_side=notice.given_by_side,
        given_by=notice.given_by.username,
        reason=notice.reason,
        source=notice.source,
        withdrawn_by=_username(notice.withdrawn_by),
        withdraw_reason=notice.withdraw_reason,
    )


def _proposal_out(proposal: AmendmentProposal) -> ProposalOut:
    return ProposalOut(
        id=proposal.id,
        state=proposal.state,
        changes=proposal.changes,
        effect=proposal_changes(proposal),
        valid_from=proposal.valid_from,
        reason=proposal.reason,
        source=proposal.source,
        proposed_by_organisation=proposal.proposed_by_organisation.slug,
        proposed_by_side=proposal.proposed_by_side,
        proposed_by=proposal.proposed_by.username,
        proposed_at=proposal.created_at,
        decided_by=_username(proposal.decided_by),
        decided_at=proposal.decided_at,
        decision_reason=proposal.decision_reason,
        version=proposal.version.number if proposal.version is not None else None,
    )


def _change_out(change: AgreementStatusChange) -> StatusChangeOut:
    return StatusChangeOut(
        on=change.on,
        from_status=change.from_status,
        to_status=change.to_status,
        source=change.source,
        reason=change.reason,
        ground=change.ground,
        ground_reference=change.ground_reference,
        changed_by=_username(change.changed_by),
        recorded_at=change.created_at,
    )


def _version_out(version: AgreementVersion, previous: AgreementVersion | None) -> VersionOut:
    return VersionOut(
        number=version.number,
        valid_from=version.valid_from,
        reason=version.reason,
        source=version.source,
        recorded_by=_username(version.recorded_by),
        recorded_at=version.created_at,
        terms=version.terms,
        changes={} if previous is None else terms_diff(previous.terms, version.terms),
    )


def _contact_out(c: DiplomaticContact) -> ContactOut:
    return ContactOut(
        id=c.id,
        occurred_on=c.occurred_on,
        from_country=c.from_country_id,
        to_country=c.to_country_id,
        channel=c.channel,
        summary=c.summary,
        source=c.source,
    )


def _position_out(p: PublicPosition) -> PositionOut:
    return PositionOut(
        id=p.id,
        country=p.country_id,
        stated_on=p.stated_on,
        stance=p.stance,
        statement=p.statement,
        source=p.source,
    )


# Helpers -------------------------------------------------------------------------------------


@contextmanager
def _fields_in_body() -> Iterator[None]:
    """The services name their own inputs; name them where they are in this request."""
    try:
        yield
    except ValidationFailed as exc:
        exc.errors = [{**e, "loc": ["body", "payload", *e.get("loc", ())]} for e in exc.errors]
        raise


_RECORDERS_ONLY = {
    "record a diplomatic contact": N_(
        "Only a liaison officer, supervisor or administrator of a party may record a diplomatic "
        "contact."
    ),
    "record a public position": N_(
        "Only a liaison officer, supervisor or administrator of a party may record a public "
        "position."
    ),
}


def _recorder(user: User, agreement_id: str, what: str) -> Agreement:
    agreement = access_agreement(user, agreement_id)
    if not can_record_diplomacy(user, agreement):
        raise Forbidden(
            _RECORDERS_ONLY[what],
            type="wrong-role",
        )
    return agreement


def _known_countries(**codes: str) -> dict[str, str]:
    """Country codes, upper-cased; an unknown one is refused naming its field."""
    wanted = {name: code.strip().upper() for name, code in codes.items()}
    known = set(Country.objects.filter(code__in=wanted.values()).values_list("code", flat=True))
    bad = [name for name, code in wanted.items() if code not in known]
    if bad:
        raise ValidationFailed(
            N_("Unknown country code: %(codes)s."),
            params={"codes": ", ".join(wanted[n] for n in bad)},
            errors=[
                {"loc": ["body", "payload", n], "msg": N_("unknown country code")} for n in bad
            ],
        )
    return wanted


# Status --------------------------------------------------------------------------------------


@router.get(
    "/{id}/status",
    response={200: StatusOut, 401: Problem, 404: Problem},
    operation_id="agreement_status",
    summary="The agreement's status and its history",
)
def status_detail(
    request: HttpRequest, response: HttpResponse, id: UuidStr = UUID_PATH
) -> StatusOut:
    agreement = access_agreement(caller(request), id)
    with_etag(response, agreement)
    return _status_out(agreement)


@router.post(
    "/{id}/status",
    response={200: StatusOut, **WRITE, 412: Problem},
    operation_id="agreement_status_change",
    summary="Move the agreement along its lifecycle",
    description="Supervisors and administrators of a party. A move the lifecycle table does "
    "not allow answers 409 `agreement-lifecycle`; suspending and ending need a "
    "`reason`; suspending names its `ground` (`court_order` with `ground_reference`, or a "
    "ground the terms list). An agreement in force or suspended is not ended here (409 "
    "`termination-notice`): give notice with `POST .../termination`. Answers the status "
    "with its history and the agreement's new `ETag`. Send `If-Match` with the `ETag` of "
    "`GET .../status` to refuse the move (412) if the agreement changed since you read it.",
)
def status_change(
    request: HttpRequest,
    response: HttpResponse,
    payload: StatusChangeIn,
    id: UuidStr = UUID_PATH,
    if_match: str | None = OPTIONAL_IF_MATCH,
) -> StatusOut:
    user = caller(request)
    with transaction.atomic(), _fields_in_body():
        if if_match is not None and if_match.strip():
            current = Agreement.objects.select_for_update().get(id=access_agreement(user, id).id)
            require_if_match(if_match, etag_of(current), what="agreement")
        agreement = agreement_set_status(
            agreement=id,
            status=payload.status,
            on=payload.on,
            source=payload.source,
            reason=payload.reason,
            ground=payload.ground,
            ground_reference=payload.ground_reference,
            acting_user=user,
        )
    with_etag(response, agreement)
    return _status_out(agreement)


@router.post(
    "/{id}/termination",
    response={201: NoticeOut, **WRITE},
    operation_id="agreement_termination_notice",
    summary="Give notice of termination",
    description="Supervisors and administrators of a party, for an agreement in force or "
    "suspended. The agreement ends `termination_notice_days` (of the terms) after today, "
    "never earlier: `readmit sweep` ends it that day. One running notice at a time "
    "(409 `termination-notice`).",
)
def termination_give(
    request: HttpRequest, payload: NoticeIn, id: UuidStr = UUID_PATH
) -> Status[NoticeOut]:
    with _fields_in_body():
        notice = termination_notice_give(
            agreement=id,
            reason=payload.reason,
            source=payload.source,
            acting_user=caller(request),
        )
    return Status(201, _notice_out(notice))


@router.post(
    "/{id}/termination/withdraw",
    response={200: NoticeOut, **WRITE},
    operation_id="agreement_termination_withdraw",
    summary="Withdraw the running notice of termination",
    description="Supervisors and administrators of the party that gave it (the other party: "
    "403 `wrong-party`), before the day it takes effect.",
)
def termination_withdraw(
    request: HttpRequest, payload: RequiredReasonIn, id: UuidStr = UUID_PATH
) -> NoticeOut:
    with _fields_in_body():
        notice = termination_notice_withdraw(
            agreement=id, reason=payload.reason, acting_user=caller(request)
        )
    return _notice_out(notice)


# Versions and amendments ---------------------------------------------------------------------


@router.get(
    "/{id}/versions",
    response={200: list[VersionOut], 401: Problem, 404: Problem},
    operation_id="agreement_versions",
    summary="Every version of the terms, oldest first, with what each changed",
)
def version_list(request: HttpRequest, id: UuidStr = UUID_PATH) -> list[VersionOut]:
    agreement = access_agreement(caller(request), id)
    out, previous = [], None
    for version in agreement_versions(agreement):
        out.append(_version_out(version, previous))
        previous = version
    return out


@router.get(
    "/{id}/amendments",
    response={200: list[ProposalOut], 401: Problem, 404: Problem},
    operation_id="agreement_amendments",
    summary="Amendments proposed by either party, newest first, pending ones included",
)
def amendment_list(request: HttpRequest, id: UuidStr = UUID_PATH) -> list[ProposalOut]:
    agreement = access_agreement(caller(request), id)
    return [_proposal_out(p) for p in agreement_proposals(agreement)]


@router.post(
    "/{id}/amendments",
    response={201: ProposalOut, **WRITE},
    operation_id="agreement_amend",
    summary="Propose an amendment; in force once the other party confirms it",
    description="Supervisors and administrators of a party. `changes` names only the "
    "settings that change; the rest of the terms is kept. A bad setting answers 422 naming "
    'it, e.g. `["body", "payload", "changes", "quota", "limit"]`, and so does a cap below the '
    "places already used, an amendment that changes nothing and a `valid_from` before the "
    "agreement's start or more than five years ahead. An ended agreement answers 409 "
    "`agreement-lifecycle`. Nothing is in force until `POST .../amendments/{pid}/confirm`.",
)
def amendment_create(
    request: HttpRequest, payload: AmendmentIn, id: UuidStr = UUID_PATH
) -> Status[ProposalOut]:
    with _fields_in_body():
        proposal = amendment_propose(
            agreement=id,
            changes=payload.changes,
            valid_from=payload.valid_from,
            reason=payload.reason,
            source=payload.source,
            acting_user=caller(request),
        )
    return Status(201, _proposal_out(proposal))


def _proposal_of(request: HttpRequest, agreement_id: str, proposal_id: str) -> str:
    """The proposal's id if it belongs to this agreement (which the caller must see)."""
    agreement = access_agreement(caller(request), agreement_id)
    if not AmendmentProposal.objects.filter(agreement=agreement, id=proposal_id).exists():
        raise NotFound(N_("No such amendment proposal."))
    return proposal_id


PROPOSAL_PATH = Path(..., description="The proposal's UUID.")


@router.post(
    "/{id}/amendments/{proposal_id}/confirm",
    response={200: ProposalOut, **WRITE},
    operation_id="agreement_amendment_confirm",
    summary="Confirm the other party's proposed amendment: it becomes the next version",
    description="Supervisors and administrators of the party that did not propose it (the "
    "proposing side: 403 `wrong-party`). The merged terms are validated again; a proposal "
    "that is no longer pending answers 409 `amendment-not-pending`.",
)
def amendment_confirm_view(
    request: HttpRequest,
    id: UuidStr = UUID_PATH,
    proposal_id: UuidStr = PROPOSAL_PATH,
) -> ProposalOut:
    pid = _proposal_of(request, id, proposal_id)
    with _fields_in_body():
        proposal = amendment_confirm(proposal=pid, acting_user=caller(request))
    return _proposal_out(proposal)


@router.post(
    "/{id}/amendments/{proposal_id}/reject",
    response={200: ProposalOut, **WRITE},
    operation_id="agreement_amendment_reject",
    summary="Reject the other party's proposed amendment, with a reason",
)
def amendment_reject_view(
    request: HttpRequest,
    payload: RequiredReasonIn,
    id: UuidStr = UUID_PATH,
    proposal_id: UuidStr = PROPOSAL_PATH,
) -> ProposalOut:
    pid = _proposal_of(request, id, proposal_id)
    with _fields_in_body():
        proposal = amendment_reject(
            proposal=pid, reason=payload.reason, acting_user=caller(request)
        )
    return _proposal_out(proposal)


@router.post(
    "/{id}/amendments/{proposal_id}/withdraw",
    response={200: ProposalOut, **WRITE},
    operation_id="agreement_amendment_withdraw",
    summary="Withdraw an amendment the caller's party proposed, while it is pending",
)
def amendment_withdraw_view(
    request: HttpRequest,
    payload: ReasonIn,
    id: UuidStr = UUID_PATH,
    proposal_id: UuidStr = PROPOSAL_PATH,
) -> ProposalOut:
    pid = _proposal_of(request, id, proposal_id)
    with _fields_in_body():
        proposal = amendment_withdraw(
            proposal=pid, reason=payload.reason, acting_user=caller(request)
        )
    return _proposal_out(proposal)


# The diplomatic record -----------------------------------------------------------------------


@router.get(
    "/{id}/contacts",
    response={200: list[ContactOut], 401: Problem, 404: Problem},
    operation_id="agreement_contacts",
    summary="Diplomatic contacts, newest first",
)
def contact_list(request: HttpRequest, id: UuidStr = UUID_PATH) -> list[ContactOut]:
    agreement = access_agreement(caller(request), id)
    return [_contact_out(c) for c in agreement.contacts.order_by("-occurred_on", "-created_at")]


@router.post(
    "/{id}/contacts",
    response={201: ContactOut, **WRITE},
    operation_id="agreement_contact_create",
    summary="Record a diplomatic contact",
    description="Liaison officers, supervisors and administrators of a party.",
)
def contact_create(
    request: HttpRequest, payload: ContactIn, id: UuidStr = UUID_PATH
) -> Status[ContactOut]:
    user = caller(request)
    agreement = _recorder(user, id, "record a diplomatic contact")
    codes = _known_countries(from_country=payload.from_country, to_country=payload.to_country)
    contact = contact_record(
        agreement=agreement,
        occurred_on=payload.occurred_on,
        from_country=codes["from_country"],
        to_country=codes["to_country"],
        channel=payload.channel,
        summary=payload.summary,
        source=payload.source,
        acting_user=user,
    )
    return Status(201, _contact_out(contact))


@router.get(
    "/{id}/positions",
    response={200: list[PositionOut], 401: Problem, 404: Problem},
    operation_id="agreement_positions",
    summary="Public positions, newest first",
)
def position_list(request: HttpRequest, id: UuidStr = UUID_PATH) -> list[PositionOut]:
    agreement = access_agreement(caller(request), id)
    return [_position_out(p) for p in agreement.positions.order_by("-stated_on", "-created_at")]


@router.post(
    "/{id}/positions",
    response={201: PositionOut, **WRITE},
    operation_id="agreement_position_create",
    summary="Record a state's public position",
    description="Liaison officers, supervisors and administrators of a party.",
)
def position_create(
    request: HttpRequest, payload: PositionIn, id: UuidStr = UUID_PATH
) -> Status[PositionOut]:
    user = caller(request)
    agreement = _recorder(user, id, "record a public position")
    codes = _known_countries(country=payload.country)
    position = position_record(
        agreement=agreement,
        country=codes["country"],
        stated_on=payload.stated_on,
        stance=payload.stance,
        statement=payload.statement,
        source=payload.source,
        acting_user=user,
    )
    return Status(201, _position_out(position))
