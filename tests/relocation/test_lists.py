"""The list format: CSV, XLSX and JSON go through one validator that names row and field."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from readmit.relocation.lists import (
    CSV_COLUMNS,
    ListFormatError,
    parse_birth_date,
    read_csv,
    read_upload,
    read_xlsx,
    upload_people,
    validate_people,
)
from tests.relocation.conftest import person

SAMPLE = (
    Path(__file__).resolve().parents[2] / "readmit" / "relocation" / "samples" / "proposal-list.csv"
)
HEADER = ",".join(CSV_COLUMNS)
GOOD = "X1,Ana,Quintero,1988-04-12,F,VE,passport,V1,VE,,no,,"


def errors_of_csv(text: str) -> list[tuple[int, str]]:
    people, rows = upload_people(read_csv(text.encode()))
    return [(e["row"], e["field"]) for e in validate_people(people, rows=rows).errors]


def test_the_shipped_sample_list_is_valid_and_reads_every_kind_of_fact():
    people, rows = upload_people(read_csv(SAMPLE.read_bytes()))
    result = validate_people(people, rows=rows)
    assert result.errors == []
    assert rows == [2, 3, 4, 5, 6, 7]
    by_id = {r.external_id: r for r in result.rows}
    assert by_id["US-2026-0003"].nationalities == ("SY", "LB")
    assert by_id["US-2026-0003"].convictions is None  # "unknown"
    assert by_id["US-2026-0003"].pending_criminal_case is None
    assert by_id["US-2026-0003"].vulnerabilities is None
    assert (by_id["US-2026-0003"].birth_year, by_id["US-2026-0003"].birth_month) == (1993, 11)
    assert by_id["US-2026-0004"].convictions[0].country == "US"
    assert by_id["US-2026-0004"].documents == ()
    assert by_id["US-2026-0005"].family_group == "FAM-HN-1"


@pytest.mark.parametrize(
    ("line", "field"),
    [
        (",Ana,Quintero,1988,F,VE,,,,,no,,", "external_id"),
        ("X2,,Quintero,1988,F,VE,,,,,no,,", "given_names"),
        ("X2,Ana,,1988,F,VE,,,,,no,,", "family_name"),
        ("X2,Ana,Quintero,12/04/1988,F,VE,,,,,no,,", "birth_date"),
        ("X2,Ana,Quintero,1988-02-30,F,VE,,,,,no,,", "birth_date"),
        ("X2,Ana,Quintero,1988-13,F,VE,,,,,no,,", "birth_date"),
        ("X2,Ana,Quintero,1988,W,VE,,,,,no,,", "sex"),
        ("X2,Ana,Quintero,1988,F,,,,,,no,,", "nationalities"),
        ("X2,Ana,Quintero,1988,F,VE;QQ,,,,,no,,", "nationalities"),
        ("X2,Ana,Quintero,1988,F,VE,visa,V2,VE,,no,,", "document_type"),
        ("X2,Ana,Quintero,1988,F,VE,passport,,VE,,no,,", "document_number"),
        ("X2,Ana,Quintero,1988,F,VE,passport,V2,ZZ,,no,,", "document_country"),
        ("X2,Ana,Quintero,1988,F,VE,,,,theft-2019,no,,", "convictions"),
        ("X2,Ana,Quintero,1988,F,VE,,,,theft:burglary:2019-31-01,no,,", "convictions"),
        ("X2,Ana,Quintero,1988,F,VE,,,,,maybe,,", "pending_criminal_case"),
        ("X2,Ana,Quintero,1988,F,VE,,,,,no,sad,", "vulnerabilities"),
        ("X1,Ana,Quintero,1988,F,VE,,,,,no,,", "external_id"),  # twice in the list
    ],
)
def test_each_bad_csv_field_is_named_with_the_line_it_is_on(line, field):
    assert errors_of_csv(f"{HEADER}\n{GOOD}\n{line}\n") == [(3, field)]


def test_a_good_csv_line_has_no_error_and_a_bom_and_crlf_are_accepted():
    text = f"\ufeff{HEADER}\r\n{GOOD}\r\n"
    assert errors_of_csv(text) == []


def test_line_numbers_follow_the_file_across_blank_and_multi_line_rows():
    text = (
        f"{HEADER}\n{GOOD}\n\n"
        'X2,"Ana\nMaría",Quintero,1988,F,VE,,,,,no,,\n'
        "X3,Ana,Quintero,1988,W,VE,,,,,no,,\n"
    )
    assert errors_of_csv(text) == [(6, "sex")]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"given_names,family_name\nAna,Q\n", "external_id"),
        (f"{HEADER},shoe_size\n".encode(), "shoe_size"),
        ("external_id,given_names,family_name\nX1,Ana,Quintero\n".encode("utf-16"), "UTF-8"),
        (f"{HEADER}\n{GOOD},extra,cells\n".encode(), "line 2"),
    ],
)
def test_an_unreadable_file_is_refused_naming_the_problem(data, message):
    with pytest.raises(ListFormatError) as refused:
        read_csv(data)
    assert message in str(refused.value)


def _xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_an_xlsx_list_reads_like_csv_with_spreadsheet_row_numbers_and_typed_cells():
    import datetime as dt

    data = _xlsx(
        [
            list(CSV_COLUMNS),
            [
                "X1",
                "Ana",
                "Quintero",
                "1988-04-12",
                "F",
                "VE",
                "passport",
                1234567,
                "VE",
                "",
                "no",
                "",
                "",
            ],
            [None] * len(CSV_COLUMNS),
            [
                "X2",
                "José",
                "Campo",
                dt.datetime(1979, 5, 6),
                "M",
                "CO",
                "",
                "",
                "",
                "",
                "yes",
                "",
                "",
            ],
            ["X3", "Samira", "Haddad", 1993, "Q", "SY", "", "", "", "", "no", "", ""],
        ]
    )
    rows, source = read_upload("list.xlsx", data)
    assert source == "web-xlsx"
    people, lines = upload_people(rows)
    result = validate_people(people, rows=lines)
    assert [(e["row"], e["field"]) for e in result.errors] == [(5, "sex")]
    by_id = {r.external_id: r for r in result.rows}
    assert by_id["X1"].documents[0].number == "1234567"
    assert (by_id["X2"].birth_year, by_id["X2"].birth_month, by_id["X2"].birth_day) == (1979, 5, 6)
    assert by_id["X2"].pending_criminal_case is True


def test_a_file_that_is_not_a_workbook_is_refused():
    with pytest.raises(ListFormatError):
        read_xlsx(b"PK\x03\x04 not really a zip")


@pytest.mark.parametrize(
    ("overrides", "loc"),
    [
        ({"external_id": ""}, ["people", 1, "external_id"]),
        ({"given_names": None}, ["people", 1, "given_names"]),
        ({"birth_date": 1988}, ["people", 1, "birth_date"]),
        ({"nationalities": "VE"}, ["people", 1, "nationalities"]),
        (
            {"documents": [{"type": "passport", "number": "", "issuing_country": "VE"}]},
            ["people", 1, "documents", "0", "number"],
        ),
        (
            {"convictions": [{"offence": "theft", "category": "05", "date": "2019"}]},
            ["people", 1, "convictions", "0"],
        ),
        ({"pending_cases": "no"}, ["people", 1, "pending_cases"]),
        ({"vulnerabilities": ["pregnant", "tall"]}, ["people", 1, "vulnerabilities"]),
        ({"family_group": "F" * 81}, ["people", 1, "family_group"]),
    ],
)
def test_each_bad_json_field_is_named_by_its_index_and_path(overrides, loc):
    result = validate_people([person(), person(**overrides)])
    assert [e["loc"] for e in result.errors] == [loc]
    assert result.errors[0]["row"] == 1
    assert len(result.rows) == 1


def test_json_null_means_not_known_and_is_kept_apart_from_none():
    result = validate_people([person(convictions=None, vulnerabilities=None, pending_cases=None)])
    row = result.rows[0]
    assert (row.convictions, row.vulnerabilities, row.pending_criminal_case) == (None, None, None)
    known = validate_people([person()]).rows[0]
    assert (known.convictions, known.vulnerabilities, known.pending_criminal_case) == (
        (),
        (),
        False,
    )


@pytest.mark.parametrize("people", [[], {"a": 1}, None])
def test_a_list_that_is_empty_or_not_a_list_is_one_error(people):
    result = validate_people(people)
    assert [e["loc"] for e in result.errors] == [["people"]]


@pytest.mark.parametrize(
    ("text", "parsed"),
    [("1988", (1988, None, None)), ("1988-04", (1988, 4, None)), ("1988-04-12", (1988, 4, 12))],
)
def test_partial_birth_dates_keep_what_is_known(text, parsed):
    assert parse_birth_date(text) == parsed


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=12,
)
_people = st.lists(
    st.fixed_dictionaries(
        {},
        optional=dict.fromkeys(
            (
                "external_id",
                "given_names",
                "family_name",
                "birth_date",
                "sex",
                "nationalities",
                "documents",
                "convictions",
                "pending_cases",
                "vulnerabilities",
                "family_group",
            ),
            _json,
        ),
    ),
    min_size=1,
    max_size=4,
)


@settings(max_examples=300, deadline=None)
@given(_people)
def test_any_json_is_either_a_valid_person_or_errors_naming_row_and_field(people):
    result = validate_people(people)
    for error in result.errors:
        assert isinstance(error["row"], int) and error["field"] and error["message"]
        assert error["loc"][0] == "people"
    valid_rows = {r.row for r in result.rows}
    assert valid_rows.isdisjoint({e["row"] for e in result.errors})
    assert len(result.rows) + len({e["row"] for e in result.errors}) == len(people)


@given(st.dates(min_value=dt.date(1900, 1, 1)))
def test_every_real_date_parses_at_each_precision(day):
    assert parse_birth_date(day.isoformat()) == (day.year, day.month, day.day)
    assert parse_birth_date(day.isoformat()[:7]) == (day.year, day.month, None)
    assert parse_birth_date(str(day.year)) == (day.year, None, None)
