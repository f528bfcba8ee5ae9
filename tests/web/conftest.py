from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tests.factories import PASSWORD, World, make_case


@pytest.fixture
def login(client: Client, world: World) -> Callable[[str], Client]:
    """Log the test client in as one of the world's users, e.g. ``login("xk_caseworker")``."""

    def _login(key: str) -> Client:
        client.logout()
        assert client.login(username=world.user(key).username, password=PASSWORD)
        return client

    return _login


@pytest.fixture
def case(world: World):  # type: ignore[no-untyped-def]
    assert world.agreement is not None
    return make_case(world.agreement, by=world.user("us_caseworker"))
