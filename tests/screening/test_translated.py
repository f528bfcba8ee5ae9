"""Translated names: a surname that is also a word can come back translated."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from readmit.screening.matching import Index, Record, score
from readmit.screening.matching.scripts import TRANSLATIONS, translated

TABLE = Path(__file__).parents[2] / "readmit/screening/matching/translated_names.csv"


def test_marko_blond_meets_marco_rubio_as_a_possible_match_explained():
    match = score(Record("a", "Marko Blond"), Record("b", "Marco Rubio"))
    assert 0.8 <= match.score < 0.9
    assert "Blond=Rubio (translated)" in match.explanation


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Juan Blanco", "Juan White"),
        ("Jean Pierre", "Jean Stone"),
        ("Jan Pyè", "Jean Stone"),
        ("Ana Blanco", "Ana Leblanc"),
        ("Arben Bardhi", "Arben White"),
        ("Giulia Rossi", "Giulia Red"),
        ("Milan Kovač", "Milan Smith"),
    ],
)
def test_a_translated_surname_with_an_aligned_given_name_is_a_possible_match(a, b):
    match = score(Record("a", a), Record("b", b))
    assert match.score >= 0.8
    assert "(translated)" in match.explanation


def test_a_translated_part_alone_never_makes_a_match():
    assert score(Record("a", "Blond"), Record("b", "Rubio")).score <= 0.6
    assert score(Record("a", "John White"), Record("b", "Mary Blanco")).score < 0.5


def test_people_called_white_are_not_flooded_by_every_blanco():
    index = Index(
        [
            Record(f"W{i}", f"{given} Blanco")
            for i, given in enumerate(
                ["Maria", "Jose", "Carlos", "Ana", "Luis", "Rosa", "Pedro", "Elena"]
            )
        ]
    )
    assert index.query(Record("q", "Mary White"), threshold=0.8) == []
    hits = index.query(Record("q", "Carlos White"), threshold=0.8)
    assert [h.record.name for h in hits] == ["Carlos Blanco"]


def test_translation_needs_a_shared_meaning():
    assert translated("rubio", "blond")
    assert translated("blanco", "bardhi")  # both 'white'
    assert not translated("rubio", "white")
    assert not translated("pierre", "peter")  # a given name, not its translation


def test_every_row_of_the_table_names_its_language_and_source():
    with TABLE.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    for row in rows:
        assert row["language"] in {"es", "fr", "ht", "it", "sr", "sq"}, row
        assert row["meanings"].split() and row["source"].strip(), row
        assert row["name"] == row["name"].lower() and row["name"].isascii(), row
    assert set(TRANSLATIONS) == {row["name"] for row in rows}
