"""The exchange tests' API client, for the security tests that cross the API and pages."""

from tests.exchange.conftest import api  # noqa: F401
