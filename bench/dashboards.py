"""``python -m bench.dashboards [--cases N]``: every dashboard page and the inbox over N cases.

A fresh database with the fictional demo: SQLite in a temporary directory, or PostgreSQL
when ``DATABASE_URL`` names an empty throwaway database (the bench refuses one with
tables). N fictional cases (100,000 by default) are written in bulk (``COPY`` through
``readmit.core.bulkinsert.rows_insert`` on PostgreSQL): seven in ten under the USA-Kosovo
arrangement (a reply time limit each, on time, late, lapsed or running; a quota place for
the selected; a nationality), three in ten under Italy-Albania with a stay at Gjadër or
Shëngjin arriving through the year; and for each case the audit rows its opening and its
decision would write (``case_created``, ``case_transitioned`` with the action, the reason
code and the days it waited). The bench's audit rows are not hash-chained (the chain is
not what is measured; the database is thrown away).

Then the demo's US caseworker (and Italy's, for occupancy) logs in through the real login
pages with the Django test client and requests each dashboard page and the inbox several
times; printed: p50 / p95 per page and the ratio to ``/healthz`` measured in the same run
on the same database (the cost of a request that reads nothing). Target: at most 300 ms
at 1,000,000 cases on PostgreSQL.

Not a test: figures depend on the machine; the ratios are what to compare between runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from bench.lists import in_fresh_database
from bench.search import _p

NATIONALITIES = ["VE", "CU", "HT", "NI", "AF", "SY", "ER", "CO"]
OUTCOMES = [
    ("select", "selected", ""),
    ("decline", "declined", "criteria_not_met"),
    ("decline", "declined", "watchlist_match"),
    ("withdraw", "withdrawn", "left_voluntarily"),
    ("recommend", "recommended", ""),
]
PAGES = ["quota", "occupancy", "deadlines", "states", "nationality", "reason"]


def generate(count: int) -> float:
    """Write ``count`` cases with their people, time limits, places, stays and audit rows."""
    from django.db import transaction

    from readmit.agreements.models import Agreement, Site
    from readmit.audit.events import AuditEventType
    from readmit.audit.models import AuditEvent, AuditHead
    from readmit.cases.models import Case, Deadline, Person, QuotaAllocation
    from readmit.core import clock
    from readmit.core.bulkinsert import rows_insert
    from readmit.relocation.models import ReceptionStay

    kosovo = Agreement.objects.get(reference="us-xk-relocation")
    italy = Agreement.objects.get(reference="it-al-reception")
    sites = list(Site.objects.filter(agreement=italy).order_by("name"))
    owners = {
        kosovo.id: kosovo.sending_party.organisation_id,  # type: ignore[union-attr]
        italy.id: italy.sending_party.organisation_id,  # type: ignore[union-attr]
    }
    year_start = dt.datetime(clock.today().year, 1, 1, 8, tzinfo=dt.UTC)
    days_so_far = max((clock.now() - year_start).days, 1)
    seq = (AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0) + 1
    through = Person.nationalities.through
    started = time.perf_counter()
    chunk = 20_000
    for start in range(0, count, chunk):
        people, cases, links, deadlines, places, stays, events = [], [], [], [], [], [], []
        for n in range(start, min(count, start + chunk)):
            agreement = italy if n % 10 >= 7 else kosovo
            opened = year_start + dt.timedelta(days=n % days_so_far, minutes=n % 1440)
            person = Person(
                id=uuid.uuid4(), given_names="Bench", family_name=f"Person{n:07d}",
                birth_year=1960 + n % 40, sex="F" if n % 2 else "M",
                owner_id=owners[agreement.id],
            )  # fmt: skip
            people.append(person)
            links.append(through(person_id=person.id, country_id=NATIONALITIES[n % 8]))
            action, state, reason = OUTCOMES[n % len(OUTCOMES)]
            case = Case(
                id=uuid.uuid4(), agreement=agreement, person=person, kind=agreement.kind,
                state=state if agreement is kosovo else "in_reception",
                reference=f"BENCH-{n:08d}", created_at=opened,
            )  # fmt: skip
            cases.append(case)
            decided = opened + dt.timedelta(days=1 + n % 45)
            for event_type, at, data in (
                (AuditEventType.CASE_CREATED, opened, {"state": "proposed"}),
                (AuditEventType.CASE_TRANSITIONED, decided,
                 {"action": action, "from": "proposed", "to": state, "reason_code": reason}),
            ):  # fmt: skip
                events.append(
                    AuditEvent(
                        seq=seq, occurred_at=at, event_type=event_type,
                        organisation_id=owners[agreement.id], agreement_id=agreement.id,
                        case_id=case.id, object_type="case", object_id=str(case.id), data=data,
                        prev_hash="bench", hash=uuid.uuid4().hex,
                    )
                )  # fmt: skip
                seq += 1
            if agreement is kosovo:
                status = n % 4
                deadlines.append(
                    Deadline(
                        case=case, kind="reply", label="Reply to the proposal",
                        due_on=(opened + dt.timedelta(days=30)).date(),
                        met_at=decided if status < 2 else None,
                        met_late=status == 1,
                        lapsed_at=opened + dt.timedelta(days=31) if status == 2 else None,
                    )
                )  # fmt: skip
                if state == "selected":
                    places.append(
                        QuotaAllocation(
                            agreement=agreement, case=case,
                            period_start=dt.date(year_start.year, 1, 1),
                            period_end=dt.date(year_start.year, 12, 31),
                        )
                    )  # fmt: skip
            else:
                stays.append(
                    ReceptionStay(
                        case=case, site=sites[n % len(sites)], arrived_at=decided,
                        ended_at=decided + dt.timedelta(days=20) if n % 3 else None,
                        outcome="returned_to_origin" if n % 3 else "",
                    )
                )  # fmt: skip
        with transaction.atomic():
            for model, rows in (
                (Person, people), (through, links), (Case, cases), (Deadline, deadlines),
                (QuotaAllocation, places), (ReceptionStay, stays), (AuditEvent, events),
            ):  # fmt: skip
                rows_insert(model, rows)
            # The next audit row a request writes (a login) follows the bench's rows.
            AuditHead.objects.filter(id=1).update(seq=seq - 1, hash=events[-1].hash)
        print(f"  {min(count, start + chunk):,} cases written", file=sys.stderr)
    return time.perf_counter() - started


def _timed(call: Callable[[], Any], rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = call()
        out.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return out


def run(count: int, rounds: int) -> int:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from readmit.accounts.models import User
    from readmit.demo.load import demo_load
    from tests.factories import log_in

    logging.getLogger("readmit.request").setLevel(logging.WARNING)
    call_command("migrate", verbosity=0, interactive=False)
    os.environ["READMIT_ALLOW_DEMO"] = "1"
    logins = {x.username: x.password for x in demo_load()}
    write_s = generate(count)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    engine = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    clients = {}
    for username in ("us-dhs-caseworker", "it-interior-caseworker"):
        clients[username] = log_in(Client(), User.objects.get(username=username), logins[username])
    us = clients["us-dhs-caseworker"]
    targets: list[tuple[str, Client, str]] = [
        ("/dashboards/", us, "us-dhs"),
        *[
            (f"/dashboards/{p}/", clients["it-interior-caseworker"] if p == "occupancy" else us,
             "it-interior" if p == "occupancy" else "us-dhs")
            for p in PAGES
        ],
        ("/inbox/", us, "us-dhs"),
    ]  # fmt: skip
    for url, client, _who in targets:  # warm the caches of the database and of the templates
        client.get(url)
    baseline = _timed(lambda: us.get("/healthz"), rounds * 4)
    base_p50, base_p95 = _p(baseline, 0.5), _p(baseline, 0.95)
    print(f"== dashboards and the inbox over {count:,} cases ({engine}) ==")
    print(f"written   {write_s:.1f} s ({count / write_s:,.0f} cases/s, with audit rows)")
    print(f"baseline  /healthz: p50 {base_p50:.2f} ms  p95 {base_p95:.2f} ms")
    worst = 0.0
    for url, client, who in targets:
        times = _timed(lambda u=url, c=client: c.get(u), rounds)  # type: ignore[misc]
        p50, p95 = _p(times, 0.5), _p(times, 0.95)
        worst = max(worst, p95)
        print(
            f"  {url:<28} {who:<12} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  "
            f"({p95 / base_p95:,.0f}x baseline)"
        )
    print(
        f"slowest p95 {worst:.1f} ms  target <= 300 ms"
        f"{' at 1,000,000 on PostgreSQL' if count < 1_000_000 or engine != 'PostgreSQL' else ''}"
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--cases", type=int, default=100_000, help="cases (100,000)")
    parser.add_argument("--rounds", type=int, default=10, help="requests per page (10)")
    args = parser.parse_args(argv)
    os.environ.setdefault("READMIT_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    return in_fresh_database(lambda: run(args.cases, args.rounds))


if __name__ == "__main__":
    sys.exit(main())
