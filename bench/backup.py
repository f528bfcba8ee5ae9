"""``python -m bench.backup``: ``readmit backup`` and ``readmit restore`` of the bench database.

PostgreSQL only (the database ``DATABASE_URL`` names, filled by ``bench.cases``; ``--cases N``
adds cases until there are N). Timed, each as the command an operator types, in a process
of its own:

1. ``readmit backup ARCHIVE`` of the bench database;
2. ``readmit restore ARCHIVE`` into a new, empty database on the same server (the
   restore verifies the audit chain and the manifest's row counts itself);
3. then the bench counts the rows of every table in both databases and compares them:
   zero rows lost is the target, and any difference is printed and fails the run.

Baseline, in the same run on the same database: a plain ``pg_dump --format=custom`` and
``pg_restore --single-transaction`` into another new database (what the commands wrap,
without the manifest, the checksums and the verification). Target: backup and restore of
1,000,000 cases in at most 5 minutes. The databases the bench creates are dropped at the end.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench.cases import bench_cases, django_setup, generate, world_ready

ROOT = Path(__file__).resolve().parents[1]


def _url_of(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{database}"))


def _admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(_url_of(url, "postgres"), autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


def row_counts(url: str) -> dict[str, int]:
    """Every table of the public schema and its exact row count."""
    import psycopg

    with psycopg.connect(url) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        return {
            t: int(conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0])  # type: ignore[index]
            for t in tables
        }


def _timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:4])} failed: {done.stderr[-2000:]}")
    return seconds


def run(cases: int) -> int:
    from django.db import connection

    if connection.vendor != "postgresql":
        print("bench.backup needs PostgreSQL: set DATABASE_URL")
        return 2
    world_ready()
    missing = cases - bench_cases()
    if missing > 0:
        generate(missing)
    total = bench_cases()
    connection.close()
    url = os.environ["DATABASE_URL"]
    name = urlsplit(url).path.lstrip("/")
    restored_db, plain_db = f"{name}_bench_restored", f"{name}_bench_plain"
    pg = {
        "PGHOST": urlsplit(url).hostname or "",
        "PGPORT": str(urlsplit(url).port or 5432),
        "PGUSER": urlsplit(url).username or "",
    }
    if urlsplit(url).password:
        pg["PGPASSWORD"] = urlsplit(url).password or ""
    for db in (restored_db, plain_db):
        _admin(url, f'DROP DATABASE IF EXISTS "{db}"')
        _admin(url, f'CREATE DATABASE "{db}"')
    try:
        with tempfile.TemporaryDirectory(prefix="readmit-bench-backup-") as tmp:
            work = Path(tmp)
            for sub in ("from", "into"):
                (work / sub).mkdir()
            archive = work / "readmit.tar"
            readmit = [sys.executable, "-m", "readmit.cli"]
            # Each side its own temporary directory: the test settings keep attachments there.
            source = {**os.environ, "TMPDIR": str(work / "from")}
            target = {
                **os.environ,
                "TMPDIR": str(work / "into"),
                "DATABASE_URL": _url_of(url, restored_db),
            }
            backup_s = _timed([*readmit, "backup", str(archive)], source)
            restore_s = _timed([*readmit, "restore", str(archive)], target)
            size = archive.stat().st_size
            dump = work / "plain.pgdump"
            env = {**os.environ, **pg}
            dump_s = _timed(["pg_dump", "--format=custom", f"--file={dump}", name], env)
            plain_s = _timed(
                [
                    "pg_restore",
                    "--no-owner",
                    "--single-transaction",
                    f"--dbname={plain_db}",
                    str(dump),
                ],
                env,
            )
        before, after = row_counts(url), row_counts(_url_of(url, restored_db))
    finally:
        for db in (restored_db, plain_db):
            _admin(url, f'DROP DATABASE IF EXISTS "{db}"')
    lost = {t: (n, after.get(t)) for t, n in before.items() if after.get(t) != n}
    rows = sum(before.values())
    ours, baseline = backup_s + restore_s, dump_s + plain_s
    print(f"== readmit backup and restore: {total:,} bench cases, {rows:,} rows (PostgreSQL) ==")
    print(f"baseline  pg_dump {dump_s:7.1f} s + pg_restore {plain_s:7.1f} s = {baseline:7.1f} s")
    print(
        f"readmit   backup  {backup_s:7.1f} s + restore    {restore_s:7.1f} s = {ours:7.1f} s"
        f"   ratio {ours / baseline:4.2f}x baseline   archive {size / 1e6:,.0f} MB"
    )
    print(
        f"rows      {len(before)} tables compared after the restore: "
        + ("zero rows lost" if not lost else f"DIFFERENT: {lost}")
        + f"   (target: 1,000,000 cases in <= 300 s; load {os.getloadavg()[0]:.1f})"
    )
    return 1 if lost else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--cases", type=int, default=0, help="at least N bench cases first")
    args = parser.parse_args(argv)
    django_setup()
    return run(args.cases)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
