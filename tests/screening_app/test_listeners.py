"""Screening tells the apps that read it through listeners; it imports none of them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from readmit.core.actors import SystemActor
from readmit.relocation.listeners import criteria_refresh_on_screening
from readmit.screening import listeners
from readmit.screening.listeners import (
    ScreeningAnswered,
    register_screening_listener,
    screening_answered,
)


@pytest.fixture
def restore_listeners() -> Iterator[None]:
    kept = list(listeners._LISTENERS)
    yield
    listeners._LISTENERS[:] = kept


def test_relocation_listens_to_screening_once_the_apps_are_ready():
    assert listeners._LISTENERS.count(criteria_refresh_on_screening) == 1


def test_a_listener_registered_twice_is_told_once_and_in_the_order_of_registration(
    restore_listeners,
):
    heard: list[tuple[str, list[str]]] = []

    def first(event: ScreeningAnswered) -> None:
        heard.append(("first", [str(i) for i in event.case_ids]))

    def second(event: ScreeningAnswered) -> None:
        heard.append(("second", [str(i) for i in event.case_ids]))

    listeners._LISTENERS[:] = []
    register_screening_listener(first)
    register_screening_listener(second)
    register_screening_listener(first)
    screening_answered(
        ScreeningAnswered(trigger="run", case_ids=["c1"], acting_user=SystemActor("screening run"))
    )
    assert heard == [("first", ["c1"]), ("second", ["c1"])]
