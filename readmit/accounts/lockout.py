"""When repeated failed logins lock an account or an address: pure, no Django.

A key (a typed username, or a client address) is locked once it has ``limit`` failures
within ``window``; it stays locked until the oldest of those ``limit`` failures is older
than ``window``. Attempts refused while locked are not failures (they never reach the
password check), so a lock ends by itself ``window`` after the failure that started it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable


def locked_until(
    failures: Iterable[dt.datetime], *, now: dt.datetime, limit: int, window: dt.timedelta
) -> dt.datetime | None:
    """The moment the key unlocks, or None if it is not locked at ``now``."""
    if limit <= 0:
        return None
    recent = sorted(at for at in failures if now - window < at <= now)
    if len(recent) < limit:
        return None
    until = recent[-limit] + window
    return until if until > now else None
