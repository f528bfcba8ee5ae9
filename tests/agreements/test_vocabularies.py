"""Controlled vocabularies (issue #8, findings 1 and 12): an agreement names offence
categories by ICCS code, and a category a rule cannot place answers unknown, never pass."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from readmit.agreements.criteria import (
    Conviction,
    Outcome,
    PersonFacts,
    evaluate_one,
    facts_read,
)
from readmit.agreements.terms import AgreementTerms, Criterion, Exclusions
from readmit.agreements.vocabularies import (
    DOCUMENT_TYPES,
    OFFENCE_CATEGORIES,
    SEXES,
    VULNERABILITIES,
    category_codes,
    offence_category,
)
from readmit.cases.models import DocumentType, Sex

ON = dt.date(2026, 6, 15)
# The Kosovo arrangement's serious-crime criterion, written with the vocabulary.
SERIOUS_CRIME = Criterion.model_validate(
    {
        "rule": "no_conviction_within_years",
        "params": {"years": 10, "categories": ["01", "02", "03"], "free_text_categories": True},
    }
)

# 32 ways a sending state wrote a serious offence's category in its own words. Before the
# vocabulary, 24 of them passed the criterion (only "violent" and "sexual", in any case and
# spacing, were counted).
SPELLINGS = [
    "violent crime",
    "homicide",
    "Violent crime",
    "",
    " ",
    "violnt",
    "voilent",
    "vioIent",
    "murder",
    "Murder 1st degree",
    "manslaughter",
    "crime against life",
    "crimes against persons",
    "violent_crime",
    "violent-crime",
    "violence",
    "assault",
    "aggravated assault",
    "grievous bodily harm",
    "GBH",
    "rape",
    "sexual assault",
    "sex offence",
    "sexual offence",
    "felony",
    "serious",
    "kidnapping",
    "delito violento",
    "homicidio",
    "Gewaltdelikt",
    "crime violent",
    "0l",
]


def facts(*convictions: Conviction) -> PersonFacts:
    return PersonFacts(
        birth_year=1988,
        birth_month=4,
        birth_day=12,
        sex="M",
        nationalities=frozenset({"VE"}),
        convictions=convictions,
        pending_criminal_case=False,
        vulnerabilities=frozenset(),
        watchlist_status="no_match",
    )


def test_thirty_two_distinct_spellings_are_tested():
    assert len(set(SPELLINGS)) == 32


@pytest.mark.parametrize("category", SPELLINGS)
def test_a_serious_offence_in_a_states_own_words_never_passes_the_serious_crime_criterion(
    category,
):
    murder = Conviction("murder", category, dt.date(2022, 3, 1), "US")
    result = evaluate_one(SERIOUS_CRIME, facts(murder), on=ON)
    assert result.outcome == Outcome.UNKNOWN, result.explanation
    assert "has no" in result.explanation and "category" in result.explanation


def test_a_murder_conviction_filed_under_its_iccs_code_fails_the_serious_crime_criterion():
    murder = Conviction("murder", "01", dt.date(2022, 3, 1), "US")
    result = evaluate_one(SERIOUS_CRIME, facts(murder), on=ON)
    assert result.outcome == Outcome.FAIL
    assert "ICCS 01 (acts leading to death or intending to cause death)" in result.explanation


def test_an_offence_category_is_an_iccs_section_code_and_nothing_else():
    assert list(OFFENCE_CATEGORIES) == [f"{n:02d}" for n in range(1, 12)]
    assert offence_category("01") == offence_category(" 1 ") == offence_category(1) == "01"
    for word in ("violent", "Acts leading to death", "12", "00", "0101", None, True):
        assert offence_category(word) is None, word


def test_a_criterion_naming_a_category_outside_the_vocabulary_is_refused_naming_it():
    with pytest.raises(ValidationError) as refused:
        AgreementTerms.model_validate(
            {
                "criteria": [
                    {
                        "rule": "no_conviction_within_years",
                        "params": {"years": 10, "categories": ["01", "violent crime"]},
                    }
                ]
            }
        )
    message = str(refused.value)
    assert "'violent crime' is not an ICCS offence category" in message
    assert "categories" in message


def test_stored_terms_with_the_old_category_words_read_as_iccs_codes():
    terms = AgreementTerms.model_validate(
        {
            "criteria": [
                {
                    "rule": "no_conviction_within_years",
                    "params": {"years": 10, "categories": ["violent", "Sexual", "terrorism"]},
                }
            ]
        }
    )
    assert terms.criteria[0].params["categories"] == ["01", "02", "03", "04", "09"]
    assert category_codes(["drugs", "06", "nonsense"]) == (["06"], ["nonsense"])


def test_the_vocabularies_match_what_the_models_store():
    assert set(DOCUMENT_TYPES) == set(DocumentType.values)
    assert set(SEXES) == set(Sex.values)
    assert {"pregnant", "unaccompanied_minor", "minor"} <= set(VULNERABILITIES)


def test_the_exclusion_switches_are_the_excluded_groups_of_the_vocabulary():
    from readmit.agreements.vocabularies import EXCLUDED_GROUPS

    assert set(EXCLUDED_GROUPS) == set(Exclusions.model_fields)


def test_the_facts_an_agreement_reads_name_the_rule_that_reads_them():
    terms = AgreementTerms.model_validate(
        {
            "criteria": [
                {"rule": "no_conviction_within_years", "params": {"years": 10}},
                {"rule": "age_between", "params": {"min": 18}},
            ],
            "exclusions": {"pregnant": True},
        }
    )
    assert facts_read(terms.criteria, terms.exclusions) == {
        "convictions": "no_conviction_within_years",
        "birth_date": "age_between",
        "vulnerabilities": "exclusions",
    }


def test_the_data_migration_rewrites_stored_category_words_as_the_codes_the_terms_read():
    import importlib

    migration = importlib.import_module("readmit.agreements.migrations.0003_vocab_iccs_categories")
    stored = {
        "criteria": [
            {
                "rule": "no_conviction_within_years",
                "params": {"years": 10, "categories": ["violent", "sexual", "terrorism"]},
            },
            {"rule": "age_between", "params": {"min": 18}},
        ]
    }
    read_before = AgreementTerms.model_validate(stored).model_dump(mode="json")
    assert migration._rewrite(stored) is True
    # stored as validation writes the parameters
    assert [c["params"] for c in stored["criteria"]] == [
        c["params"] for c in read_before["criteria"]
    ]
    assert migration._rewrite(stored) is False  # already codes
