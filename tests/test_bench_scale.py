"""The scale benchmarks (``python -m bench --quick``) run end to end and print every figure,
so that their code cannot rot between the runs at 1,000,000 cases. No timing is asserted:
the figures are for people to read (docs/performance.md).

On PostgreSQL (``DATABASE_URL``, as in CI) the bench gets a database of its own on the same
server, dropped afterwards; on SQLite a file in the test's temporary directory (the backup
bench is PostgreSQL only and says so)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _admin(url: str, sql: str) -> None:
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


@pytest.fixture
def bench_database(tmp_path):  # type: ignore[no-untyped-def]
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'bench.sqlite3'}"
        return
    name = f"{urlsplit(url).path.lstrip('/')}_bench_smoke_{os.getpid()}"
    _admin(url, f'DROP DATABASE IF EXISTS "{name}"')
    _admin(url, f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(url)._replace(path=f"/{name}"))
    finally:
        _admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_the_quick_scale_bench_builds_cases_serves_them_backs_them_up_and_finds_duplicates(
    bench_database, tmp_path
):
    env = {
        **os.environ,
        "DATABASE_URL": bench_database,
        "READMIT_VAR_DIR": str(tmp_path / "var"),
        "READMIT_BENCH_CASES": "3000",
        "TMPDIR": str(tmp_path),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--only", "cases,api,backup,duplicates"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    out = done.stdout
    assert done.returncode == 0, out[-3000:] + done.stderr[-3000:]
    assert "3,000 bench cases in the database" in out
    # Every endpoint answered under load, with no failed request, and the ratio is printed.
    for label in ("/healthz", "case detail", "case list", "web case list", "overview"):
        line = next(x for x in out.splitlines() if x.startswith(label))
        assert " 0 failed" in line and "x healthz" in line, line
    assert "targets   case detail p99" in out
    if bench_database.startswith("postgres"):
        assert "zero rows lost" in out
    else:
        assert "backup: left out" in out
    assert "recall    blocking" in out and "candidate pairs recorded" in out
