"""Submitting a proposal list: all or nothing, only-valid-rows, idempotency, who may submit."""

from __future__ import annotations

import pytest

from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.cases.models import Case, Person
from readmit.core.errors import Forbidden, NotFound, TransitionRefused, ValidationFailed
from readmit.relocation.lists import read_csv, upload_people
from readmit.relocation.models import CriteriaEvaluation, ProposalList
from readmit.relocation.selectors import latest_evaluation
from readmit.relocation.services import IdempotencyConflict
from tests.factories import make_agreement
from tests.relocation.conftest import SAMPLE_PATH, person, submit


def counts() -> tuple[int, int, int, int]:
    return (
        ProposalList.objects.count(),
        Case.objects.count(),
        Person.objects.count(),
        AuditEvent.objects.count(),
    )


def test_a_valid_list_opens_one_proposed_case_per_person_with_its_criteria_results(
    world, agreement
):
    people = [person(), person(family_group="FAM-1"), person(family_group="FAM-1")]
    result = submit(world, agreement, people, reference="US-XK-2026-01")
    assert result.created
    assert result.proposal_list.row_count == result.proposal_list.imported_count == 3
    assert [c.external_id for c in result.cases] == [p["external_id"] for p in people]
    assert {c.state for c in result.cases} == {"proposed"}
    assert [c.family_group for c in result.cases] == ["", "FAM-1", "FAM-1"]
    for case in result.cases:
        evaluation = latest_evaluation(case)
        assert evaluation is not None
        assert evaluation.outcome == "pass"
        assert evaluation.trigger == "list"
        assert [r["rule"] for r in evaluation.results] == [
            "no_conviction_within_years",
            "no_pending_criminal_case",
            "age_between",
        ]
    submitted = AuditEvent.objects.get(event_type=AuditEventType.PROPOSAL_LIST_SUBMITTED)
    assert submitted.data["imported"] == 3
    assert AuditEvent.objects.filter(event_type=AuditEventType.CRITERIA_EVALUATED).count() == 3


def test_the_person_is_recorded_with_documents_convictions_and_unknown_facts(world, agreement):
    result = submit(
        world,
        agreement,
        [
            person(
                nationalities=["ve", "COL"],
                convictions=None,
                vulnerabilities=None,
                pending_cases=None,
            )
        ],
    )
    case = result.cases[0]
    assert sorted(case.person.nationalities.values_list("code", flat=True)) == ["CO", "VE"]
    assert case.person.documents.get().issuing_country_id == "VE"
    assert case.person.pending_criminal_case is None
    assert case.data["facts_unknown"] == ["convictions", "vulnerabilities"]
    evaluation = latest_evaluation(case)
    assert evaluation.outcome == "unknown"
    unknown = [r["rule"] for r in evaluation.results if r["outcome"] == "unknown"]
    assert unknown == ["no_conviction_within_years", "no_pending_criminal_case"]


def test_a_list_with_one_bad_row_imports_nothing_and_names_each_bad_row_and_field(world, agreement):
    before = counts()
    people = [person(), person(sex="W"), person(birth_date="1988-02-30", nationalities=[])]
    with pytest.raises(ValidationFailed) as refused:
        submit(world, agreement, people)
    assert sorted((e["row"], e["field"]) for e in refused.value.errors) == [
        (1, "sex"),
        (2, "birth_date"),
        (2, "nationalities"),
    ]
    assert ["people", 1, "sex"] in [e["loc"] for e in refused.value.errors]
    assert "2 of 3 rows" in refused.value.message
    assert counts() == before


def test_only_the_valid_rows_are_imported_when_the_user_asks_for_it(world, agreement):
    people = [person(), person(sex="W"), person()]
    result = submit(world, agreement, people, only_valid_rows=True)
    assert [c.external_id for c in result.cases] == [
        people[0]["external_id"],
        people[2]["external_id"],
    ]
    assert (result.proposal_list.row_count, result.proposal_list.imported_count) == (3, 2)
    assert [(e["row"], e["field"]) for e in result.skipped] == [(1, "sex")]


def test_a_list_with_no_valid_row_imports_nothing_even_with_only_valid_rows(world, agreement):
    before = counts()
    with pytest.raises(ValidationFailed) as refused:
        submit(world, agreement, [person(sex="W")], only_valid_rows=True)
    assert "No row" in refused.value.message
    assert counts() == before


def test_an_external_id_already_used_under_the_agreement_is_a_row_error(world, agreement):
    first = person()
    submit(world, agreement, [first])
    before = counts()
    again = person(external_id=first["external_id"])
    with pytest.raises(ValidationFailed) as refused:
        submit(world, agreement, [person(), again])
    assert [(e["row"], e["field"]) for e in refused.value.errors] == [(1, "external_id")]
    assert counts() == before


def test_the_same_reference_sent_twice_creates_nothing_twice(world, agreement):
    people = [person(), person()]
    first = submit(world, agreement, people, reference="US-XK-7")
    before = counts()
    again = submit(world, agreement, people, reference="US-XK-7")
    assert not again.created
    assert again.proposal_list.id == first.proposal_list.id
    assert [c.id for c in again.cases] == [c.id for c in first.cases]
    assert counts() == before


def test_the_same_idempotency_key_answers_the_first_list_and_a_different_body_is_refused(
    world, agreement
):
    people = [person()]
    first = submit(world, agreement, people, reference="A", idempotency_key="key-1")
    before = counts()
    again = submit(world, agreement, people, reference="A", idempotency_key="key-1")
    assert (again.created, again.proposal_list.id) == (False, first.proposal_list.id)
    with pytest.raises(IdempotencyConflict) as refused:
        submit(world, agreement, [person()], reference="B", idempotency_key="key-1")
    assert "idempotency key reused with a different request" in refused.value.message
    assert refused.value.status == 409
    with pytest.raises(IdempotencyConflict):
        submit(world, agreement, [person()], reference="A")  # same reference, other people
    assert counts() == before


def test_only_the_sending_party_submits_and_an_outsider_learns_nothing(world, agreement):
    before = counts()
    with pytest.raises(Forbidden) as refused:
        submit(world, agreement, [person()], acting_user=world.user("xk_supervisor"))
    assert refused.value.type == "wrong-party"
    with pytest.raises(Forbidden) as refused:
        submit(world, agreement, [person()], acting_user=world.user("us_auditor"))
    assert refused.value.type == "wrong-role"
    with pytest.raises(NotFound):
        submit(world, agreement, [person()], acting_user=world.user("me_supervisor"))
    assert counts() == before
    assert submit(world, agreement, [person()], acting_user=world.user("us_supervisor")).created


@pytest.mark.parametrize(
    ("kind", "status", "rule"),
    [
        ("readmission", "in_force", "agreement-kind"),
        ("relocation", "suspended", "agreement-not-in-force"),
    ],
)
def test_lists_go_only_to_in_force_relocation_or_reception_agreements(world, kind, status, rule):
    other = make_agreement(world.us, world.xk, kind=kind, status=status)
    with pytest.raises(TransitionRefused) as refused:
        submit(world, other, [person()])
    assert refused.value.rule == rule
    reception = make_agreement(world.us, world.xk, kind="reception")
    assert submit(world, reception, [person()]).cases[0].kind == "reception"


def test_an_uploaded_csv_names_errors_by_file_line(world, agreement):
    text = SAMPLE_PATH.read_text(encoding="utf-8") + "US-2026-0099,Bad,Row,1990,W,VE,,,,,no,,\n"
    people, rows = upload_people(read_csv(text.encode()))
    with pytest.raises(ValidationFailed) as refused:
        submit(world, agreement, people, row_numbers=rows, source="web-csv")
    assert [(e["row"], e["field"]) for e in refused.value.errors] == [(8, "sex")]
    result = submit(
        world, agreement, people, row_numbers=rows, source="web-csv", only_valid_rows=True
    )
    assert result.proposal_list.imported_count == 6
    assert result.proposal_list.source == "web-csv"
    assert CriteriaEvaluation.objects.filter(case__in=result.cases).count() == 6
