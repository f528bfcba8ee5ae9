"""The criteria engine: every rule passes, fails or is unknown, and unknown never passes."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from readmit.agreements.criteria import (
    Conviction,
    Evaluation,
    Outcome,
    PersonFacts,
    RuleResult,
    age_range,
    convictions_from_records,
    evaluate,
    evaluate_many,
    evaluate_one,
    excluded_group_check,
    excluded_group_reason,
)
from readmit.agreements.terms import AgreementTerms, Criterion, Exclusions

D = dt.date
ON = D(2026, 6, 15)

ADULT = PersonFacts(
    birth_year=1990,
    birth_month=5,
    birth_day=17,
    sex="M",
    nationalities=frozenset({"VE"}),
    convictions=(),
    pending_criminal_case=False,
    vulnerabilities=frozenset(),
    watchlist_status="no_match",
)


def facts(**changes: Any) -> PersonFacts:
    return dataclasses.replace(ADULT, **changes)


def rule(name: str, **params: Any) -> Criterion:
    return Criterion(rule=name, params=params)  # type: ignore[arg-type]


def one(
    criterion: Criterion,
    person: PersonFacts,
    *,
    on: dt.date = ON,
    exclusions: Exclusions | None = None,
) -> RuleResult:
    return evaluate_one(criterion, person, on=on, exclusions=exclusions)


VIOLENT_10 = rule("no_conviction_within_years", years=10, categories=["01", "02", "03", "04"])


def robbery(on: dt.date | None, category: str = "04") -> Conviction:
    return Conviction(offence="robbery", category=category, date=on, country="US")


# no_conviction_within_years ----------------------------------------------------------------


def test_a_listed_conviction_within_the_window_fails_and_says_which_and_when():
    result = one(VIOLENT_10, facts(convictions=(robbery(D(2019, 4, 2)),)))
    assert result.outcome == Outcome.FAIL
    assert result.explanation == (
        "Conviction for robbery (ICCS 04 (acts against property involving violence or threat "
        "against a person)) on 2019-04-02 is within 10 years."
    )


def test_a_conviction_on_the_tenth_anniversary_is_still_within_ten_years():
    assert one(VIOLENT_10, facts(convictions=(robbery(D(2016, 6, 15)),))).outcome == Outcome.FAIL
    assert one(VIOLENT_10, facts(convictions=(robbery(D(2016, 6, 14)),))).outcome == Outcome.PASS


def test_an_older_or_unlisted_conviction_passes():
    old = robbery(D(2010, 1, 1))
    drugs = Conviction("possession", "06", D(2025, 1, 1), "US")
    result = one(VIOLENT_10, facts(convictions=(old, drugs)))
    assert result.outcome == Outcome.PASS
    assert result.explanation.startswith("No conviction in ICCS 01 (acts leading to death")
    assert "within 10 years" in result.explanation


def test_without_categories_every_conviction_counts():
    drugs = Conviction("possession", "06", D(2025, 1, 1), "US")
    result = one(rule("no_conviction_within_years", years=5), facts(convictions=(drugs,)))
    assert result.outcome == Outcome.FAIL


def test_a_category_code_matches_with_spaces_or_without_its_leading_zero():
    for written in (" 04 ", "4"):
        result = one(VIOLENT_10, facts(convictions=(robbery(D(2020, 1, 1), written),)))
        assert result.outcome == Outcome.FAIL, written


def test_a_criminal_record_that_was_not_shared_is_unknown():
    result = one(VIOLENT_10, facts(convictions=None))
    assert result.outcome == Outcome.UNKNOWN
    assert "criminal record not shared or not known" in result.explanation.lower()


def test_an_undated_listed_conviction_is_unknown_with_the_reason():
    result = one(VIOLENT_10, facts(convictions=(robbery(None),)))
    assert result.outcome == Outcome.UNKNOWN
    assert "has no date" in result.explanation


def test_an_uncategorised_conviction_is_unknown_when_only_some_categories_count():
    result = one(VIOLENT_10, facts(convictions=(robbery(D(2024, 1, 1), ""),)))
    assert result.outcome == Outcome.UNKNOWN
    assert "has no category" in result.explanation


def test_a_recent_conviction_fails_even_if_another_one_is_undated():
    result = one(VIOLENT_10, facts(convictions=(robbery(None), robbery(D(2024, 1, 1)))))
    assert result.outcome == Outcome.FAIL


def test_no_conviction_at_all_passes():
    assert one(VIOLENT_10, facts(convictions=())).outcome == Outcome.PASS


# no_watchlist_match --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "outcome", "words"),
    [
        ("confirmed_match", Outcome.FAIL, "confirmed"),
        ("no_match", Outcome.PASS, "no match"),
        ("pending_review", Outcome.UNKNOWN, "screening pending"),
        ("not_screenable", Outcome.UNKNOWN, "not screenable"),
        (None, Outcome.UNKNOWN, "screening pending"),
        ("maybe", Outcome.UNKNOWN, "not recognised"),
    ],
)
def test_a_watchlist_match_fails_only_when_confirmed_and_pending_screening_is_unknown(
    status, outcome, words
):
    result = one(rule("no_watchlist_match"), facts(watchlist_status=status))
    assert result.outcome == outcome
    assert words in result.explanation.lower()


# age_between ---------------------------------------------------------------------------------

AGE_18_65 = rule("age_between", min=18, max=65)


@pytest.mark.parametrize(
    ("birth", "outcome"),
    [
        ((2008, 6, 15), Outcome.PASS),  # 18th birthday on the decision date
        ((2008, 6, 16), Outcome.FAIL),  # 18 tomorrow
        ((1961, 6, 16), Outcome.PASS),  # 65, turning 66 tomorrow
        ((1960, 6, 15), Outcome.FAIL),  # 66 today
    ],
)
def test_age_bounds_are_inclusive_on_the_decision_date(birth, outcome):
    y, m, d = birth
    person = facts(birth_year=y, birth_month=m, birth_day=d)
    assert one(AGE_18_65, person).outcome == outcome


def test_a_year_only_birth_date_decides_when_every_possible_birthday_agrees():
    assert (
        one(AGE_18_65, facts(birth_year=1990, birth_month=None, birth_day=None)).outcome
        == Outcome.PASS
    )
    assert (
        one(AGE_18_65, facts(birth_year=2015, birth_month=None, birth_day=None)).outcome
        == Outcome.FAIL
    )


def test_a_year_only_birth_date_in_the_eighteenth_year_is_too_imprecise():
    result = one(AGE_18_65, facts(birth_year=2008, birth_month=None, birth_day=None))
    assert result.outcome == Outcome.UNKNOWN
    assert "birth date too imprecise (2008)" in result.explanation.lower()


def test_a_year_and_month_birth_date_decides_outside_the_birthday_month():
    before = one(AGE_18_65, facts(birth_year=2008, birth_month=5, birth_day=None))
    after = one(AGE_18_65, facts(birth_year=2008, birth_month=7, birth_day=None))
    same = one(AGE_18_65, facts(birth_year=2008, birth_month=6, birth_day=None))
    assert (before.outcome, after.outcome, same.outcome) == (
        Outcome.PASS,
        Outcome.FAIL,
        Outcome.UNKNOWN,
    )


def test_a_year_only_birth_date_decides_on_new_years_eve_and_day():
    person = facts(birth_year=2008, birth_month=None, birth_day=None)
    assert one(AGE_18_65, person, on=D(2026, 12, 31)).outcome == Outcome.PASS
    assert one(AGE_18_65, person, on=D(2026, 1, 1)).outcome == Outcome.UNKNOWN
    assert one(AGE_18_65, person, on=D(2025, 12, 31)).outcome == Outcome.FAIL


def test_someone_born_on_29_february_comes_of_age_on_1_march_in_a_common_year():
    person = facts(birth_year=2008, birth_month=2, birth_day=29)
    assert one(AGE_18_65, person, on=D(2026, 2, 28)).outcome == Outcome.FAIL
    assert one(AGE_18_65, person, on=D(2026, 3, 1)).outcome == Outcome.PASS


@pytest.mark.parametrize(
    "birth",
    [(None, None, None), (1990, 2, 30), (1990, None, 5), (2030, None, None), (1990, 13, None)],
)
def test_an_unknown_invalid_or_future_birth_date_leaves_the_age_unknown(birth):
    y, m, d = birth
    result = one(AGE_18_65, facts(birth_year=y, birth_month=m, birth_day=d))
    assert result.outcome == Outcome.UNKNOWN
    assert "cannot tell the age" in result.explanation.lower()


def test_an_age_bound_may_be_open_on_one_side():
    person = facts(birth_year=1950, birth_month=1, birth_day=1)
    assert one(rule("age_between", min=18), person).outcome == Outcome.PASS
    assert one(rule("age_between", max=65), person).outcome == Outcome.FAIL


def test_the_possible_ages_of_a_year_only_birth_date_are_the_two_neighbours():
    ages = age_range(facts(birth_year=2000, birth_month=None, birth_day=None), ON)
    assert not isinstance(ages, str)
    assert (ages.low, ages.high) == (25, 26)


# nationality_in ------------------------------------------------------------------------------


def test_a_nationality_in_the_set_passes_and_one_outside_fails():
    accepted = rule("nationality_in", codes=["VE", "CU", "NI"])
    assert one(accepted, facts(nationalities=frozenset({"VE"}))).outcome == Outcome.PASS
    failed = one(accepted, facts(nationalities=frozenset({"HN"})))
    assert failed.outcome == Outcome.FAIL
    assert "HN is not among those accepted (CU, NI, VE)" in failed.explanation


def test_one_accepted_nationality_of_several_is_enough():
    accepted = rule("nationality_in", codes=["ve"])
    assert one(accepted, facts(nationalities=frozenset({"CO", "VE"}))).outcome == Outcome.PASS


def test_no_recorded_nationality_is_unknown():
    result = one(rule("nationality_in", codes=["VE"]), facts(nationalities=frozenset()))
    assert result.outcome == Outcome.UNKNOWN


def test_countries_is_accepted_as_another_name_for_codes():
    criterion = rule("nationality_in", countries=["ve"])
    assert criterion.params == {"codes": ["VE"]}


# no_pending_criminal_case --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pending", "outcome"), [(True, Outcome.FAIL), (False, Outcome.PASS), (None, Outcome.UNKNOWN)]
)
def test_a_pending_criminal_case_fails_and_not_knowing_is_unknown(pending, outcome):
    result = one(rule("no_pending_criminal_case"), facts(pending_criminal_case=pending))
    assert result.outcome == outcome


# not_excluded_group --------------------------------------------------------------------------

ALL_EXCLUDED = Exclusions(minors=True, unaccompanied_minors=True, pregnant=True, vulnerable=True)
NOT_EXCLUDED = rule("not_excluded_group")


def test_an_adult_without_vulnerabilities_is_not_in_an_excluded_group():
    result = one(NOT_EXCLUDED, ADULT, exclusions=ALL_EXCLUDED)
    assert result.outcome == Outcome.PASS


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"birth_year": 2012}, "minors are excluded"),
        ({"vulnerabilities": frozenset({"pregnant"})}, "pregnant women are excluded"),
        ({"vulnerabilities": frozenset({"unaccompanied_minor"})}, "unaccompanied minors"),
        ({"vulnerabilities": frozenset({"trafficking_victim"})}, "trafficking victim"),
        ({"vulnerabilities": frozenset({"medical"})}, "vulnerable people are excluded"),
        ({"vulnerabilities": frozenset({"disability"})}, "disability"),
    ],
)
def test_each_excluded_group_fails_with_the_group_named(changes, words):
    result = one(NOT_EXCLUDED, facts(**changes), exclusions=ALL_EXCLUDED)
    assert result.outcome == Outcome.FAIL
    assert words in result.explanation.lower()


def test_a_group_the_agreement_does_not_exclude_passes():
    none_excluded = Exclusions(
        minors=False, unaccompanied_minors=False, pregnant=False, vulnerable=False
    )
    person = facts(birth_year=2012, vulnerabilities=frozenset({"pregnant", "medical"}))
    result = one(NOT_EXCLUDED, person, exclusions=none_excluded)
    assert result.outcome == Outcome.PASS
    assert result.explanation == "The agreement excludes no group."


def test_pregnancy_is_not_counted_as_vulnerable_when_pregnant_women_are_admitted():
    only_vulnerable = Exclusions(unaccompanied_minors=False, vulnerable=True)
    person = facts(vulnerabilities=frozenset({"pregnant"}))
    assert one(NOT_EXCLUDED, person, exclusions=only_vulnerable).outcome == Outcome.PASS


def test_unassessed_vulnerabilities_are_unknown_when_a_vulnerable_group_is_excluded():
    result = one(NOT_EXCLUDED, facts(vulnerabilities=None), exclusions=ALL_EXCLUDED)
    assert result.outcome == Outcome.UNKNOWN
    assert "vulnerabilities have not been assessed" in result.explanation.lower()


def test_unassessed_vulnerabilities_do_not_matter_when_only_minors_are_excluded():
    only_minors = Exclusions(minors=True, unaccompanied_minors=False)
    assert (
        one(NOT_EXCLUDED, facts(vulnerabilities=None), exclusions=only_minors).outcome
        == Outcome.PASS
    )


@pytest.mark.parametrize(
    ("birth", "on", "outcome"),
    [
        ((2008, None, None), D(2026, 12, 31), Outcome.PASS),  # 18 whatever the birthday
        ((2008, None, None), D(2026, 6, 15), Outcome.UNKNOWN),  # 17 or 18
        ((2008, None, None), D(2025, 12, 31), Outcome.FAIL),  # 17 whatever the birthday
        ((2008, 6, None), D(2026, 6, 10), Outcome.UNKNOWN),
        ((2008, 6, None), D(2026, 6, 30), Outcome.PASS),
        ((2008, 6, 15), D(2026, 6, 14), Outcome.FAIL),  # the day before the 18th birthday
        ((2008, 6, 15), D(2026, 6, 15), Outcome.PASS),  # the 18th birthday
    ],
)
def test_minors_are_judged_on_the_eighteenth_birthday_with_partial_dates(birth, on, outcome):
    y, m, d = birth
    only_minors = Exclusions(minors=True, unaccompanied_minors=False)
    person = facts(birth_year=y, birth_month=m, birth_day=d)
    assert one(NOT_EXCLUDED, person, on=on, exclusions=only_minors).outcome == outcome


def test_an_excluded_group_cannot_be_checked_without_the_agreements_exclusions():
    assert one(NOT_EXCLUDED, ADULT, exclusions=None).outcome == Outcome.UNKNOWN


def test_the_excluded_group_reason_names_the_rule_and_the_group():
    reason = excluded_group_reason(facts(vulnerabilities=frozenset({"pregnant"})), ALL_EXCLUDED, ON)
    assert reason == (
        "Excluded group (not_excluded_group): Pregnant women are excluded and "
        "the person is recorded as pregnant."
    )


def test_there_is_no_excluded_group_reason_when_not_excluded_or_not_known():
    assert excluded_group_reason(ADULT, ALL_EXCLUDED, ON) is None
    assert excluded_group_reason(facts(vulnerabilities=None), ALL_EXCLUDED, ON) is None
    assert excluded_group_check(facts(vulnerabilities=None), ALL_EXCLUDED, ON)[0] == (
        Outcome.UNKNOWN
    )


# The evaluation as a whole -------------------------------------------------------------------

KOSOVO = AgreementTerms.model_validate(
    {
        "quota": {"limit": 50},
        "exclusions": {"minors": True, "unaccompanied_minors": True, "vulnerable": True},
        "criteria": [
            {
                "rule": "no_conviction_within_years",
                "params": {"years": 10, "categories": ["violent"]},
            },
            {"rule": "no_watchlist_match"},
            {"rule": "age_between", "params": {"min": 18, "max": 65}},
            {"rule": "nationality_in", "params": {"codes": ["VE", "CU", "NI"]}},
            {"rule": "no_pending_criminal_case", "label": "No open prosecution"},
            {"rule": "not_excluded_group"},
        ],
    }
)


def kosovo(person: PersonFacts, on: dt.date = ON) -> Evaluation:
    return evaluate(KOSOVO.criteria, person, on=on, exclusions=KOSOVO.exclusions)


def test_a_person_who_meets_every_criterion_is_eligible():
    evaluation = kosovo(ADULT)
    assert evaluation.outcome == Outcome.PASS
    assert evaluation.eligible
    assert [r.rule for r in evaluation.results] == [c.rule for c in KOSOVO.criteria]
    assert evaluation.results[4].label == "No open prosecution"
    assert evaluation.results[0].label == "No recent conviction"


def test_one_unknown_makes_the_person_not_eligible():
    evaluation = kosovo(facts(watchlist_status="pending_review"))
    assert evaluation.outcome == Outcome.UNKNOWN
    assert not evaluation.eligible
    assert [r.rule for r in evaluation.unknown] == ["no_watchlist_match"]


def test_a_failure_outweighs_an_unknown():
    evaluation = kosovo(facts(watchlist_status=None, pending_criminal_case=True))
    assert evaluation.outcome == Outcome.FAIL
    assert [r.rule for r in evaluation.failed] == ["no_pending_criminal_case"]


def test_no_criteria_at_all_is_a_pass():
    assert evaluate([], ADULT, on=ON).eligible


def test_a_list_evaluated_at_once_gives_each_person_what_evaluating_them_alone_gives():
    """``evaluate_many`` (the list import: each criterion's parameters checked once for the
    whole list) answers, person by person, exactly what ``evaluate`` answers: passes, fails
    and unknowns alike, a misconfigured or unknown rule included."""
    criteria = [
        *KOSOVO.criteria,
        Criterion.model_construct(rule="age_between", params={"min": "old"}, label=""),
        Criterion.model_construct(rule="be_nice", params={}, label="Kind"),
    ]
    people = [
        ADULT,  # every Kosovo rule passes
        facts(convictions=(robbery(D(2019, 4, 2)),)),  # fails
        facts(convictions=None, vulnerabilities=None, watchlist_status=None),  # unknown
        facts(birth_year=2012, birth_month=None, birth_day=None),  # a minor: excluded
        facts(nationalities=frozenset({"FR"}), pending_criminal_case=True),
        facts(birth_year=1961, birth_month=None, birth_day=None),  # age not decidable
        facts(vulnerabilities=frozenset({"pregnant"}), watchlist_status="pending_review"),
    ]
    together = evaluate_many(criteria, people, on=ON, exclusions=KOSOVO.exclusions)
    alone = [evaluate(criteria, p, on=ON, exclusions=KOSOVO.exclusions) for p in people]
    assert together == alone
    assert {e.outcome for e in together} == {Outcome.UNKNOWN, Outcome.FAIL}
    outcomes = {r.outcome for e in together for r in e.results}
    assert outcomes == {Outcome.PASS, Outcome.FAIL, Outcome.UNKNOWN}
    assert evaluate_many(criteria, [], on=ON, exclusions=KOSOVO.exclusions) == []


def test_a_misconfigured_rule_is_unknown_and_never_passes():
    broken = Criterion.model_construct(rule="age_between", params={"min": "old"}, label="")
    result = one(broken, ADULT)
    assert result.outcome == Outcome.UNKNOWN
    assert "misconfigured" in result.explanation


def test_an_unknown_rule_name_is_unknown_and_never_passes():
    alien = Criterion.model_construct(rule="be_nice", params={}, label="")
    result = one(alien, ADULT)
    assert result.outcome == Outcome.UNKNOWN
    assert "not known" in result.explanation


@pytest.mark.parametrize(
    ("criterion", "loc_words"),
    [
        ({"rule": "no_conviction_within_years", "params": {}}, "years"),
        ({"rule": "no_conviction_within_years", "params": {"years": 0}}, "years"),
        ({"rule": "age_between", "params": {}}, "min, max or both"),
        ({"rule": "age_between", "params": {"min": 65, "max": 18}}, "min cannot exceed max"),
        ({"rule": "nationality_in", "params": {"codes": []}}, "codes"),
        ({"rule": "nationality_in", "params": {"codes": ["Venezuela"]}}, "codes"),
        ({"rule": "no_watchlist_match", "params": {"lists": ["ofac"]}}, "lists"),
    ],
)
def test_bad_rule_parameters_are_refused_when_the_terms_are_validated(criterion, loc_words):
    from pydantic import ValidationError

    with pytest.raises(ValidationError) as refused:
        AgreementTerms.model_validate({"criteria": [criterion]})
    error = refused.value.errors()[0]
    assert error["loc"] == ("criteria", 0, "params")
    assert loc_words in error["msg"]


def test_convictions_from_stored_records_keep_not_known_and_partial_dates_apart():
    assert convictions_from_records(None) is None
    parsed = convictions_from_records(
        [
            {"offence": "robbery", "category": "violent", "date": "2019-04-02", "country": "US"},
            {"offence": "theft", "category": "property", "date": "2019"},
        ]
    )
    assert parsed == (
        Conviction("robbery", "violent", D(2019, 4, 2), "US"),
        Conviction("theft", "property", None, None),
    )


# Properties ----------------------------------------------------------------------------------

maybe_date = st.none() | st.dates(min_value=D(1990, 1, 1), max_value=D(2026, 6, 15))
conviction_st = st.builds(
    Conviction,
    offence=st.sampled_from(["robbery", "theft", "fraud"]),
    category=st.sampled_from(["violent", "property", "drugs", ""]),
    date=maybe_date,
    country=st.none() | st.just("US"),
)
facts_st = st.builds(
    PersonFacts,
    birth_year=st.none() | st.integers(1940, 2026),
    birth_month=st.none() | st.integers(1, 12),
    birth_day=st.none() | st.integers(1, 31),
    sex=st.sampled_from(["F", "M", "X", "U"]),
    nationalities=st.frozensets(st.sampled_from(["VE", "CU", "HN", "XK", "US"]), max_size=2),
    convictions=st.none() | st.tuples(*[conviction_st] * 2) | st.just(()),
    pending_criminal_case=st.none() | st.booleans(),
    vulnerabilities=st.none()
    | st.frozensets(
        st.sampled_from(
            ["pregnant", "unaccompanied_minor", "medical", "disability", "trafficking_victim"]
        ),
        max_size=2,
    ),
    watchlist_status=st.sampled_from([None, "confirmed_match", "no_match", "pending_review"]),
)
criteria_st = st.lists(st.sampled_from(KOSOVO.criteria), max_size=6)
exclusions_st = st.builds(
    Exclusions,
    minors=st.booleans(),
    unaccompanied_minors=st.booleans(),
    pregnant=st.booleans(),
    vulnerable=st.booleans(),
)
day_st = st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 12, 31))


@given(person=facts_st, criteria=criteria_st, exclusions=exclusions_st, on=day_st)
def test_the_outcome_is_fail_iff_a_rule_fails_and_pass_iff_every_rule_passes(
    person, criteria, exclusions, on
):
    evaluation = evaluate(criteria, person, on=on, exclusions=exclusions)
    outcomes = [r.outcome for r in evaluation.results]
    assert (evaluation.outcome == Outcome.FAIL) == (Outcome.FAIL in outcomes)
    assert (evaluation.outcome == Outcome.PASS) == all(o == Outcome.PASS for o in outcomes)
    assert evaluation.eligible == (evaluation.outcome == Outcome.PASS)
    if Outcome.UNKNOWN in outcomes:
        assert not evaluation.eligible
    assert all(r.explanation and r.explanation.endswith(".") for r in evaluation.results)


@given(person=facts_st, exclusions=exclusions_st, on=day_st)
def test_removing_a_fact_never_turns_a_rule_into_a_pass(person, exclusions, on):
    vaguer = dataclasses.replace(
        person,
        convictions=None,
        pending_criminal_case=None,
        vulnerabilities=None,
        watchlist_status=None,
    )
    for criterion in KOSOVO.criteria:
        result = evaluate_one(criterion, vaguer, on=on, exclusions=exclusions)
        if criterion.rule in {
            "no_conviction_within_years",
            "no_watchlist_match",
            "no_pending_criminal_case",
        }:
            assert result.outcome == Outcome.UNKNOWN


@given(
    year=st.integers(1950, 2020),
    month=st.integers(1, 12),
    day=st.integers(1, 28),
    on=day_st,
    low=st.integers(0, 70),
    span=st.integers(0, 40),
)
def test_a_decision_on_a_partial_birth_date_holds_for_every_full_date_it_allows(
    year, month, day, on, low, span
):
    criterion = rule("age_between", min=low, max=low + span)
    exact = one(criterion, facts(birth_year=year, birth_month=month, birth_day=day), on=on)
    for partial in (
        facts(birth_year=year, birth_month=month, birth_day=None),
        facts(birth_year=year, birth_month=None, birth_day=None),
    ):
        vague = one(criterion, partial, on=on)
        if exact.outcome != Outcome.UNKNOWN and vague.outcome != Outcome.UNKNOWN:
            assert vague.outcome == exact.outcome
