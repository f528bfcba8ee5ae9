"""The search keys follow people's names: created, changed, imported in bulk, purged, rebuilt."""

from __future__ import annotations

import datetime as dt
from io import StringIO

from django.core.management import call_command

from readmit.cases.people import person_update
from readmit.cases.retention import person_anonymise
from readmit.relocation.services import proposal_list_submit
from readmit.search.models import SearchTerm
from readmit.search.selectors import search_people
from tests.factories import make_case


def _found(world, query: str) -> list[str]:
    return [h.case.reference for h in search_people(world.user("us_caseworker"), query).hits]


def test_a_changed_name_is_found_by_the_new_spelling_and_no_longer_by_the_old(world):
    case = make_case(world.agreement, given_names="Jovan", family_name="Petrović")
    assert _found(world, "Petrovic") == [case.reference]
    person_update(
        case=case,
        changes={
            "family_name": "Perović",
            "other_names": [{"kind": "alias", "family_name": "Pero"}],
        },
        acting_user=world.user("us_caseworker"),
    )
    assert _found(world, "Petrovic") == []
    assert _found(world, "Jovan Perovic") == [case.reference]
    assert _found(world, "Pero Jovan") == [case.reference]


def test_people_of_a_proposal_list_are_found_as_soon_as_it_is_imported(world):
    result = proposal_list_submit(
        agreement=world.agreement,
        reference="L-SEARCH-1",
        people=[
            {
                "external_id": "US-S-1",
                "given_names": "Ђорђе",
                "family_name": "Стојановић",
                "birth_date": "1985-02-03",
                "sex": "M",
                "nationalities": ["RS"],
                "documents": [],
                "convictions": [],
                "pending_cases": False,
                "vulnerabilities": [],
            }
        ],
        acting_user=world.user("us_caseworker"),
        source="api",
    )
    (case,) = result.cases
    assert _found(world, "Djordje Stojanovic") == [case.reference]


def test_the_retention_purge_removes_the_persons_search_keys(world):
    case = make_case(world.agreement, given_names="Mirela", family_name="Gashi")
    assert SearchTerm.objects.filter(person_id=case.person_id).exists()
    person_anonymise(case.person, at=dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    assert not SearchTerm.objects.filter(person_id=case.person_id).exists()
    assert _found(world, "Gashi") == []


def test_the_rebuild_command_writes_every_persons_keys_afresh(world):
    case = make_case(world.agreement, given_names="Arben", family_name="Berisha")
    SearchTerm.objects.all().delete()
    assert _found(world, "Berisha") == []
    out = StringIO()
    call_command("search_rebuild", stdout=out)
    assert "Search keys rebuilt: 2 name parts." in out.getvalue()
    assert _found(world, "Berisha Arben") == [case.reference]
