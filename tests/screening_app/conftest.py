from __future__ import annotations

from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parents[2] / "readmit" / "screening" / "samples"


@pytest.fixture
def samples() -> Path:
    return SAMPLES


@pytest.fixture
def watchlist(world):  # type: ignore[no-untyped-def]
    """A CSV list owned by the receiving state (Kosovo) and chosen by the agreement."""
    from readmit.screening.services import agreement_watchlist_add, watchlist_create

    created = watchlist_create(
        name="Fictional public-order list",
        slug="fictional-list",
        owner=world.xk,
        source_kind="csv",
        acting_user=world.user("xk_supervisor"),
    )
    agreement_watchlist_add(
        agreement=world.agreement, watchlist=created, acting_user=world.user("xk_supervisor")
    )
    return created


def make_dzevat(agreement):  # type: ignore[no-untyped-def]
    """The Serbian spelling of the Albanian name on the sample list (``Xhevat Ukshini``)."""
    from tests.factories import make_case

    return make_case(
        agreement,
        given_names="Dževat",
        family_name="Ukšini",
        nationality="XK",
        birth_year=1979,
        birth_month=4,
        birth_day=12,
    )
