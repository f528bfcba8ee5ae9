"""The index's shortcuts (fast bound, bound floor, birth-year filter) never change a match."""

from __future__ import annotations

import itertools
import random

import pytest

from bench.screening.population import queries, watchlist
from readmit.screening.matching import Index, PartialDate, Record
from readmit.screening.matching.records import DateEvidence, compare_dates
from readmit.screening.matching.scoring import align_names, apply_evidence

THRESHOLD = 0.8


@pytest.fixture(scope="module")
def world() -> tuple[Index, list[Record]]:
    records = watchlist(11, 3000)
    return Index(records), queries(11, 600, records, share_known=0.5)


def test_the_fast_bound_is_never_below_the_exact_name_score_and_usually_equals_it(world):
    index, people = world
    compared = equal = 0
    for person in random.Random(3).sample(people, 120):
        query = index._prepare(person)
        for entry in index._candidate_entries(query, person, THRESHOLD):
            for name_idx, (_, tokens) in enumerate(query.names):
                exact = align_names(
                    tokens,
                    index._entry_tokens(entry),
                    left_family=query.family,
                    weigh=index.weight,
                    common=index.is_common,
                ).score
                bound = index._bound(query, name_idx, entry)
                assert bound >= exact - 1e-12, (person.name, entry)
                compared += 1
                equal += bound == exact
    assert compared > 200
    assert equal > compared * 0.9  # a bound that is always 1 would pass the first assert


def test_no_listed_record_lifts_a_name_score_below_the_bound_floor_to_the_threshold():
    dates = [None, PartialDate(1980), PartialDate(1980, 5), PartialDate(1980, 5, 7)]
    kinds = [
        {"document_number": document, "birth_date": birth, "nationality": nationality}
        for document, birth, nationality in itertools.product(
            [None, "AB123456", "ZZ999999"], dates, [None, "RS", "XK"]
        )
    ]
    for query_kind in kinds:
        person = Record("Q", "Ana Test", **query_kind)
        floor = Index._bound_floor(person, THRESHOLD)
        reached = max(
            apply_evidence(floor + 1e-6, person, Record("L", "Ana Test", **k), explain=False)[0]
            for k in kinds
        )
        assert reached >= THRESHOLD  # the floor is tight: just above it, some record passes
        for listed_kind in kinds:
            listed = Record("L", "Ana Test", **listed_kind)
            lifted = apply_evidence(floor - 1e-6, person, listed, explain=False)[0]
            assert lifted < THRESHOLD, (query_kind, listed_kind)


def test_the_birth_year_filter_drops_only_entries_whose_dates_conflict(world):
    index, _ = world
    for entry in range(0, len(index._entry_record), 7):
        record = index.records[index._entry_record[entry]]
        year = index._entry_year[entry]
        if record.birth_date is None:
            assert year == -1
        else:
            assert year == record.birth_date.year
            assert compare_dates(PartialDate(year + 1), record.birth_date) is (
                DateEvidence.CONFLICT
            )


def test_pruned_queries_return_what_scoring_every_candidate_exactly_returns(world):
    index, people = world
    checked = 0
    for person in random.Random(4).sample(people, 150):
        query = index._prepare(person)
        best: dict[int, float] = {}
        for entry in index._candidate_entries(query, person, THRESHOLD):
            record_idx = index._entry_record[entry]
            for name_idx in range(len(query.names)):
                value, _ = index._exact(query, person, name_idx, entry)
                if value >= THRESHOLD and value > best.get(record_idx, -1.0):
                    best[record_idx] = value
        expected = sorted(
            ((-round(value, 6), index.records[r].id) for r, value in best.items()),
        )
        got = [(-hit.score, hit.record.id) for hit in index.query(person, THRESHOLD)]
        assert got == expected, person.name
        checked += len(got)
    assert checked > 30  # the sample has real matches


def test_the_candidate_cache_changes_neither_the_candidates_nor_their_order(monkeypatch):
    """Which of two tied spellings of a record is shown depends on the order candidates
    are met in, so a warm cache must give the very same sets, iterated the same way."""
    records = watchlist(12, 3000)
    people = queries(12, 400, records, share_known=0.5)
    people.append(Record("Q1", "Ana Ana Petrović"))  # two parts sharing similar tokens
    people.append(Record("Q2", "Marija Maria Jovanović"))
    cold, warm = Index(records), Index(records)
    monkeypatch.setattr("readmit.screening.matching.index._ENTRY_CACHE_BUDGET", 0)
    expected = [list(cold._candidate_entries(cold._prepare(p), p, THRESHOLD)) for p in people * 2]
    assert cold._entry_cache_size == 0
    monkeypatch.undo()
    got = [list(warm._candidate_entries(warm._prepare(p), p, THRESHOLD)) for p in people * 2]
    assert warm._entry_cache_size > 1000  # the second pass met cached tokens
    assert got == expected
    shared = warm._prepare(people[-2]).entry_keys[0]
    assert shared[0] is not None and shared[1] is None  # built afresh, never cached
    hits = [
        [(h.record.id, h.score, h.explanation, h.matched_name) for h in cold.query(p)]
        for p in people
    ]
    again = [
        [(h.record.id, h.score, h.explanation, h.matched_name) for h in warm.query(p)]
        for p in people
    ]
    assert hits == again
