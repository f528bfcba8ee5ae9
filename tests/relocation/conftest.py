"""Builders for relocation tests: agreements with criteria, people as the API sends them."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path
from typing import Any

import pytest

from readmit.agreements.models import Agreement
from readmit.agreements.services import site_create
from readmit.cases.models import Case
from readmit.cases.services import case_transition
from readmit.core import clock
from readmit.relocation.services import ListResult, proposal_list_submit
from tests.factories import SYSTEM, make_agreement

_ids = itertools.count(1)
SAMPLE_PATH = (
    Path(__file__).resolve().parents[2] / "readmit" / "relocation" / "samples" / "proposal-list.csv"
)

KOSOVO_TERMS: dict[str, Any] = {
    "quota": {"limit": 50, "period": "rolling_year"},
    "capacity": {"max_present": 50},
    "max_stay_days": 365,
    "stay_alert_days": 30,
    "notice_hours": 24,
    "urgent_notice_hours": 6,
    "criteria": [
        {"rule": "no_conviction_within_years", "params": {"years": 10, "categories": ["violence"]}},
        {"rule": "no_pending_criminal_case"},
        {"rule": "age_between", "params": {"min": 18, "max": 65}},
    ],
    "exclusions": {"minors": True, "pregnant": True},
}


def person(**overrides: Any) -> dict[str, Any]:
    """One person as the exchange contract sends it; eligible under KOSOVO_TERMS."""
    n = next(_ids)
    data: dict[str, Any] = {
        "external_id": f"US-{n:05d}",
        "given_names": "Ana María",
        "family_name": "Quintero",
        "birth_date": "1988-04-12",
        "sex": "F",
        "nationalities": ["VE"],
        "documents": [{"type": "passport", "number": f"V{n:07d}", "issuing_country": "VE"}],
        "convictions": [],
        "pending_cases": False,
        "vulnerabilities": [],
    }
    data.update(overrides)
    return data


def kosovo(world: Any, **terms: Any) -> Agreement:
    return make_agreement(world.us, world.xk, terms={**KOSOVO_TERMS, **terms})


def submit(
    world: Any,
    agreement: Agreement,
    people: list[dict[str, Any]],
    *,
    reference: str | None = None,
    **kwargs: Any,
) -> ListResult:
    kwargs.setdefault("source", "api")
    kwargs.setdefault("acting_user", world.user("us_caseworker"))
    return proposal_list_submit(
        agreement=agreement, reference=reference or f"LIST-{next(_ids)}", people=people, **kwargs
    )


def act(
    case: Case, action: str, user: Any, *, reason: str = "", payload: dict[str, Any] | None = None
) -> Case:
    return case_transition(
        case_id=case.id, action=action, acting_user=user, reason=reason, payload=payload
    )


def select(world: Any, case: Case) -> Case:
    act(case, "recommend", world.user("xk_caseworker"), payload={"recommendation": "select"})
    return act(case, "select", world.user("xk_supervisor"))


def transfer_payload(hours: float = 48, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "planned_for": (clock.now() + dt.timedelta(hours=hours)).isoformat(),
        "route": "Washington Dulles → Prishtina, charter",
        "escort": "2 officers",
        "notice_language": "es",
    }
    data.update(overrides)
    return data


def to_reception(world: Any, case: Case, site: Any) -> Case:
    """Select (relocation), schedule and record the arrival of one case."""
    if case.kind == "relocation":
        select(world, case)
    act(case, "schedule_transfer", world.user("us_caseworker"), payload=transfer_payload())
    return act(case, "record_arrival", world.user("xk_caseworker"), payload={"site": str(site.id)})


@pytest.fixture
def agreement(world):  # type: ignore[no-untyped-def]
    return kosovo(world)


@pytest.fixture
def site(agreement):  # type: ignore[no-untyped-def]
    return site_create(
        agreement=agreement,
        name="Reception centre Prishtina",
        country_code="XK",
        capacity=10,
        acting_user=SYSTEM,
    )
