"""Readmission intake: an application becomes a case; its evidence is recorded and weighed.

- ``readmission_application_submit`` takes one validated ``ApplicationIn`` from the web, the
  API or a partner system. Only the requesting (sending) side's caseworkers and supervisors
  submit, under a readmission agreement in force. Checks that need the agreement or the
  database (the class the annexes give each evidence kind, MRZ check digits, the
  accelerated procedure's limit, an external id already used) are all made before anything
  is written, and every problem is named at once. The same ``Idempotency-Key`` with the
  same body answers the case already created; with another body it is refused (409).
- Evidence items are records on the case (``EvidenceItem``), weighed by the pure
  ``readmit.cases.evidence`` under the agreement's annexes (``evidence_classes``). The
  weighing sentence is stored on the case twice: in full for those who read the documents,
  and without document references for a party the agreement does not share them with.
- Effects enforced: proof obliges acceptance, so a ``reject`` while proof stands needs a
  ``rebuttal`` in its payload (rule ``evidence-proof``); with neither proof nor prima facie
  evidence an interview deadline is set where the agreement provides interviews.
- The reply limit is the procedure's (``time_limits.reply`` or ``reply_accelerated``),
  counted from the receipt date in the requested state's zone (``cases.deadlines``).
- A person who may already be known is flagged with the screening duplicate finder.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from pydantic import Field

from readmit.accounts.access import access_agreement, access_case, standing
from readmit.accounts.actors import Actor
from readmit.accounts.models import Organisation, User
from readmit.agreements.models import Agreement, AgreementKind, AgreementStatus
from readmit.agreements.selectors import terms_at
from readmit.agreements.terms import AgreementTerms
from readmit.audit.events import AuditEventType
from readmit.audit.services import audit_record
from readmit.cases.applications import ApplicationIn, EvidenceIn, Procedure
from readmit.cases.deadlines import LABELS, calendar_for, requested_zone
from readmit.cases.evidence import (
    Effect,
    EvidenceClass,
    EvidenceKind,
    EvidenceRules,
    Weighing,
    weigh_evidence,
)
from readmit.cases.evidence import (
    EvidenceItem as WeighedItem,
)
from readmit.cases.models import (
    ApplicationSource,
    Case,
    Deadline,
    EvidenceItem,
    IdentityDocument,
    Person,
    PersonName,
    ReadmissionApplication,
)
from readmit.cases.mrz import MRZError, parse_mrz
from readmit.cases.services import PersonInput, TransitionContext, case_open, person_create
from readmit.cases.transit import earlier_case_errors, take_back_window_check
from readmit.cases.workflow import WORKERS, Side
from readmit.core import clock
from readmit.core.errors import (
    N_,
    ApplicationError,
    Forbidden,
    Term,
    TransitionRefused,
    ValidationFailed,
    field_error,
)
from readmit.core.labels import english
from readmit.core.payloads import ActionPayload
from readmit.deadlines import TimeLimit, Unit
from readmit.deadlines.calendar import local_date
from readmit.search.services import search_terms_refresh

__all__ = [
    "ApplicationResult",
    "IdempotencyConflict",
    "case_weighing",
    "evidence_add",
    "evidence_rules",
    "may_add_evidence",
    "readmission_application_submit",
]


# The states in which the requested state's reply is awaited: evidence may still be added.
READMISSION_PENDING = ("submitted", "acknowledged", "interview_requested")


class IdempotencyConflict(ApplicationError):
    """An ``Idempotency-Key`` came back with a different application."""

    status = 409
    default_type = "idempotency-key-reused"
    title = "Idempotency key reused"


@dataclass
class DuplicateFlag:
    id: uuid.UUID
    kind: str
    score: float
    evidence: str


@dataclass
class ApplicationResult:
    case: Case
    created: bool
    duplicates: list[DuplicateFlag] = field(default_factory=list)


# Weighing ----------------------------------------------------------------------------------


def evidence_rules(terms: AgreementTerms) -> EvidenceRules:
    """The agreement's annexes: its classes, and its interview limit where it provides one."""
    interview = terms.time_limits.get("interview") if terms.interview_provided else None
    limit = None
    if interview is not None and interview.unit != "hours":
        limit = TimeLimit(interview.amount, Unit(interview.unit), interview.roll_forward)
    return EvidenceRules(
        classes={EvidenceKind(k): EvidenceClass(v) for k, v in terms.evidence_classes.items()},
        prima_facie_opens_verification=terms.prima_facie_evidence == "verification",
        interview=limit,
    )


def _items(case: Case, *, with_references: bool) -> list[WeighedItem]:
    return [
        WeighedItem(
            EvidenceKind(item.kind),
            item.reference if with_references else "",
            item.false_document,
        )
        for item in case.evidence_items.all()
    ]


def case_weighing(case: Case, *, with_references: bool = True) -> Weighing:
    """The case's evidence weighed now under the terms in force."""
    application = ReadmissionApplication.objects.filter(case=case).first()
    received = application.received_on if application else case.created_at.date()
    return weigh_evidence(
        _items(case, with_references=with_references),
        evidence_rules(terms_at(case.agreement, clock.now())),
        requested_on=received,
        calendar=calendar_for(case.agreement),
    )


def _refresh_weighing(case: Case, *, acting_user: Actor) -> Weighing:
    """Store the weighing sentence on the case (in full, and without document references for
    a party that does not read documents) and set the interview deadline it calls for."""
    weighing = case_weighing(case)
    shared = case_weighing(case, with_references=False)
    case.data["evidence"] = {
        "effect": weighing.effect.value,
        "explanation": weighing.explanation,
        "explanation_shared": shared.explanation,
        "deciding": weighing.deciding.kind.value if weighing.deciding else None,
    }
    case.save(update_fields=["data", "version", "updated_at"])
    if weighing.effect is Effect.INTERVIEW_DUE and weighing.interview_due is not None:
        running = case.deadlines.filter(
            kind="interview", met_at__isnull=True, cancelled_at__isnull=True
        )
        if not running.exists():
            deadline = Deadline.objects.create(
                case=case,
                kind="interview",
                label=LABELS["interview"],
                due_on=weighing.interview_due,
                explanation="No evidence of nationality: an interview within the agreement's "
                "interview limit",
            )
            audit_record(
                event_type=AuditEventType.DEADLINE_SET,
                acting_user=acting_user,
                agreement_id=case.agreement_id,
                case_id=case.id,
                object_type="deadline",
                object_id=str(deadline.id),
                data={
                    "kind": "interview",
                    "due_on": weighing.interview_due.isoformat(),
                    "evidence": weighing.effect.value,
                },
            )
    return weighing


class RejectIn(ActionPayload):
    rebuttal: str = Field(
        default="",
        max_length=2000,
        title="Rebuttal of the proof of nationality",
        description="Required while proof stands: the reasons that rebut it",
    )
    example = {"rebuttal": "The passport number belongs to another citizen in our register."}


class AcceptIn(ActionPayload):
    verification: str = Field(
        default="",
        max_length=2000,
        title="Outcome of the verification of nationality",
        description=(
            "Required where the agreement has prima facie evidence only open a verification "
            "and no proof stands"
        ),
    )
    example = {"verification": "Confirmed by the civil register of Podgorica on 2026-11-30."}


def proof_needs_rebuttal(context: TransitionContext) -> None:
    """Proof obliges acceptance: a rejection while it stands must rebut it with reasons."""
    weighing = case_weighing(context.case)
    if not weighing.obliges_acceptance:
        return
    rebuttal = context.payload_as(RejectIn).rebuttal
    if not rebuttal:
        raise TransitionRefused(
            N_(
                "%(weighing)s Give the reasons that rebut it in the payload's 'rebuttal' to reject."
            ),
            params={"weighing": weighing.explanation},
            rule="evidence-proof",
        )
    context.case.data["rebuttal"] = rebuttal
    context.audit_data["rebuttal"] = rebuttal


def verification_before_acceptance(context: TransitionContext) -> None:
    """Where the agreement has prima facie evidence only open a verification (EU-Pakistan),
    nationality is not presumed: an acceptance on such evidence records the verification's
    outcome, and without it is refused."""
    weighing = case_weighing(context.case)
    if weighing.effect is not Effect.VERIFICATION:
        return
    outcome = context.payload_as(AcceptIn).verification
    if not outcome:
        raise TransitionRefused(
            N_(
                "%(weighing)s Nationality is not presumed under this agreement: give the outcome "
                "of the verification in the payload's 'verification' to accept."
            ),
            params={"weighing": weighing.explanation},
            rule="evidence-verification",
        )
    context.case.data["verification"] = outcome
    context.audit_data["verification"] = outcome


def register() -> None:
    from readmit.cases.services import register_transition_hook

    register_transition_hook(
        AgreementKind.READMISSION, "reject", proof_needs_rebuttal, payload=RejectIn
    )
    register_transition_hook(
        AgreementKind.READMISSION, "accept", verification_before_acceptance, payload=AcceptIn
    )


# Intake ------------------------------------------------------------------------------------


def _listed(errors: list[dict[str, Any]]) -> str:
    """The field errors in one line for the English detail: ``loc.path msg; ...``."""
    return "; ".join(f"{'.'.join(map(str, e['loc']))} {e['msg']}" for e in errors)


def _requesting_worker(user: User, agreement: Agreement) -> tuple[Agreement, Organisation]:
    agreement = access_agreement(user, agreement.id)
    position = standing(user, agreement)
    if position.side != Side.SENDING:
        raise Forbidden(
            N_("Only the requesting (sending) party submits readmission applications."),
            type="wrong-party",
        )
    if not position.roles & WORKERS:
        raise Forbidden(
            N_("Submitting an application needs the role caseworker or supervisor."),
            type="wrong-role",
        )
    if agreement.kind != AgreementKind.READMISSION:
        raise TransitionRefused(
            N_(
                "Agreement '%(agreement)s' is a %(kind)s agreement: "
                "applications are submitted only under readmission agreements."
            ),
            params={
                "agreement": agreement.reference,
                "kind": english(AgreementKind(agreement.kind).label).lower(),
            },
            rule="agreement-kind",
        )
    if agreement.status != AgreementStatus.IN_FORCE:
        raise TransitionRefused(
            N_(
                "Agreement '%(agreement)s' is %(status)s, "
                "not in force: no application can be submitted under it."
            ),
            params={"agreement": agreement.reference, "status": Term(agreement.status)},
            rule="agreement-not-in-force",
        )
    assert position.organisation_id is not None
    return agreement, Organisation.objects.get(id=position.organisation_id)


def application_digest(agreement: Agreement, application: ApplicationIn) -> str:
    body = json.dumps(
        {
            "agreement": str(agreement.id),
            "application": application.model_dump(mode="json", by_alias=True),
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(body.encode()).hexdigest()


def _replay(organisation: Organisation, key: str | None, digest: str) -> ApplicationResult | None:
    if not key:
        return None
    existing = (
        ReadmissionApplication.objects.filter(organisation=organisation, idempotency_key=key)
        .select_related("case")
        .first()
    )
    if existing is None:
        return None
    if existing.request_digest != digest:
        raise IdempotencyConflict(
            N_(
                "The Idempotency-Key was already used for application '%(application)s' with a "
                "different request: idempotency key reused with a different request."
            ),
            params={"application": existing.case.external_id},
        )
    return ApplicationResult(case=existing.case, created=False)


def _check(
    agreement: Agreement, terms: AgreementTerms, application: ApplicationIn
) -> list[dict[str, Any]]:
    """What only the agreement or the database can tell is wrong, each part named."""
    errors: list[dict[str, Any]] = []
    today = clock.today()
    if application.procedure == Procedure.ACCELERATED:
        if "reply_accelerated" not in terms.time_limits:
            errors.append(
                {
                    "loc": ["procedure"],
                    "msg": N_(
                        "this agreement has no accelerated procedure "
                        "(no time_limits.reply_accelerated)"
                    ),
                }
            )
        if application.apprehended_on is not None and application.apprehended_on > today:
            errors.append({"loc": ["apprehended_on"], "msg": N_("is in the future")})
    errors.extend(_evidence_errors(terms, application.evidence))
    errors.extend(earlier_case_errors(agreement, application.take_back_of))
    if Case.objects.filter(agreement=agreement, external_id=application.external_id).exists():
        errors.append(
            {"loc": ["external_id"], "msg": N_("already has a case under this agreement")}
        )
    return errors


def _evidence_errors(terms: AgreementTerms, items: Sequence[EvidenceIn]) -> list[dict[str, Any]]:
    errors: list[dict[str, Any]] = []
    today = clock.today()
    rules = evidence_rules(terms)
    for n, item in enumerate(items):
        klass = rules.class_of(item.kind)
        if item.class_ is not None and item.class_ != klass:
            errors.append(
                field_error(
                    ["evidence", n, "class"],
                    N_("the agreement's annexes class %(kind)s as %(klass)s, not %(given)s"),
                    kind=Term(item.kind.value),
                    klass=Term(klass.value),
                    given=Term(item.class_.value),
                )
            )
        if item.mrz:
            try:
                zone = parse_mrz(item.mrz, today=today)
            except MRZError as exc:
                errors.append({"loc": ["evidence", n, "mrz"], "msg": str(exc)})
                continue
            if item.document is not None and _plain(item.document.number) != _plain(
                zone.document_number
            ):
                errors.append(
                    field_error(
                        ["evidence", n, "document", "number"],
                        N_(
                            "'%(number)s' is not the number in the machine-readable zone (%(zone)s)"
                        ),
                        number=item.document.number,
                        zone=zone.document_number,
                    )
                )
    return errors


def _plain(number: str) -> str:
    return "".join(ch for ch in number.upper() if ch.isalnum())


def _person(application: ApplicationIn, owner: Organisation, acting_user: User) -> Person:
    data = application.person
    year, month, day = data.birth_parts
    person = person_create(
        data=PersonInput(
            family_name=data.family_name,
            given_names=data.given_names,
            family_name_latin=data.family_name_latin,
            given_names_latin=data.given_names_latin,
            birth_year=year,
            birth_month=month,
            birth_day=day,
            place_of_birth=data.place_of_birth,
            sex=data.sex,
            nationalities=data.nationalities,
            languages=data.languages,
        ),
        owner=owner,
        acting_user=acting_user,
    )
    PersonName.objects.bulk_create(
        PersonName(person=person, kind=n.kind, given_names=n.given_names, family_name=n.family_name)
        for n in data.other_names
    )
    if data.other_names:
        search_terms_refresh(person_ids=[person.id])
    return person


def _evidence_item(
    case: Case, item: EvidenceIn, *, organisation: Organisation, acting_user: User
) -> EvidenceItem:
    document = None
    if item.document is not None:
        document = IdentityDocument.objects.create(
            person=case.person,
            type=item.document.type,
            number=item.document.number,
            issuing_country_id=item.document.issuing_country,
            expires_on=item.document.expires_on,
            is_copy=item.kind == EvidenceKind.PHOTOCOPY,
            flagged_false=item.false_document,
        )
    fields: dict[str, str] = {}
    if item.mrz:
        fields = parse_mrz(item.mrz, today=clock.today()).as_dict()
    reference = item.reference or (
        item.document.number if item.document else fields.get("document_number", "")
    )
    return EvidenceItem.objects.create(
        case=case,
        kind=item.kind.value,
        reference=reference,
        document=document,
        mrz=item.mrz,
        mrz_fields=fields,
        false_document=item.false_document,
        organisation=organisation,
        added_by=acting_user,
        added_at=clock.now(),
    )


def _flag_duplicates(person: Person, owner: Organisation, acting_user: User) -> list[DuplicateFlag]:
    from readmit.screening.duplicates import duplicates_find

    found = duplicates_find(acting_user=acting_user, organisation=owner)
    return [
        DuplicateFlag(id=c.id, kind=c.kind, score=c.score, evidence=c.evidence)
        for c in found
        if person.id in (c.person_a_id, c.person_b_id)
    ]


def readmission_application_submit(
    *,
    agreement: Agreement,
    application: ApplicationIn,
    acting_user: User,
    source: str = ApplicationSource.API,
    idempotency_key: str | None = None,
) -> ApplicationResult:
    """Open a readmission case from one application, or refuse it and write nothing."""
    if source not in ApplicationSource.values:
        raise ValidationFailed(
            N_("'%(source)s' is not an application source."),
            params={"source": source},
            errors=[{"loc": ["source"], "msg": N_("unknown source")}],
        )
    key = (idempotency_key or "").strip() or None
    if key is not None and len(key) > 200:
        raise ValidationFailed(
            N_("The Idempotency-Key is longer than 200 characters."),
            errors=[{"loc": ["Idempotency-Key"], "msg": N_("too long")}],
        )
    agreement, organisation = _requesting_worker(acting_user, agreement)
    digest = application_digest(agreement, application)
    with transaction.atomic():
        replay = _replay(organisation, key, digest)
        if replay is not None:
            return replay
        now = clock.now()
        terms = terms_at(agreement, now)
        errors = _check(agreement, terms, application)
        if errors:
            raise ValidationFailed(
                N_(
                    "The application is incomplete or invalid in %(count)s part(s); nothing was "
                    "created: %(errors)s"
                ),
                params={"count": len(errors), "errors": _listed(errors)},
                errors=errors,
            )
        variant: dict[str, Any] = {"variant": application.variant.value}
        if application.transit is not None:
            variant["transit"] = application.transit.model_dump(mode="json")
        if application.take_back_of is not None:
            window = take_back_window_check(
                agreement, terms, application.take_back_of, clock.today()
            )
            variant["take_back_of"] = {**window, "ends": window["ends"].isoformat()}
        person = _person(application, organisation, acting_user)
        case = case_open(
            agreement=agreement,
            person=person,
            acting_user=acting_user,
            organisation=organisation,
            external_id=application.external_id,
            data={"procedure": application.procedure.value, "source": source, **variant},
        )
        try:
            with transaction.atomic():
                ReadmissionApplication.objects.create(
                    case=case,
                    organisation=organisation,
                    submitted_by=acting_user,
                    submitted_at=now,
                    received_on=local_date(now, requested_zone(case)),
                    procedure=application.procedure.value,
                    apprehended_on=application.apprehended_on,
                    particulars={
                        "parents": [p.model_dump() for p in application.person.parents],
                        "civil_status": application.person.civil_status.value,
                        "last_address": application.last_address,
                        "medical_needs": application.medical_needs,
                        "escort_needs": application.escort_needs,
                    },
                    source=source,
                    idempotency_key=key,
                    request_digest=digest,
                )
        except IntegrityError:
            # The same key arrived at the same time on another connection and won the race.
            raise IdempotencyConflict(
                N_("The same Idempotency-Key is being used by another request; repeat it.")
            ) from None
        for item in application.evidence:
            _evidence_item(case, item, organisation=organisation, acting_user=acting_user)
        photo = application.photo_data
        if photo is not None:
            from readmit.cases.photos import photo_store

            photo_store(
                case=case, data=photo, organisation_id=organisation.id, acting_user=acting_user
            )
        weighing = _refresh_weighing(case, acting_user=acting_user)
        duplicates = _flag_duplicates(person, organisation, acting_user)
        audit_record(
            event_type=AuditEventType.READMISSION_APPLICATION_SUBMITTED,
            acting_user=acting_user,
            organisation_id=organisation.id,
            agreement_id=agreement.id,
            case_id=case.id,
            object_type="case",
            object_id=str(case.id),
            # Ids, counts and classes only: the audit log outlives the retention purge.
            data={
                "procedure": application.procedure.value,
                "variant": application.variant.value,
                "source": source,
                "evidence_items": len(application.evidence),
                "evidence": weighing.effect.value,
                "possible_duplicates": len(duplicates),
                "photo": "received" if photo is not None else "to follow",
                "idempotency_key": bool(key),
            },
        )
    return ApplicationResult(case=case, created=True, duplicates=duplicates)


def readmission_applications_import(
    *,
    agreement: Agreement,
    rows: Sequence[tuple[int, Mapping[str, str]]],
    acting_user: User,
    source: str,
) -> list[ApplicationResult]:
    """A batch (CSV / XLSX rows, ``readmit.cases.batch``): every application becomes a case,
    or none does. Each problem is named by its row (the file's line) and column."""
    from pydantic import ValidationError

    from readmit.cases.applications import application_errors
    from readmit.cases.batch import column_of, flat_to_application

    agreement, _ = _requesting_worker(acting_user, agreement)
    errors: list[dict[str, Any]] = []

    def bad(line: int, loc: list[Any], message: str) -> None:
        column = column_of(loc) or ".".join(map(str, loc))
        errors.append(
            {
                "row": line,
                "field": column,
                "message": message,
                "loc": [line, column],
                "msg": message,
            }
        )

    parsed: list[tuple[int, ApplicationIn]] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        try:
            application = ApplicationIn.model_validate(flat_to_application(row))
        except ValidationError as exc:
            for error in application_errors(exc):
                bad(line, error["loc"], error["msg"])
            continue
        if application.external_id in seen:
            bad(line, ["external_id"], f"already used in row {seen[application.external_id]}")
            continue
        seen[application.external_id] = line
        parsed.append((line, application))
    terms = terms_at(agreement, clock.now())
    for line, application in parsed:
        found = _check(agreement, terms, application)
        for error in found:
            bad(line, error["loc"], error["msg"])
        if application.take_back_of is not None and not any(
            e["loc"][0] == "take_back_of" for e in found
        ):
            try:
                take_back_window_check(agreement, terms, application.take_back_of, clock.today())
            except TransitionRefused as exc:
                bad(line, ["take_back_of"], exc.message)
    if errors:
        rows_at_fault = len({e["row"] for e in errors})
        raise ValidationFailed(
            N_(
                "%(at_fault)s of %(rows)s applications are incomplete or invalid; nothing was "
                "imported. Correct them and upload the file again."
            ),
            params={"at_fault": rows_at_fault, "rows": len(rows)},
            errors=errors,
        )
    with transaction.atomic():
        return [
            readmission_application_submit(
                agreement=agreement, application=application, acting_user=acting_user, source=source
            )
            for _, application in parsed
        ]


def may_add_evidence(user: User, case: Case) -> bool:
    """Whether ``evidence_add`` would take evidence from this user now (the page offers the
    form only then; the service checks again)."""
    if case.kind != AgreementKind.READMISSION or case.state not in READMISSION_PENDING:
        return False
    position = standing(user, case.agreement)
    return position.side == Side.SENDING and bool(position.roles & WORKERS)


def evidence_add(
    *, case_id: uuid.UUID | str, item: EvidenceIn, acting_user: User
) -> tuple[EvidenceItem, Weighing]:
    """Add one item of evidence to an application still awaiting its reply, and weigh the
    case's evidence again. Only the requesting party's caseworkers and supervisors add
    evidence; a bad MRZ or a class the annexes do not give the kind is a ``ValidationFailed``
    naming the field, and nothing is written."""
    with transaction.atomic():
        case = access_case(acting_user, case_id, for_update=True)
        position = standing(acting_user, case.agreement)
        if case.kind != AgreementKind.READMISSION:
            raise TransitionRefused(
                N_("Evidence of nationality is added only to readmission cases."),
                rule="agreement-kind",
            )
        if position.side != Side.SENDING:
            raise Forbidden(
                N_("Only the requesting (sending) party adds evidence to its application."),
                type="wrong-party",
            )
        if not position.roles & WORKERS:
            raise Forbidden(
                N_("Adding evidence needs the role caseworker or supervisor."), type="wrong-role"
            )
        if case.state not in READMISSION_PENDING:
            raise TransitionRefused(
                N_(
                    "The application was answered (state '%(state)s'): evidence is added only "
                    "while the reply is awaited."
                ),
                params={"state": Term(case.state)},
                rule="workflow",
            )
        errors = [
            {**e, "loc": [*e["loc"][2:]] or ["evidence"]}
            for e in _evidence_errors(terms_at(case.agreement, clock.now()), [item])
        ]
        if errors:
            raise ValidationFailed(
                N_("The evidence is invalid; nothing was added: %(errors)s"),
                params={"errors": _listed(errors)},
                errors=errors,
            )
        assert position.organisation_id is not None
        organisation = Organisation.objects.get(id=position.organisation_id)
        added = _evidence_item(case, item, organisation=organisation, acting_user=acting_user)
        case.version += 1
        weighing = _refresh_weighing(case, acting_user=acting_user)
        audit_record(
            event_type=AuditEventType.EVIDENCE_ADDED,
            acting_user=acting_user,
            organisation_id=organisation.id,
            agreement_id=case.agreement_id,
            case_id=case.id,
            object_type="evidence_item",
            object_id=str(added.id),
            data={
                "kind": added.kind,
                "false_document": added.false_document,
                "mrz": bool(added.mrz),
                "evidence": weighing.effect.value,
            },
        )
    return added, weighing
