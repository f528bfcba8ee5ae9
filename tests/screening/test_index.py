"""The blocking index: same answers as exhaustive scoring, far fewer comparisons."""

from __future__ import annotations

import random

import pytest

from bench.screening.population import queries, watchlist
from readmit.screening.matching import Index, Record, parse_partial_date
from readmit.screening.matching.batch import screen_all


@pytest.fixture(scope="module")
def small_world() -> tuple[Index, list[Record]]:
    records = watchlist(7, 1500)
    return Index(records), queries(7, 400, records, share_known=0.5)


def hit_ids(hits) -> list[tuple[str, float]]:
    return [(h.record.id, h.score) for h in hits]


def test_blocked_query_finds_everything_exhaustive_scoring_finds(small_world):
    index, query_records = small_world
    sample = random.Random(1).sample(query_records, 60)
    expected = found = 0
    for record in sample:
        exhaustive = hit_ids(index.query_exhaustive(record, 0.8))
        blocked = hit_ids(index.query(record, 0.8))
        assert blocked == exhaustive, record.name
        expected += len(exhaustive)
        found += len(blocked)
    assert expected > 10  # the sample really exercises matches


def test_reference_query_equals_exhaustive_scoring(small_world):
    index, query_records = small_world
    for record in random.Random(2).sample(query_records, 25):
        assert hit_ids(index.query_reference(record, 0.8)) == hit_ids(
            index.query_exhaustive(record, 0.8)
        )


def test_query_finds_cyrillic_alias_and_reports_the_spelling():
    index = Index(
        [
            Record("W1", "Someone Else", aliases=("Милован Ђуровић",)),
            Record("W2", "Milovan Đurić"),
        ]
    )
    hits = index.query(Record("L1", "Milovan Djurovic"))
    assert [h.record.id for h in hits] == ["W1"]
    assert hits[0].matched_name == "Милован Ђуровић"


def test_query_orders_best_first_and_respects_threshold_and_limit():
    index = Index(
        [
            Record("W1", "Novak Brankić", birth_date=parse_partial_date("1980-01-02")),
            Record("W2", "Novak Brankic"),
            Record("W3", "Novak Brnakić"),
            Record("W4", "Stevan Brankić"),
        ]
    )
    query = Record("L1", "Novak Brankić", birth_date=parse_partial_date("1980-01-02"))
    hits = index.query(query, threshold=0.8)
    assert [h.record.id for h in hits] == ["W1", "W2", "W3"]
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert [h.record.id for h in index.query(query, threshold=0.8, limit=1)] == ["W1"]


def test_document_number_match_is_found_even_without_shared_name_parts():
    index = Index([Record("W1", "Xhemal Ukshini", document_number="AB 123 456")])
    hits = index.query(Record("L1", "X. Ukshini", document_number="ab123456"), threshold=0.8)
    assert [h.record.id for h in hits] == ["W1"]
    assert "document number matches" in hits[0].explanation


def test_initial_in_watchlist_pairs_with_full_given_name():
    index = Index([Record("W1", "J. Brankić", birth_date=parse_partial_date("1975-03-04"))])
    hits = index.query(Record("L1", "Jovan Brankić", birth_date=parse_partial_date("1975-03-04")))
    assert [h.record.id for h in hits] == ["W1"]


def test_lossy_dj_spelling_is_found():
    index = Index([Record("W1", "Đorđe Brankić")])
    assert [h.record.id for h in index.query(Record("L1", "Dorde Brankic"))] == ["W1"]


def test_idf_weights_rare_parts_more_than_common_ones():
    index = Index(
        [Record(str(i), f"Ana Brankić{i % 2}") for i in range(50)] + [Record("x", "Ana Ukshini")]
    )
    common, rare = (index.weight(tok) for tok in _tokens("Ana Ukshini"))
    assert rare > common


def _tokens(name):
    from readmit.screening.matching import normalise

    return normalise(name)


def test_screen_all_with_two_processes_matches_one_process(small_world):
    index, query_records = small_world
    one = screen_all(index, query_records[:120], 0.8, jobs=1)
    two = screen_all(index, query_records[:120], 0.8, jobs=2, chunk=25)
    assert [hit_ids(h) for h in one] == [hit_ids(h) for h in two]
    assert any(one)
