"""``python -m bench.duplicates --people N``: the duplicate finder over N people, and its recall.

On the bench database (``DATABASE_URL``; SQLite under ``READMIT_VAR_DIR`` without one), a
fictional organisation of its own (``bench-duplicates``, with one caseworker) holds N
fictional people written by ``rows_insert`` (names from the screening bench's generators);
about 3 % of them are the same person as an earlier one, written again under another
spelling (another script, a slip, another order) with the same birth date: the duplicates
there are to find. Then, each in a process of its own so that its memory is its own:

- **the finder**: ``duplicates_find`` over that organisation, as a caseworker runs it
  (``readmit.screening.duplicates``: document pairs, then names through the screening
  index with its blocking, birth dates compared, candidates recorded): wall time and peak
  memory (the largest resident set, ``ru_maxrss``, of the process that ran it);
- **the baseline**: reading the same N people and building the screening index over their
  names, without querying it (the part no finder avoids), time and peak memory;
- **recall of the blocking stage**: a random sample of people (``--sample``, 2,000) is
  queried through the index (with blocking) and compared with every one of the N people by
  the same scorer without blocking (``Index.query_exhaustive``; above ``--exhaustive-max``
  comparisons, ``Index.query_reference``, which scores every entry sharing a similar token,
  and equals the exhaustive answer at the finder's threshold: docs/screening.md). Recall is
  the share of the pairs found without blocking that the blocking also finds.

Targets: 1,000,000 people in at most 10 minutes and 3 GB. Not a test: figures depend on the
machine; the ratios are what to compare between runs.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
import uuid
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from typing import Any

from bench.cases import django_setup

SLUG = "bench-duplicates"
USERNAME = "bench-duplicates-caseworker"
SAME_PERSON_SHARE = 0.03
BATCH = 20_000


def organisation() -> tuple[Any, Any]:
    """The bench's own organisation and its caseworker (created once)."""
    from django.core.management import call_command

    from readmit.accounts.models import Membership, Organisation, User
    from readmit.accounts.roles import Role

    call_command("migrate", verbosity=0, interactive=False)
    org, _ = Organisation.objects.get_or_create(
        slug=SLUG, defaults={"name": "Bench duplicates (fictional)", "country_id": "US"}
    )
    user, _ = User.objects.get_or_create(username=USERNAME)
    Membership.objects.get_or_create(user=user, organisation=org, role=Role.CASEWORKER)
    return org, user


def people_write(org: Any, count: int, seed: int = 15) -> float:
    """Add people to the organisation until it holds ``count``; seconds."""
    from django.db import transaction

    from bench.screening.population import Generator
    from readmit.cases.models import Person
    from readmit.core.bulkinsert import rows_insert

    have = Person.objects.filter(owner=org).count()
    gen = Generator(seed + have)
    rng = gen.rng
    earlier: list[Any] = []
    started = time.perf_counter()
    for first in range(have, count, BATCH):
        rows = []
        for _ in range(first, min(count, first + BATCH)):
            if earlier and rng.random() < SAME_PERSON_SHARE:
                someone = rng.choice(earlier)
                parts = gen.spelling(someone).split()
                given, family = " ".join(parts[:-1]), parts[-1]
            else:
                someone = gen.person()
                earlier = [*earlier[-9_999:], someone]
                given, family = " ".join(someone.given), " ".join(someone.family)
            rows.append(
                Person(
                    id=uuid.uuid4(),
                    given_names=given,
                    family_name=family,
                    birth_year=someone.birth.year,
                    birth_month=someone.birth.month,
                    birth_day=someone.birth.day,
                    sex="F" if someone.sex == "f" else "M",
                    owner=org,
                )
            )
        with transaction.atomic():
            rows_insert(Person, rows)
    return time.perf_counter() - started


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _people(org: Any) -> Any:
    from readmit.cases.models import Person

    return Person.objects.filter(owner=org).prefetch_related(
        "other_names", "nationalities", "documents"
    )


def find(org_id: str, username: str) -> tuple[float, float, int]:
    """The finder, in this process: (seconds, peak MB, candidates recorded)."""
    from readmit.accounts.models import Organisation, User
    from readmit.screening.duplicates import duplicates_find
    from readmit.screening.models import DuplicateCandidate

    org, user = Organisation.objects.get(id=org_id), User.objects.get(username=username)
    # The bench's own people only: a previous run's candidates would not be proposed again.
    DuplicateCandidate.objects.filter(person_a__owner=org).delete()
    started = time.perf_counter()
    found = duplicates_find(acting_user=user, organisation=org)
    return time.perf_counter() - started, _peak_mb(), len(found)


def baseline(org_id: str) -> tuple[float, float, int]:
    """Read the people and build the index over their names: (seconds, peak MB, records)."""
    from readmit.accounts.models import Organisation
    from readmit.screening import adapter

    org = Organisation.objects.get(id=org_id)
    started = time.perf_counter()
    records = [r for p in _people(org) for r in adapter.person_records(p)]
    adapter.build_index(records)
    return time.perf_counter() - started, _peak_mb(), len(records)


def recall(org_id: str, sample: int, exhaustive_max: int, threshold: float) -> dict[str, Any]:
    """Pairs of sampled people found with and without blocking, by the same scorer."""
    from readmit.accounts.models import Organisation
    from readmit.screening import adapter

    org = Organisation.objects.get(id=org_id)
    by_person = {str(p.id): adapter.person_records(p) for p in _people(org)}
    index = adapter.build_index(r for rs in by_person.values() for r in rs)
    chosen = random.Random(15).sample(sorted(by_person), min(sample, len(by_person)))
    exhaustive = len(by_person) * len(chosen) <= exhaustive_max
    reference = index.query_exhaustive if exhaustive else index.query_reference
    blocked: set[tuple[str, str]] = set()
    full: set[tuple[str, str]] = set()
    started = time.perf_counter()
    for person_id in chosen:
        for record in by_person[person_id]:
            blocked |= {
                (person_id, h.record.id)
                for h in index.query(record, threshold=threshold)
                if h.record.id != person_id
            }
            full |= {
                (person_id, h.record.id)
                for h in reference(record, threshold=threshold)
                if h.record.id != person_id
            }
    return {
        "sampled": len(chosen),
        "exhaustive": exhaustive,
        "pairs": len(full),
        "found": len(blocked & full),
        "extra": len(blocked - full),
        "seconds": time.perf_counter() - started,
    }


def _alone(function: Any, *args: Any) -> Any:
    """Run ``function(*args)`` in a fresh forked process (its own peak memory)."""
    from django.db import connections

    connections.close_all()
    with ProcessPoolExecutor(1, mp_context=get_context("fork")) as pool:
        return pool.submit(function, *args).result()


def run(people: int, sample: int, exhaustive_max: int) -> int:
    from django.db import connection

    from readmit.cases.models import Person
    from readmit.screening.duplicates import DUPLICATE_THRESHOLD

    org, user = organisation()
    write_s = people_write(org, people)
    total = Person.objects.filter(owner=org).count()
    print(f"  {total:,} people; the baseline ...", file=sys.stderr, flush=True)
    base_s, base_mb, records = _alone(baseline, str(org.id))
    print(f"  baseline {base_s:.1f} s; the finder ...", file=sys.stderr, flush=True)
    find_s, find_mb, found = _alone(find, str(org.id), user.username)
    print(f"  finder {find_s:.1f} s; recall ...", file=sys.stderr, flush=True)
    r = _alone(recall, str(org.id), sample, exhaustive_max, DUPLICATE_THRESHOLD)
    engine = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    share = r["found"] / r["pairs"] if r["pairs"] else float("nan")
    print(f"== duplicate finder over {total:,} people of one organisation ({engine}) ==")
    print(f"written   {write_s:.1f} s (the people added in this run)")
    print(
        f"baseline  read + build the index ({records:,} records) {base_s:8.1f} s"
        f"   peak {base_mb:7.0f} MB"
    )
    print(
        f"finder    duplicates_find                        {find_s:8.1f} s"
        f"   peak {find_mb:7.0f} MB   ratio {find_s / base_s:5.1f}x / {find_mb / base_mb:4.2f}x"
        f" baseline   {found:,} candidate pairs recorded"
    )
    how = "Index.query_exhaustive" if r["exhaustive"] else "Index.query_reference"
    print(
        f"recall    blocking {share:.4f} on {r['sampled']:,} sampled people: {r['found']:,} of "
        f"{r['pairs']:,} pairs at threshold {DUPLICATE_THRESHOLD} ({how} as reference, "
        f"{r['seconds']:.1f} s; {r['extra']} found by blocking alone)"
    )
    print("targets   1,000,000 people in <= 600 s and <= 3,072 MB")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--people", type=int, default=100_000, help="people (100,000)")
    parser.add_argument("--sample", type=int, default=2000, help="people sampled for recall")
    parser.add_argument(
        "--exhaustive-max",
        type=int,
        default=200_000,
        help="most sample x people comparisons done exhaustively",
    )
    args = parser.parse_args(argv)
    django_setup()
    return run(args.people, args.sample, args.exhaustive_max)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
