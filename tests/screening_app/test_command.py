"""The ``readmit watchlist import`` command: a version on success, file and line on failure."""

from __future__ import annotations

import argparse

import pytest

from readmit.screening import commands
from readmit.screening.models import WatchlistVersion


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="readmit")
    commands.register(parser.add_subparsers(dest="command", required=True), lambda: None)
    args = parser.parse_args(list(argv))
    return int(args.func(args))


def test_the_command_imports_a_file_as_the_next_version(watchlist, samples, capsys):
    assert (
        run(
            "watchlist",
            "import",
            "fictional-list",
            str(samples / "un-consolidated.xml"),
            "--format",
            "un-xml",
        )
        == 0
    )
    assert "fictional-list version 1: 3 people, 1 non-person records skipped" in (
        capsys.readouterr().out
    )
    assert WatchlistVersion.objects.get().entry_count == 3


def test_a_bad_file_exits_non_zero_naming_the_line_and_imports_nothing(watchlist, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name\nA1,\n", encoding="utf-8")
    assert run("watchlist", "import", "fictional-list", str(bad)) == 1
    assert "bad.csv, line 2, column 'name'" in capsys.readouterr().err
    assert not WatchlistVersion.objects.exists()


@pytest.mark.parametrize("argv", [("nope", "x.csv"), ("fictional-list", "x.csv", "--as", "ghost")])
def test_an_unknown_list_or_user_exits_with_2(watchlist, argv, capsys):
    assert run("watchlist", "import", *argv) == 2
