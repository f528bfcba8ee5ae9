from __future__ import annotations

import os

import pytest
from hypothesis import settings

# Property tests check rules, not speed: no per-example deadline, which a busy 2-core CI
# machine would trip on (speed is measured by the benchmarks under bench/).
settings.register_profile("readmit", deadline=None)
settings.load_profile("readmit")

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls
# from it in browser tests (the live server runs in its own thread regardless).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _default_language_after_each_test():  # type: ignore[no-untyped-def]
    """A request leaves its language active in the thread (``LocaleMiddleware`` and
    ``user_language`` activate it and nothing resets it): each test starts in the default,
    as each production request starts afresh, so a test in Albanian cannot make the next
    one read Albanian labels."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture
def login(client, world):  # type: ignore[no-untyped-def]
    """Log the test client in as one of the world's users, e.g. ``login("xk_caseworker")``:
    through the real login pages, password then a code of the user's TOTP device."""
    from tests.factories import log_in

    def _login(key: str):  # type: ignore[no-untyped-def]
        return log_in(client, world.user(key))

    return _login


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    from tests.factories import make_world

    return make_world()


# Left out of ``make test-fast`` (marked ``slow``): tests that start servers or other
# processes, walk every API operation, build the demo or run a benchmark; with them, every
# transactional test (its database is flushed and restored) and every browser test.
SLOW = (
    "tests/ops/",  # gunicorn, pg_dump and CLI subprocesses; the operations checks
    "tests/demo/",  # builds the whole demo world
    "tests/exchange/test_schemathesis.py",
    "tests/security/test_schemathesis_every_operation.py",
    "tests/security/test_schemathesis_strict.py",
    "tests/security/test_hostile_input_every_operation.py",
    "tests/screening/test_bench_quick.py",  # runs the screening benchmark
    "tests/test_bench_scale.py",  # the scale benchmarks: a server under load, a backup
    "tests/screening/test_cli.py::test_real_console_script",
    "tests/screening/test_cli.py::test_installed_readmit_entry_point",
    "tests/relocation/test_big_lists.py",
    "tests/deadlines/test_properties.py",  # hypothesis, many examples
    "tests/docs/test_docs_match_the_code.py::test_the_layer_contracts_hold",  # lint-imports
)


def pytest_collection_modifyitems(items):  # type: ignore[no-untyped-def]
    """Every transactional test must use ``serialized_rollback=True``.

    A flush after a transactional test without it re-creates content types and empties the
    countries the migrations loaded; the next test that restores serialized data then fails on
    duplicates, or finds no countries. Mixing the two kinds is an ordering bug waiting to
    happen, so it is refused at collection.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        if (
            marker
            and marker.kwargs.get("transaction")
            and not marker.kwargs.get("serialized_rollback")
        ):
            raise pytest.UsageError(
                f"{item.nodeid}: transactional tests need serialized_rollback=True"
            )
        transactional = (marker and marker.kwargs.get("transaction")) or {
            "live_server",
            "transactional_db",
        } & set(getattr(item, "fixturenames", ()))
        if transactional or item.nodeid.startswith(SLOW):
            item.add_marker(pytest.mark.slow)
