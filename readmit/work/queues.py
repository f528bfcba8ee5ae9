"""Pure rules of the inbox: which actions are decisions, which side owes which deadline,
and the week a day falls in. No Django: the selectors apply them."""

from __future__ import annotations

import datetime as dt

# Workflow actions that decide a person's case (the "decisions waiting for me" section).
DECISIONS = frozenset({"recommend", "select", "decline", "accept", "reject"})

# Which side owes each kind of deadline: the requested (receiving) state replies and hosts,
# the requesting (sending) state transfers and takes back.
OWED_BY = {
    "reply": "receiving",
    "interview": "receiving",
    "stay_end": "receiving",
    "transfer": "sending",
    "transit": "sending",
    "take_back": "sending",
}
REPLY_KINDS = frozenset({"reply"})


def owed_by(deadline_kind: str) -> str | None:
    return OWED_BY.get(deadline_kind)


def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of the week ``day`` is in."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)
