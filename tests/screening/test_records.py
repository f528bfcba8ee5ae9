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
