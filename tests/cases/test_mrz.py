"""Machine-readable zones (ICAO Doc 9303) are parsed into fields with every check digit verified.

The specimens are those printed in ICAO Doc 9303, 8th edition: Part 4 (TD3, the machine
readable passport of "Utopia", Appendix A) and Part 5 (TD1, the identity card, Appendix A),
and Part 6 (TD2). No Django here: the parser is a pure module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readmit.cases.mrz import MRZ, Format, MRZError, check_digit, country_from_mrz, parse_mrz

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 12, 2)

# ICAO Doc 9303 Part 4, Appendix A to Part 4: the TD3 specimen of Utopia.
TD3_SPECIMEN = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
)
# ICAO Doc 9303 Part 5, Appendix A to Part 5: the TD1 specimen of Utopia.
TD1_SPECIMEN = (
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
)
# ICAO Doc 9303 Part 6, Appendix A to Part 6: the TD2 specimen of Utopia.
TD2_SPECIMEN = (
    "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
    "D231458907UTO7408122F1204159<<<<<<<6",
)


# --- an independent writer: the tests do not borrow the parser's arithmetic -------------


def _value(char: str) -> int:
    if char.isdigit():
        return int(char)
    if char == "<":
        return 0
    return ord(char) - 55  # A = 10 ... Z = 35


def digit(data: str) -> str:
    return str(sum(_value(c) * (7, 3, 1)[i % 3] for i, c in enumerate(data)) % 10)


def pad(value: str, width: int) -> str:
    assert len(value) <= width
    return value + "<" * (width - len(value))


@dataclass(frozen=True)
class Person:
    surname: str
    given: str
    number: str
    nationality: str
    birth: date
    sex: str
    expiry: date
    optional: str


def names(person: Person, width: int) -> str:
    written = person.surname.replace(" ", "<")
    if person.given:
        written += "<<" + person.given.replace(" ", "<")
    return pad(written, width)


def write_td3(p: Person, issuing: str = "UTO") -> tuple[str, str]:
    line1 = pad("P<" + pad(issuing, 3) + names(p, 39), 44)
    number = pad(p.number, 9)
    birth, expiry = p.birth.strftime("%y%m%d"), p.expiry.strftime("%y%m%d")
    optional = pad(p.optional, 14)
    body = (
        number + digit(number) + pad(p.nationality, 3) + birth + digit(birth) + p.sex
        + expiry + digit(expiry) + optional + digit(optional)
    )  # fmt: skip
    composite = body[0:10] + body[13:20] + body[21:43]
    return line1, body + digit(composite)


def _number_and_optional(number: str, optional: str, width: int) -> tuple[str, str]:
    if len(number) <= 9:
        padded = pad(number, 9)
        return padded + digit(padded), pad(optional, width)
    return number[:9] + "<", pad(number[9:] + digit(number) + "<" + optional, width)


def write_td1(p: Person, issuing: str = "UTO") -> tuple[str, str, str]:
    head, optional = _number_and_optional(p.number, p.optional, 15)
    line1 = "I<" + pad(issuing, 3) + head + optional
    birth, expiry = p.birth.strftime("%y%m%d"), p.expiry.strftime("%y%m%d")
    line2 = birth + digit(birth) + p.sex + expiry + digit(expiry) + pad(p.nationality, 3) + "<" * 11
    composite = line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29]
    return line1, line2 + digit(composite), names(p, 30)


def write_td2(p: Person, issuing: str = "UTO") -> tuple[str, str]:
    head, optional = _number_and_optional(p.number, p.optional, 7)
    birth, expiry = p.birth.strftime("%y%m%d"), p.expiry.strftime("%y%m%d")
    body = (
        head + pad(p.nationality, 3) + birth + digit(birth) + p.sex + expiry + digit(expiry)
        + optional
    )  # fmt: skip
    composite = body[0:10] + body[13:20] + body[21:35]
    return "I<" + pad(issuing, 3) + names(p, 31), body + digit(composite)


# --- the specimens ----------------------------------------------------------------------


def test_the_icao_td3_passport_specimen_parses_into_its_fields() -> None:
    mrz = parse_mrz(TD3_SPECIMEN, today=TODAY)
    assert mrz.format is Format.TD3
    assert (mrz.document_code, mrz.document_type) == ("P", "passport")
    assert (mrz.issuing_state, mrz.nationality) == ("UTO", "UTO")
    assert (mrz.primary_identifier, mrz.secondary_identifier) == ("ERIKSSON", "ANNA MARIA")
    assert mrz.document_number == "L898902C3"
    assert mrz.birth_date == date(1974, 8, 12)
    assert mrz.sex == "F"
    assert mrz.expiry_date == date(2012, 4, 15)
    assert mrz.optional_data == "ZE184226B"


def test_the_icao_td1_identity_card_specimen_parses_into_its_fields() -> None:
    mrz = parse_mrz("\n".join(TD1_SPECIMEN), today=TODAY)
    assert mrz.format is Format.TD1
    assert (mrz.document_code, mrz.document_type) == ("I", "identity card")
    assert (mrz.primary_identifier, mrz.secondary_identifier) == ("ERIKSSON", "ANNA MARIA")
    assert mrz.document_number == "D23145890"
    assert (mrz.birth_date, mrz.expiry_date) == (date(1974, 8, 12), date(2012, 4, 15))
    assert mrz.nationality == mrz.issuing_state == "UTO"


def test_the_icao_td2_specimen_parses_into_the_same_person() -> None:
    td2 = parse_mrz(TD2_SPECIMEN, today=TODAY)
    td1 = parse_mrz(TD1_SPECIMEN, today=TODAY)
    assert td2.format is Format.TD2
    assert (td2.primary_identifier, td2.document_number, td2.birth_date) == (
        td1.primary_identifier,
        td1.document_number,
        td1.birth_date,
    )


def test_the_check_digit_weighs_7_3_1_and_counts_letters_from_10() -> None:
    # Doc 9303 Part 3, 4.9: the worked example of a birth date (520727 -> 3).
    assert check_digit("520727") == 3
    assert check_digit("L898902C3") == 6  # the TD3 specimen's document number
    assert check_digit("<<<") == 0
    assert check_digit("A") == 10 * 7 % 10


def test_white_space_and_blank_lines_around_the_zone_are_ignored() -> None:
    text = "\n  " + TD3_SPECIMEN[0] + "  \n\n" + TD3_SPECIMEN[1] + "\n"
    assert parse_mrz(text, today=TODAY) == parse_mrz(TD3_SPECIMEN, today=TODAY)


# --- errors name the field ----------------------------------------------------------------


def _with(line: str, position: int, char: str) -> str:
    return line[:position] + char + line[position + 1 :]


def test_a_wrong_expiry_check_digit_is_an_error_naming_the_expiry_date() -> None:
    line2 = _with(TD3_SPECIMEN[1], 27, "3")
    with pytest.raises(MRZError) as error:
        parse_mrz([TD3_SPECIMEN[0], line2], today=TODAY)
    assert error.value.field == "expiry date"
    assert str(error.value) == f"expiry date: check digit 3 does not match {digit('120415')}"


@pytest.mark.parametrize(
    ("position", "field"),
    [(9, "document number"), (19, "birth date"), (27, "expiry date"), (42, "optional data"),
     (43, "composite")],
)  # fmt: skip
def test_each_td3_check_digit_is_verified(position: int, field: str) -> None:
    written = TD3_SPECIMEN[1][position]
    wrong = str((int(written) + 1) % 10)
    with pytest.raises(MRZError) as error:
        parse_mrz([TD3_SPECIMEN[0], _with(TD3_SPECIMEN[1], position, wrong)], today=TODAY)
    assert error.value.field == field
    assert f"check digit {wrong} does not match {written}" in str(error.value)


@pytest.mark.parametrize(
    ("line", "position", "field"),
    [(0, 14, "document number"), (1, 6, "birth date"), (1, 14, "expiry date"),
     (1, 29, "composite")],
)  # fmt: skip
def test_each_td1_check_digit_is_verified(line: int, position: int, field: str) -> None:
    lines = list(TD1_SPECIMEN)
    lines[line] = _with(lines[line], position, str((int(lines[line][position]) + 5) % 10))
    with pytest.raises(MRZError) as error:
        parse_mrz(lines, today=TODAY)
    assert error.value.field == field


def test_a_line_of_the_wrong_length_is_an_error_naming_the_line() -> None:
    with pytest.raises(MRZError) as error:
        parse_mrz([TD3_SPECIMEN[0], TD3_SPECIMEN[1][:-1]], today=TODAY)
    assert error.value.field == "line 2"
    assert "43 characters, expected 44" in str(error.value)


def test_a_zone_of_no_known_shape_is_an_error_listing_the_shapes() -> None:
    with pytest.raises(MRZError) as error:
        parse_mrz([TD3_SPECIMEN[0][:40], TD3_SPECIMEN[1][:40]], today=TODAY)
    assert error.value.field == "zone"
    assert "TD1" in str(error.value) and "TD3" in str(error.value)
    with pytest.raises(MRZError, match="no lines"):
        parse_mrz("", today=TODAY)


def test_a_character_outside_the_mrz_set_is_an_error_naming_field_and_position() -> None:
    with pytest.raises(MRZError) as error:
        parse_mrz([_with(TD3_SPECIMEN[0], 7, "é"), TD3_SPECIMEN[1]], today=TODAY)
    assert error.value.field == "name"
    assert "line 1, position 8" in str(error.value)
    assert "not an MRZ character" in str(error.value)


def test_lower_case_letters_are_not_mrz_characters() -> None:
    with pytest.raises(MRZError) as error:
        parse_mrz([TD3_SPECIMEN[0], TD3_SPECIMEN[1].lower()], today=TODAY)
    assert error.value.field == "document number"


def test_a_digit_in_a_name_or_a_letter_in_a_date_is_not_allowed_in_that_field() -> None:
    with pytest.raises(MRZError) as name:
        parse_mrz([_with(TD3_SPECIMEN[0], 6, "4"), TD3_SPECIMEN[1]], today=TODAY)
    assert name.value.field == "name"
    assert "not allowed in this field" in str(name.value)
    with pytest.raises(MRZError) as birth:
        parse_mrz([TD3_SPECIMEN[0], _with(TD3_SPECIMEN[1], 14, "O")], today=TODAY)
    assert birth.value.field == "birth date"


def test_an_impossible_date_with_a_matching_check_digit_is_still_an_error() -> None:
    person = Person("DOE", "JANE", "AB1234567", "UTO", date(1990, 1, 1), "F", date(2030, 1, 1), "")
    line1, line2 = write_td3(person)
    birth = "901301"  # month 13
    line2 = line2[:13] + birth + digit(birth) + line2[20:43]
    line2 += digit(line2[0:10] + line2[13:20] + line2[21:43])
    with pytest.raises(MRZError) as error:
        parse_mrz([line1, line2], today=TODAY)
    assert error.value.field == "birth date"
    assert "not a date" in str(error.value)


def test_a_passport_layout_must_carry_a_passport_code() -> None:
    with pytest.raises(MRZError) as error:
        parse_mrz([_with(TD3_SPECIMEN[0], 0, "I"), TD3_SPECIMEN[1]], today=TODAY)
    assert error.value.field == "document code"


def test_an_unknown_country_code_is_an_error_naming_the_field() -> None:
    person = Person("DOE", "JANE", "AB1234567", "QQQ", date(1990, 1, 1), "F", date(2030, 1, 1), "")
    with pytest.raises(MRZError) as error:
        parse_mrz(write_td3(person), today=TODAY)
    assert error.value.field == "nationality"
    assert "QQQ" in str(error.value)


# --- countries ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "normalised"),
    [("SRB", "RS"), ("MNE", "ME"), ("D<<", "DE"), ("D", "DE"), ("RKS", "XK"), ("XKX", "XK"),
     ("USA", "US"), ("GBD", "GB")],
)  # fmt: skip
def test_country_codes_use_the_projects_normalisation(written: str, normalised: str) -> None:
    assert country_from_mrz(written) == normalised


@pytest.mark.parametrize("code", ["XXA", "XXB", "XXC", "XXX", "UTO", "EUE", "UNO"])
def test_icao_codes_that_name_no_state_are_kept_as_written(code: str) -> None:
    assert country_from_mrz(code) == code


def test_a_german_passport_of_a_stateless_holder_keeps_both_codes_apart() -> None:
    person = Person(
        "MUSTER", "ALI", "C01X00T47", "XXA", date(1983, 8, 12), "M", date(2031, 10, 31), ""
    )
    mrz = parse_mrz(write_td3(person, issuing="D"), today=TODAY)
    assert (mrz.issuing_state, mrz.issuing_country) == ("D", "DE")
    assert (mrz.nationality, mrz.nationality_country) == ("XXA", "XXA")


# --- names and dates --------------------------------------------------------------------------


def test_names_keep_their_mrz_form_with_fillers_as_spaces() -> None:
    person = Person(
        "DE LA CRUZ", "MARIA JOSE", "X1", "ESP", date(1990, 1, 1), "F", date(2030, 1, 1), ""
    )
    mrz = parse_mrz(write_td3(person), today=TODAY)
    assert mrz.primary_identifier == "DE LA CRUZ"
    assert mrz.secondary_identifier == "MARIA JOSE"


def test_a_zone_with_only_a_primary_identifier_has_an_empty_secondary_one() -> None:
    person = Person("SUKARNO", "", "X1", "IDN", date(1990, 1, 1), "M", date(2030, 1, 1), "")
    mrz = parse_mrz(write_td3(person), today=TODAY)
    assert (mrz.primary_identifier, mrz.secondary_identifier) == ("SUKARNO", "")


def test_a_birth_date_is_never_in_the_future() -> None:
    born = date(TODAY.year - 100 + 1, 1, 1)  # written as the same two digits as next year
    person = Person("OLD", "ONE", "X1", "MNE", born, "M", date(2030, 1, 1), "")
    mrz = parse_mrz(write_td3(person), today=TODAY)
    assert mrz.birth_date == born
    assert mrz.birth_date <= TODAY


def test_a_birth_on_today_stays_in_this_century() -> None:
    person = Person("NEW", "ONE", "X1", "MNE", TODAY, "F", TODAY + timedelta(days=1000), "")
    assert parse_mrz(write_td3(person), today=TODAY).birth_date == TODAY


def test_an_expiry_date_lies_in_the_century_nearest_to_today() -> None:
    expired = date(TODAY.year - 30, 6, 1)
    valid = date(TODAY.year + 30, 6, 1)
    for expiry in (expired, valid):
        person = Person("DOE", "J", "X1", "MNE", date(1950, 1, 1), "M", expiry, "")
        assert parse_mrz(write_td3(person), today=TODAY).expiry_date == expiry


def test_an_unspecified_sex_is_read_as_x() -> None:
    person = Person("DOE", "J", "X1", "MNE", date(1990, 1, 1), "<", date(2030, 1, 1), "")
    assert parse_mrz(write_td3(person), today=TODAY).sex == "X"


# --- the long document number of TD1 ------------------------------------------------------------


def test_a_td1_document_number_longer_than_nine_characters_continues_in_the_optional_data() -> None:
    person = Person(
        "ERIKSSON", "ANNA", "D23145890734", "UTO", date(1974, 8, 12), "F", date(2032, 4, 15), "AB"
    )
    lines = write_td1(person)
    assert lines[0][14] == "<"
    mrz = parse_mrz(lines, today=TODAY)
    assert mrz.document_number == "D23145890734"
    assert mrz.optional_data == "AB"


def test_a_long_td1_number_with_a_wrong_check_digit_names_the_document_number() -> None:
    person = Person(
        "ERIKSSON", "ANNA", "D23145890734", "UTO", date(1974, 8, 12), "F", date(2032, 4, 15), ""
    )
    line1, line2, line3 = write_td1(person)
    wrong = str((int(line1[18]) + 1) % 10)  # the check digit after "734"
    line1 = _with(line1, 18, wrong)
    line2 = line2[:29] + digit(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29])
    with pytest.raises(MRZError) as error:
        parse_mrz([line1, line2, line3], today=TODAY)
    assert error.value.field == "document number"


def test_a_filler_in_the_check_digit_place_without_a_continuation_is_an_error() -> None:
    lines = list(TD1_SPECIMEN)
    lines[0] = _with(lines[0], 14, "<")
    with pytest.raises(MRZError) as error:
        parse_mrz(lines, today=TODAY)
    assert error.value.field == "document number"
    assert "continuation" in str(error.value)


def test_the_result_turns_into_strings_for_json() -> None:
    fields = parse_mrz(TD3_SPECIMEN, today=TODAY).as_dict()
    assert fields["birth_date"] == "1974-08-12"
    assert fields["format"] == "TD3"
    assert set(fields) == set(MRZ.__dataclass_fields__)


# --- properties --------------------------------------------------------------------------------

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ALNUM = LETTERS + "0123456789"
word = st.text(LETTERS, min_size=1, max_size=6)  # two names of two words fit in TD1
nationalities = st.sampled_from(["MNE", "SRB", "ALB", "PAK", "USA", "RKS", "D", "XXA", "UTO"])
births = st.dates(date(TODAY.year - 99, 1, 1), TODAY)
expiries = st.dates(TODAY - timedelta(days=365 * 40), TODAY + timedelta(days=365 * 40))


@st.composite
def people(draw: st.DrawFn, max_number: int = 9) -> Person:
    return Person(
        surname=" ".join(draw(st.lists(word, min_size=1, max_size=2))),
        given=" ".join(draw(st.lists(word, min_size=0, max_size=2))),
        number=draw(st.text(ALNUM, min_size=1, max_size=max_number)),
        nationality=draw(nationalities),
        birth=draw(births),
        sex=draw(st.sampled_from("MFX")),
        expiry=draw(expiries),
        optional=draw(st.text(ALNUM, max_size=3)),
    )


def _matches(mrz: MRZ, person: Person) -> None:
    assert mrz.primary_identifier == person.surname
    assert mrz.secondary_identifier == person.given
    assert mrz.document_number == person.number
    assert mrz.nationality == person.nationality
    assert mrz.birth_date == person.birth
    assert mrz.sex == person.sex
    assert mrz.expiry_date == person.expiry
    assert mrz.optional_data == person.optional


@given(people())
def test_a_written_td3_zone_round_trips(person: Person) -> None:
    _matches(parse_mrz(write_td3(person), today=TODAY), person)


@given(people(max_number=14))
def test_a_written_td1_zone_round_trips_also_with_long_numbers(person: Person) -> None:
    _matches(parse_mrz(write_td1(person), today=TODAY), person)


@given(people(max_number=9))
def test_a_written_td2_zone_round_trips(person: Person) -> None:
    _matches(parse_mrz(write_td2(person), today=TODAY), person)


def _digit_positions(line: str, start: int, end: int) -> list[int]:
    return [i for i in range(start, end) if line[i].isdigit()]


# (line, start, end) of each checked field including its check digit, per layout
TD3_FIELDS = {"document number": (1, 0, 10), "birth date": (1, 13, 20), "expiry date": (1, 21, 28)}
TD1_FIELDS = {"birth date": (1, 0, 7), "expiry date": (1, 8, 15)}


@settings(max_examples=200)
@given(people(), st.sampled_from(sorted(TD3_FIELDS)), st.data())
def test_any_single_changed_digit_in_a_checked_td3_field_is_detected(
    person: Person, field: str, data: st.DataObject
) -> None:
    lines = list(write_td3(person))
    line, start, end = TD3_FIELDS[field]
    positions = _digit_positions(lines[line], start, end)
    if not positions:  # a document number of letters only: its check digit is still a digit
        positions = [end - 1]
    position = data.draw(st.sampled_from(positions))
    old = lines[line][position]
    new = data.draw(st.sampled_from([d for d in "0123456789" if d != old]))
    lines[line] = _with(lines[line], position, new)
    with pytest.raises(MRZError) as error:
        parse_mrz(lines, today=TODAY)
    assert error.value.field == field


@settings(max_examples=200)
@given(people(max_number=14), st.sampled_from(sorted(TD1_FIELDS)), st.data())
def test_any_single_changed_digit_in_a_checked_td1_field_is_detected(
    person: Person, field: str, data: st.DataObject
) -> None:
    lines = list(write_td1(person))
    line, start, end = TD1_FIELDS[field]
    position = data.draw(st.sampled_from(_digit_positions(lines[line], start, end)))
    old = lines[line][position]
    new = data.draw(st.sampled_from([d for d in "0123456789" if d != old]))
    lines[line] = _with(lines[line], position, new)
    with pytest.raises(MRZError) as error:
        parse_mrz(lines, today=TODAY)
    assert error.value.field == field


@given(people(max_number=14), st.data())
def test_any_single_changed_digit_of_a_td1_document_number_is_detected(
    person: Person, data: st.DataObject
) -> None:
    lines = list(write_td1(person))
    # the number and its check digit: line 1 from place 6 up to the first filler after 15
    end = 15 if lines[0][14] != "<" else lines[0].index("<", 15)
    position = data.draw(st.sampled_from(_digit_positions(lines[0], 5, end)))
    new = data.draw(st.sampled_from([d for d in "0123456789" if d != lines[0][position]]))
    lines[0] = _with(lines[0], position, new)
    with pytest.raises(MRZError) as error:
        parse_mrz(lines, today=TODAY)
    assert error.value.field == "document number"


WRITERS = {"TD1": write_td1, "TD2": write_td2, "TD3": write_td3}


@settings(max_examples=200)
@given(people(), st.sampled_from(sorted(WRITERS)), st.data())
def test_any_single_changed_digit_anywhere_in_the_zone_is_detected(
    person: Person, layout: str, data: st.DataObject
) -> None:
    lines = list(WRITERS[layout](person))
    digits = [(n, i) for n, line in enumerate(lines) for i, c in enumerate(line) if c.isdigit()]
    line, position = data.draw(st.sampled_from(digits))
    new = data.draw(st.sampled_from([d for d in "0123456789" if d != lines[line][position]]))
    lines[line] = _with(lines[line], position, new)
    with pytest.raises(MRZError):
        parse_mrz(lines, today=TODAY)


@given(st.dates(date(1900, 1, 1), date(2099, 12, 31)), st.dates(date(1990, 1, 1), date(2080, 1, 1)))
def test_a_two_digit_birth_year_is_read_within_the_hundred_years_up_to_today(
    written: date, today: date
) -> None:
    person = Person("DOE", "J", "X1", "MNE", written, "F", today, "")
    try:
        born = parse_mrz(write_td3(person), today=today).birth_date
    except MRZError as error:  # 29 February of a century year without one
        assert error.field == "birth date" and (written.month, written.day) == (2, 29)
        return
    assert born <= today
    assert (born.year - written.year) % 100 == 0
    assert today.year - born.year <= 100


@given(st.dates(date(1900, 1, 1), date(2099, 12, 31)), st.dates(date(1990, 1, 1), date(2080, 1, 1)))
def test_a_two_digit_expiry_year_is_read_within_fifty_years_of_today(
    written: date, today: date
) -> None:
    person = Person("DOE", "J", "X1", "MNE", date(1950, 1, 1), "F", written, "")
    try:
        expiry = parse_mrz(write_td3(person), today=today).expiry_date
    except MRZError as error:
        assert error.field == "expiry date" and (written.month, written.day) == (2, 29)
        return
    assert (expiry.year - written.year) % 100 == 0
    assert abs((expiry - today).days) <= 366 * 50
