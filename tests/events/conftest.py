from __future__ import annotations

from collections.abc import Iterator

import pytest

from readmit.events.outbox import EVENT_TYPES
from tests.events.receiver import Receiver, running_receiver


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as r:
        yield r


@pytest.fixture
def subscribe(world):  # type: ignore[no-untyped-def]
    """Subscribe an organisation ("us", "xk", "me") through the service, as its administrator."""
    from readmit.events.services import subscription_create

    def _subscribe(org: str, url: str, types: list[str] | None = None):  # type: ignore[no-untyped-def]
        subscription, secret = subscription_create(
            organisation_id=getattr(world, org).id,
            url=url,
            event_types=types or list(EVENT_TYPES),
            acting_user=world.user(f"{org}_administrator"),
        )
        return subscription, secret

    return _subscribe


@pytest.fixture
def api(world):  # type: ignore[no-untyped-def]
    """Our own HTTP API with real bearer tokens (the exchange tests' client)."""
    from django.test import Client

    from tests.exchange.conftest import Api

    client = Api(Client())
    for user in world.users.values():
        client.token(user)
    return client
