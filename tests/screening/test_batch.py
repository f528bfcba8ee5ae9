"""Scoring in several processes answers exactly what scoring one pair at a time does."""

from __future__ import annotations

import random

from readmit.screening.matching import Record
from readmit.screening.matching.batch import score_many
from readmit.screening.matching.records import parse_partial_date
from readmit.screening.matching.scoring import clear_caches, score

GIVEN = [
    "Jovan",
    "Jovana",
    "Xhevat",
    "Dževat",
    "Jean-Baptiste",
    "Jan Batis",
    "María José",
    "Ђорђе",
    "Đorđe",
    "Marie-Carmel",
    "Wòdlin",
    "José Luis",
]
FAMILY = [
    "Petrović",
    "Петровић",
    "Berisha",
    "Pierre",
    "Pyè",
    "Hernández de la Cruz",
    "Hernandez Cruz",
    "Đukanović",
    "Ђукановић",
    "Joseph",
    "Sentilis",
    "Pérez y Gómez",
]


def _pairs(n: int) -> list[tuple[Record, Record]]:
    rng = random.Random(7)

    def record(i: int) -> Record:
        year = rng.choice(["", "1980", "1981-03", "1980-03-04"])
        return Record(
            id=str(i),
            name=f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
            birth_date=parse_partial_date(year) if year else None,
        )

    return [(record(2 * i), record(2 * i + 1)) for i in range(n)]


def test_two_processes_give_the_same_scores_and_explanations_in_the_same_order():
    pairs = _pairs(3000)
    clear_caches()
    serial = [score(a, b) for a, b in pairs]
    clear_caches()
    parallel = score_many(pairs, jobs=2, chunk=500)
    assert len(parallel) == len(serial)
    assert [(m.score, m.explanation, m.matched_name) for m in parallel] == [
        (m.score, m.explanation, m.matched_name) for m in serial
    ]
