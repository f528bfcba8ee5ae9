"""A case's state is one of its kind's: the enums are the table's states, and the database
refuses a state of another kind (SQLite and PostgreSQL alike)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from readmit.agreements.models import AgreementKind
from readmit.cases.models import Case
from readmit.cases.workflow import (
    WORKFLOWS,
    ReadmissionState,
    ReceptionState,
    RelocationState,
    Side,
)
from tests.factories import make_case

ENUMS = {
    AgreementKind.RELOCATION: RelocationState,
    AgreementKind.RECEPTION: ReceptionState,
    AgreementKind.READMISSION: ReadmissionState,
}


def test_each_kind_has_a_state_enum_that_is_its_workflows_states_in_order():
    assert set(WORKFLOWS) == set(AgreementKind.values) == set(ENUMS)
    for kind, states in ENUMS.items():
        assert WORKFLOWS[kind].states == tuple(s.value for s in states)
    assert [s.value for s in Side] == ["sending", "receiving"]


def test_the_database_refuses_a_state_that_is_not_of_the_cases_kind(world):
    case = make_case(world.agreement)
    assert case.kind == AgreementKind.RELOCATION
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(id=case.id).update(state=ReadmissionState.SUBMITTED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(id=case.id).update(state="no_such_state")
    Case.objects.filter(id=case.id).update(state=RelocationState.RECOMMENDED)
    assert Case.objects.get(id=case.id).state == "recommended"
