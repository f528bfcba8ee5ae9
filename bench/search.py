"""``python -m bench.search [--people N] [--reuse]``: the people search over N fictional people.

A fresh database with the fictional demo: SQLite in a temporary directory, or PostgreSQL
when ``DATABASE_URL`` names an empty throwaway database (the bench refuses one with
tables). ``--reuse`` runs the searches again over a PostgreSQL database an earlier run of
the bench has filled with the same N people, without writing anything (so runs can be
repeated and compared); it refuses a database that does not hold exactly them.

N fictional people (100,000 by default) are written in bulk (``COPY`` on PostgreSQL)
under the USA-Kosovo arrangement, each with a case and the search keys the services would
write (``readmit.search.keys``); one in ten has a passport. Their names mix
Serbian Cyrillic and Latin, Albanian, Spanish, French and Arabic spellings.

Then the US caseworker's search (``readmit.search.selectors.search_people``, visibility
and ranking included) runs over a fixed mix of queries, several rounds each, and prints
p50 / p95 per query and overall, with the ratio to a baseline measured in the same run on
the same database: the gate's primary-key lookup of one case (``access_case``).
Target: p95 <= 200 ms at 1,000,000 people on PostgreSQL.

Not a test: figures depend on the machine; the ratios are what to compare between runs.
"""

from __future__ import annotations

import argparse
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from bench.lists import in_fresh_database

GIVEN = [
    "Vesna", "Nikola", "Jovan", "Milica", "Dragan", "Jelena", "Edin", "Amra", "Arben", "Drita",
    "Xhevat", "Blerina", "Fatmir", "Valbona", "José", "María", "Luis", "Lucía", "Andrés",
    "Rosa", "Marie", "Jean", "Pierre", "Guerline", "Ahmed", "Fatima", "Omar", "Layla",
    "Mohamed", "Youssef", "Ana", "Ivan", "Marko", "Sara", "Adnan", "Emina", "Luka", "Mila",
]  # fmt: skip
ROOTS = [
    "Laz", "Radul", "Petr", "Jovan", "Kaj", "Mark", "Nikol", "Stojan", "Mil", "Draš", "Vuk",
    "Bog", "Pop", "Đuk", "Ivan", "Hadž", "Mus", "Del", "Bab", "Kov", "Rak", "Mart", "Tom",
    "Pav", "Stan", "Sim", "Živ", "Mat", "Luk", "Dim",
]  # fmt: skip
SUFFIXES = ["ović", "ević", "ić", "ičić", "ovski", "in", "ac", "ovac"]
OTHER_FAMILY = [
    "Krasniqi", "Gashi", "Berisha", "Hoxha", "Shala", "Núñez", "Quintero", "de la Cruz",
    "García Márquez", "Saint-Fleur", "Jean-Baptiste", "Desrosiers", "Abdelaziz", "Haddad",
    "Mansour", "Al-Sayed",
]  # fmt: skip
ARABIC = {"Ahmed": "أحمد", "Omar": "عمر", "Mohamed": "محمد", "Fatima": "فاطمة"}
_CYRILLIC = {
    "lj": "љ", "nj": "њ", "dž": "џ", "a": "а", "b": "б", "v": "в", "g": "г", "d": "д",
    "đ": "ђ", "e": "е", "ž": "ж", "z": "з", "i": "и", "j": "ј", "k": "к", "l": "л", "m": "м",
    "n": "н", "o": "о", "p": "п", "r": "р", "s": "с", "t": "т", "ć": "ћ", "u": "у", "f": "ф",
    "h": "х", "c": "ц", "č": "ч", "š": "ш",
}  # fmt: skip
QUERIES = [
    "Lazovic",
    "Vesna Lazović",
    "Lazovic Vesna",
    "Радуловић",
    "Nikola Radulovic",
    "Saint Fleur",
    "Jose Nunez",
    "Dževat Krasniqi",
    "أحمد عبد العزيز",
    "Laz",
    "Zzyzx Quorble",
    "B00004321",
    "US-XK-RELOCA-00042",
]


def cyrillic(latin: str) -> str:
    out, i, low = [], 0, latin.lower()
    while i < len(low):
        pair = low[i : i + 2]
        if pair in _CYRILLIC:
            out.append(_CYRILLIC[pair])
            i += 2
            continue
        out.append(_CYRILLIC.get(low[i], low[i]))
        i += 1
    text = "".join(out)
    return " ".join(w[:1].upper() + w[1:] for w in text.split(" "))


def fictional_name(n: int) -> tuple[str, str, str, str]:
    """(given, family, given Latin, family Latin) of fictional person ``n``."""
    given = GIVEN[n % len(GIVEN)]
    if n % 3:
        family = ROOTS[(n // 7) % len(ROOTS)] + SUFFIXES[(n // 211) % len(SUFFIXES)]
    else:
        family = OTHER_FAMILY[(n // 7) % len(OTHER_FAMILY)]
    if n % 4 == 1 and given not in ARABIC and family[-1] in "ćcn":
        return cyrillic(given), cyrillic(family), given, family  # Serbian Cyrillic + Latin
    if given in ARABIC and n % 2:
        return ARABIC[given], family, given, family
    return given, family, "", ""


def _copy(model: Any, objects: Iterable[Any]) -> None:
    """Insert ``objects`` in one COPY (PostgreSQL) or in batches (SQLite)."""
    from django.db import connection

    objects = list(objects)
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects, batch_size=2000)
        return
    fields = [
        f
        for f in model._meta.concrete_fields
        if not (f.primary_key and f.get_internal_type() == "BigAutoField")
    ]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    sql = f"COPY {table} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for obj in objects:
            copy.write_row([f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields])


def generate(count: int, agreement: Any, owner: Any) -> float:
    """Write ``count`` people with a case and their search keys; seconds."""
    from django.db import transaction

    from readmit.cases.models import Case, IdentityDocument, Person
    from readmit.search.keys import LATIN, PRIMARY, person_terms
    from readmit.search.models import SearchTerm

    started = time.perf_counter()
    chunk = 20_000
    prefix = agreement.reference.upper()[:12]
    for start in range(0, count, chunk):
        people, cases, terms, documents = [], [], [], []
        for n in range(start, min(count, start + chunk)):
            given, family, given_latin, family_latin = fictional_name(n)
            person = Person(
                id=uuid.uuid4(),
                given_names=given,
                family_name=family,
                given_names_latin=given_latin,
                family_name_latin=family_latin,
                birth_year=1960 + n % 40,
                sex="F" if n % 2 else "M",
                owner=owner,
            )
            people.append(person)
            cases.append(
                Case(
                    agreement=agreement,
                    person=person,
                    kind=agreement.kind,
                    state="proposed",
                    reference=f"{prefix}-B{n:07d}",
                )
            )
            names = [(PRIMARY, f"{given} {family}"), (LATIN, f"{given_latin} {family_latin}")]
            for t in person_terms([(s, v) for s, v in names if v.strip()]):
                terms.append(
                    SearchTerm(
                        person_id=person.id,
                        folded=t.folded,
                        skeleton=t.skeleton,
                        consonants=t.consonants,
                        abjad=t.abjad,
                        source=t.source,
                    )
                )
            if n % 10 == 1:
                documents.append(
                    IdentityDocument(
                        person=person, type="passport", number=f"B{n:08d}", issuing_country_id="VE"
                    )
                )
        with transaction.atomic():
            _copy(Person, people)
            _copy(Case, cases)
            _copy(SearchTerm, terms)
            IdentityDocument.objects.bulk_create(documents, batch_size=5000)
        print(f"  {min(count, start + chunk):,} people written", file=sys.stderr)
    return time.perf_counter() - started


def _timed(call: Callable[[], Any], rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        started = time.perf_counter()
        call()
        out.append((time.perf_counter() - started) * 1000)
    return out


def _p(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _filled(count: int, agreement: Any) -> bool:
    """Whether an earlier run wrote exactly ``count`` people under ``agreement``."""
    from readmit.cases.models import Case

    prefix = agreement.reference.upper()[:12]
    written = Case.objects.filter(agreement=agreement, reference__startswith=f"{prefix}-B")
    return written.count() == count


def run(count: int, rounds: int, reuse: bool = False) -> int:
    from django.core.management import call_command
    from django.db import connection

    from readmit.accounts.access import access_case
    from readmit.accounts.models import User
    from readmit.agreements.models import Agreement
    from readmit.cases.models import Case
    from readmit.demo.load import demo_load
    from readmit.search.selectors import search_people

    if reuse and connection.vendor != "postgresql":
        print("--reuse needs DATABASE_URL naming a PostgreSQL database an earlier run filled")
        return 2
    if not reuse:
        call_command("migrate", verbosity=0, interactive=False)
        demo_load()
    agreement = Agreement.objects.filter(reference="us-xk-relocation").first()
    if reuse and (agreement is None or not _filled(count, agreement)):
        print(f"--reuse: the database does not hold the {count:,} people of an earlier run")
        return 2
    assert agreement is not None
    owner = agreement.sending_party.organisation  # type: ignore[union-attr]
    write_s = 0.0 if reuse else generate(count, agreement, owner)
    if connection.vendor == "postgresql" and not reuse:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    user = User.objects.get(username="us-dhs-caseworker")
    some_case = Case.objects.filter(agreement=agreement).order_by("reference").last()
    assert some_case is not None
    engine = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"

    for query in QUERIES:  # warm the caches of the fold and of the database
        search_people(user, query)
    baseline = _timed(lambda: access_case(user, some_case.id), rounds * len(QUERIES))
    base_p50, base_p95 = _p(baseline, 0.5), _p(baseline, 0.95)
    print(f"== people search over {count:,} fictional people ({engine}) ==")
    if reuse:
        print("written   earlier (--reuse)")
    else:
        print(f"written   {write_s:.1f} s ({count / write_s:,.0f} people/s, with cases and keys)")
    print(
        f"baseline  access_case (primary key, gated): p50 {base_p50:.2f} ms  p95 {base_p95:.2f} ms"
    )
    every: list[float] = []
    for query in QUERIES:
        times = _timed(lambda q=query: search_people(user, q), rounds)  # type: ignore[misc]
        every += times
        hits = len(search_people(user, query).hits)
        print(
            f"  {query!r:<28} hits {hits:>3}  p50 {_p(times, 0.5):7.1f} ms  "
            f"p95 {_p(times, 0.95):7.1f} ms"
        )
    p50, p95 = _p(every, 0.5), _p(every, 0.95)
    print(
        f"search    p50 {p50:.1f} ms ({p50 / base_p50:.0f}x baseline)  "
        f"p95 {p95:.1f} ms ({p95 / base_p95:.0f}x baseline)  target p95 <= 200 ms"
        f"{' at 1,000,000 on PostgreSQL' if count < 1_000_000 or engine != 'PostgreSQL' else ''}"
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--people", type=int, default=100_000, help="people (100,000)")
    parser.add_argument("--rounds", type=int, default=20, help="runs of each query (20)")
    parser.add_argument(
        "--reuse", action="store_true", help="search the people an earlier run wrote (PostgreSQL)"
    )
    args = parser.parse_args(argv)
    return in_fresh_database(lambda: run(args.people, args.rounds, args.reuse), reuse=args.reuse)


if __name__ == "__main__":
    sys.exit(main())
