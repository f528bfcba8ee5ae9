"""Writes on people and cases. Each takes ``acting_user`` and audits in the same transaction."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import IntegrityError, transaction

from readmit.accounts.access import access_case, standing
from readmit.accounts.actors import Actor
from readmit.accounts.models import Organisation, User
from readmit.agreements.models import Agreement, AgreementStatus
from readmit.audit.events import AuditEventType
from readmit.audit.services import audit_record
from readmit.cases.access import transition_refusal
from readmit.cases.deadlines import deadlines_on_open, deadlines_on_transition
from readmit.cases.models import Case, IdentityDocument, Person, PersonName
from readmit.cases.reasons import reason_code_check
from readmit.cases.workflow import Transition, workflow_for
from readmit.core import clock
from readmit.core.errors import (
    N_,
    PreconditionFailed,
    Term,
    TransitionRefused,
    ValidationFailed,
    field_error,
)
from readmit.core.models import Country
from readmit.core.payloads import ActionPayload, NoPayload, payload_validate
from readmit.search.services import search_terms_refresh


@dataclass(frozen=True)
class DocumentInput:
    type: str
    number: str
    issuing_country: str
    is_copy: bool = False
    flagged_false: bool = False


@dataclass(frozen=True)
class PersonInput:
    family_name: str
    given_names: str = ""
    family_name_latin: str = ""
    given_names_latin: str = ""
    birth_year: int | None = None
    birth_month: int | None = None
    birth_day: int | None = None
    place_of_birth: str = ""
    sex: str = "U"
    nationalities: Sequence[str] = ()
    languages: Sequence[str] = ()
    aliases: Sequence[tuple[str, str]] = ()
    documents: Sequence[DocumentInput] = field(default_factory=tuple)
    convictions: Sequence[Mapping[str, Any]] = ()
    pending_criminal_case: bool | None = None
    vulnerabilities: Sequence[str] = ()


def person_create(*, data: PersonInput, owner: Organisation, acting_user: Actor) -> Person:
    """Record a person exactly as written; ``data`` has been validated by the interface."""
    with transaction.atomic():
        person = Person.objects.create(
            given_names=data.given_names,
            family_name=data.family_name,
            given_names_latin=data.given_names_latin,
            family_name_latin=data.family_name_latin,
            birth_year=data.birth_year,
            birth_month=data.birth_month,
            birth_day=data.birth_day,
            place_of_birth=data.place_of_birth,
            sex=data.sex,
            languages=list(data.languages),
            convictions=[dict(c) for c in data.convictions],
            pending_criminal_case=data.pending_criminal_case,
            vulnerabilities=list(data.vulnerabilities),
            owner=owner,
        )
        if data.nationalities:
            person.nationalities.set(Country.objects.filter(code__in=data.nationalities))
        PersonName.objects.bulk_create(
            PersonName(person=person, kind="alias", given_names=g, family_name=f)
            for g, f in data.aliases
        )
        IdentityDocument.objects.bulk_create(
            IdentityDocument(
                person=person,
                type=d.type,
                number=d.number,
                issuing_country_id=d.issuing_country,
                is_copy=d.is_copy,
                flagged_false=d.flagged_false,
            )
            for d in data.documents
        )
        search_terms_refresh(person_ids=[person.id])
        audit_record(
            event_type=AuditEventType.PERSON_CREATED,
            acting_user=acting_user,
            organisation_id=owner.id,
            object_type="person",
            object_id=str(person.id),
            # Ids only: the audit log outlives the retention purge, so it names no one.
            data={"documents": len(data.documents)},
        )
    return person


def _next_reference(agreement: Agreement) -> str:
    """The next ``PREFIX-00042`` of this agreement. The agreement row is locked first, so two
    lists submitted at once cannot draw the same number."""
    Agreement.objects.select_for_update().filter(id=agreement.id).first()
    prefix = agreement.reference.upper()[:12]
    count = Case.objects.filter(agreement=agreement).count() + 1
    while True:
        reference = f"{prefix}-{count:05d}"
        if not Case.objects.filter(reference=reference).exists():
            return reference
        count += 1


def case_open(
    *,
    agreement: Agreement,
    person: Person,
    acting_user: Actor,
    organisation: Organisation,
    external_id: str = "",
    data: Mapping[str, Any] | None = None,
    family_group: str = "",
) -> Case:
    """Open a case in the workflow's initial state. The agreement must be in force."""
    if agreement.status != AgreementStatus.IN_FORCE:
        raise TransitionRefused(
            N_(
                "Agreement '%(agreement)s' is %(status)s, "
                "not in force: no cases can be opened under it."
            ),
            params={"agreement": agreement.reference, "status": Term(agreement.status)},
            rule="agreement-not-in-force",
        )
    workflow = workflow_for(agreement.kind)
    with transaction.atomic():
        try:
            with transaction.atomic():
                case = Case.objects.create(
                    agreement=agreement,
                    person=person,
                    kind=agreement.kind,
                    state=workflow.initial,
                    reference=_next_reference(agreement),
                    external_id=external_id,
                    data=dict(data or {}),
                    family_group=family_group,
                )
        except IntegrityError:
            raise ValidationFailed(
                N_(
                    "A case with external id '%(external_id)s' already exists under this agreement."
                ),
                params={"external_id": external_id},
                errors=[{"loc": ["external_id"], "msg": N_("already used in this agreement")}],
            ) from None
        audit_record(
            event_type=AuditEventType.CASE_CREATED,
            acting_user=acting_user,
            organisation_id=organisation.id,
            agreement_id=agreement.id,
            case_id=case.id,
            object_type="case",
            object_id=str(case.id),
            data={"reference": case.reference, "state": case.state, "external_id": external_id},
        )
        deadlines_on_open(case, acting_user=acting_user)
    return case


# Per-action rules that need data, registered by the apps that own them (quota, capacity ...).
# A hook runs inside the transaction, after the table allowed the move and before the save;
# it raises ``TransitionRefused`` to refuse, or records what the transition changes.
TransitionHook = Callable[["TransitionContext"], None]
_HOOKS: dict[tuple[str, str], list[tuple[int, TransitionHook]]] = {}
# What each action takes (``readmit.core.payloads``); an action nobody declared takes none.
_PAYLOADS: dict[tuple[str, str], type[ActionPayload]] = {}
# Rules that judge the person run first; rules that take something (a quota place) run last,
# so a refusal names the rule that really stands in the way and nothing is taken in vain.
CHECK, TAKE = 100, 900
P = TypeVar("P", bound=ActionPayload)


def register_transition_hook(
    kind: str,
    action: str,
    hook: TransitionHook,
    *,
    order: int = CHECK,
    payload: type[ActionPayload] | None = None,
) -> None:
    """Run ``hook`` on ``action`` for cases of ``kind``; ``payload`` declares what the action
    takes. Two hooks of one action may declare the same model, or one a subclass of the
    other's (readmission's transfer plan adds to relocation's): the narrower one is used."""
    if payload is not None:
        known = _PAYLOADS.get((kind, action))
        if known is None or issubclass(payload, known):
            _PAYLOADS[(kind, action)] = payload
        elif not issubclass(known, payload):
            raise TypeError(
                f"{kind} '{action}' already takes {known.__name__}; {payload.__name__} is "
                "neither it nor a subclass of it."
            )
    hooks = _HOOKS.setdefault((kind, action), [])
    hooks.append((order, hook))
    hooks.sort(key=lambda item: item[0])  # stable: same order keeps registration order


def payload_model(kind: str, action: str) -> type[ActionPayload]:
    """The payload ``action`` takes on a case of ``kind`` (``NoPayload`` when none)."""
    return _PAYLOADS.get((kind, action), NoPayload)


def payload_models() -> dict[tuple[str, str], type[ActionPayload]]:
    """Every declared payload, by (kind, action): the OpenAPI document lists them."""
    return dict(_PAYLOADS)


@dataclass
class TransitionContext:
    case: Case
    transition: Transition
    acting_user: User
    organisation_id: uuid.UUID | None
    reason: str
    payload: ActionPayload  # validated against ``payload_model(kind, action)``
    from_state: str
    at: dt.datetime
    audit_data: dict[str, Any] = field(default_factory=dict)
    hold_remains: bool = False  # set by the lift hook: another hold still stands

    def payload_as(self, model: type[P]) -> P:
        """The validated payload as the model the hook declared."""
        if not isinstance(self.payload, model):
            raise TypeError(
                f"'{self.transition.action}' takes {type(self.payload).__name__}, "
                f"not {model.__name__}: declare it with register_transition_hook(payload=...)."
            )
        return self.payload


INTERNAL_NOTE_MAX = 2000


def case_transition(
    *,
    case_id: uuid.UUID | str,
    action: str,
    acting_user: User,
    reason: str = "",
    internal_note: str = "",
    reason_code: str = "",
    payload: Mapping[str, Any] | None = None,
    expected_version: int | None = None,
) -> Case:
    """Take one workflow action on a case, or refuse it and write nothing.

    ``reason`` is read by both parties; ``internal_note`` only by the acting organisation
    (kept in the audit event, shown by ``internal_note_for``); ``reason_code`` is one of the
    action's standard codes (``readmit.cases.reasons``), or empty.

    Checks the gate (not visible: ``NotFound``), the optimistic version (``If-Match``), the
    transition table for state, side, role and legal hold, then the hooks of the rules the
    agreement applies; locks the case row and writes the audit event in the same transaction.
    """
    with transaction.atomic():
        case = access_case(acting_user, case_id, for_update=True)
        if expected_version is not None and case.version != expected_version:
            raise PreconditionFailed(
                N_(
                    "Case %(case)s changed since you read it (version %(version)s, you had "
                    "%(expected)s); reload and try again."
                ),
                params={
                    "case": case.reference,
                    "version": case.version,
                    "expected": expected_version,
                },
            )
        position = standing(acting_user, case.agreement)
        workflow = workflow_for(case.kind)
        # One home per rule: the pages ask the same predicate before the click.
        refusal = transition_refusal(case, action, position)
        if refusal is not None:
            raise refusal
        transition = workflow.get(action)
        reason, internal_note = reason.strip(), internal_note.strip()
        if len(internal_note) > INTERNAL_NOTE_MAX:
            raise ValidationFailed(
                N_("The internal note is longer than %(most)s characters."),
                params={"most": INTERNAL_NOTE_MAX},
                errors=[
                    field_error(["internal_note"], N_("at most %(most)s"), most=INTERNAL_NOTE_MAX)
                ],
            )
        reason_code = reason_code_check(action, reason_code)
        if transition.needs_reason and not reason:
            raise ValidationFailed(
                N_("'%(action)s' needs a reason."),
                params={"action": Term(action)},
                errors=[{"loc": ["reason"], "msg": N_("a reason is required")}],
            )
        validated = payload_validate(payload_model(case.kind, action), payload)
        context = TransitionContext(
            case=case,
            transition=transition,
            acting_user=acting_user,
            organisation_id=position.organisation_id,
            reason=reason,
            payload=validated,
            from_state=case.state,
            at=clock.now(),
        )
        for _, hook in _HOOKS.get((case.kind, action), []):
            hook(context)
        if transition.hold == "place":
            case.legal_hold = True
        elif transition.hold == "lift":
            case.legal_hold = context.hold_remains
        case.state = transition.next_state(case.state)
        if case.state in workflow.final:
            case.closed_at = context.at
        case.version += 1
        case.save()
        deadlines_on_transition(case, action=action, at=context.at, acting_user=acting_user)
        audit_record(
            event_type=AuditEventType.CASE_TRANSITIONED,
            acting_user=acting_user,
            organisation_id=position.organisation_id,
            agreement_id=case.agreement_id,
            case_id=case.id,
            object_type="case",
            object_id=str(case.id),
            data={
                "action": action,
                "from": context.from_state,
                "to": case.state,
                "reason": reason,
                **({"reason_code": reason_code} if reason_code else {}),
                **({"internal_note": internal_note} if internal_note else {}),
                "legal_hold": case.legal_hold,
                **context.audit_data,
            },
        )
    return case
