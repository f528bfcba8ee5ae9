"""Evidence besides the name: nationality codes from lists that use different standards."""

from __future__ import annotations

import pytest

from readmit.screening.matching import Record, score
from readmit.screening.matching.records import normalise_nationality


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("RS", "RS"),
        ("srb", "RS"),  # ISO 3166-1 alpha-3, any case
        (" MNE ", "ME"),
        ("XKX", "XK"),  # Kosovo, user-assigned
        ("RKS", "XK"),  # Kosovo passports' machine-readable zone
        ("D", "DE"),  # ICAO 9303 code for Germany
        ("XXA", "XXA"),  # stateless person (ICAO)
        ("Q9Z", "Q9Z"),  # unknown: kept as written, upper case
        ("  ", None),
        (None, None),
    ],
)
def test_nationality_codes_are_reduced_to_one_form(written: str | None, canonical: str | None):
    assert normalise_nationality(written) == canonical


def test_alpha2_and_alpha3_lists_agree_on_nationality():
    a = Record("a", "Novak Brankić", nationality="SRB")
    b = Record("b", "Novak Brankić", nationality="rs")
    c = Record("c", "Novak Brankić", nationality="MNE")
    assert "nationality matches" in score(a, b).explanation
    assert "nationality differs" in score(a, c).explanation
    assert score(a, b).score > score(a, c).score


@pytest.mark.parametrize(
    ("name", "together"),
    [
        ("María de la Cruz", "María delaCruz"),
        ("Frantz Saint-Fleur", "Frantz SaintFleur"),
        ("Omar Al-Hassan", "Omar AlHassan"),
        ("Luis De Souza", "Luis DeSouza"),
        ("Yanet del Valle Cisneros", "Yanet delValle Cisneros"),
        ("García y Márquez", None),  # a conjunction between surnames, never glued on
        ("Jovan Petrović", None),
        ("Ana de", None),  # nothing follows the particle
    ],
)
def test_names_written_together(name: str, together: str | None):
    from readmit.screening.matching.records import written_together

    assert written_together(name) == together


@pytest.mark.parametrize(
    ("as_written", "squashed"),
    [
        ("María de la Cruz Pérez", "MARIA DELACRUZ PEREZ"),
        ("Frantz Saint-Fleur", "Frantz Saintfleur"),
        ("Jean-Baptiste Pierre", "Jeanbaptiste Pierre"),
        ("Yanet del Valle", "Yanet Delvalle"),
        ("María de la Cruz", "Maria Dela Cruz"),  # "dela" is a particle too
    ],
)
def test_names_squashed_by_another_system_still_match(as_written: str, squashed: str):
    left, right = Record("a", as_written), Record("b", squashed)
    assert score(left, right).score >= 0.95
    assert score(right, left).score == score(left, right).score
    # The match names the spelling the list wrote, never the generated one.
    assert score(right, left).matched_name == as_written


def test_the_generated_spelling_is_searchable_in_an_index():
    from readmit.screening.matching import Index

    index = Index([Record("W1", "Yanet del Valle Cisneros"), Record("W2", "Yanet Cisneros")])
    hits = index.query(Record("Q", "Yanet Delvalle Cisneros"), threshold=0.9)
    assert [h.record.id for h in hits][:1] == ["W1"]
    assert hits[0].matched_name == "Yanet del Valle Cisneros"
