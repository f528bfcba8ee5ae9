"""A proposal list's rows written in bulk: the same rows as one case at a time, far fewer
statements (docs/adr/0011-large-lists-are-import-jobs.md, "The bulk path").

``list_rows_write`` writes, for a batch of checked rows, what ``person_create`` and
``case_open`` write for each (people, nationalities, documents, cases, list entries) with one
insert per table, and the audit rows with ``audit_record_many`` (one lock of the chain's
head, each row's hash computed in order). ``criteria_evaluate_many`` evaluates the criteria
once per case in Python (the terms read once, the screening status of every case read in a
handful of queries) and writes the evaluations and their audit rows the same way. The gate
is checked once per call (one organisation, one agreement), not per row.

Runs inside the caller's transaction: the whole list (a request) or one batch (a job).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction

from readmit.accounts.actors import Actor
from readmit.accounts.models import User
from readmit.agreements.models import Agreement
from readmit.audit.events import AuditEventType
from readmit.audit.services import AuditEntry, audit_record_many
from readmit.cases.models import Case, IdentityDocument, Person
from readmit.cases.workflow import workflow_for
from readmit.core import clock
from readmit.core.bulkinsert import maker, rows_insert
from readmit.core.errors import N_, ValidationFailed
from readmit.core.models import Country
from readmit.relocation.lists import PersonRow
from readmit.relocation.models import CriteriaEvaluation, ProposalList, ProposalListEntry
from readmit.search.services import search_terms_of_new_people


def _references(agreement: Agreement, count: int) -> list[str]:
    """The next ``count`` references of the agreement, as ``count`` calls of
    ``cases.services._next_reference`` would draw them: from the number of its cases
    onwards, skipping any already taken. The agreement row is locked first."""
    Agreement.objects.select_for_update().filter(id=agreement.id).first()
    prefix = agreement.reference.upper()[:12]
    number = Case.objects.filter(agreement=agreement).count() + 1
    found: list[str] = []
    while len(found) < count:
        window = [f"{prefix}-{n:05d}" for n in range(number, number + 2 * (count - len(found)))]
        taken = set(Case.objects.filter(reference__in=window).values_list("reference", flat=True))
        for reference in window:
            number += 1
            if reference not in taken:
                found.append(reference)
                if len(found) == count:
                    break
    return found


def list_rows_write(
    proposal_list: ProposalList,
    rows: Sequence[PersonRow],
    *,
    acting_user: User,
    organisation_id: uuid.UUID,
) -> list[Case]:
    """A person and a case in the workflow's first state for each checked row, in bulk.

    The caller has checked the gate (``_sending_worker``) for ``acting_user`` in this
    transaction; the rows were checked by ``list_rows_check``. Audits ``person_created`` and
    ``case_created`` for each row in row order, as the one-by-one services do.
    """
    if not rows:
        return []
    agreement = proposal_list.agreement
    sending = agreement.sending_party
    assert sending is not None
    owner = sending.organisation
    countries = set(Country.objects.values_list("code", flat=True))
    people: list[Person] = []
    nationalities: list[Any] = []
    documents: list[IdentityDocument] = []
    Nationality = Person.nationalities.through
    new_person, new_nationality = maker(Person), maker(Nationality)
    new_document, new_case = maker(IdentityDocument), maker(Case)
    for row in rows:
        person = new_person(
            given_names=row.given_names,
            family_name=row.family_name,
            birth_year=row.birth_year,
            birth_month=row.birth_month,
            birth_day=row.birth_day,
            sex=row.sex,
            languages=[],
            convictions=[c.as_json() for c in row.convictions or ()],
            pending_criminal_case=row.pending_criminal_case,
            vulnerabilities=list(row.vulnerabilities or ()),
            owner=owner,
        )
        people.append(person)
        nationalities += [
            new_nationality(person_id=person.id, country_id=code)
            for code in row.nationalities
            if code in countries
        ]
        documents += [
            new_document(
                person=person, type=d.type, number=d.number, issuing_country_id=d.issuing_country
            )
            for d in row.documents
        ]
    workflow = workflow_for(agreement.kind)
    cases: list[Case] = []
    for row, person, reference in zip(rows, people, _references(agreement, len(rows)), strict=True):
        data: dict[str, Any] = {"proposal_list": str(proposal_list.id), "proposal_row": row.row}
        unknown = [
            name
            for name, value in (
                ("convictions", row.convictions),
                ("vulnerabilities", row.vulnerabilities),
            )
            if value is None
        ]
        if unknown:
            data["facts_unknown"] = unknown
        cases.append(
            new_case(
                agreement=agreement,
                person=person,
                kind=agreement.kind,
                state=workflow.initial,
                reference=reference,
                external_id=row.external_id,
                data=data,
                family_group=row.family_group,
            )
        )
    rows_insert(Person, people)
    rows_insert(Nationality, nationalities)
    rows_insert(IdentityDocument, documents)
    search_terms_of_new_people(people)
    try:
        with transaction.atomic():
            rows_insert(Case, cases)
    except IntegrityError:
        raise ValidationFailed(
            N_(
                "A case with one of the list's external ids was opened meanwhile under this "
                "agreement; nothing of this batch was written."
            ),
            errors=[{"loc": ["external_id"], "msg": N_("already used in this agreement")}],
        ) from None
    new_entry = maker(ProposalListEntry)
    rows_insert(
        ProposalListEntry,
        (
            new_entry(proposal_list=proposal_list, case=c, row=r.row)
            for c, r in zip(cases, rows, strict=True)
        ),
    )
    entries: list[AuditEntry] = []
    for row, person, case in zip(rows, people, cases, strict=True):
        entries.append(
            AuditEntry(
                event_type=AuditEventType.PERSON_CREATED,
                organisation_id=owner.id,
                object_type="person",
                object_id=str(person.id),
                data={"documents": len(row.documents)},
            )
        )
        entries.append(
            AuditEntry(
                event_type=AuditEventType.CASE_CREATED,
                organisation_id=owner.id,
                agreement_id=agreement.id,
                case_id=case.id,
                object_type="case",
                object_id=str(case.id),
                data={
                    "reference": case.reference,
                    "state": case.state,
                    "external_id": case.external_id,
                },
            )
        )
    audit_record_many(entries, acting_user=acting_user)
    return cases


def _latest_results(cases: Sequence[Case]) -> dict[uuid.UUID, tuple[int | None, Any]]:
    """``(terms_version, results)`` of each case's newest evaluation, in one query (what
    ``latest_evaluations`` finds, without building the model instances)."""
    latest: dict[uuid.UUID, tuple[int | None, Any]] = {}
    for case_id, version, results in (
        CriteriaEvaluation.objects.filter(case_id__in=[c.id for c in cases])
        .order_by("case_id", "-evaluated_at", "-created_at")
        .values_list("case_id", "terms_version", "results")
    ):
        latest.setdefault(case_id, (version, results))
    return latest


def criteria_evaluate_many(
    cases: Sequence[Case],
    *,
    acting_user: Actor,
    organisation_id: uuid.UUID | None,
    trigger: str,
    at: dt.datetime | None = None,
    only_changed: bool = False,
    new_cases: bool = False,
) -> list[CriteriaEvaluation]:
    """Evaluate the agreement's criteria once for each case and keep the results, in bulk.

    The same evaluation and audit row (``criteria_evaluated``) per case as ``case_evaluate``
    (or, with ``only_changed``, as ``criteria_refresh_after_screening``: a case whose
    latest evaluation would read the same is left alone). No gate: the caller's ran. The
    cases' people must be loaded (``select_related("person")`` or just written).
    ``new_cases``: the cases were written in this transaction (``list_rows_write``), so no
    screening run or match can name them yet: their screening status is "not screened"
    (what ``watchlist_statuses`` answers for them) without reading it.
    """
    from readmit.agreements.selectors import terms_in_force
    from readmit.relocation.selectors import facts_of
    from readmit.relocation.services import evaluation_results_many
    from readmit.screening.selectors import watchlist_statuses

    if not cases:
        return []
    at = at or clock.now()
    Nationality = Person.nationalities.through
    codes: dict[uuid.UUID, set[str]] = {c.person_id: set() for c in cases}
    for person_id, code in Nationality.objects.filter(person_id__in=list(codes)).values_list(
        "person_id", "country_id"
    ):
        codes[person_id].add(code)
    statuses = (
        dict.fromkeys((c.id for c in cases), None) if new_cases else watchlist_statuses(cases)
    )
    latest = _latest_results(cases) if only_changed else {}
    # One evaluation per agreement's terms (read once) over its cases, in the cases' order.
    by_agreement: dict[uuid.UUID, list[Case]] = {}
    for case in cases:
        by_agreement.setdefault(case.agreement_id, []).append(case)
    evaluated: dict[uuid.UUID, tuple[int | None, Any, list[dict[str, str]]]] = {}
    for group in by_agreement.values():
        terms, version = terms_in_force(group[0].agreement, at)
        facts = [
            facts_of(
                case,
                nationalities=frozenset(codes[case.person_id]),
                watchlist_status=statuses[case.id],
            )
            for case in group
        ]
        for case, (evaluation, results) in zip(
            group, evaluation_results_many(terms, facts, at), strict=True
        ):
            evaluated[case.id] = (version, evaluation, results)
    stored: list[CriteriaEvaluation] = []
    new_evaluation = maker(CriteriaEvaluation)
    for case in cases:
        version, evaluation, results = evaluated[case.id]
        if latest.get(case.id) == (version, results):
            continue
        stored.append(
            new_evaluation(
                case=case,
                evaluated_at=at,
                terms_version=version,
                outcome=str(evaluation.outcome),
                trigger=trigger,
                results=results,
            )
        )
    rows_insert(CriteriaEvaluation, stored)
    audit_record_many(
        [
            AuditEntry(
                event_type=AuditEventType.CRITERIA_EVALUATED,
                organisation_id=organisation_id,
                agreement_id=e.case.agreement_id,
                case_id=e.case_id,
                object_type="criteria_evaluation",
                object_id=str(e.id),
                data={
                    "outcome": e.outcome,
                    "trigger": e.trigger,
                    "terms_version": e.terms_version,
                    "not_passed": [r["rule"] for r in e.not_passed()],
                },
            )
            for e in stored
        ],
        acting_user=acting_user,
    )
    return stored
