"""The name search asks the database once for all tiers (docs/adr/0015): the same cases in
the same order as asking the tiers one after the other, worked out here in Python from the
key rules (``keys.meets``) over every visible case; and a case the caller may not open
takes no place on a page (runs on SQLite and, in CI, on PostgreSQL)."""

from __future__ import annotations

import itertools
import uuid

import pytest

from readmit.accounts.access import visible_cases
from readmit.accounts.models import User
from readmit.cases.models import Case
from readmit.search.keys import TIERS, meets, person_terms, query_terms
from readmit.search.selectors import _name_candidates, search_people
from readmit.search.services import person_names
from tests.factories import make_agreement, make_case, make_org

GIVEN = ["Vesna", "Весна", "Marko", "Marija", "José", "Jose", "Ahmed", "أحمد"]
FAMILY = ["Lazović", "Лазовић", "Lazov", "Lazarević", "Núñez", "Nunes", "Abdelaziz", "Markovic"]
QUERIES = [
    "Laz",
    "Lazovic",
    "Vesna Laz",
    "Jose Nunez",
    "Nun",
    "Mar",
    "أحمد",
    "Ahmed Abdelaziz",
    "Marko Lazovic",
    "Ma La",
    "Zzyzx",
]


def _expected(user: User, query: str, limit: int) -> tuple[list[uuid.UUID], bool]:
    """The tiers asked in turn, in Python: each word's best tier over the person's terms,
    the person's tier the worst of them; by tier, then newest case first."""
    words = query_terms(query)
    ranked: list[tuple[int, Case]] = []
    for case in visible_cases(user).select_related("person"):
        parts = person_terms(person_names(case.person, case.person.other_names.all()))
        tiers = []
        for word in words:
            met = [meets(word, part) for part in parts]
            found = [n for n, ways in enumerate(TIERS) if any(how in ways for how in met)]
            tiers.append(min(found, default=None))
        if words and None not in tiers:
            ranked.append((max(t for t in tiers if t is not None), case))
    ranked.sort(key=lambda r: r[1].id)  # stable sorts: by tier, newest first, then id
    ranked.sort(key=lambda r: r[1].created_at, reverse=True)
    ranked.sort(key=lambda r: r[0])
    return [case.id for _, case in ranked[:limit]], len(ranked) > limit


@pytest.fixture
def crowd(world):  # type: ignore[no-untyped-def]
    """Every given name with every family name, newest last; and the same names under an
    agreement the USA is not party to."""
    for given, family in itertools.product(GIVEN, FAMILY):
        make_case(world.agreement, given_names=given, family_name=family)
    italy = make_org("IT", "Ministry of the Interior of Italy")
    others = make_agreement(world.me, italy)
    for given, family in zip(GIVEN, FAMILY, strict=True):
        make_case(others, given_names=given, family_name=family)


def test_one_query_finds_what_the_tiers_asked_in_turn_find(world, crowd):
    user = world.user("us_caseworker")
    cases = visible_cases(user)
    found = 0
    for query, limit in itertools.product(QUERIES, (1, 5, 50)):
        expected = _expected(user, query, limit)
        assert _name_candidates(cases, query_terms(query), limit) == expected, (query, limit)
        found += bool(expected[0])
    assert found == 3 * (len(QUERIES) - 1)  # every query but "Zzyzx" finds someone


def test_the_better_tier_comes_first_then_the_newest_case(world, crowd):
    # Núñez meets "Nunez" with the same letters, Nunes only sounds alike: both José and
    # Jose meet "Jose" exactly. The page of three holds both Núñez, newest first, then the
    # newest Nunes; and says more were found.
    user = world.user("us_caseworker")
    ids, more = _name_candidates(visible_cases(user), query_terms("Jose Nunez"), 3)
    named = {c.id: f"{c.person.given_names} {c.person.family_name}" for c in _cases(ids)}
    assert [named[i] for i in ids] == ["Jose Núñez", "José Núñez", "Jose Nunes"]
    assert more


def _cases(ids: list[uuid.UUID]) -> list[Case]:
    return list(Case.objects.filter(id__in=ids).select_related("person"))


def test_a_case_the_user_may_not_open_takes_no_place_on_the_page(world):
    # Under the USA's agreement: only a prefix of "Lazović" (the loosest tier) ...
    ours = make_case(world.agreement, given_names="Vesna", family_name="Lazovićka")
    # ... and newer, meeting both words exactly, under an agreement the USA is not party to.
    italy = make_org("IT", "Ministry of the Interior of Italy")
    theirs = make_case(make_agreement(world.me, italy), given_names="Vesna", family_name="Lazović")
    user = world.user("us_caseworker")
    result = search_people(user, "Vesna Lazović", limit=1)
    assert [h.case.id for h in result.hits] == [ours.id]
    assert not result.more
    assert [
        h.case.id for h in search_people(world.user("me_caseworker"), "Vesna Lazović").hits
    ] == [theirs.id]


def test_a_set_of_visible_cases_known_to_be_empty_finds_nobody_rather_than_failing(db):
    """``visible_cases`` built as ``.none()`` compiles to no SQL at all (Django raises
    ``EmptyResultSet``): the one-query search answers no hits, not a 500."""
    from readmit.cases.models import Case
    from readmit.search.keys import query_terms
    from readmit.search.selectors import _name_candidates

    assert _name_candidates(Case.objects.none(), query_terms("Lazovic"), 50) == ([], False)
