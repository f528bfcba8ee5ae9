"""Readmission intake through the service: evidence weighed, its effects, the reply limits."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest
from pydantic import ValidationError

from readmit.agreements.terms import AgreementTerms
from readmit.audit.models import AuditEvent
from readmit.cases.applications import ApplicationIn, application_errors
from readmit.cases.intake import readmission_application_submit
from readmit.cases.models import Case, Deadline, ReadmissionApplication
from readmit.cases.services import case_transition
from readmit.core import clock
from readmit.core.errors import TransitionRefused
from readmit.deadlines import TimeLimit, Unit, WorkingCalendar, due
from tests.exchange.test_applications import TERMS, application
from tests.factories import make_agreement


def submit(world, agreement, body: dict[str, Any]) -> Case:  # type: ignore[no-untyped-def]
    return readmission_application_submit(
        agreement=agreement,
        application=ApplicationIn.model_validate(body),
        acting_user=world.user("us_caseworker"),
    ).case


def statement_only(external_id: str = "DHS-ME-9") -> dict[str, Any]:
    return application(
        external_id, evidence=[{"kind": "own_statement", "reference": "statement of 3 May"}]
    )


@pytest.fixture
def montenegro(world):
    return make_agreement(world.us, world.me, kind="readmission", terms=TERMS)


def test_the_agreements_annexes_can_class_a_kind_as_none_so_an_interview_falls_due(world):
    plain = make_agreement(world.us, world.me, kind="readmission", terms=TERMS)
    presumed = submit(world, plain, statement_only())
    assert presumed.data["evidence"]["effect"] == "presumed"
    assert not Deadline.objects.filter(case=presumed, kind="interview").exists()

    annexes = {**TERMS, "evidence_classes": {"own_statement": "none"}}
    strict = make_agreement(world.us, world.me, kind="readmission", terms=annexes)
    case = submit(world, strict, statement_only())
    assert case.data["evidence"]["effect"] == "interview_due"
    interview = Deadline.objects.get(case=case, kind="interview")
    received = ReadmissionApplication.objects.get(case=case).received_on
    calendar = WorkingCalendar(["ME", "US"])
    assert interview.due_on == due(received, TimeLimit(7, Unit.WORKING_DAYS), calendar)
    assert "interview is due by" in case.data["evidence"]["explanation"]


def test_an_unknown_evidence_kind_in_the_annexes_is_refused_naming_it():
    with pytest.raises(ValidationError) as refused:
        AgreementTerms.model_validate({"evidence_classes": {"passport_copy": "proof"}})
    assert "passport_copy" in str(refused.value)


def test_without_interviews_in_the_agreement_missing_evidence_is_insufficient_and_sets_none(
    world,
):
    terms = {**TERMS, "interview_provided": False}
    agreement = make_agreement(world.us, world.me, kind="readmission", terms=terms)
    case = submit(world, agreement, application(evidence=[]))
    assert case.data["evidence"]["effect"] == "insufficient"
    assert not Deadline.objects.filter(case=case, kind="interview").exists()


def test_a_false_document_counts_for_nothing(world, montenegro):
    body = application()
    body["evidence"][0]["false_document"] = True
    case = submit(world, montenegro, body)
    assert case.data["evidence"]["effect"] == "interview_due"
    assert "flagged as false" in case.data["evidence"]["explanation"]
    assert Deadline.objects.filter(case=case, kind="interview").count() == 1


def test_a_rejection_while_proof_stands_needs_a_rebuttal_with_reasons(world, montenegro):
    case = submit(world, montenegro, application())
    supervisor = world.user("me_supervisor")
    audit_rows = AuditEvent.objects.count()
    with pytest.raises(TransitionRefused) as refused:
        case_transition(case_id=case.id, action="reject", reason="not ours", acting_user=supervisor)
    assert refused.value.rule == "evidence-proof"
    assert Case.objects.get(id=case.id).state == "submitted"
    assert AuditEvent.objects.count() == audit_rows
    rejected = case_transition(
        case_id=case.id,
        action="reject",
        reason="not ours",
        payload={"rebuttal": "The passport number belongs to another citizen in our register."},
        acting_user=supervisor,
    )
    assert rejected.state == "rejected"
    assert "another citizen" in rejected.data["rebuttal"]


def test_a_rejection_of_prima_facie_evidence_needs_no_rebuttal(world, montenegro):
    case = submit(world, montenegro, statement_only())
    rejected = case_transition(
        case_id=case.id,
        action="reject",
        reason="the statement is contradicted by the register",
        acting_user=world.user("me_supervisor"),
    )
    assert rejected.state == "rejected"


def test_the_receipt_counts_from_the_requested_states_local_date(world, monkeypatch):
    agreement = make_agreement(
        world.us, world.me, kind="readmission", terms=TERMS, in_force_from=dt.date(2024, 1, 1)
    )
    # 22:30 UTC on 30 June 2024 is 00:30 on 1 July in Podgorica (and 18:30 in Washington).
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2024, 6, 30, 22, 30, tzinfo=dt.UTC))
    case = submit(world, agreement, application())
    assert ReadmissionApplication.objects.get(case=case).received_on == dt.date(2024, 7, 1)
    reply = Deadline.objects.get(case=case, kind="reply")
    # 12 calendar days from 1 July: 13 July is Statehood Day, 14 a Sunday, 15 its observed day.
    assert reply.due_on == dt.date(2024, 7, 16)
    assert "Europe/Podgorica" in reply.explanation


def test_the_application_model_names_every_missing_part_at_once():
    body = copy.deepcopy(application())
    for key in ("last_address", "evidence"):
        del body[key]
    del body["person"]["civil_status"]
    with pytest.raises(ValidationError) as refused:
        ApplicationIn.model_validate(body)
    errors = application_errors(refused.value)
    assert {tuple(e["loc"]) for e in errors} == {
        ("last_address",),
        ("evidence",),
        ("person", "civil_status"),
    }
    assert all(e["msg"] == "is missing: an application must carry it" for e in errors)


def test_a_name_in_latin_script_needs_no_separate_latin_form():
    body = application()
    body["person"].update(
        given_names="Marko", family_name="Perović", given_names_latin="", family_name_latin=""
    )
    assert ApplicationIn.model_validate(body).person.family_name == "Perović"
