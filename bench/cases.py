"""``python -m bench.cases --cases N``: N synthetic cases with their people, by COPY.

The database is the one ``DATABASE_URL`` names (SQLite under ``READMIT_VAR_DIR`` without
one); it is migrated, and the fictional demo is loaded first if it is not there (the
organisations, agreements and users the cases belong to). Then N cases, each with its own
fictional person (names from the screening bench's generators, ``bench/screening/``:
Serbian, Albanian, Spanish, Haitian and generic spellings, Zipf-like surnames), are spread
over the demo's agreements in turn and written in batches by ``rows_insert`` (``COPY`` on
PostgreSQL), which prepares every value as Django's insert does (encrypted fields, blind
indexes). Each case gets a state its kind's workflow has, with ``closed_at`` set when
closed; a readmission case gets its application row (the case page reads it).

What is left out on purpose, since the rows are synthetic: no audit rows (nothing
happened to these cases; the audit chain stays the demo's), no nationalities, documents,
deadlines, search keys or screening. The settings are the test settings (fixed public
keys), so that the server ``bench.api_load`` starts reads what this wrote.

Prints rows/s: cases plus people plus applications written per second.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
import time
import uuid
from collections.abc import Sequence
from typing import Any

BATCH = 20_000
# States with no rows of their own besides the case (and, for readmission, its application).
STATES = {
    "relocation": ("proposed", "proposed", "recommended", "declined", "withdrawn", "closed"),
    "reception": ("proposed", "proposed", "declined", "withdrawn", "closed"),
    "readmission": ("submitted", "submitted", "acknowledged", "rejected", "withdrawn", "closed"),
}
PREFIX = "BENCH"


def django_setup() -> None:
    """Django on the bench database, with the test settings' fixed public keys."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    os.environ.setdefault("READMIT_ALLOW_DEMO", "1")  # a throwaway bench database
    if not os.environ.get("DATABASE_URL"):
        var = os.environ.setdefault("READMIT_VAR_DIR", "var/bench")
        os.makedirs(var, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{os.path.abspath(var)}/bench.sqlite3"
    import django

    django.setup()
    logging.getLogger("django_tasks").setLevel(logging.WARNING)


def world_ready() -> None:
    """Migrate; load the demo when its agreements are not there."""
    from django.core.management import call_command

    from readmit.agreements.models import Agreement
    from readmit.demo.load import demo_load

    call_command("migrate", verbosity=0, interactive=False)
    if not Agreement.objects.filter(reference="us-xk-relocation").exists():
        demo_load()


def bench_cases() -> int:
    from readmit.cases.models import Case

    return Case.objects.filter(reference__startswith=f"{PREFIX}-").count()


def generate(count: int, *, jobs: int | None = None, seed: int = 15) -> tuple[int, float]:
    """Write ``count`` more cases (numbered after those already there) in ``jobs`` processes
    (one per core by default), each its own slice of numbers; (rows, seconds)."""
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    from django.db import connection, connections

    start = bench_cases()
    end = start + count
    jobs = max(1, min(jobs or os.cpu_count() or 1, count // BATCH + 1))
    bounds = [start + count * j // jobs for j in range(jobs + 1)]
    now = dt.datetime.now(dt.UTC)
    started = time.perf_counter()
    if jobs == 1:
        rows = _write(bounds[0], bounds[1], end, now, seed)
    else:
        connections.close_all()  # each process opens its own
        with ProcessPoolExecutor(jobs, mp_context=get_context("fork")) as pool:
            rows = sum(
                pool.map(
                    _write,
                    bounds[:-1],
                    bounds[1:],
                    [end] * jobs,
                    [now] * jobs,
                    [seed + j for j in range(jobs)],
                )
            )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # statistics, and the visibility map
    return rows, time.perf_counter() - started


def _write(first: int, last: int, end: int, now: dt.datetime, seed: int) -> int:
    """Cases ``first`` to ``last - 1`` with their people, in batches; answers the rows."""
    from django.db import transaction

    from bench.screening.population import Generator
    from readmit.agreements.models import Agreement
    from readmit.cases.models import Case, Person, ReadmissionApplication
    from readmit.core.bulkinsert import rows_insert

    agreements = [
        a
        for a in Agreement.objects.prefetch_related("parties__organisation").order_by("reference")
        if a.sending_party is not None
    ]
    owners = {a.id: a.sending_party.organisation for a in agreements}  # type: ignore[union-attr]
    submitters = {a.id: _submitter(a) for a in agreements if a.kind == "readmission"}
    gen = Generator(seed + first)
    rng = gen.rng
    rows = 0
    started = time.perf_counter()
    for batch in range(first, last, BATCH):
        people: list[Any] = []
        cases: list[Any] = []
        applications: list[Any] = []
        for n in range(batch, min(last, batch + BATCH)):
            agreement = agreements[n % len(agreements)]
            someone = gen.person()
            created = now - dt.timedelta(seconds=(end - n) * 30)
            person = Person(
                id=uuid.uuid4(),
                given_names=" ".join(someone.given),
                family_name=" ".join(someone.family),
                birth_year=someone.birth.year,
                birth_month=someone.birth.month,
                birth_day=someone.birth.day,
                sex="F" if someone.sex == "f" else "M",
                owner=owners[agreement.id],
                created_at=created,
            )
            state = rng.choice(STATES[agreement.kind])
            case = Case(
                id=uuid.uuid4(),
                agreement=agreement,
                person=person,
                kind=agreement.kind,
                state=state,
                reference=f"{PREFIX}-{n:07d}",
                external_id=f"B{n:07d}",
                closed_at=created + dt.timedelta(days=30) if state == "closed" else None,
                created_at=created,
            )
            people.append(person)
            cases.append(case)
            if agreement.kind == "readmission":
                organisation, user = submitters[agreement.id]
                applications.append(
                    ReadmissionApplication(
                        case=case,
                        organisation=organisation,
                        submitted_by=user,
                        submitted_at=created,
                        received_on=created.date(),
                        procedure="normal",
                        source="api",
                        request_digest="0" * 64,
                        created_at=created,
                    )
                )
        with transaction.atomic():
            rows += rows_insert(Person, people)
            rows += rows_insert(Case, cases)
            rows += rows_insert(ReadmissionApplication, applications)
        done = min(last, batch + BATCH) - first
        elapsed = time.perf_counter() - started
        print(
            f"  [{first:,}-{last:,}) {done:,} cases written ({rows / elapsed:,.0f} rows/s)",
            file=sys.stderr,
        )
    return rows


def _submitter(agreement: Any) -> tuple[Any, Any]:
    """The sending side's organisation and one of its users (who submits applications)."""
    from readmit.accounts.models import User

    organisation = agreement.sending_party.organisation
    user = User.objects.filter(memberships__organisation=organisation).order_by("pk").first()
    if user is None:
        user = User.objects.order_by("pk").first()
    return organisation, user


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--cases", type=int, default=100_000, help="cases to add (100,000)")
    parser.add_argument("--jobs", type=int, default=None, help="processes (one per core)")
    args = parser.parse_args(argv)
    django_setup()
    world_ready()
    rows, seconds = generate(args.cases, jobs=args.jobs)
    from django.db import connection

    engine = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    print(f"== {args.cases:,} synthetic cases with their people ({engine}) ==")
    print(
        f"written   {rows:,} rows in {seconds:.1f} s: {rows / seconds:,.0f} rows/s, "
        f"{args.cases / seconds:,.0f} cases/s, {os.cpu_count()} cores; "
        f"{bench_cases():,} bench cases in the database"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
