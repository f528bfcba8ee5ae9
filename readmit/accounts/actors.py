"""Who acts: a person (``User``) or the system naming its task (``SystemActor``)."""

from __future__ import annotations

from typing import TypeAlias

from readmit.accounts.models import User
from readmit.core.actors import SystemActor

Actor: TypeAlias = User | SystemActor


def person_of(actor: Actor) -> User | None:
    """The user to store as ``recorded_by``/``changed_by``: None for the system (its audit row
    names the task)."""
    return actor if isinstance(actor, User) else None
