"""Calibrated scores (calibration.py): what a name is worth depends on the list it is on."""

from __future__ import annotations

import json
import math
import random

from readmit.screening.matching import Index, PartialDate, Record
from readmit.screening.matching import calibration as calib


def _list_with_many(name: str, count: int, others: int = 200) -> list[Record]:
    """``count`` different people called ``name`` among ``others`` with unique names."""
    people = [Record(f"N{i}", name) for i in range(count)]
    people += [Record(f"U{i}", f"Given{i}x Family{i}z") for i in range(others)]
    return people


def test_a_name_common_on_the_list_is_worth_less_than_a_unique_one_and_the_explanation_says_so():
    records = [*_list_with_many("Mohamed Ali", 40), Record("X", "Xhevat Ukshini")]
    index = Index(records, calibration=True)
    common = index.query(Record("q1", "Muhammad Ali"), threshold=0.01)
    rare = index.query(Record("q2", "Xhevat Ukšini"), threshold=0.5)
    raw = Index(records, calibration=None)
    raw_common = raw.query(Record("q1", "Muhammad Ali"), threshold=0.5)
    assert rare and rare[0].record.id == "X"
    assert rare[0].score == raw.query(Record("q2", "Xhevat Ukšini"), threshold=0.5)[0].score
    assert "calibrated" not in rare[0].explanation
    assert raw_common and raw_common[0].score >= 0.8  # the raw score alerts on all 40 ...
    assert all(hit.score < 0.8 for hit in common)  # ... calibrated, none passes the default
    explained = index.score(Record("q1", "Muhammad Ali"), records[0])
    assert explained.score < 0.8
    assert "Muhammad=Mohamed (variant)" in explained.explanation
    assert "Ali Mohamed common on this list" in explained.explanation  # as aligned
    assert "other entries expected to carry these names" in explained.explanation


def test_the_same_birth_date_keeps_a_common_name_an_alert():
    born = PartialDate(1980, 5, 17)
    records = [*_list_with_many("Mohamed Ali", 40), Record("D", "Mohamed Ali", birth_date=born)]
    index = Index(records, calibration=True)
    hits = index.query(Record("q", "Mohamed Ali", birth_date=born), threshold=0.8)
    assert [hit.record.id for hit in hits] == ["D"]


def test_calibration_never_raises_a_score_and_the_blocked_query_equals_the_exhaustive_one():
    rng = random.Random(5)
    given = ["Marko", "Jovan", "Ana", "Mohamed", "Ali", "Petar", "Mirela"]
    family = ["Petrović", "Krasniqi", "Ali", "Hasani", "Jovanović", "Gashi"]
    records = [Record(f"W{i}", f"{rng.choice(given)} {rng.choice(family)}") for i in range(300)]
    calibrated, raw = Index(records, calibration=True), Index(records, calibration=None)
    for name in ("Marko Petrovic", "Mohamed Ali", "Ana Gashi", "Jovan Hasani"):
        query = Record("q", name)
        raw_scores = {h.record.id: h.score for h in raw.query_exhaustive(query, 0.75)}
        blocked = calibrated.query(query, 0.75)
        exhaustive = calibrated.query_exhaustive(query, 0.75)
        assert [(h.record.id, h.score) for h in blocked] == [
            (h.record.id, h.score) for h in exhaustive
        ]
        for hit in exhaustive:
            assert hit.score <= raw_scores[hit.record.id]


def test_a_name_no_other_entry_carries_is_not_common_however_small_the_list():
    assert calib.chance_of(2, [2, 1]) == 0.0
    assert calib.chance_of(1, [1, 1]) == 0.0
    assert calib.chance_of(1001, [101, 51]) == math.log10(1 + 1000 * 0.1 * 0.05)
    # Sharing the birth date too: one day in some sixty years.
    assert (
        calib.chance_of(100_001, [10_001, 5_001], 1.0)
        < calib.chance_of(100_001, [10_001, 5_001], 0.5)
        < (calib.chance_of(100_001, [10_001, 5_001]))
    )


def test_fewer_than_one_expected_namesake_is_no_evidence_that_a_name_is_common():
    # Two other carriers of each part on a list of 1,001: 0.004 namesakes expected.
    assert calib.chance_of(1001, [3, 3]) == 0.0
    assert calib.chance_of(1001, [101, 51], 1.0) == 0.0  # 5 namesakes, none born that day
    assert calib.chance_of(1001, [2002 // 2, 11]) > 0.0  # 10 × 0.999 ≈ 10 namesakes


def test_the_fit_recovers_the_weight_of_namesakes_from_labelled_rows():
    rng = random.Random(11)
    truth = calib.Calibration(0.0, 1.0, -4.0, -1.0, 2.0)
    rows, labels = [], []
    for _ in range(4000):
        evidence = calib.Evidence(
            chance=rng.random() * 1.5,
            conflict=rng.random() < 0.2,
            corroborated=rng.choice((0.0, 0.5, 1.0)),
        )
        raw = rng.uniform(0.75, 1.0)
        rows.append(calib.features(raw, evidence))
        labels.append(rng.random() < truth.probability(raw, evidence))
    fitted = calib.fit(rows, labels, anchor=0.8, ridge=1e-3)
    assert abs(fitted.chance - truth.chance) < 0.6
    assert abs(fitted.conflict - truth.conflict) < 0.5
    assert abs(fitted.corroborated - truth.corroborated) < 0.6
    assert (fitted.intercept, fitted.score) == (0.0, 1.0)


def test_a_coefficient_of_the_wrong_sign_is_held_at_zero():
    rng = random.Random(3)
    rows, labels = [], []
    backwards = calib.Calibration(0.0, 1.0, 3.0, 0.0, 0.0)
    for _ in range(2000):
        # Labelled the wrong way round: more namesakes, *more* often the same person.
        evidence = calib.Evidence(chance=rng.random(), conflict=False)
        rows.append(calib.features(0.9, evidence))
        labels.append(rng.random() < backwards.probability(0.9, evidence))
    assert calib.fit(rows, labels, anchor=0.8).chance == 0.0


def test_the_fitted_parameters_are_data_in_the_repository_with_the_command_that_refits_them():
    data = json.loads(calib.PARAMETERS.read_text(encoding="utf-8"))
    assert data["command"].startswith("python -m bench.screening.calibrate --fit")
    assert "fitted_on" in data
    model = calib.load()
    assert model.chance < 0.0 and model.corroborated > 0.0
    assert model.chance == data["chance"]


def test_a_translated_part_narrows_the_namesakes_to_the_entries_that_carry_it():
    # Many Juans on the list, one Juan Blanco: "Juan White" has no namesake on it, the
    # translated surname included; leaving Blanco out would count every Juan.
    records = [*_list_with_many("Juan Garcia", 60), Record("B", "Juan Blanco")]
    index = Index(records, calibration=True)
    raw = Index(records, calibration=None)
    query = Record("q", "Juan White")
    calibrated = index.score(query, Record("B", "Juan Blanco"))
    assert "(translated)" in calibrated.explanation
    assert calibrated.score == raw.score(query, Record("B", "Juan Blanco")).score >= 0.8
