"""Writes on consular districts and requests. Each audits in the same transaction.

Routing: a request goes to the mission whose consular district covers the person's last
address in the host state (``residence_region``, ISO 3166-2); when no district of the
ministry covers it, or the mission is not a party to the case's agreement, it goes to the
ministry, and the reason is recorded on the request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from readmit.accounts.access import (
    access_case,
    access_consular_request,
    memberships,
    roles_in,
    standing,
)
from readmit.accounts.actors import Actor
from readmit.accounts.models import Organisation, OrganisationKind, User
from readmit.accounts.roles import CASE_WRITERS, Role
from readmit.agreements.models import AgreementKind
from readmit.agreements.selectors import terms_at
from readmit.audit.events import AuditEventType
from readmit.audit.services import audit_record
from readmit.cases.deadlines import calendar_for
from readmit.cases.models import Case, Person
from readmit.cases.services import PersonInput, person_create
from readmit.cases.workflow import Side
from readmit.consular.districts import (
    DEFAULT_LIMIT_WORKING_DAYS,
    FINAL_STATES,
    REQUEST_TRANSITIONS,
    Requester,
    RequestKind,
    RequestState,
    district_check,
    limit_key,
    region_check,
    subdivision_name,
)
from readmit.consular.models import ConsularRequest, DistrictArea
from readmit.core import clock
from readmit.core.actors import SystemAction, acts_as_system
from readmit.core.errors import (
    N_,
    Forbidden,
    PreconditionFailed,
    Term,
    TransitionRefused,
    ValidationFailed,
    field_error,
)
from readmit.deadlines import TimeLimit, Unit, WorkingCalendar, due
from readmit.relocation.services import IdempotencyConflict

OUTCOME_MAX = 4000
# An outcome or a reason too long, one whole sentence each.
_TOO_LONG = {
    "outcome": N_("The outcome is longer than %(most)s characters."),
    "reason": N_("The reason is longer than %(most)s characters."),
}
PERSON_NAME_MAX = 200  # Person's name fields


# Districts -------------------------------------------------------------------------------


def district_set(*, mission: Organisation, district: list[str], acting_user: Actor) -> list[str]:
    """Give ``mission`` its consular district (replacing the old one).

    Only a mission with a parent ministry has a district; each code is a known ISO 3166-2
    code, once; a code already in another district of the same ministry is refused naming
    that mission. ``acting_user`` must administer the ministry (or be the demo loader).
    """
    if mission.kind != OrganisationKind.MISSION or mission.parent_id is None:
        raise ValidationFailed(
            N_(
                "%(mission)s is not a mission of a ministry: only missions have a consular "
                "district."
            ),
            params={"mission": mission.name},
            errors=[{"loc": ["mission"], "msg": N_("not a mission with a parent ministry")}],
        )
    if not acts_as_system(
        acting_user, SystemAction.DISTRICT_SET
    ) and Role.ADMINISTRATOR not in roles_in(acting_user, mission.parent_id):
        raise Forbidden(
            N_(
                "Setting a consular district needs the administrator role at the mission's "
                "ministry."
            ),
            type="wrong-role",
        )
    codes = district_check(district)
    taken = {
        a.region: a.mission
        for a in DistrictArea.objects.filter(ministry_id=mission.parent_id, region__in=codes)
        .exclude(mission=mission)
        .select_related("mission")
    }
    if taken:
        raise ValidationFailed(
            N_("A subdivision belongs to one consular district per ministry: %(taken)s."),
            params={
                "taken": "; ".join(
                    N_("%(code)s is in the district of %(mission)s")
                    % {"code": code, "mission": m.name}
                    for code, m in taken.items()
                )
            },
            errors=[
                field_error(
                    ["district", codes.index(code)],
                    N_("already in %(mission)s's district"),
                    mission=m.name,
                )
                for code, m in taken.items()
            ],
        )
    with transaction.atomic():
        DistrictArea.objects.filter(mission=mission).delete()
        try:
            with transaction.atomic():
                DistrictArea.objects.bulk_create(
                    DistrictArea(mission=mission, ministry_id=mission.parent_id, region=code)
                    for code in codes
                )
        except IntegrityError:  # a concurrent change took one of the codes
            raise ValidationFailed(
                N_("Another district of this ministry took one of these codes meanwhile; reload."),
                errors=[{"loc": ["district"], "msg": N_("taken meanwhile")}],
            ) from None
        audit_record(
            event_type=AuditEventType.CONSULAR_DISTRICT_SET,
            acting_user=acting_user,
            organisation_id=mission.parent_id,
            object_type="organisation",
            object_id=str(mission.id),
            data={"district": codes},
        )
    return codes


def district_of(mission: Organisation) -> list[str]:
    return list(DistrictArea.objects.filter(mission=mission).values_list("region", flat=True))


# Requests --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Routing:
    ministry: Organisation
    routed_to: Organisation
    reason: str


def _ministry_of_case(case: Case) -> Organisation:
    """The ministry answerable for consular help on ``case``: the parent of the receiving
    party's missions, else the receiving party itself."""
    receiving = [
        p.organisation
        for p in case.agreement.parties.select_related("organisation", "organisation__parent")
        if p.side == Side.RECEIVING
    ]
    for org in receiving:
        if org.kind == OrganisationKind.MISSION and org.parent is not None:
            return org.parent
    main = case.agreement.receiving_party
    if main is None:  # pragma: no cover - every agreement has its two parties
        raise TransitionRefused(N_("The agreement has no receiving party."), rule="agreement-kind")
    return main.organisation


def route(ministry: Organisation, region: str, *, parties: set[uuid.UUID] | None = None) -> Routing:
    """The mission of ``ministry`` whose district covers ``region``, or the ministry."""
    name = f"{region} ({subdivision_name(region)})"
    area = (
        DistrictArea.objects.filter(ministry=ministry, region=region)
        .select_related("mission")
        .first()
    )
    if area is None:
        return Routing(
            ministry,
            ministry,
            f"No consular district of {ministry.name} covers {name}: routed to the ministry.",
        )
    if parties is not None and area.mission_id not in parties:
        return Routing(
            ministry,
            ministry,
            f"{area.mission.name} covers {name} but is not a party to the agreement: "
            "routed to the ministry.",
        )
    return Routing(ministry, area.mission, f"{area.mission.name}'s district covers {name}.")


def _due(
    kind: RequestKind, case: Case | None, ministry: Organisation, at: dt.datetime
) -> tuple[dt.date, str]:
    term = terms_at(case.agreement, at).time_limits.get(limit_key(kind)) if case else None
    if term is not None:
        limit = TimeLimit(amount=term.amount, unit=Unit(term.unit), roll_forward=term.roll_forward)
        source = "the agreement"
    else:
        limit = TimeLimit(amount=DEFAULT_LIMIT_WORKING_DAYS[kind], unit=Unit.WORKING_DAYS)
        source = "the default for this kind"
    if case is not None:
        calendar = calendar_for(case.agreement)
    else:
        try:
            calendar = WorkingCalendar([ministry.country_id])
        except ValueError:
            calendar = WorkingCalendar([])
    result = due(at, limit, calendar)
    due_on = result.date() if isinstance(result, dt.datetime) else result
    unit = limit.unit.value.replace("_", " ")
    return due_on, f"{limit.amount} {unit} from {at.date().isoformat()} ({source})"


def _digest(body: dict[str, Any]) -> str:
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _acting_organisation(user: User) -> Organisation:
    """The organisation a request without a case is recorded for: the caller's first one
    where they may write."""
    for m in memberships(user):
        if Role(m.role) in CASE_WRITERS:
            return m.organisation
    raise Forbidden(
        N_("Recording a consular request needs the role caseworker, supervisor or liaison."),
        type="wrong-role",
    )


def _next_reference(at: dt.datetime) -> str:
    count = ConsularRequest.objects.filter(created_at__year=at.year).count() + 1
    while True:
        reference = f"CR-{at.year}-{count:05d}"
        if not ConsularRequest.objects.filter(reference=reference).exists():
            return reference
        count += 1


@dataclass(frozen=True)
class CreateResult:
    request: ConsularRequest
    created: bool


def consular_request_create(
    *,
    acting_user: User,
    kind: str,
    requester: str,
    residence_region: str,
    case_id: uuid.UUID | str | None = None,
    person: PersonInput | None = None,
    details: str = "",
    idempotency_key: str | None = None,
) -> CreateResult:
    """Record a request for consular help and route it (see the module docstring).

    With a readmission case: the sending state's caseworkers ask for it (``sending_state``),
    or the receiving side records what the citizen asked (``citizen``). Without a case only
    a citizen asks; the receiving state's ministry or mission records the person.
    The same ``idempotency_key`` again answers the request already created.
    """
    errors: list[dict[str, Any]] = []
    if kind not in {k.value for k in RequestKind}:
        errors.append(
            field_error(
                ["kind"], N_("one of %(choices)s"), choices=", ".join(k.value for k in RequestKind)
            )
        )
    if requester not in {r.value for r in Requester}:
        errors.append(
            field_error(
                ["requester"],
                N_("one of %(choices)s"),
                choices=", ".join(r.value for r in Requester),
            )
        )
    try:
        region = region_check(residence_region, field="residence_region")
    except ValidationFailed as exc:
        errors.extend(exc.errors)
        region = ""
    if not case_id and requester == Requester.SENDING_STATE:
        errors.append(
            {"loc": ["case"], "msg": N_("the sending state asks about a readmission case")}
        )
    if not case_id and person is None:
        errors.append({"loc": ["person"], "msg": N_("a request without a case needs the person")})
    if case_id and person is not None:
        errors.append({"loc": ["person"], "msg": N_("the person of a case comes from the case")})
    if person is not None:
        if not person.family_name.strip():
            errors.append({"loc": ["person", "family_name"], "msg": N_("required")})
        for name in ("family_name", "given_names", "family_name_latin", "given_names_latin"):
            if len(getattr(person, name)) > PERSON_NAME_MAX:
                errors.append(
                    field_error(
                        ["person", name],
                        N_("at most %(most)s characters"),
                        most=PERSON_NAME_MAX,
                    )
                )
    details = (details or "").strip()
    if len(details) > OUTCOME_MAX:
        errors.append(field_error(["details"], N_("at most %(most)s characters"), most=OUTCOME_MAX))
    key = (idempotency_key or "").strip() or None
    if key is not None and len(key) > 200:
        errors.append(field_error(["Idempotency-Key"], N_("at most %(most)s characters"), most=200))
    if errors:
        raise ValidationFailed(
            N_("The consular request is invalid: %(errors)s."),
            params={
                "errors": "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors)
            },
            errors=errors,
        )
    with transaction.atomic():
        case: Case | None = None
        if case_id:
            case = access_case(acting_user, case_id)
            position = standing(acting_user, case.agreement)
            if case.kind != AgreementKind.READMISSION:
                raise TransitionRefused(
                    N_("Consular help is asked on readmission cases only."), rule="agreement-kind"
                )
            wanted = Side.SENDING if requester == Requester.SENDING_STATE else Side.RECEIVING
            if position.side != wanted:
                raise Forbidden(
                    N_("A request from the sending state is recorded by the sending party.")
                    if wanted == Side.SENDING
                    else N_(
                        "A request from the citizen abroad is recorded by the receiving party."
                    ),
                    type="wrong-party",
                )
            if not position.roles & CASE_WRITERS:
                raise Forbidden(
                    N_("Asking the consulate needs the role caseworker, supervisor or liaison."),
                    type="wrong-role",
                )
            assert position.organisation_id is not None
            requested_by = Organisation.objects.get(id=position.organisation_id)
            ministry = _ministry_of_case(case)
            parties = {p.organisation_id for p in case.agreement.parties.all()}
            routing = route(ministry, region, parties=parties)
        else:
            requested_by = _acting_organisation(acting_user)
            if requested_by.kind == OrganisationKind.MISSION and requested_by.parent is not None:
                ministry = requested_by.parent
            else:
                ministry = requested_by
            routing = route(ministry, region)
        body = {
            "kind": kind,
            "requester": requester,
            "residence_region": region,
            "case": str(case.id) if case else None,
            "person": person,
            "details": details,
        }
        digest = _digest(body)
        if key is not None:
            existing = ConsularRequest.objects.filter(
                requested_by=requested_by, idempotency_key=key
            ).first()
            if existing is not None:
                if existing.request_digest != digest:
                    raise IdempotencyConflict(
                        N_(
                            "The Idempotency-Key was already used for consular request "
                            "%(request)s with a different request: idempotency key reused with "
                            "a different request."
                        ),
                        params={"request": existing.reference},
                    )
                return CreateResult(existing, created=False)
        at = clock.now()
        if case is not None:
            subject: Person = case.person
        else:
            assert person is not None
            subject = person_create(data=person, owner=requested_by, acting_user=acting_user)
        due_on, explanation = _due(RequestKind(kind), case, ministry, at)
        fields = {
            "reference": _next_reference(at),
            "kind": kind,
            "requester": requester,
            "person": subject,
            "case": case,
            "residence_region": region,
            "ministry": ministry,
            "routed_to": routing.routed_to,
            "routing_reason": routing.reason,
            "requested_by": requested_by,
            "created_by": acting_user,
            "details": details,
            "due_on": due_on,
            "due_explanation": explanation,
            "idempotency_key": key,
            "request_digest": digest,
        }
        try:
            with transaction.atomic():
                request = ConsularRequest.objects.create(**fields)
        except IntegrityError:
            # The same key arrived at the same time on another connection and won the race.
            raise IdempotencyConflict(
                N_(
                    "The Idempotency-Key is being used by a request made at the same time; "
                    "repeat the request to read its result."
                )
            ) from None
        audit_record(
            event_type=AuditEventType.CONSULAR_REQUEST_CREATED,
            acting_user=acting_user,
            organisation_id=requested_by.id,
            agreement_id=case.agreement_id if case else None,
            case_id=case.id if case else None,
            object_type="consular_request",
            object_id=str(request.id),
            data={
                "reference": request.reference,
                "kind": kind,
                "requester": requester,
                "residence_region": region,
                "routed_to": str(routing.routed_to.id),
                "routing_reason": routing.reason,
                "due_on": due_on.isoformat(),
            },
        )
    return CreateResult(request, created=True)


def request_allowed_actions(user: User, request: ConsularRequest) -> list[str]:
    """What ``user`` may do on ``request`` now: only members of the organisation it is
    routed to act; only the owner completes."""
    if not roles_in(user, request.routed_to_id) & CASE_WRITERS:
        return []
    allowed = []
    for action, transition in REQUEST_TRANSITIONS.items():
        if request.state not in transition.sources:
            continue
        if action == "complete" and request.owner_id != user.pk:
            continue
        allowed.append(action)
    return allowed


def consular_request_transition(
    *,
    request_id: uuid.UUID | str,
    action: str,
    acting_user: User,
    outcome: str = "",
    reason: str = "",
    expected_version: int | None = None,
) -> ConsularRequest:
    """``take`` (open → in progress, the taker becomes the owner), ``complete`` (by the
    owner, with an outcome) or ``decline`` (with a reason). Refused: nothing written."""
    with transaction.atomic():
        request = access_consular_request(acting_user, request_id, for_update=True)
        if expected_version is not None and expected_version != request.version:
            raise PreconditionFailed(
                N_("Consular request %(request)s changed since you read it; reload."),
                params={"request": request.reference},
            )
        transition = REQUEST_TRANSITIONS.get(action)
        if transition is None:
            raise TransitionRefused(
                N_(
                    "'%(action)s' is not an action of a consular request; known actions: %(known)s."
                ),
                params={"action": action, "known": ", ".join(REQUEST_TRANSITIONS)},
                rule="unknown-action",
            )
        roles = roles_in(acting_user, request.routed_to_id)
        if not roles:
            raise Forbidden(
                N_("Only %(mission)s, where the request is routed, acts on it."),
                params={"mission": request.routed_to.name},
                type="wrong-party",
            )
        if not roles & CASE_WRITERS:
            raise Forbidden(
                N_("'%(action)s' needs the role caseworker, supervisor or liaison."),
                params={"action": Term(action)},
                type="wrong-role",
            )
        if request.state not in transition.sources:
            raise TransitionRefused(
                N_(
                    "A consular request that is %(state)s cannot '%(action)s'; allowed from: "
                    "%(sources)s."
                ),
                params={
                    "state": Term(request.state),
                    "action": Term(action),
                    "sources": ", ".join(sorted(transition.sources)),
                },
                rule="workflow",
            )
        if action == "complete" and request.owner_id != acting_user.pk:
            raise Forbidden(
                N_("Only the request's owner (%(owner)s) completes it; take it first."),
                params={"owner": str(request.owner)},
                type="not-owner",
            )
        outcome, reason = (outcome or "").strip(), (reason or "").strip()
        if transition.needs_outcome and not outcome:
            raise ValidationFailed(
                N_("Completing a request needs its outcome."),
                errors=[{"loc": ["outcome"], "msg": N_("the outcome is required")}],
            )
        if transition.needs_reason and not reason:
            raise ValidationFailed(
                N_("Declining a request needs a reason."),
                errors=[{"loc": ["reason"], "msg": N_("a reason is required")}],
            )
        for field, value in (("outcome", outcome), ("reason", reason)):
            if len(value) > OUTCOME_MAX:
                raise ValidationFailed(
                    _TOO_LONG[field],
                    params={"most": OUTCOME_MAX},
                    errors=[
                        field_error([field], N_("at most %(most)s characters"), most=OUTCOME_MAX)
                    ],
                )
        from_state = request.state
        at = clock.now()
        request.state = transition.target
        if action == "take":
            request.owner = acting_user
        if outcome:
            request.outcome = outcome
        if reason:
            request.reason = reason
        if request.state in FINAL_STATES:
            request.closed_at = at
        request.version += 1
        request.save()
        audit_record(
            event_type=AuditEventType.CONSULAR_REQUEST_TRANSITIONED,
            acting_user=acting_user,
            organisation_id=request.routed_to_id,
            agreement_id=request.case.agreement_id if request.case else None,
            case_id=request.case_id,
            object_type="consular_request",
            object_id=str(request.id),
            data={
                "action": action,
                "from": from_state,
                "to": request.state,
                **({"outcome": outcome} if outcome else {}),
                **({"reason": reason} if reason else {}),
            },
        )
    return request


__all__ = [
    "CreateResult",
    "RequestState",
    "consular_request_create",
    "consular_request_transition",
    "district_of",
    "district_set",
    "request_allowed_actions",
    "route",
]
