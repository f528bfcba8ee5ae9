"""The search matrix: people are found as staff type them (runs on SQLite and, in CI, on
PostgreSQL: the same results on both)."""

from __future__ import annotations

import pytest

from readmit.cases.services import DocumentInput
from readmit.core.errors import Forbidden
from readmit.search.selectors import search_people
from tests.factories import make_agreement, make_case

MATRIX = [
    ("Lazovic", "lazovic"),
    ("lazović", "lazovic"),
    ("LAZOVIĆ", "lazovic"),
    ("Vesna Lazović", "lazovic"),
    ("Vesna Lazovic", "lazovic"),
    ("Lazovic Vesna", "lazovic"),
    ("Лазовић", "lazovic"),
    ("ВЕСНА", "lazovic"),
    ("Lazov", "lazovic"),
    ("Radulovic", "radulovic"),
    ("Nikola Radulović", "radulovic"),
    ("Кајевић", "kajevic"),
    ("Kajević", "kajevic"),
    ("Saint Fleur", "saint_fleur"),
    ("Saint-Fleur", "saint_fleur"),
    ("Fleur Marie", "saint_fleur"),
    ("أحمد عبد العزيز", "abdelaziz"),
    ("Jose Nunez", "nunez"),
    ("Nuñez", "nunez"),
    ("Maria Cruz", "de_la_cruz"),
    ("María de la Cruz", "de_la_cruz"),
    ("Dževat Krasniqi", "krasniqi"),
    ("Markovic", "alias"),
    ("P02250943", "lazovic"),
    ("p 0225-0943", "lazovic"),
]


@pytest.mark.parametrize(("query", "key"), MATRIX)
def test_the_search_matrix_finds_every_person_as_staff_type_them(world, people, query, key):
    result = search_people(world.user("us_caseworker"), query)
    found = [hit.case.reference for hit in result.hits]
    assert people.ref(key) in found, (query, found)
    assert all(hit.score > 0 for hit in result.hits)


def test_a_case_reference_finds_its_case_first(world, people):
    reference = people.ref("nunez")
    result = search_people(world.user("us_caseworker"), reference.lower())
    assert result.hits[0].case.reference == reference
    assert result.hits[0].why[0] == {"field": "case reference"}


def test_a_name_that_meets_nobody_finds_nothing(world, people):
    assert search_people(world.user("us_caseworker"), "Zzyzx Quorble").hits == []


def test_every_word_typed_must_meet_a_name_part(world, people):
    found = [
        h.case.reference for h in search_people(world.user("us_caseworker"), "Vesna Hoxha").hits
    ]
    assert found == []


def test_the_exact_spelling_ranks_above_a_prefix_and_says_why(world, people):
    result = search_people(world.user("us_caseworker"), "Marie")
    best = result.hits[0]
    assert best.case.reference == people.ref("saint_fleur")
    assert best.score == 1.0
    assert best.why == [{"field": "name", "word": "Marie", "part": "Marie", "how": "same letters"}]
    # María (folded "maria") does not start with "marie": only Saint-Fleur is found.
    assert [h.case.reference for h in result.hits] == [people.ref("saint_fleur")]


def test_a_diacritic_free_spelling_is_explained_as_the_same_letters(world, people):
    hit = search_people(world.user("us_caseworker"), "Lazovic").hits[0]
    assert hit.why == [
        {"field": "latin", "word": "Lazovic", "part": "Lazović", "how": "same letters"}
    ]


def test_another_partys_person_is_never_found(world, people, outsider_case):
    for query in ("Vesna Lazović", "P02250943", outsider_case.reference):
        found = [h.case.id for h in search_people(world.user("us_caseworker"), query).hits]
        assert outsider_case.id not in found, query
    # The parties of that agreement do find her: the record is there to be found.
    me_found = [h.case.id for h in search_people(world.user("me_caseworker"), "Vesna Lazovic").hits]
    assert me_found == [outsider_case.id]


def test_an_administrator_may_not_search_case_files(world, people):
    with pytest.raises(Forbidden):
        search_people(world.user("us_administrator"), "Lazovic")


def test_a_document_number_finds_the_other_partys_person_only_where_documents_are_shared(world):
    shared = make_agreement(world.us, world.xk)
    withheld = make_agreement(
        world.us,
        world.xk,
        terms={
            "quota": {"limit": 50, "period": "rolling_year"},
            "data_sharing": {"categories": ["identity", "nationality"]},
        },
    )
    seen = make_case(shared, documents=[DocumentInput("passport", "K1234567", "XK")])
    hidden = make_case(withheld, documents=[DocumentInput("passport", "K7654321", "XK")])
    xk = world.user("xk_caseworker")
    assert [h.case.id for h in search_people(xk, "K1234567").hits] == [seen.id]
    assert search_people(xk, "K7654321").hits == []
    # The owner reads its own people's documents under any terms.
    assert [h.case.id for h in search_people(world.user("us_caseworker"), "K7654321").hits] == [
        hidden.id
    ]
