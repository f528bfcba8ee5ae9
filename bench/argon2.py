"""``python -m bench.argon2``: what one Argon2id password check costs on this machine.

For each parameter set it runs, in a fresh child process each, one check (the peak resident
memory it adds: ``ru_maxrss`` after minus before) and then checks for a few seconds in one
thread (checks per second per core). The figures behind ``READMIT_ARGON2`` and the bound on
concurrent checks are in docs/security.md "Logins".
"""

from __future__ import annotations

import contextlib
import json
import resource
import subprocess
import sys
import time

PARAMETERS = [
    # (memory KiB, passes, lanes)
    (102400, 2, 8),  # Django's default: what the review measured at 100 MiB per check
    (46080, 1, 1),  # OWASP's first alternative
    (19456, 2, 1),  # OWASP's second alternative: Readmit's choice
    (12288, 3, 1),
]


def _child(memory: int, passes: int, lanes: int) -> dict[str, float]:
    from argon2 import PasswordHasher
    from argon2.exceptions import VerifyMismatchError

    hasher = PasswordHasher(memory_cost=memory, time_cost=passes, parallelism=lanes)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    encoded = hasher.hash("a-long-enough-password")
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < 3:
        with contextlib.suppress(VerifyMismatchError):
            hasher.verify(encoded, "a-wrong-password")
        count += 1
    elapsed = time.perf_counter() - start
    return {"rss_added_mib": (after - before) / 1024, "checks_per_second": count / elapsed}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        print(json.dumps(_child(*(int(a) for a in argv[1:4]))))
        return 0
    print(f"{'memory KiB':>10} {'t':>2} {'p':>2} {'MiB/check':>10} {'checks/s':>9} {'ms':>7}")
    for memory, passes, lanes in PARAMETERS:
        out = subprocess.run(
            [sys.executable, "-m", "bench.argon2", "--child", str(memory), str(passes), str(lanes)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        row = json.loads(out)
        rate = row["checks_per_second"]
        print(
            f"{memory:>10} {passes:>2} {lanes:>2} {row['rss_added_mib']:>10.1f} "
            f"{rate:>9.1f} {1000 / rate:>7.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
