from __future__ import annotations

from tests.consular.conftest import consular, consular_terms  # noqa: F401 - shared fixtures
