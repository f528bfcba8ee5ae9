"""The labelled data set's typo model does what docs/screening.md says it does."""

from __future__ import annotations

import random

from rapidfuzz.distance import OSA, DamerauLevenshtein

from bench.screening import dataset as ds


def test_a_slip_always_changes_the_word_by_one_edit_and_keeps_capitals():
    rng = random.Random(1)
    for word in ("Vesna", "Ana", "Čabarkapa", "KRASNIQI", "Jo"):
        for _ in range(300):
            out = ds.slip(rng, word)
            assert out != word
            assert OSA.distance(out.lower(), word.lower()) == 1
            if word.isupper():
                assert out.isupper()
            else:
                assert out[0].isupper() and out[1:] == out[1:].lower()


def test_slips_reach_the_first_letter():
    rng = random.Random(2)
    firsts = {ds.slip(rng, "Marko")[0] for _ in range(400)}
    assert firsts - {"M"}


def test_typo_positives_differ_and_carry_one_or_two_slips():
    rng = random.Random(3)
    counts = {1: 0, 2: 0}
    for _ in range(2000):
        person = ds.make_person(rng, rng.choice(ds.CULTURES))
        typed = ds.t_typos(rng, person)
        assert typed != person.name
        distance = DamerauLevenshtein.distance(typed.lower(), person.name.lower())
        assert 1 <= distance <= 2
        counts[distance] += 1
    # 80 % one slip; two slips can cancel out or merge into one edit, so allow slack.
    assert 0.7 < counts[1] / 2000 < 0.9


def test_particles_are_never_mistyped():
    rng = random.Random(4)
    person = ds.Person("spanish", "f", ("Ana",), ("de la Cruz", "Valle"), ds.random_date(rng))
    for _ in range(300):
        parts = ds.t_typos(rng, person).split()
        assert parts[1:3] == ["de", "la"]


def test_written_together_glues_particles_and_hyphens():
    rng = random.Random(5)
    person = ds.Person("spanish", "f", ("Ana",), ("de la Cruz", "Valle"), ds.random_date(rng))
    assert ds.t_written_together(rng, person) in {"Ana Delacruz Valle", "ANA DELACRUZ VALLE"}
    haitian = ds.Person("haitian", "m", ("Wilner",), ("Saint-Fleur",), ds.random_date(rng))
    assert ds.t_written_together(rng, haitian).lower() == "wilner saintfleur"


def test_extra_slices_leave_the_nine_unchanged():
    nine = ds.build_pairs(11, 5, ds.SLICES)
    everything = ds.build_pairs(11, 5)
    assert everything[: len(nine)] == nine
    assert {p.slice for p in everything[len(nine) :]} == set(ds.EXTRA_SLICES)
