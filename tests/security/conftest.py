"""The exchange tests' API client, for the security tests that cross the API and pages."""

from __future__ import annotations

from tests.exchange.conftest import api  # noqa: F401
