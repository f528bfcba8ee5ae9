"""``python -m bench.lists [--people N]``: a large list through the API, screened automatically.

A fresh database with the fictional demo (its Kosovo watchlist included): SQLite in a
temporary directory, or PostgreSQL when ``DATABASE_URL`` names an empty throwaway database
(start a cluster as ``.ci/run`` does; the bench refuses a database that has tables). The
sending state's token posts one list of N fictional people (10,000 by default) to the Kosovo
arrangement, exactly as a partner system would: above ``READMIT_LIST_SYNC_MAX_ROWS`` it is
an import job (``202``), and the tasks run in-process (the demo's immediate backend) as a
worker would run them: the import, then the screening of the list, then the criteria
evaluated again. Printed:

- the import: from the request's arrival to the job's ``done`` (every row checked, people,
  documents, cases, criteria evaluations and audit rows written in batches), people/s;
- the automatic screening: from the list's arrival to the end of its run (target: within
  60 s for 10,000 people), the run alone, and the criteria evaluated again after it;
- the baseline, measured in the same run on the same database: the same people as bare
  person rows in one ``COPY`` (PostgreSQL) or one ``executemany`` INSERT (SQLite), no cases,
  no audit, no criteria; and the ratios to it (target: at most 5x on PostgreSQL).

A 100,000-person list is about 33 MB of JSON: over the default body limit (10 MB,
``DATA_UPLOAD_MAX_MEMORY_SIZE``), so the bench raises that limit for its run to twice the
body's size, as a deployment that takes such lists would (docs/relocation.md).

Not a test: figures depend on the machine; the ratios are what to compare between runs.
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from readmit.core.actors import SystemActor

GIVEN = [
    "Ana", "Luis", "María", "José", "Carmen", "Jorge", "Rosa", "Pedro", "Lucía", "Miguel",
    "Elena", "Rafael", "Sofía", "Andrés", "Isabel", "Diego", "Valeria", "Tomás", "Paula", "Iván",
]  # fmt: skip
FAMILY = [
    "Quintero", "Salcedo", "Marrero", "Villalba", "Ocampo", "Barrios", "Cedeño", "Figueroa",
    "Gallardo", "Hurtado", "Lozano", "Montilla", "Naranjo", "Pacheco", "Rangel", "Sequera",
    "Toledo", "Urdaneta", "Velásquez", "Zambrano", "Aguilera", "Bracho", "Colmenares", "Duarte",
]  # fmt: skip


def fictional_people(count: int) -> list[dict[str, Any]]:
    """Deterministic fictional people, valid under the Kosovo arrangement's rules."""
    people = []
    for n in range(count):
        given = f"{GIVEN[n % len(GIVEN)]} {GIVEN[(n // len(GIVEN)) % len(GIVEN)]}"
        family = f"{FAMILY[n % len(FAMILY)]} {FAMILY[(n // 7) % len(FAMILY)]}"
        people.append(
            {
                "external_id": f"BENCH-{n:06d}",
                "given_names": given,
                "family_name": family,
                "birth_date": f"{1960 + n % 40}-{1 + n % 12:02d}-{1 + n % 28:02d}",
                "sex": "F" if n % 2 else "M",
                "nationalities": ["VE"],
                "documents": [{"type": "passport", "number": f"B{n:08d}", "issuing_country": "VE"}],
                "convictions": [],
                "pending_cases": False,
                "vulnerabilities": [],
            }
        )
    return people


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=10_000, help="list size (10,000)")
    args = parser.parse_args(argv)
    collector = _Collections()
    gc.callbacks.append(collector)
    try:
        return in_fresh_database(lambda: run(args.people, collector))
    finally:
        gc.callbacks.remove(collector)


class _Collections:
    """Python's full garbage collections (generation 2) and their time, from here on
    (``gc.callbacks``): each walks the whole heap, so they are shown beside the figures."""

    def __init__(self) -> None:
        self.full = 0
        self.seconds = 0.0
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if info.get("generation") != 2:
            return
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.full += 1
            self.seconds += time.perf_counter() - self._started


def in_fresh_database(bench: Callable[[], int], *, reuse: bool = False) -> int:
    """Run ``bench`` with Django set up on a fresh database: SQLite in a temporary
    directory, or the empty one ``DATABASE_URL`` names (2 if it has tables, unless
    ``reuse``: the bench then checks itself that the tables hold what it needs)."""
    with tempfile.TemporaryDirectory() as var:
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
        os.environ["READMIT_VAR_DIR"] = var
        os.environ["READMIT_MEDIA_ROOT"] = str(Path(var) / "attachments")
        import django

        django.setup()
        logging.getLogger("django_tasks").setLevel(logging.WARNING)
        from django.db import connection

        if not reuse and connection.vendor != "sqlite" and connection.introspection.table_names():
            print("DATABASE_URL names a database with tables: give the bench an empty one")
            return 2
        return bench()


def _baseline(people: list[dict[str, Any]], owner: Any) -> float:
    """The same people as bare person rows, in one COPY (PostgreSQL) or one executemany
    INSERT (SQLite), in one transaction; seconds."""
    from django.db import connection, transaction

    from readmit.cases.models import Person

    fields = list(Person._meta.concrete_fields)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(Person._meta.db_table)
    started = time.perf_counter()
    # One Person per row, each value prepared by its field as an insert prepares it (its
    # sealed fields encrypted with the row's own id).
    rows = (
        [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
        for obj in (
            Person(
                given_names=p["given_names"],
                family_name=p["family_name"],
                birth_year=int(p["birth_date"][:4]),
                sex=p["sex"],
                owner=owner,
            )
            for p in people
        )
    )
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(rows))
    return time.perf_counter() - started


def run(count: int, collector: _Collections | None = None) -> int:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from readmit.accounts.models import User
    from readmit.accounts.services import token_create
    from readmit.agreements.models import Agreement
    from readmit.audit.models import AuditEvent
    from readmit.core import clock
    from readmit.demo.load import demo_load
    from readmit.relocation.imports import batch_size, sync_max_rows
    from readmit.relocation.models import CriteriaEvaluation, EvaluationTrigger, ListImport
    from readmit.screening.models import RunTrigger, ScreeningMatch, ScreeningRun

    call_command("migrate", verbosity=0, interactive=False)
    demo_load()
    agreement = Agreement.objects.get(reference="us-xk-relocation")
    sender = User.objects.get(username="us-dhs-caseworker")
    _, token = token_create(user=sender, name="bench", acting_user=SystemActor("demo loader"))
    people = fictional_people(count)
    body = json.dumps({"reference": f"BENCH-{count}", "people": people})
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = max(settings.DATA_UPLOAD_MAX_MEMORY_SIZE, 2 * len(body))
    settings.READMIT_LIST_IMPORT_MAX_ROWS = max(count, 100_000)

    arrival = clock.now()
    arrived = time.perf_counter()
    response = Client().post(
        f"/api/v1/agreements/{agreement.id}/lists",
        data=body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_IDEMPOTENCY_KEY=f"bench-{count}",
        HTTP_HOST="localhost",
    )
    total_s = time.perf_counter() - arrived
    if response.status_code not in (201, 202):
        print(f"the list was refused: {response.status_code} {response.content[:500]!r}")
        return 1
    job = ListImport.objects.filter(reference=f"BENCH-{count}").first()
    run_ = ScreeningRun.objects.filter(agreement=agreement, trigger=RunTrigger.LIST_ARRIVED).first()
    if run_ is None or run_.finished_at is None or run_.started_at is None:
        print("the list was not screened")
        return 1
    if job is not None and job.finished_at is not None:
        import_s = (job.finished_at - arrival).total_seconds()
    else:  # a list small enough for one request: its screening starts once it is in
        import_s = (run_.created_at - arrival).total_seconds()
    run_s = (run_.finished_at - run_.started_at).total_seconds()
    screened_after_s = (run_.finished_at - arrival).total_seconds()
    refreshed = CriteriaEvaluation.objects.filter(
        case__agreement=agreement, trigger=EvaluationTrigger.SCREENING
    )
    last = AuditEvent.objects.order_by("-seq").first()  # the last evaluation kept
    refresh_s = (last.occurred_at - run_.finished_at).total_seconds() if last else float("nan")
    matches = ScreeningMatch.objects.filter(run=run_).count()

    owner = agreement.sending_party.organisation  # type: ignore[union-attr]
    baseline_s = _baseline(people, owner)
    engine = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    how = "COPY" if connection.vendor == "postgresql" else "executemany INSERT"

    print(f"== a {count:,}-person list through the API, screened automatically ({engine}) ==")
    print(
        f"answer    HTTP {response.status_code}"
        + (
            f", import job (threshold {sync_max_rows():,} rows, batches of {batch_size()})"
            if response.status_code == 202
            else ""
        )
        + f", body {len(body) / 1e6:.1f} MB"
    )
    print(f"baseline  {how} of the same people as person rows {baseline_s:8.2f} s")
    print(
        f"import    arrival to job done                  {import_s:8.2f} s   "
        f"ratio {import_s / baseline_s:6.1f}x baseline   {count / import_s:7.0f} people/s"
    )
    print(
        f"screening the run alone                      {run_s:8.2f} s   "
        f"ratio {run_s / baseline_s:6.1f}x baseline   {matches} matches"
    )
    print(
        f"          arrival to screened                  {screened_after_s:8.2f} s   "
        f"(target: within 60 s for 10,000 people)"
    )
    print(
        f"criteria  evaluated again after the run        {refresh_s:8.2f} s   "
        f"({refreshed.count():,} evaluations kept)"
    )
    print(f"total     request in, everything done          {total_s:8.2f} s")
    if collector is not None:
        print(
            f"gc        {collector.full} full collections, {collector.seconds:.2f} s "
            "(the whole bench, the demo's load included)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
