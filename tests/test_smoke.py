from __future__ import annotations

from readmit.cases.models import Case
from tests.factories import make_case


def test_world_has_an_agreement_and_opens_cases(world):
    case = make_case(world.agreement, by=world.user("us_caseworker"))
    assert Case.objects.get(id=case.id).state == "proposed"
    assert case.reference.startswith("AGR-")
