"""Writes for relocation and reception: proposal lists, criteria evaluations, return plans,
family transfers and the stay sweep. Each takes ``acting_user`` and audits in its transaction.

The rules that guard workflow actions (criteria, exclusion, notice period, family group,
capacity, return plan, legal holds) are transition hooks in ``readmit.relocation.hooks``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction

from readmit.accounts.access import access_agreement, access_case, standing
from readmit.accounts.actors import Actor
from readmit.accounts.models import User
from readmit.agreements.criteria import (
    Evaluation,
    PersonFacts,
    evaluate,
    evaluate_many,
    facts_read,
)
from readmit.agreements.models import Agreement, AgreementKind
from readmit.agreements.selectors import terms_in_force
from readmit.agreements.terms import AgreementTerms
from readmit.agreements.vocabularies import VULNERABILITIES
from readmit.audit.events import AuditEventType
from readmit.audit.services import audit_record
from readmit.cases.models import Case, Deadline, VulnerabilityAssessment
from readmit.cases.services import (
    case_transition,
)
from readmit.cases.workflow import workflow_for
from readmit.core import clock
from readmit.core.actors import SystemActor
from readmit.core.errors import (
    N_,
    ApplicationError,
    TransitionRefused,
    ValidationFailed,
)
from readmit.relocation.access import (
    LIST_KINDS,
    criteria_check_refusal,
    list_proposal_refusal,
    return_plan_refusal,
    vulnerability_assessment_refusal,
)
from readmit.relocation.lists import (
    MAX_ROWS,
    PersonRow,
    missing_columns,
    row_error,
    validate_people,
)
from readmit.relocation.models import (
    CriteriaEvaluation,
    EvaluationTrigger,
    ListSource,
    ProposalList,
    ReceptionStay,
)
from readmit.relocation.selectors import family_members, person_facts, proposal_list_cases
from readmit.screening.services import cases_screen_on_arrival


class IdempotencyConflict(ApplicationError):
    """An ``Idempotency-Key`` (or list reference) came back with a different request body."""

    status = 409
    default_type = "idempotency-key-reused"
    title = "Idempotency key reused"


# Criteria --------------------------------------------------------------------------------


def evaluation_store(
    case: Case, *, at: dt.datetime, trigger: str
) -> tuple[CriteriaEvaluation, Evaluation]:
    """Evaluate the terms in force at ``at`` for the case's person and keep the result.

    No gate and no audit: callers are ``case_evaluate`` (which audits) and the ``select``
    hook (whose transition event carries the result).
    """
    version, evaluation, results = _evaluate(case, at)
    stored = CriteriaEvaluation.objects.create(
        case=case,
        evaluated_at=at,
        terms_version=version,
        outcome=str(evaluation.outcome),
        trigger=trigger,
        results=results,
    )
    return stored, evaluation


def _evaluate(case: Case, at: dt.datetime) -> tuple[int | None, Evaluation, list[dict[str, str]]]:
    """The terms version, the evaluation and its stored form (one dict per rule)."""
    terms, version = terms_in_force(case.agreement, at)
    evaluation, results = evaluation_results(terms, person_facts(case), at)
    return version, evaluation, results


def evaluation_results(
    terms: AgreementTerms, facts: PersonFacts, at: dt.datetime
) -> tuple[Evaluation, list[dict[str, str]]]:
    """The criteria of ``terms`` for ``facts`` on ``at``'s date, and their stored form."""
    evaluation = evaluate(terms.criteria, facts, on=at.date(), exclusions=terms.exclusions)
    return evaluation, stored_results(evaluation)


def evaluation_results_many(
    terms: AgreementTerms, people: Sequence[PersonFacts], at: dt.datetime
) -> list[tuple[Evaluation, list[dict[str, str]]]]:
    """:func:`evaluation_results` for many people, the terms read once (``evaluate_many``)."""
    evaluations = evaluate_many(terms.criteria, people, on=at.date(), exclusions=terms.exclusions)
    return [(evaluation, stored_results(evaluation)) for evaluation in evaluations]


def stored_results(evaluation: Evaluation) -> list[dict[str, str]]:
    """An evaluation as a ``CriteriaEvaluation`` keeps it: one dict per rule."""
    return [
        {
            "rule": r.rule,
            "label": r.label,
            "outcome": str(r.outcome),
            "explanation": r.explanation,
        }
        for r in evaluation.results
    ]


def criteria_refresh_after_screening(
    case_ids: Iterable[uuid.UUID | str],
    *,
    acting_user: Actor,
    organisation_id: uuid.UUID | None = None,
) -> list[CriteriaEvaluation]:
    """Evaluate the criteria again for relocation cases whose screening may have changed.

    A new evaluation is kept only where it differs from the case's latest one (another
    outcome or explanation for any rule, or other terms), so re-screening a list every
    night does not fill the case history with copies.

    Called when screening answers (``relocation.listeners``): through
    ``tasks.refresh_criteria_task`` once a run has committed (``acting_user`` None: the
    system), and inside the transaction of a reviewer's confirmation or dismissal of a
    match. No gate: the caller's own gate already ran. Every kept evaluation is audited
    with the trigger ``screening``, so the case page always shows what the criterion reads
    now.
    """
    from readmit.relocation.bulk import criteria_evaluate_many  # imports this module

    ids = sorted(str(i) for i in case_ids)
    stored_all: list[CriteriaEvaluation] = []
    agreements: dict[uuid.UUID, Agreement] = {}
    with transaction.atomic():  # a savepoint inside a review's transaction
        at = clock.now()
        for start in range(0, len(ids), REFRESH_CHUNK):
            cases = list(
                Case.objects.filter(
                    id__in=ids[start : start + REFRESH_CHUNK],
                    agreement__kind=AgreementKind.RELOCATION,
                )
                .select_related("person")
                .order_by("id")
            )
            # Each agreement read once, not joined to every case (its terms parsed per row).
            wanted = {c.agreement_id for c in cases} - agreements.keys()
            agreements.update(Agreement.objects.in_bulk(list(wanted)))
            for case in cases:
                case.agreement = agreements[case.agreement_id]
            # Kept only where the case page would change; audited with the trigger screening.
            stored_all += criteria_evaluate_many(
                cases,
                acting_user=acting_user,
                organisation_id=organisation_id,
                trigger=EvaluationTrigger.SCREENING,
                at=at,
                only_changed=True,
            )
        return stored_all


# Cases evaluated again per statement batch after a screening run (an ``IN`` of their ids).
REFRESH_CHUNK = 2000


def case_evaluate(
    *, case: Case, acting_user: User, trigger: str = EvaluationTrigger.RECHECK
) -> CriteriaEvaluation:
    """Apply the agreement's criteria to the case's person now, rule by rule, and audit it."""
    if trigger not in EvaluationTrigger.values:
        raise ValidationFailed(
            N_("'%(trigger)s' is not a trigger."),
            params={"trigger": trigger},
            errors=[{"loc": ["trigger"], "msg": N_("unknown trigger")}],
        )
    with transaction.atomic():
        case = access_case(acting_user, case.id)
        if (refusal := criteria_check_refusal(acting_user, case)) is not None:
            raise refusal
        position = standing(acting_user, case.agreement)
        stored, _ = evaluation_store(case, at=clock.now(), trigger=trigger)
        _audit_evaluation(
            stored, case, acting_user=acting_user, organisation_id=position.organisation_id
        )
    return stored


def _audit_evaluation(
    stored: CriteriaEvaluation,
    case: Case,
    *,
    acting_user: Actor,
    organisation_id: uuid.UUID | None,
) -> None:
    audit_record(
        event_type=AuditEventType.CRITERIA_EVALUATED,
        acting_user=acting_user,
        organisation_id=organisation_id,
        agreement_id=case.agreement_id,
        case_id=case.id,
        object_type="criteria_evaluation",
        object_id=str(stored.id),
        data={
            "outcome": stored.outcome,
            "trigger": stored.trigger,
            "terms_version": stored.terms_version,
            "not_passed": [r["rule"] for r in stored.not_passed()],
        },
    )


# Vulnerability assessments ------------------------------------------------------------------


def vulnerability_assess(
    *,
    case: Case,
    vulnerabilities: Sequence[str] | None,
    acting_user: User,
    note: str = "",
) -> VulnerabilityAssessment:
    """Record who assessed the person's vulnerabilities, when, and what was found (an empty
    list: none). The person's vulnerabilities become known on every case of theirs, and the
    criteria of this case are evaluated again with them.

    Only caseworkers and supervisors of the party that recorded the person (the sending
    state) assess: the other party is refused (``wrong-party``).
    """
    found = _assessed_vulnerabilities(vulnerabilities)
    note = (note or "").strip()
    if len(note) > 2000:
        raise ValidationFailed(
            N_("note: is longer than 2000 characters."),
            errors=[{"loc": ["note"], "msg": N_("is longer than 2000 characters")}],
        )
    with transaction.atomic():
        case = access_case(acting_user, case.id, for_update=True)
        if (refusal := vulnerability_assessment_refusal(acting_user, case)) is not None:
            raise refusal
        position = standing(acting_user, case.agreement)
        assert position.organisation_id is not None  # the person's owner, as the refusal checked
        now = clock.now()
        person = case.person
        assessment = VulnerabilityAssessment.objects.create(
            person=person,
            case=case,
            organisation_id=position.organisation_id,
            assessed_by=acting_user,
            assessed_at=now,
            vulnerabilities=found,
            note=note,
        )
        person.vulnerabilities = found
        person.save(update_fields=["vulnerabilities", "updated_at"])
        for other in Case.objects.select_for_update().filter(person=person).order_by("id"):
            unknown = [f for f in other.data.get("facts_unknown", ()) if f != "vulnerabilities"]
            if unknown != other.data.get("facts_unknown", []):
                other.data["facts_unknown"] = unknown
            other.version += 1
            other.save(update_fields=["data", "version", "updated_at"])
        audit_record(
            event_type=AuditEventType.VULNERABILITY_ASSESSED,
            acting_user=acting_user,
            organisation_id=position.organisation_id,
            agreement_id=case.agreement_id,
            case_id=case.id,
            object_type="vulnerability_assessment",
            object_id=str(assessment.id),
            # What was found stays on the assessment record (personal data), not in the chain.
            data={"found": len(found), "note": bool(note)},
        )
        if case.kind in LIST_KINDS:
            case.refresh_from_db()
            stored, _ = evaluation_store(case, at=now, trigger=EvaluationTrigger.RECHECK)
            _audit_evaluation(
                stored, case, acting_user=acting_user, organisation_id=position.organisation_id
            )
    return assessment


def _assessed_vulnerabilities(values: Sequence[str] | None) -> list[str]:
    if not isinstance(values, (list, tuple)):
        raise ValidationFailed(
            N_(
                "vulnerabilities: the assessment's outcome is required, a list (empty: none found)."
            ),
            errors=[{"loc": ["vulnerabilities"], "msg": N_("is required, a list (empty: none)")}],
        )
    unknown = [v for v in values if not isinstance(v, str) or v not in VULNERABILITIES]
    if unknown:
        allowed = ", ".join(VULNERABILITIES)
        raise ValidationFailed(
            N_("vulnerabilities: %(unknown)s is not one of %(allowed)s."),
            params={"unknown": ", ".join(repr(v) for v in unknown), "allowed": allowed},
            errors=[
                {"loc": ["vulnerabilities"], "msg": f"'{v}' is not one of {allowed}"}
                for v in unknown
            ],
        )
    return list(dict.fromkeys(values))


# Proposal lists --------------------------------------------------------------------------


@dataclass(frozen=True)
class ListResult:
    proposal_list: ProposalList
    cases: list[Case]
    created: bool  # False: an earlier identical request, answered again
    skipped: list[dict[str, Any]] = field(default_factory=list)  # errors of rows left out


def request_digest(agreement: Agreement, reference: str, people: Any) -> str:
    body = json.dumps(
        {"agreement": str(agreement.id), "reference": reference, "people": people},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(body.encode()).hexdigest()


def _sending_worker(user: User, agreement: Agreement) -> tuple[Agreement, Any]:
    agreement = access_agreement(user, agreement.id)
    if (refusal := list_proposal_refusal(user, agreement)) is not None:
        raise refusal
    return agreement, standing(user, agreement)


def _replay(existing: ProposalList, digest: str, refusal: str) -> ListResult:
    """The list sent before, if the request is the same; ``refusal`` (a marked message with
    ``%(list)s``) names what was reused otherwise."""
    if existing.request_digest != digest:
        raise IdempotencyConflict(refusal, params={"list": existing.reference})
    return ListResult(proposal_list=existing, cases=proposal_list_cases(existing), created=False)


def _existing(
    agreement: Agreement,
    organisation_id: Any,
    reference: str,
    idempotency_key: str | None,
    digest: str,
) -> ListResult | None:
    if idempotency_key:
        keyed = ProposalList.objects.filter(
            organisation_id=organisation_id, idempotency_key=idempotency_key
        ).first()
        if keyed is not None:
            return _replay(
                keyed,
                digest,
                N_(
                    "The Idempotency-Key was already used for list '%(list)s' with a different "
                    "request: idempotency key reused with a different request."
                ),
            )
    same = ProposalList.objects.filter(agreement=agreement, reference=reference).first()
    if same is not None:
        return _replay(
            same,
            digest,
            N_(
                "The reference '%(list)s' was already used for list '%(list)s' with a "
                "different request: idempotency key reused with a different request."
            ),
        )
    return None


def _free_text_categories(terms: AgreementTerms) -> bool:
    """Whether the agreement lets lists write conviction categories in their own words."""
    return any(
        c.rule == "no_conviction_within_years" and c.params.get("free_text_categories")
        for c in terms.criteria
    )


def _refuse_missing_columns(columns: frozenset[str], read: Mapping[str, str]) -> None:
    missing = missing_columns(columns, read)
    if missing:
        raise ValidationFailed(
            N_(
                "The file lacks the column(s) %(columns)s that the agreement's rules read; "
                "nothing was imported. Add the column; write 'unknown' in a cell where the "
                "fact is not known."
            ),
            params={
                "columns": ", ".join(
                    f"'{c}' (read by {rule})" for c, rule in sorted(missing.items())
                )
            },
            errors=[
                {
                    "row": 1,
                    "field": column,
                    "message": f"column missing: {rule} reads it",
                    "loc": ["columns", column],
                    "msg": f"column missing: {rule} reads it",
                }
                for column, rule in sorted(missing.items())
            ],
        )


@dataclass
class CheckedRows:
    """A list's rows checked against the agreement, before anything is written."""

    total: int
    valid: list[PersonRow]
    errors: list[dict[str, Any]]
    bad_rows: set[int]


def list_rows_check(
    agreement: Agreement,
    people: Any,
    *,
    only_valid_rows: bool,
    row_numbers: Sequence[int] | None = None,
    columns: frozenset[str] | None = None,
    max_rows: int = MAX_ROWS,
) -> CheckedRows:
    """Validate every row (shape, vocabularies, external ids not yet used); writes nothing.

    All or nothing: any invalid row refuses the list (``ValidationFailed`` names each row
    and field) unless ``only_valid_rows`` asks for the rest, and at least one is valid.
    """
    terms, _ = terms_in_force(agreement, clock.now())
    read = facts_read(terms.criteria, terms.exclusions)
    if columns is not None:
        _refuse_missing_columns(columns, read)
    validated = validate_people(
        people,
        rows=row_numbers,
        free_text_categories=_free_text_categories(terms),
        max_rows=max_rows,
    )
    errors = list(validated.errors)
    taken = set(
        Case.objects.filter(
            agreement=agreement, external_id__in=[r.external_id for r in validated.rows]
        ).values_list("external_id", flat=True)
    )
    for row in validated.rows:
        if row.external_id in taken:
            errors.append(
                row_error(
                    row.row,
                    "external_id",
                    f"'{row.external_id}' already has a case under this agreement",
                    index=None if row_numbers else row.row,
                )
            )
    bad_rows = {e["row"] for e in errors}
    valid = [r for r in validated.rows if r.row not in bad_rows]
    total = validated.total or (len(people) if isinstance(people, list) else 0)
    if errors and (not only_valid_rows or not valid):
        if not valid and only_valid_rows:
            message = "No row of the list is valid; nothing was imported."
        else:
            message = (
                f"{len(bad_rows)} of {total} rows are invalid; nothing was "
                "imported. Correct them, or import only the valid rows."
            )
        raise ValidationFailed(message, errors=errors)
    return CheckedRows(total=validated.total, valid=valid, errors=errors, bad_rows=bad_rows)


def list_submitted_audit(
    proposal_list: ProposalList, checked: CheckedRows, *, acting_user: User
) -> None:
    audit_record(
        event_type=AuditEventType.PROPOSAL_LIST_SUBMITTED,
        acting_user=acting_user,
        organisation_id=proposal_list.organisation_id,
        agreement_id=proposal_list.agreement_id,
        object_type="proposal_list",
        object_id=str(proposal_list.id),
        data={
            "reference": proposal_list.reference,
            "source": proposal_list.source,
            "rows": checked.total,
            "imported": len(checked.valid),
            "skipped_rows": sorted(checked.bad_rows),
            "idempotency_key": bool(proposal_list.idempotency_key),
        },
    )


def list_reference_and_key(
    reference: str | None, idempotency_key: str | None
) -> tuple[str, str | None]:
    """A list's reference (1 to 80 characters) and its Idempotency-Key (at most 200, or
    none), trimmed; refused naming the field. Lists sent at once and import jobs share it."""
    reference = (reference or "").strip()
    if not reference or len(reference) > 80:
        raise ValidationFailed(
            N_("A list needs a reference of at most 80 characters."),
            errors=[{"loc": ["reference"], "msg": N_("1 to 80 characters")}],
        )
    key = (idempotency_key or "").strip() or None
    if key is not None and len(key) > 200:
        raise ValidationFailed(
            N_("The Idempotency-Key is longer than 200 characters."),
            errors=[{"loc": ["Idempotency-Key"], "msg": N_("too long")}],
        )
    return reference, key


def proposal_list_submit(
    *,
    agreement: Agreement,
    reference: str,
    people: list[dict[str, Any]],
    acting_user: User,
    source: str,
    idempotency_key: str | None = None,
    only_valid_rows: bool = False,
    row_numbers: Sequence[int] | None = None,
    columns: frozenset[str] | None = None,
) -> ListResult:
    """Import a proposal list: every valid person becomes a case in state ``proposed``.

    All or nothing: if any row is invalid nothing is created (``ValidationFailed`` names each
    row and field) unless ``only_valid_rows`` asks to import the rest. The same reference or
    ``Idempotency-Key`` again answers the list already created; with a different body it is
    refused (``IdempotencyConflict``). ``row_numbers`` are the people's lines in an uploaded
    file, so errors name the line the user sees; ``columns`` are the uploaded file's columns:
    a file without the column of a fact the agreement's rules read is refused, naming it.
    Facts a person object does not send are stored as not known, never as "none".
    """
    if source not in ListSource.values:
        raise ValidationFailed(
            N_("'%(source)s' is not a list source."),
            params={"source": source},
            errors=[{"loc": ["source"], "msg": N_("unknown source")}],
        )
    reference, idempotency_key = list_reference_and_key(reference, idempotency_key)
    agreement, position = _sending_worker(acting_user, agreement)
    digest = request_digest(agreement, reference, people)
    with transaction.atomic():
        replay = _existing(agreement, position.organisation_id, reference, idempotency_key, digest)
        if replay is not None:
            return replay
        checked = list_rows_check(
            agreement,
            people,
            only_valid_rows=only_valid_rows,
            row_numbers=row_numbers,
            columns=columns,
        )
        errors = checked.errors
        try:
            with transaction.atomic():
                proposal_list = ProposalList.objects.create(
                    agreement=agreement,
                    reference=reference,
                    idempotency_key=idempotency_key,
                    submitted_by=acting_user,
                    organisation_id=position.organisation_id,
                    submitted_at=clock.now(),
                    row_count=checked.total,
                    imported_count=len(checked.valid),
                    source=source,
                    request_digest=digest,
                )
        except IntegrityError:
            # The same list arrived at the same time on another connection and won the race.
            replay = _existing(
                agreement, position.organisation_id, reference, idempotency_key, digest
            )
            if replay is None:
                raise
            return replay
        from readmit.relocation.bulk import criteria_evaluate_many, list_rows_write

        cases = list_rows_write(
            proposal_list,
            checked.valid,
            acting_user=acting_user,
            organisation_id=position.organisation_id,
        )
        list_submitted_audit(proposal_list, checked, acting_user=acting_user)
        criteria_evaluate_many(
            cases,
            acting_user=acting_user,
            organisation_id=position.organisation_id,
            trigger=EvaluationTrigger.LIST,
            new_cases=True,
        )
        _screen_on_arrival(agreement, cases, reference, position.organisation_id)
    return ListResult(proposal_list=proposal_list, cases=cases, created=True, skipped=errors)


def _screen_on_arrival(
    agreement: Agreement, cases: Sequence[Case], reference: str, organisation_id: Any
) -> None:
    """A list that arrives is screened in the background without anyone asking: one run
    over its cases, enqueued once the list is committed (the criteria are evaluated again
    when the run finishes)."""
    cases_screen_on_arrival(
        agreement=agreement, cases=cases, reference=reference, organisation_id=organisation_id
    )


# Transfer and reception --------------------------------------------------------------------


def family_schedule_transfer(
    *, case: Case, acting_user: User, payload: Mapping[str, Any]
) -> list[Case]:
    """Schedule the transfer of every member of the case's family group in one transaction:
    all of them, or none (the first refusal undoes the others)."""
    with transaction.atomic():
        case = access_case(acting_user, case.id, for_update=True)
        if not case.family_group:
            raise ValidationFailed(
                N_("Case %(case)s is in no family group."),
                params={"case": case.reference},
                errors=[{"loc": ["family_group"], "msg": N_("not set")}],
            )
        schedulable = workflow_for(case.kind).get("schedule_transfer").sources
        members = sorted([case, *family_members(case, lock=True)], key=lambda c: c.id)
        scheduled = []
        for member in members:
            # A member already scheduled or received stays as it is; any other member that
            # cannot go refuses the whole family through the family-group rule.
            if member.id != case.id and member.state not in schedulable:
                continue
            scheduled.append(
                case_transition(
                    case_id=member.id,
                    action="schedule_transfer",
                    acting_user=acting_user,
                    payload=dict(payload),
                )
            )
        position = standing(acting_user, case.agreement)
        audit_record(
            event_type=AuditEventType.FAMILY_TRANSFER_SCHEDULED,
            acting_user=acting_user,
            organisation_id=position.organisation_id,
            agreement_id=case.agreement_id,
            object_type="family_group",
            object_id=case.family_group,
            data={"family_group": case.family_group, "cases": [str(c.id) for c in scheduled]},
        )
    return scheduled


def stay_record_return_plan(*, case: Case, plan: str, acting_user: User) -> ReceptionStay:
    """Record (or replace) the return-to-origin plan of the case's open stay."""
    plan = (plan or "").strip()
    if not plan or len(plan) > 5000:
        raise ValidationFailed(
            N_("A return plan needs 1 to 5000 characters."),
            errors=[{"loc": ["plan"], "msg": N_("1 to 5000 characters")}],
        )
    with transaction.atomic():
        case = access_case(acting_user, case.id, for_update=True)
        if (refusal := return_plan_refusal(acting_user, case)) is not None:
            raise refusal
        position = standing(acting_user, case.agreement)
        stay = ReceptionStay.objects.filter(case=case, ended_at__isnull=True).first()
        if stay is None:
            raise TransitionRefused(
                N_("Case %(case)s has no open reception stay."),
                params={"case": case.reference},
                rule="no-open-stay",
            )

        stay.return_plan = plan
        stay.return_plan_recorded_at = clock.now()
        stay.save(update_fields=["return_plan", "return_plan_recorded_at", "updated_at"])
        case.version += 1
        case.save(update_fields=["version", "updated_at"])
        audit_record(
            event_type=AuditEventType.RETURN_PLAN_RECORDED,
            acting_user=acting_user,
            organisation_id=position.organisation_id,
            agreement_id=case.agreement_id,
            case_id=case.id,
            object_type="reception_stay",
            object_id=str(stay.id),
            data={"length": len(plan)},
        )
    return stay


STAY_END = "stay_end"


def stay_deadlines_sweep(*, today: dt.date | None = None) -> int:
    """Give every open stay that enters its agreement's alert window a ``stay_end`` deadline
    (due on the last day of the stay), once. Answers how many were created."""
    today = today or clock.today()
    created = 0
    stays = (
        ReceptionStay.objects.filter(ended_at__isnull=True, max_end__isnull=False)
        .exclude(case__deadlines__kind=STAY_END)
        .select_related("case", "case__agreement")
    )
    for stay in stays:
        assert stay.max_end is not None
        terms, _ = terms_in_force(stay.case.agreement, clock.now())
        if (stay.max_end - today).days > terms.stay_alert_days:
            continue
        with transaction.atomic():
            deadline = Deadline.objects.create(
                case=stay.case,
                kind=STAY_END,
                label="Reception stay ends",
                due_on=stay.max_end,
                explanation=f"maximum stay of {terms.max_stay_days} days from "
                f"{stay.arrived_at.date().isoformat()}",
            )
            audit_record(
                event_type=AuditEventType.DEADLINE_SET,
                acting_user=SystemActor("reception stays"),
                agreement_id=stay.case.agreement_id,
                case_id=stay.case_id,
                object_type="deadline",
                object_id=str(deadline.id),
                data={"kind": STAY_END, "due_on": stay.max_end.isoformat()},
            )
        created += 1
    return created
