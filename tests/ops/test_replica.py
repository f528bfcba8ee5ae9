"""Reports read from a read replica; writes, and every other read, stay on the primary."""

from __future__ import annotations

import copy
import csv
import io
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.test.utils import CaptureQueriesContext

from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.cases.models import Case
from readmit.core.dbrouting import REPLICA, ReplicaRouter, report_reads
from tests.factories import make_case
from tests.ops.test_serving import countries, on_postgresql  # noqa: F401  (fixture)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _as_postgres(command: list[str], cwd: Path) -> list[str]:
    """PostgreSQL refuses to run as root: as root, run its programs as ``postgres``."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _setting(cursor, name: str) -> str:
    cursor.execute("SELECT current_setting(%s)", [name])
    value: str = cursor.fetchone()[0]
    return value


def _replica_lsn_reached(alias: str, target: str) -> bool:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
        return bool(cursor.fetchone()[0])


def _caught_up(timeout: float = 30.0) -> None:
    """Wait until the replica has replayed everything the primary has written so far."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        target = cursor.fetchone()[0]
    deadline = time.monotonic() + timeout
    while not _replica_lsn_reached(REPLICA, target):
        assert time.monotonic() < deadline, f"the replica did not replay up to {target}"
        time.sleep(0.05)


@pytest.fixture
def replica(countries) -> Iterator[str]:  # noqa: F811
    """A real streaming replica of the test's PostgreSQL (pg_basebackup -R) on another
    loopback port, added to Django as the ``replica`` alias for the test."""
    major = connection.pg_version // 10000
    bin_dir = Path(f"/usr/lib/postgresql/{major}/bin")
    if not (bin_dir / "pg_basebackup").exists():
        pytest.fail(f"no PostgreSQL {major} server programs in {bin_dir} to start a replica")
    conf = connection.settings_dict
    base = Path(tempfile.mkdtemp(prefix="readmit-replica-", dir="/tmp"))
    data = base / "data"
    port = _free_port()
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
    base.chmod(0o755)
    started = False
    try:
        subprocess.run(
            _as_postgres(
                [str(bin_dir / "pg_basebackup"), "-h", conf.get("HOST") or "127.0.0.1",
                 "-p", str(conf.get("PORT") or 5432), "-U", conf.get("USER") or "postgres",
                 "-D", str(data), "-R", "-X", "stream", "--checkpoint=fast", "--no-sync"],
                base,
            ),
            cwd=base, check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        # A standby refuses to start with fewer of these than its primary has.
        with connection.cursor() as cursor:
            options = " ".join(
                f"-c {name}={_setting(cursor, name)}"
                for name in (
                    "max_connections", "max_worker_processes", "max_wal_senders",
                    "max_prepared_transactions", "max_locks_per_transaction",
                )
            )  # fmt: skip
        started = subprocess.run(
            _as_postgres(
                [str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(base / "log"), "-w",
                 "-t", "60", "-o",
                 f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off"
                 f" -c hot_standby=on {options}", "start"],
                base,
            ),
            cwd=base, check=False, capture_output=True, timeout=90,
        ).returncode == 0  # fmt: skip
        if not started:
            log = (base / "log").read_text(errors="replace")[-3000:]
            pytest.fail(f"the replica did not start:\n{log}")
        settings_dict = copy.deepcopy(conf)
        # Kept open across the test client's requests (which close other connections):
        # the test case allows only the connections it opened itself, as here.
        settings_dict.update(HOST="127.0.0.1", PORT=str(port), CONN_MAX_AGE=None)
        connections.settings[REPLICA] = settings_dict
        connections[REPLICA].connect()
        yield REPLICA
    finally:
        if REPLICA in connections.settings:
            connections[REPLICA].close()
            del connections[REPLICA]
            del connections.settings[REPLICA]
        if started:
            subprocess.run(
                _as_postgres(
                    [str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"], base
                ),
                cwd=base, check=False, capture_output=True, timeout=60,
            )  # fmt: skip
        shutil.rmtree(base, ignore_errors=True)


def _export_references(client) -> list[str]:
    response = client.get("/cases/export.csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return [row["reference"] for row in csv.DictReader(io.StringIO(text))]


@on_postgresql
def test_the_case_export_reads_its_rows_from_the_streaming_replica_and_audits_on_the_primary(
    replica, login, world
):
    client = login("us_caseworker")
    first = make_case(world.agreement, family_name="Replicated")
    _caught_up()
    with connections[replica].cursor() as cursor:  # the replica stops replaying here
        cursor.execute("SELECT pg_wal_replay_pause()")
    try:
        second = make_case(world.agreement, family_name="Notyetreplicated")
        assert Case.objects.filter(id__in=[first.id, second.id]).count() == 2  # primary

        with CaptureQueriesContext(connections[replica]) as on_replica:
            references = _export_references(client)

        # The rows are the replica's (paused before the second case reached it) ...
        assert references == [first.reference]
        assert any('"cases_case"' in q["sql"] for q in on_replica.captured_queries)
        # ... the audit row of the export was written on the primary, which the replica
        # has not replayed.
        event = AuditEvent.objects.using(DEFAULT_DB_ALIAS).get(
            event_type=AuditEventType.CASES_EXPORTED
        )
        assert event.data["rows"] == 1
        assert not AuditEvent.objects.using(replica).filter(pk=event.pk).exists()
    finally:
        with connections[replica].cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")
    _caught_up()
    assert _export_references(client) == sorted([first.reference, second.reference])


def test_without_a_replica_reports_read_the_primary(db):
    assert REPLICA not in connections.settings
    with report_reads() as alias:
        assert alias == DEFAULT_DB_ALIAS
        assert ReplicaRouter().db_for_read(Case) is None  # Django's default: the primary
        assert Case.objects.all().db == DEFAULT_DB_ALIAS


def test_with_a_replica_only_report_reads_go_to_it_and_writes_never_do(db):
    connections.settings[REPLICA] = copy.deepcopy(connection.settings_dict)
    try:
        router = ReplicaRouter()
        assert Case.objects.all().db == DEFAULT_DB_ALIAS
        with report_reads() as alias:
            assert alias == REPLICA
            assert router.db_for_read(Case) == REPLICA
            assert Case.objects.all().db == REPLICA
            assert router.db_for_write(Case) == DEFAULT_DB_ALIAS
        assert Case.objects.all().db == DEFAULT_DB_ALIAS
        assert router.allow_migrate(REPLICA, "cases") is False
        assert router.allow_migrate(DEFAULT_DB_ALIAS, "cases") is True
    finally:
        del connections.settings[REPLICA]
