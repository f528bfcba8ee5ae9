"""People of the search matrix (fictional), recorded by the USA under the world's agreement."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from readmit.cases.models import Case
from readmit.cases.services import DocumentInput
from tests.exchange.conftest import Api
from tests.factories import make_agreement, make_case, make_org


@dataclass
class People:
    cases: dict[str, Case]

    def ref(self, key: str) -> str:
        return self.cases[key].reference


@pytest.fixture
def people(world) -> People:  # type: ignore[no-untyped-def]
    agreement = world.agreement
    cases = {
        "lazovic": make_case(
            agreement,
            given_names="Весна",
            family_name="Лазовић",
            given_names_latin="Vesna",
            family_name_latin="Lazović",
            documents=[DocumentInput("passport", "P02250943", "ME")],
        ),
        # Written in Cyrillic only: no Latin form recorded.
        "radulovic": make_case(agreement, given_names="Никола", family_name="Радуловић"),
        "kajevic": make_case(agreement, given_names="Edin", family_name="Kajevic"),
        "saint_fleur": make_case(agreement, given_names="Marie", family_name="Saint-Fleur"),
        # Listed in Latin only: the Arabic spelling must meet it through the consonant keys.
        "abdelaziz": make_case(agreement, given_names="Ahmed", family_name="Abdelaziz"),
        "nunez": make_case(agreement, given_names="José", family_name="Núñez"),
        "de_la_cruz": make_case(agreement, given_names="María", family_name="de la Cruz"),
        "krasniqi": make_case(agreement, given_names="Xhevat", family_name="Krasniqi"),
        "alias": make_case(
            agreement,
            given_names="Dritan",
            family_name="Hoxha",
            aliases=[("Marko", "Marković")],
        ),
    }
    return People(cases=cases)


@pytest.fixture
def outsider_case(world) -> Case:  # type: ignore[no-untyped-def]
    """A Vesna Lazović of an agreement the USA is not party to (Montenegro and Italy)."""
    italy = make_org("IT", "Ministry of the Interior of Italy")
    agreement = make_agreement(world.me, italy)
    return make_case(
        agreement,
        given_names="Vesna",
        family_name="Lazović",
        documents=[DocumentInput("passport", "P02250943", "ME")],
    )


@pytest.fixture
def api(world) -> Api:  # type: ignore[no-untyped-def]
    return Api(Client())
