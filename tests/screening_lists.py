"""A fictional watchlist for tests outside ``tests/screening_app`` (whose conftest has the
same fixtures): owned by Kosovo, chosen by the world's agreement, the sample file's path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

SAMPLES = Path(__file__).resolve().parents[1] / "readmit" / "screening" / "samples"


def fictional_list(world: Any) -> Any:
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
