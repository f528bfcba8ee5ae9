from __future__ import annotations

import pytest

from tests.factories import World, make_case


@pytest.fixture
def case(world: World):  # type: ignore[no-untyped-def]
    assert world.agreement is not None
    return make_case(world.agreement, by=world.user("us_caseworker"))
