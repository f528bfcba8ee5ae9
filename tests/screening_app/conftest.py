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
