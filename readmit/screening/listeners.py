"""Who is told when screening answers: a registry the apps that read screening register with.

Screening imports none of its readers. An app whose rules read a screening status (relocation's
``no_watchlist_match`` criterion) registers a listener in its ``AppConfig.ready()``; screening
calls every listener when a run has finished (inside the run's transaction) and when a
reviewer confirmed or dismissed a match (inside the review's transaction). A listener that
wants to wait for the commit uses ``transaction.on_commit`` itself.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from readmit.accounts.actors import Actor


@dataclass(frozen=True)
class ScreeningAnswered:
    """What changed: the cases whose screening status may be different now.

    ``trigger`` is ``run`` (a run finished: the system, ``acting_user`` None) or ``review``
    (a reviewer confirmed or dismissed a match; ``organisation_id`` is the reviewer's).
    """

    trigger: Literal["run", "review"]
    case_ids: Sequence[uuid.UUID | str]
    acting_user: Actor
    organisation_id: uuid.UUID | None = None


ScreeningListener = Callable[[ScreeningAnswered], None]

_LISTENERS: list[ScreeningListener] = []


def register_screening_listener(listener: ScreeningListener) -> None:
    """Call ``listener`` whenever screening answers; registering it twice calls it once."""
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)


def screening_answered(event: ScreeningAnswered) -> None:
    """Tell every registered listener, in the order they registered."""
    for listener in list(_LISTENERS):
        listener(event)
