"""``readmit serve``: a real gunicorn with several worker processes on loopback.

The quota and site-capacity invariants hold across processes (PostgreSQL), the probes tell a
dead or unmigrated database apart, and metrics of every worker are reported together.
"""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from readmit.accounts.services import token_create
from readmit.agreements.services import site_create
from readmit.cases.models import Case, QuotaAllocation
from readmit.core.countries import all_countries
from readmit.core.models import Country
from readmit.relocation.models import ReceptionStay
from tests.factories import SYSTEM, make_world
from tests.ops.server import request, serve, server_env, worker_pids
from tests.relocation.conftest import act, kosovo, person, select, submit, transfer_payload

METRICS_TOKEN = "scrape-token-for-tests-only-0123456789"


def test_healthz_answers_while_readyz_names_an_unreachable_database(tmp_path):
    env = server_env(tmp_path, DATABASE_URL="postgres://nobody@127.0.0.1:9/none")
    with serve(env, workers=1, log=tmp_path / "server.log") as base:
        assert request(base + "/healthz")[0] == 200
        status, headers, body = request(base + "/readyz")
    assert status == 503
    document = json.loads(body)
    assert document["status"] == "unavailable"
    assert document["reason"] == "database unreachable (OperationalError)"
    assert headers["Content-Type"] == "application/json"


def test_readyz_refuses_traffic_until_every_migration_is_applied(tmp_path):
    env = server_env(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'new.sqlite3'}")
    with serve(env, workers=1, log=tmp_path / "server.log") as base:
        status, _, body = request(base + "/readyz")
    assert status == 503
    document = json.loads(body)
    assert document["checks"]["database"] == "ok"
    assert re.fullmatch(r"\d+ migration\(s\) not applied", document["reason"])


def test_three_workers_report_their_requests_together_in_one_scrape(tmp_path):
    env = server_env(
        tmp_path,
        DATABASE_URL="postgres://nobody@127.0.0.1:9/none",
        READMIT_METRICS_TOKEN=METRICS_TOKEN,
    )
    log = tmp_path / "server.log"
    with serve(env, workers=3, log=log) as base:
        assert request(base + "/metrics")[0] == 401
        with ThreadPoolExecutor(max_workers=6) as pool:
            statuses = list(pool.map(lambda _: request(base + "/healthz")[0], range(60)))
        _, _, body = request(
            base + "/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}
        )
    assert statuses == [200] * 60
    assert len(worker_pids(log)) == 3
    text = body.decode()
    counts = re.findall(
        r'readmit_http_request_duration_seconds_count\{[^}]*route="healthz"[^}]*\} (\S+)', text
    )
    # 60 requests plus the start-up probes, summed over the workers' files.
    assert sum(float(c) for c in counts) >= 60


def on_postgresql(test):
    """Several server processes on one database: PostgreSQL (SQLite serialises writers)."""
    for mark in (
        pytest.mark.postgres,
        pytest.mark.skipif(
            connection.vendor != "postgresql",
            reason="several server processes on one database are tested on PostgreSQL",
        ),
        pytest.mark.django_db(transaction=True, serialized_rollback=True),
    ):
        test = mark(test)
    return test


@pytest.fixture
def countries(transactional_db):
    """A transactional test starts from a flushed database: put the reference data back."""
    if not Country.objects.exists():
        Country.objects.bulk_create(
            Country(code=c.code, alpha3=c.alpha3, name=c.name, user_assigned=c.user_assigned)
            for c in all_countries()
        )


def _database_url() -> str:
    conf = connection.settings_dict
    password = f":{conf['PASSWORD']}" if conf.get("PASSWORD") else ""
    return (
        f"postgres://{conf.get('USER') or 'postgres'}{password}@{conf.get('HOST') or '127.0.0.1'}"
        f":{conf.get('PORT') or 5432}/{conf['NAME']}"
    )


def _transition_all(base, cases, token, action, payload=None):
    """Every case's transition from its own client thread, all released together."""
    barrier = threading.Barrier(len(cases))
    # Read here: a thread that touched the ORM would leave its own connection open.
    etags = {case.id: Case.objects.get(id=case.id).etag for case in cases}

    def one(case):
        barrier.wait(timeout=60)
        body = {"action": action, "reason": "Concurrent decision"}
        if payload:
            body["payload"] = payload
        status, _, answer = request(
            f"{base}/api/v1/cases/{case.id}/transitions",
            method="POST",
            body=json.dumps(body).encode(),
            headers={
                "Authorization": f"Bearer {token}",
                "Content-Type": "application/json",
                "If-Match": etags[case.id],
            },
        )
        rule = json.loads(answer).get("rule", "") if status != 200 else ""
        return f"{status} {rule}".strip()

    with ThreadPoolExecutor(max_workers=len(cases)) as pool:
        return Counter(pool.map(one, cases))


@on_postgresql
@pytest.mark.parametrize("quota", [5])
@pytest.mark.usefixtures("countries")
def test_selections_from_many_clients_across_three_workers_never_exceed_the_quota(tmp_path, quota):
    world = make_world()
    agreement = kosovo(world, quota={"limit": quota, "period": "rolling_year"})
    cases = submit(world, agreement, [person() for _ in range(16)]).cases
    for case in cases:
        act(case, "recommend", world.user("xk_caseworker"))
    _, token = token_create(user=world.user("xk_supervisor"), name="load", acting_user=SYSTEM)
    env = server_env(tmp_path, DATABASE_URL=_database_url())

    log = tmp_path / "server.log"
    with serve(env, workers=3, log=log) as base:
        outcomes = _transition_all(base, cases, token, "select")

    assert len(worker_pids(log)) == 3
    assert outcomes == Counter({"200": quota, "409 quota-exceeded": 16 - quota})
    assert (
        QuotaAllocation.objects.filter(agreement=agreement, released_at__isnull=True).count()
        == quota
    )
    assert Case.objects.filter(agreement=agreement, state="selected").count() == quota


@on_postgresql
@pytest.mark.usefixtures("countries")
def test_arrivals_from_many_clients_across_three_workers_never_exceed_a_sites_capacity(
    tmp_path,
):
    world = make_world()
    agreement = kosovo(world)
    site = site_create(
        agreement=agreement, name="Small site", country_code="XK", capacity=4, acting_user=SYSTEM
    )
    cases = submit(world, agreement, [person() for _ in range(10)]).cases
    for case in cases:
        select(world, case)
        act(case, "schedule_transfer", world.user("us_caseworker"), payload=transfer_payload())
    _, token = token_create(user=world.user("xk_caseworker"), name="load", acting_user=SYSTEM)
    env = server_env(tmp_path, DATABASE_URL=_database_url())

    with serve(env, workers=3, log=tmp_path / "server.log") as base:
        outcomes = _transition_all(base, cases, token, "record_arrival", {"site": str(site.id)})

    assert outcomes == Counter({"200": 4, "409 capacity": 6})
    assert ReceptionStay.objects.filter(site=site, ended_at__isnull=True).count() == 4


def _children_running(pid: int, needle: str) -> int:
    """How many direct children of ``pid`` have ``needle`` in their command line."""
    from pathlib import Path

    found = 0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            ppid = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, IndexError, ValueError):
            continue
        if ppid == pid and needle in cmdline:
            found += 1
    return found


@on_postgresql
@pytest.mark.usefixtures("countries")
def test_background_workers_run_as_processes_of_their_own_and_take_queued_tasks(tmp_path, settings):
    import time

    from django.test import override_settings

    from readmit.audit.models import AuditCheckpoint, AuditHead
    from readmit.audit.tasks import audit_checkpoint_task
    from tests.ops.server import serve_process

    make_world()
    assert AuditHead.objects.get(id=1).seq > 0  # something for the checkpoint to sign
    env = server_env(
        tmp_path,
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DATABASE_URL=_database_url(),
        READMIT_SECRET_KEY="x" * 40,
        READMIT_AUDIT_SIGNING_KEY=settings.READMIT_AUDIT_SIGNING_KEY,
        # Production refuses to start without the keys of the fields encrypted at rest: the
        # test's own keys, so the server reads what the test wrote.
        READMIT_DATA_KEYS=settings.READMIT_DATA_KEYS,
        READMIT_BLIND_INDEX_KEY=settings.READMIT_BLIND_INDEX_KEY,
    )
    with serve_process(env, workers=2, task_workers=2, log=tmp_path / "server.log") as (
        base,
        process,
    ):
        assert request(base + "/readyz")[0] == 200
        assert _children_running(process.pid, "db_worker") == 2
        with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
            result = audit_checkpoint_task.enqueue()
            deadline = time.monotonic() + 120
            while result.status not in ("SUCCESSFUL", "FAILED") and time.monotonic() < deadline:
                time.sleep(0.5)
                result.refresh()
    assert result.status == "SUCCESSFUL", (tmp_path / "server.log").read_text()[-3000:]
    assert AuditCheckpoint.objects.count() == 1
