"""Watchlist file parsers: every sample reads, every bad file names file, line and field."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readmit.screening import importers
from readmit.screening.importers import WatchlistFileError, country_code, parse

SAMPLES = Path(__file__).resolve().parents[2] / "readmit" / "screening" / "samples"


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def test_the_csv_sample_reads_every_person_with_aliases_split_on_semicolons():
    parsed = parse(sample("watchlist.csv"), fmt="csv", filename="watchlist.csv")
    assert [r.external_id for r in parsed.rows] == [
        "WL-001",
        "WL-002",
        "WL-003",
        "WL-004",
        "WL-005",
    ]
    first = parsed.rows[0]
    assert first.name == "Xhevat Ukshini"
    assert first.aliases == ("Xh. Ukshini", "Xhevat Ukshin")
    assert first.birth_date == "1979-04-12"
    assert first.nationality == "XK"
    assert parsed.rows[1].name == "Ђорђе Бркић"  # any script, as written
    assert parsed.rows[2].birth_date == "1980-11"


def test_the_ftm_sample_keeps_people_and_counts_the_other_schemas_as_skipped():
    parsed = parse(sample("watchlist.ftm.jsonl"), fmt="ftm", filename="list.jsonl")
    assert [r.external_id for r in parsed.rows] == ["fict-p-0001", "fict-p-0002", "fict-p-0003"]
    assert parsed.skipped == 2
    bujar = parsed.rows[0]
    assert bujar.aliases == ("Bujar Hasanxhiu", "Бујар Хасанџику")
    assert (bujar.nationality, bujar.document_number) == ("XK", "XK0481516")
    radmila = parsed.rows[2]
    assert radmila.extra["birth_dates"] == ["1988-01-09", "1988-09-01"]
    assert radmila.extra["nationalities"] == ["ME", "RS"]


def test_the_un_sample_joins_name_parts_and_turns_country_names_into_codes():
    parsed = parse(sample("un-consolidated.xml"), fmt="un-xml", filename="un.xml")
    assert [r.external_id for r in parsed.rows] == ["9900001", "9900002", "9900003"]
    assert parsed.skipped == 1  # the ENTITY
    zoran = parsed.rows[0]
    assert zoran.name == "ZORAN MILUTIN VUKSANOVIĆ"
    assert "Зоран Милутин Вуксановић" in zoran.aliases
    assert (zoran.birth_date, zoran.nationality, zoran.document_number) == (
        "1972-03-15",
        "ME",
        "MN 2231907",
    )
    hajdar = parsed.rows[1]
    assert hajdar.birth_date == "1966"
    assert hajdar.extra["nationalities"] == ["XK", "AL"]
    esperanza = parsed.rows[2]
    assert esperanza.nationality == "VE"
    assert esperanza.extra["nationalities"] == ["VE", "Atlantis"]  # unknown kept as text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Venezuela (Bolivarian Republic of)", "VE"),
        ("Kosovo", "XK"),
        ("ht", "HT"),
        ("Russian Federation", "RU"),
        ("Nowhereland", "Nowhereland"),
    ],
)
def test_country_names_become_codes_and_unknown_names_stay_text(text, expected):
    assert country_code(text) == expected


@pytest.mark.parametrize(
    ("content", "where"),
    [
        (b"id,aliases\nX1,Someone\n", "line 1, column 'name'"),
        (b"id,name\nX1,\n", "line 2, column 'name'"),
        (
            b"id,name,birth_date\nX1,Ana Lumi,1990\nX2,Ana Lumi,1990-13-01\n",
            "line 3, column 'birth_date'",
        ),
        (b"id,name\nX1,Ana Lumi\nX1,Ana Lumi\n", "line 3, column 'id'"),
        (b"id,name\nX1,Ana Lumi,extra\n", "line 2, column 3"),
        (b"id,name\nX1,Ana \xff Lumi\n", "line 2, column 8"),
        (b"", "line 1, header"),
    ],
)
def test_a_malformed_csv_names_the_file_line_and_column(content, where):
    with pytest.raises(WatchlistFileError) as caught:
        parse(content, fmt="csv", filename="bad.csv")
    assert caught.value.message.startswith(f"bad.csv, {where}")


@pytest.mark.parametrize(
    ("content", "where"),
    [
        (
            b'{"id": "a", "schema": "Person", "properties": {"name": ["A B"]}}\n{oops\n',
            "line 2, column 2",
        ),
        (b'{"schema": "Person", "properties": {"name": ["A B"]}}\n', "line 1, field 'id'"),
        (
            b'{"id": "a", "schema": "Person", "properties": {"name": ["A B"], '
            b'"birthDate": ["1980-02-31"]}}\n',
            "line 1, field 'properties.birthDate'",
        ),
        (b'{"id": "a", "schema": "Person", "properties": {}}\n', "line 1, field 'properties.name'"),
        (b'{"id": "a", "properties": {}}\n', "line 1, field 'schema'"),
    ],
)
def test_a_malformed_ftm_file_names_the_line_and_field(content, where):
    with pytest.raises(WatchlistFileError) as caught:
        parse(content, fmt="ftm", filename="bad.jsonl")
    assert caught.value.message.startswith(f"bad.jsonl, {where}")


UN_HEAD = b'<?xml version="1.0" encoding="UTF-8"?>\n<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n'


@pytest.mark.parametrize(
    ("content", "where"),
    [
        (
            UN_HEAD + b"<INDIVIDUAL><DATAID>1</DATAID>\n<FIRST_NAME>A</FIRST_NAME>\n",
            "line 6",
        ),  # truncated: not well-formed
        (
            UN_HEAD + b"<INDIVIDUAL>\n<FIRST_NAME>A</FIRST_NAME></INDIVIDUAL>"
            b"</INDIVIDUALS></CONSOLIDATED_LIST>",
            "line 4, field 'DATAID'",
        ),
        (
            UN_HEAD + b"<INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>A</FIRST_NAME>\n"
            b"<INDIVIDUAL_DATE_OF_BIRTH><DATE>1970-02-30</DATE></INDIVIDUAL_DATE_OF_BIRTH>"
            b"</INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>",
            "line 5, field 'INDIVIDUAL_DATE_OF_BIRTH/DATE'",
        ),
        (b"<CONSOLIDATED_LIST/>", "line 1, element 'INDIVIDUALS'"),
    ],
)
def test_a_malformed_un_file_names_the_line_and_field(content, where):
    with pytest.raises(WatchlistFileError) as caught:
        parse(content, fmt="un_xml", filename="bad.xml")
    assert caught.value.message.startswith(f"bad.xml, {where}")


def test_xml_with_entity_declarations_is_refused_rather_than_expanded():
    bomb = (
        b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>\n'
        b"<CONSOLIDATED_LIST><INDIVIDUALS/></CONSOLIDATED_LIST>"
    )
    with pytest.raises(WatchlistFileError) as caught:
        parse(bomb, fmt="un_xml", filename="bomb.xml")
    assert "refused" in caught.value.message


def test_an_unknown_format_is_refused_with_the_choices_named():
    with pytest.raises(importers.ValidationFailed) as caught:
        parse(b"", fmt="xlsx", filename="x")
    assert "csv, ftm or un-xml" in caught.value.message


_names = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp", "Zs")),
    min_size=1,
    max_size=20,
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_names, st.lists(_names, max_size=3)), min_size=1, max_size=8))
def test_any_names_written_as_csv_read_back_exactly(people):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["id", "name", "aliases"])
    for n, (name, aliases) in enumerate(people):
        writer.writerow([f"ID{n}", name, ";".join(a.replace(";", "") for a in aliases)])
    parsed = parse(buffer.getvalue().encode("utf-8"), fmt="csv", filename="gen.csv")
    assert [r.name for r in parsed.rows] == [" ".join(name.split()) for name, _ in people]
    for row, (_name, aliases) in zip(parsed.rows, people, strict=True):
        expected = [a.replace(";", "") for a in aliases]
        assert set(row.aliases) <= set(expected)
        assert row.name not in row.aliases
