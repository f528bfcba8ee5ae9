"""Reports read from a replica; everything else, and every write, uses the primary.

With ``READMIT_REPLICA_DATABASE_URL`` set, settings add a ``replica`` database alias (a
streaming replica of the primary). Code that produces a report wraps its reads in
:func:`report_reads`; inside it, :class:`ReplicaRouter` sends reads to ``replica``.
Writes always go to ``default``, inside the block too (the audit row of an export is
written on the primary), and reads outside it never leave the primary: a page that
shows what was just written must not read a replica that lags behind.

Without a replica, or outside a report, every read stays on ``default``: the router is
always installed and only changes anything when both hold.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
_reporting: ContextVar[bool] = ContextVar("readmit_report_reads", default=False)


def replica_configured() -> bool:
    return REPLICA in connections.settings


@contextmanager
def report_reads() -> Iterator[str]:
    """Within the block, reads go to the replica if there is one; yields the alias used."""
    token = _reporting.set(True)
    try:
        yield REPLICA if replica_configured() else DEFAULT_DB_ALIAS
    finally:
        _reporting.reset(token)


class ReplicaRouter:
    """``DATABASE_ROUTERS`` entry: see the module docstring."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        if _reporting.get() and replica_configured():
            return REPLICA
        return None  # Django's choice: the primary, or where a related instance came from

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        # The replica holds the primary's rows: objects read from either are the same rows.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        # A streaming replica is read-only; it gets the schema from the primary.
        return db != REPLICA
