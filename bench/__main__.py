"""``python -m bench [--quick] [--only NAMES]``: every benchmark in turn (``make bench``).

Each runs in a process of its own, so that each sets Django up on its own database:

- ``demo``, ``lists``, ``screening``: on fresh SQLite databases of their own (``lists``
  needs an empty database, so ``DATABASE_URL`` is not passed to it);
- ``cases``, ``api``, ``backup``, ``duplicates``: on the bench database ``DATABASE_URL``
  names (SQLite under ``var/bench`` without one; ``backup`` needs PostgreSQL and is left out
  otherwise), at the size ``READMIT_BENCH_CASES`` gives (1,000,000 on PostgreSQL, 10,000 on
  SQLite; ``--quick``: 10,000). ``cases`` adds cases until there are that many, so a second
  run reuses the first one's rows.

``--only cases,api`` runs the named ones. Exits non-zero if any failed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence

NAMES = ("demo", "lists", "screening", "cases", "api", "backup", "duplicates")


def commands(quick: bool, postgres: bool) -> dict[str, list[str]]:
    size = int(os.environ.get("READMIT_BENCH_CASES", 0)) or (
        1_000_000 if postgres and not quick else 10_000
    )
    people = min(size, 2_000) if quick else size
    # The quick run is bounded by time (8 s an endpoint): a request cap reached first stops
    # locust from a request hook, which can race its CSV writer (an empty stats file once in CI).
    load = ["--seconds", "8", "--requests", "1000000", "--users", "8"] if quick else []
    return {
        "demo": ["bench.demo"],
        "lists": ["bench.lists", *(["--people", "2000"] if quick else [])],
        "screening": ["bench.screening.run", *(["--quick"] if quick else [])],
        "cases": ["bench.cases", "--cases", str(size)],
        "api": ["bench.api_load", "--cases", str(size), *load],
        "backup": ["bench.backup", "--cases", str(size)],
        "duplicates": [
            "bench.duplicates",
            "--people",
            str(people),
            *(["--sample", "50"] if quick else []),
        ],
    }


def main(argv: Sequence[str]) -> int:
    quick = "--quick" in argv
    only = NAMES
    if "--only" in argv:
        only = tuple(argv[list(argv).index("--only") + 1].split(","))
        unknown = set(only) - set(NAMES)
        if unknown:
            print(f"unknown benchmarks: {', '.join(sorted(unknown))}; known: {', '.join(NAMES)}")
            return 2
    postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    plan = commands(quick, postgres)
    failed = []
    for name in only:
        if name == "backup" and not postgres:
            print("== backup: left out (PostgreSQL only; set DATABASE_URL) ==", flush=True)
            continue
        env = dict(os.environ)
        if name in ("demo", "lists", "screening"):
            env.pop("DATABASE_URL", None)
        print(f"-- python -m {' '.join(plan[name])}", flush=True)
        if subprocess.run([sys.executable, "-m", *plan[name]], env=env, check=False).returncode:
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
