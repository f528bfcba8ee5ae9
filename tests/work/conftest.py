from __future__ import annotations

from tests.exchange.conftest import api  # noqa: F401 - the API client fixture, shared
