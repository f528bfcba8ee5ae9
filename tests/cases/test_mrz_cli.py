"""``readmit mrz`` prints a verified zone as JSON, or names the field at fault and exits 1."""

from __future__ import annotations

import io
import json

import pytest

from readmit.cases.mrz import parse_mrz
from readmit.cli import main
from tests.cases.test_mrz import TD1_SPECIMEN, TD3_SPECIMEN, TODAY

TODAY_ARG = ["--today", TODAY.isoformat()]


def test_the_lines_given_as_arguments_print_the_fields_as_json(capsys) -> None:
    assert main(["mrz", *TD3_SPECIMEN, *TODAY_ARG]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out == parse_mrz(TD3_SPECIMEN, today=TODAY).as_dict()
    assert out["primary_identifier"] == "ERIKSSON"
    assert out["expiry_date"] == "2012-04-15"


def test_without_lines_the_zone_is_read_from_stdin(capsys, monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(TD1_SPECIMEN) + "\n"))
    assert main(["mrz", *TODAY_ARG]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["format"] == "TD1"
    assert out["document_number"] == "D23145890"


def test_one_argument_holding_line_breaks_is_read_as_the_zone(capsys) -> None:
    assert main(["mrz", "\n".join(TD1_SPECIMEN), *TODAY_ARG]) == 0
    assert json.loads(capsys.readouterr().out)["secondary_identifier"] == "ANNA MARIA"


def test_a_bad_check_digit_names_the_field_and_exits_1(capsys) -> None:
    line2 = TD3_SPECIMEN[1][:27] + "3" + TD3_SPECIMEN[1][28:]
    assert main(["mrz", TD3_SPECIMEN[0], line2, *TODAY_ARG]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip() == "readmit mrz: expiry date: check digit 3 does not match 9"


def test_empty_input_is_an_error_not_a_crash(capsys, monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["mrz"]) == 1
    assert "zone: no lines given" in capsys.readouterr().err


def test_the_date_that_resolves_two_digit_years_must_be_a_date(capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["mrz", *TD3_SPECIMEN, "--today", "yesterday"])
    assert exit_.value.code == 2
    assert "not a date" in capsys.readouterr().err


def test_two_digit_years_follow_the_given_today(capsys) -> None:
    # In 1970 a birth in '74 cannot have happened yet in the 1900s: it is read as 1874.
    assert main(["mrz", *TD3_SPECIMEN, "--today", "1970-01-01"]) == 0
    assert json.loads(capsys.readouterr().out)["birth_date"] == "1874-08-12"
