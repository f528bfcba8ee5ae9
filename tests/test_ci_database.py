"""Guard: when CI asks for PostgreSQL, the suite must really run on PostgreSQL.

`.ci/run` starts a throwaway PostgreSQL cluster, exports DATABASE_URL and sets
READMIT_REQUIRE_POSTGRES=1. If settings ever stopped honouring DATABASE_URL, the
suite would silently fall back to SQLite and stay green; this test turns that
into a failure. Outside CI (variable unset) it is skipped.
"""

from __future__ import annotations

import os

import pytest
from django.db import connection

REQUIRE_POSTGRES = os.environ.get("READMIT_REQUIRE_POSTGRES", "").strip().lower() not in {
    "",
    "0",
    "false",
    "no",
}


@pytest.mark.skipif(
    not REQUIRE_POSTGRES,
    reason="READMIT_REQUIRE_POSTGRES is not set (only CI / .ci/run requires PostgreSQL)",
)
def test_suite_runs_on_postgresql_when_ci_requires_it(db):
    assert connection.vendor == "postgresql", (
        f"READMIT_REQUIRE_POSTGRES is set but the test database is {connection.vendor!r}; "
        f"DATABASE_URL={os.environ.get('DATABASE_URL', '<unset>')!r} was not used"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        (version,) = cursor.fetchone()
    assert version.startswith("PostgreSQL")
