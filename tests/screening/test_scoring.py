"""Pair scoring rules, each stated by its test name (fictional names only)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from readmit.screening.matching import (
    DateEvidence,
    PartialDate,
    Record,
    compare_dates,
    is_gender_pair,
    normalise_document,
    parse_partial_date,
    score,
)

THRESHOLD = 0.80


def s(a: str, b: str, **kw: object) -> float:
    left = {k[2:]: v for k, v in kw.items() if k.startswith("a_")}
    right = {k[2:]: v for k, v in kw.items() if k.startswith("b_")}
    return score(Record("A", a, **left), Record("B", b, **right)).score  # type: ignore[arg-type]


def d(text: str) -> PartialDate:
    return parse_partial_date(text)


def test_cyrillic_and_latin_spellings_are_the_same_person():
    assert s("Milovan Đurović", "Милован Ђуровић") == 1.0


def test_dropped_diacritics_are_the_same_person():
    assert s("Dragana Ibrović", "DRAGANA IBROVIC") == 1.0


def test_albanian_and_serbian_spellings_match():
    assert s("Xhevat Krasniqi", "Dževat Krasnići") >= THRESHOLD


def test_haitian_creole_respelling_matches_french():
    assert s("Jan Batis Pyè", "Jean-Baptiste Pierre") >= THRESHOLD


def test_spanish_double_surname_matches_single_surname():
    assert s("Yolanda Ferrán Quintero", "Yolanda Ferran") >= THRESHOLD


def test_spanish_hyphenated_surname_and_particles_match():
    assert s("Rosa María de la Vega y Ortuño", "ROSA MARIA VEGA-ORTUNO") >= THRESHOLD


def test_name_order_does_not_matter():
    assert s("Brankić Novak", "Novak Brankić") == 1.0


def test_initial_matches_given_name_below_full_confidence():
    value = s("N. Brankić", "Novak Brankić")
    assert 0.6 < value < 1.0


def test_initial_with_matching_birth_date_reaches_threshold():
    assert (
        s("N. Brankić", "Novak Brankić", a_birth_date=d("1981-02-03"), b_birth_date=d("1981-02-03"))
        >= THRESHOLD
    )


def test_one_typo_still_matches():
    assert s("Novak Brankić", "Novak Brnakić") >= THRESHOLD


def test_gender_marked_given_name_is_not_the_same_person():
    match = score(Record("A", "Jovan Brankić"), Record("B", "Jovana Brankić"))
    assert match.score < THRESHOLD
    assert "gender form" in match.explanation


def test_gender_marked_family_name_is_not_the_same_person():
    assert s("Ivan Karasov", "Ivan Karasova") < THRESHOLD


def test_gender_pairs_are_recognised():
    assert is_gender_pair("jovan", "jovana")
    assert is_gender_pair("petrov", "petrova")
    assert is_gender_pair("kowalski", "kowalska")
    assert is_gender_pair("mario", "maria")
    assert not is_gender_pair("pierre", "pierr")
    assert not is_gender_pair("ana", "an")


def test_family_name_alone_is_not_a_match():
    assert s("Novak Brankić", "Brankić") < THRESHOLD


def test_different_given_name_same_family_is_not_a_match():
    assert s("Novak Brankić", "Stevan Brankić") < THRESHOLD


def test_missing_middle_name_still_matches():
    assert s("Novak Milan Brankić", "Novak Brankić") >= THRESHOLD


def test_conflicting_birth_date_separates_namesakes():
    value = s(
        "Novak Brankić", "Novak Brankić", a_birth_date=d("1980-05-06"), b_birth_date=d("1983-01-02")
    )
    assert value < THRESHOLD


def test_exact_birth_date_raises_the_score():
    base = s("Novak Brankić", "Novak Brnakić")
    assert (
        s(
            "Novak Brankić",
            "Novak Brnakić",
            a_birth_date=d("1980-05-06"),
            b_birth_date=d("1980-05-06"),
        )
        > base
    )


def test_swapped_day_and_month_is_evidence_not_conflict():
    assert compare_dates(d("1980-05-06"), d("1980-06-05")) is DateEvidence.SWAPPED
    assert (
        s(
            "Novak Brankić",
            "Novak Brankić",
            a_birth_date=d("1980-05-06"),
            b_birth_date=d("1980-06-05"),
        )
        >= THRESHOLD
    )


def test_year_only_birth_date_is_compatible():
    assert compare_dates(d("1980"), d("1980-06-05")) is DateEvidence.COMPATIBLE
    assert compare_dates(d("1980-07"), d("1980-06-05")) is DateEvidence.CONFLICT


def test_matching_document_number_is_strong_evidence():
    weak = s("N. Brankić", "Novak Brankić")
    strong = s(
        "N. Brankić", "Novak Brankić", a_document_number="ab 12-34", b_document_number="AB1234"
    )
    assert strong >= THRESHOLD > weak


def test_document_numbers_are_normalised():
    assert normalise_document(" ab-12 34 ") == "AB1234"
    assert normalise_document("--") is None


def test_differing_nationality_lowers_the_score_slightly():
    same = s("Novak Brankić", "Novak Brnakić", a_nationality="rs", b_nationality="RS")
    other = s("Novak Brankić", "Novak Brnakić", a_nationality="RS", b_nationality="ME")
    assert same > other >= THRESHOLD - 0.1


def test_explanation_names_translit_and_date_conflict():
    match = score(
        Record("A", "Jovan Petrović", family_name="Petrović", birth_date=d("1970")),
        Record("B", "Jovan Petrovic", birth_date=d("1971")),
    )
    assert "family Petrović=Petrovic (translit)" in match.explanation
    assert "birth date conflicts" in match.explanation


def test_aliases_are_tried_and_the_matched_spelling_is_reported():
    match = score(Record("A", "Dževat Lumi"), Record("B", "Someone Else", aliases=("Xhevat Lumi",)))
    assert match.score >= THRESHOLD
    assert match.matched_name == "Xhevat Lumi"


def test_invalid_dates_are_rejected():
    for bad in ["1990-13-01", "1990-02-30", "90", "1990/01/01", ""]:
        try:
            parse_partial_date(bad)
        except ValueError as exc:
            assert "is not a date" in str(exc)
        else:
            raise AssertionError(bad)


# -- properties --------------------------------------------------------------------------
parts = st.sampled_from(
    [
        "Jovan",
        "Jovana",
        "Petrović",
        "Петровић",
        "Xhevat",
        "Dževat",
        "García",
        "Márquez",
        "de la",
        "Pyè",
        "Pierre",
        "J.",
        "Ana",
        "Brnakić",
    ]
)
name_strategy = st.lists(parts, min_size=1, max_size=4).map(" ".join)
dates = st.one_of(
    st.none(),
    st.sampled_from(["1980", "1980-05", "1980-05-06", "1980-06-05", "1981-01-01"]).map(
        parse_partial_date
    ),
)


@settings(max_examples=300)
@given(name_strategy, name_strategy, dates, dates)
def test_score_is_symmetric_and_in_unit_interval(a, b, da, db):
    left, right = Record("A", a, birth_date=da), Record("B", b, birth_date=db)
    forward, backward = score(left, right).score, score(right, left).score
    assert 0.0 <= forward <= 1.0
    assert forward == backward


@given(name_strategy)
def test_a_name_matches_itself_fully(name):
    assert score(Record("A", name), Record("B", name)).score == 1.0


def test_one_slip_between_skeletons_needs_alike_written_forms():
    assert s("Lwi Valtiier", "Lwi Batis") < THRESHOLD
    assert s("Josué Théodore", "Jozye Teyodò") >= THRESHOLD


def test_two_typos_in_one_part_are_not_a_typo():
    assert s("Novak Stojanović", "Novak Šajanović") < THRESHOLD


def test_frequent_names_one_edit_apart_are_distinct_with_a_list():
    from readmit.screening.matching import Index

    index = Index(
        [
            Record(str(i), n)
            for i, n in enumerate(
                [
                    "Marko Brankić",
                    "Mirko Brankić",
                    "Marko Ilić",
                    "Mirko Ilić",
                    "Marko Savić",
                    "Mirko Savić",
                ]
                * 2
            )
        ]
    )
    with_list = score(
        Record("A", "Marko Lalić"),
        Record("B", "Mirko Lalić"),
        weigh=index.weight,
        common=index.is_common,
    )
    assert with_list.score < THRESHOLD
    assert "distinct names" in with_list.explanation
    assert s("Marko Lalić", "Mirko Lalić") >= THRESHOLD  # without a list: a typo


def test_serbian_ar_ra_names_are_gender_forms():
    assert is_gender_pair("aleksandar", "aleksandra")
    assert is_gender_pair("petra", "petar")
    match = score(Record("A", "Aleksandar Lalić"), Record("B", "Aleksandra Lalić"))
    assert match.score < THRESHOLD
    assert "gender form" in match.explanation


def test_a_doubled_final_a_is_a_typo_not_a_gender_form():
    assert not is_gender_pair("djurdja", "djurdjaa")
    assert not is_gender_pair("pena", "penaa")
    assert s("Đurđa Radulović", "Đurđaa Radulović") >= THRESHOLD


def test_a_four_letter_name_missing_a_letter_is_a_typo_but_three_letter_names_are_not():
    assert s("John Hughes", "Jhn Hughes") >= THRESHOLD
    assert "typo" in score(Record("A", "John Hughes"), Record("B", "Jhn Hughes")).explanation
    assert s("Ana Lalić", "Ina Lalić") < THRESHOLD  # two different short names
