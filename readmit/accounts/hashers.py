"""Argon2 with our parameters, and a bound on how many password checks run at once.

Each Argon2 check allocates ``memory_cost`` KiB for as long as it runs. Unbounded, 32 parallel
wrong logins held 32 × 100 MiB (the review, issue #12). Here every hash and check first takes
a slot of one process-wide semaphore (``READMIT_PASSWORD_CHECKS_CONCURRENT``); a request that
finds no slot within ``READMIT_PASSWORD_CHECK_WAIT_SECONDS`` is refused with
:class:`PasswordChecksBusy` instead of queueing without end. Memory for checks is then at most
``slots × memory_cost`` per process, whatever arrives. Figures: docs/security.md "Logins".
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher


class PasswordChecksBusy(Exception):
    """Every slot for password checks stayed taken for the whole wait."""


class CheckGate:
    """A bounded semaphore that also counts how many holders it had at most (for tests)."""

    def __init__(self, slots: int) -> None:
        self.slots = slots
        self._semaphore = threading.BoundedSemaphore(slots)
        self._lock = threading.Lock()
        self.running = 0
        self.peak = 0

    @contextmanager
    def slot(self, *, wait: float) -> Iterator[None]:
        if not self._semaphore.acquire(timeout=wait if wait > 0 else None, blocking=wait > 0):
            raise PasswordChecksBusy("Too many password checks at once.")
        with self._lock:
            self.running += 1
            self.peak = max(self.peak, self.running)
        try:
            yield
        finally:
            with self._lock:
                self.running -= 1
            self._semaphore.release()


_gate: CheckGate | None = None
_gate_lock = threading.Lock()


def check_gate() -> CheckGate:
    """The process's gate, sized by the setting (re-made if the setting changed, for tests)."""
    global _gate
    slots = int(settings.READMIT_PASSWORD_CHECKS_CONCURRENT)
    with _gate_lock:
        if _gate is None or (_gate.slots != slots and _gate.running == 0):
            _gate = CheckGate(slots)
        return _gate


def _wait() -> float:
    return float(settings.READMIT_PASSWORD_CHECK_WAIT_SECONDS)


class BoundedArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id with the parameters of ``READMIT_ARGON2`` and the concurrency bound.

    Hashes made with other parameters still verify and are re-hashed at the next successful
    login (Django's ``must_update``).
    """

    @property
    def time_cost(self) -> int:  # type: ignore[override]
        return int(settings.READMIT_ARGON2["time_cost"])

    @property
    def memory_cost(self) -> int:  # type: ignore[override]
        return int(settings.READMIT_ARGON2["memory_cost"])

    @property
    def parallelism(self) -> int:  # type: ignore[override]
        return int(settings.READMIT_ARGON2["parallelism"])

    def encode(self, password: str, salt: str) -> str:
        with check_gate().slot(wait=_wait()):
            return super().encode(password, salt)

    def verify(self, password: str, encoded: str) -> bool:
        with check_gate().slot(wait=_wait()):
            return super().verify(password, encoded)

    def harden_runtime(self, password: str, encoded: str) -> None:
        # Django's Argon2 does nothing here; keep it that way (no extra unbounded work).
        return None
