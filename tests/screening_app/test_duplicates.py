"""Duplicate people: certain by document, possible by name and birth date, merged by review."""

from __future__ import annotations

import pytest

from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.cases.models import Person
from readmit.cases.services import DocumentInput
from readmit.core.errors import Forbidden, NotFound, TransitionRefused, ValidationFailed
from readmit.screening.duplicates import duplicate_mark_distinct, duplicates_find, person_merge
from readmit.screening.models import (
    DuplicateCandidate,
    DuplicateKind,
    DuplicateStatus,
    PersonMerge,
)
from readmit.screening.selectors import access_duplicate, duplicate_queue, person_survivor
from tests.factories import make_agreement, make_case


def passport(number: str, country: str = "CU") -> list[DocumentInput]:
    return [DocumentInput("passport", number, country)]


def pair_of(candidate: DuplicateCandidate) -> set:
    return {candidate.person_a_id, candidate.person_b_id}


def test_the_same_passport_under_two_spellings_is_a_certain_duplicate(world):
    a = make_case(
        world.agreement,
        given_names="José Luis",
        family_name="Hernández de la Cruz",
        nationality="CU",
        documents=passport("K573120"),
    )
    b = make_case(
        world.agreement,
        given_names="Pedro",
        family_name="Albañil",
        nationality="CU",
        documents=passport("k 573-120"),
    )
    make_case(
        world.agreement,
        given_names="Ana",
        family_name="Rivas",
        nationality="CU",
        documents=passport("K573120", country="VE"),
    )  # same number, other country
    found = duplicates_find(acting_user=world.user("us_caseworker"))
    assert len(found) == 1
    assert found[0].kind == DuplicateKind.CERTAIN
    assert pair_of(found[0]) == {a.person_id, b.person_id}
    assert "K573120" in found[0].evidence


def test_a_similar_name_with_a_compatible_birth_date_is_a_possible_duplicate(world):
    a = make_case(
        world.agreement,
        given_names="José Luis",
        family_name="Hernández de la Cruz",
        nationality="CU",
        birth_year=1989,
        birth_month=3,
        birth_day=14,
    )
    b = make_case(
        world.agreement,
        given_names="Jose L.",
        family_name="Hernandez Cruz",
        nationality="CU",
        birth_year=1989,
    )
    # The same name, born twenty years apart: a namesake, not a duplicate.
    make_case(
        world.agreement,
        given_names="José Luis",
        family_name="Hernández de la Cruz",
        nationality="CU",
        birth_year=1969,
    )
    found = duplicates_find(acting_user=world.user("us_caseworker"))
    assert [(c.kind, pair_of(c)) for c in found] == [
        (DuplicateKind.POSSIBLE, {a.person_id, b.person_id})
    ]
    assert "Hernández" in found[0].evidence and "(translit)" in found[0].evidence
    assert duplicates_find(acting_user=world.user("us_caseworker")) == []  # found once


def test_detection_only_looks_at_people_the_caller_can_see(world):
    make_case(world.agreement, given_names="Xhevat", family_name="Ukshini", birth_year=1979)
    elsewhere = make_agreement(world.me, world.xk)
    make_case(elsewhere, given_names="Dževat", family_name="Ukšini", birth_year=1979)
    assert duplicates_find(acting_user=world.user("us_caseworker")) == []
    # Kosovo is party to both agreements, so it can see both records.
    found = duplicates_find(acting_user=world.user("xk_caseworker"))
    assert len(found) == 1
    with pytest.raises(NotFound):
        access_duplicate(world.user("us_caseworker"), found[0].id)
    assert not duplicate_queue(world.user("us_caseworker")).exists()


def test_a_merge_keeps_both_people_and_all_their_cases(world):
    first = make_case(
        world.agreement,
        given_names="Jan Batis",
        family_name="Pyè",
        nationality="HT",
        documents=passport("PP4471093", "HT"),
    )
    second = make_case(
        world.agreement,
        given_names="Jean-Baptiste",
        family_name="Pierre",
        nationality="HT",
        documents=passport("PP4471093", "HT"),
    )
    (candidate,) = duplicates_find(acting_user=world.user("us_caseworker"))
    merge = person_merge(
        candidate=candidate,
        acting_user=world.user("us_supervisor"),
        reason="Same passport; Creole and French spellings of one name.",
    )
    assert merge.survivor_id == first.person_id and merge.merged_id == second.person_id
    assert Person.objects.filter(id__in=[first.person_id, second.person_id]).count() == 2
    second.refresh_from_db()
    assert second.person_id == merge.merged_id  # the case keeps its own history
    assert person_survivor(second.person) == first.person
    assert person_survivor(first.person) == first.person
    candidate.refresh_from_db()
    assert candidate.status == DuplicateStatus.MERGED
    assert AuditEvent.objects.filter(event_type=AuditEventType.PERSON_MERGED).count() == 1


def test_a_merge_needs_a_reason_and_a_member_of_the_owning_organisation(world):
    make_case(world.agreement, given_names="Ana", family_name="Lumi", documents=passport("X1"))
    make_case(world.agreement, given_names="Anna", family_name="Lumi", documents=passport("X1"))
    (candidate,) = duplicates_find(acting_user=world.user("us_caseworker"))
    with pytest.raises(ValidationFailed):
        person_merge(candidate=candidate, acting_user=world.user("us_supervisor"), reason=" ")
    with pytest.raises(Forbidden):  # Kosovo can see both, but the US recorded them
        person_merge(
            candidate=candidate, acting_user=world.user("xk_supervisor"), reason="same passport"
        )
    assert not PersonMerge.objects.exists()
    person_merge(
        candidate=candidate, acting_user=world.user("us_caseworker"), reason="same passport"
    )
    assert PersonMerge.objects.count() == 1


def test_people_recorded_by_different_organisations_are_never_merged(world):
    make_case(
        world.agreement,
        given_names="Xhevat",
        family_name="Ukshini",
        documents=passport("KS123456", "XK"),
        nationality="XK",
    )
    elsewhere = make_agreement(world.xk, world.me)  # Kosovo sends here: it owns this person
    make_case(
        elsewhere,
        given_names="Xhevat",
        family_name="Ukshini",
        documents=passport("KS123456", "XK"),
        nationality="XK",
    )
    (candidate,) = duplicates_find(acting_user=world.user("xk_caseworker"))
    assert candidate.kind == DuplicateKind.CERTAIN
    before = AuditEvent.objects.count()
    with pytest.raises(TransitionRefused) as caught:
        person_merge(
            candidate=candidate, acting_user=world.user("xk_supervisor"), reason="same passport"
        )
    assert "different organisations" in caught.value.message
    assert not PersonMerge.objects.exists() and AuditEvent.objects.count() == before
    candidate.refresh_from_db()
    assert candidate.status == DuplicateStatus.OPEN


def test_two_different_people_are_marked_distinct_and_not_proposed_again(world):
    make_case(world.agreement, given_names="Ana", family_name="Lumi", birth_year=1990)
    make_case(world.agreement, given_names="Ana", family_name="Lumi", birth_year=1990)
    (candidate,) = duplicates_find(acting_user=world.user("us_caseworker"))
    assert candidate.kind == DuplicateKind.POSSIBLE
    duplicate_mark_distinct(
        candidate=candidate,
        acting_user=world.user("us_caseworker"),
        reason="Mother and daughter's names differ; different villages.",
    )
    candidate.refresh_from_db()
    assert candidate.status == DuplicateStatus.DISTINCT
    assert duplicates_find(acting_user=world.user("us_caseworker")) == []
    with pytest.raises(TransitionRefused):
        person_merge(
            candidate=candidate, acting_user=world.user("us_caseworker"), reason="after all"
        )


def test_auditors_and_administrators_do_not_run_duplicate_detection(world):
    with pytest.raises(Forbidden):
        duplicates_find(acting_user=world.user("us_auditor"))
    with pytest.raises(Forbidden):
        duplicates_find(acting_user=world.user("us_administrator"))
