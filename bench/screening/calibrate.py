"""Fit and check the score calibration (readmit/screening/matching/calibration.py).

``python -m bench.screening.calibrate`` prints, for five generated lists with very
different name frequencies, the false-alert rate and the recall at the default threshold
with raw scores and with calibrated scores (the parameters in the repository).
``--fit`` first refits the parameters on another seed and writes ``calibration.json``.

The labelled set. Each list holds ``--size`` fictional people of some cultures, written
the way lists write them (Latin script; Arabic and East Slavic names in their usual
Latin renderings). Against each list run two kinds of query:

- *listed people*, written another way (one slip, no diacritics, Serbian Cyrillic, Arabic
  script, Russian/Ukrainian Cyrillic, other vowels), with their birth date half the time:
  a hit on their own entry is a true match, a hit on any other entry a false one;
- *new people* from the same distribution (not on the list): every hit is a false alert,
  even when the name is the same, because it is another person (a namesake).

Every hit with a raw score of at least ``FLOOR`` is a labelled row (raw score, chance,
conflict; calibration.py). The false-alert rate of a list is the share of new people with
at least one hit at the threshold; recall the share of listed people whose own entry is
hit at the threshold.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from bench.screening import dataset as ds
from bench.screening import names as n
from bench.screening.population import Surnames
from readmit.screening.matching import Index, PartialDate, Record
from readmit.screening.matching import calibration as calib
from readmit.screening.matching.normalise import normalise
from readmit.screening.matching.scoring import align_names

FLOOR = 0.74  # the lowest raw score kept as a labelled row; above SINGLE_HIT_MAX
THRESHOLD = 0.8  # the default threshold (settings SCREENING_THRESHOLD, the CLI)
SEED = 20261202

# name: (cultures, synthetic surnames per culture: 0 = only the real name lists)
LISTS: dict[str, tuple[tuple[str, ...], int]] = {
    "balkan": (("serbian", "albanian"), 3000),
    "hispanic_haitian": (("spanish", "haitian"), 3000),
    "mixed": (ds.CULTURES, 8000),
    "arabic": (("arabic",), 0),
    "east_slavic": (("russian", "ukrainian"), 0),
}


@dataclass(frozen=True)
class Row:
    list_name: str
    raw: float
    evidence: calib.Evidence
    same: bool


def _latin(rng: random.Random, person: ds.Person) -> str:
    """How a list writes the person: the usual Latin spelling."""
    if person.culture == "arabic":
        return ds.left_latin(rng, person)
    if person.culture in ("russian", "ukrainian"):
        return " ".join(ds.BGN_LATIN[part] for part in person.given + person.family)
    return person.name


def _respelled(rng: random.Random, person: ds.Person) -> str:
    """The same person written another way, as a case file or another list would."""
    roll = rng.random()
    if person.culture == "arabic":
        return person.name if roll < 0.5 else ds.t_arabic_latin_variants(rng, person)
    if person.culture in ("russian", "ukrainian"):
        return person.name if roll < 0.6 else _latin(rng, person)
    if person.culture == "serbian" and roll < 0.25:
        return n.to_cyrillic(person.name)
    if person.culture == "albanian" and roll < 0.25:
        return n.albanian_to_serbian(person.name)
    if person.culture == "haitian" and roll < 0.3:
        return ds.t_haitian(rng, person)
    if roll < 0.5:
        return n.strip_diacritics_naive(person.name)
    if roll < 0.8:
        return ds.t_one_slip(rng, person)
    return person.name


class People:
    """Fictional people of some cultures; base cultures get a long tail of surnames."""

    def __init__(self, rng: random.Random, cultures: Sequence[str], tail: int) -> None:
        self.rng = rng
        self.cultures = tuple(cultures)
        self.surnames = {
            c: Surnames.build(c, rng, tail) for c in cultures if tail and c in ds.CULTURES
        }

    def person(self) -> ds.Person:
        culture = self.rng.choice(self.cultures)
        base = ds.make_person(self.rng, culture)
        if culture in self.surnames:
            family = tuple(self.surnames[culture].draw(self.rng) for _ in base.family)
            base = replace(base, family=family if len(set(family)) == len(family) else family[:1])
        return base


def _birth(rng: random.Random, date: PartialDate) -> PartialDate | None:
    return date if rng.random() < 0.7 else None


def build_list(
    name: str, seed: int, size: int, queries: int
) -> tuple[list[Record], list[tuple[Record, str | None]]]:
    """A list and its queries: (record, id of the entry it is, or None for a new person)."""
    cultures, tail = LISTS[name]
    rng = random.Random(f"{seed}:{name}")
    people = People(rng, cultures, tail)
    listed = [people.person() for _ in range(size)]
    entries = [
        Record(f"{name}-{i}", _latin(rng, p), birth_date=_birth(rng, p.birth))
        for i, p in enumerate(listed)
    ]
    asked: list[tuple[Record, str | None]] = []
    for i in range(queries):
        if rng.random() < 0.25:
            k = rng.randrange(size)
            date = listed[k].birth if rng.random() < 0.5 else None
            record = Record(f"q{i}", _respelled(rng, listed[k]), birth_date=date)
            asked.append((record, entries[k].id))
        else:
            p = people.person()
            record = Record(f"q{i}", _respelled(rng, p), birth_date=_birth(rng, p.birth))
            asked.append((record, None))
    return entries, asked


def _rows_for(
    name: str, index: Index, asked: Sequence[tuple[Record, str | None]]
) -> tuple[list[Row], list[tuple[str | None, list[tuple[str, float, calib.Evidence]]]]]:
    rows: list[Row] = []
    per_query = []
    for record, source in asked:
        found = []
        for hit in index.query(record, FLOOR):
            match = align_names(
                normalise(record.name),
                normalise(hit.matched_name),
                weigh=index.weight,
                common=index.is_common,
            )
            evidence = index.evidence(match, record, hit.record)
            rows.append(Row(name, hit.score, evidence, hit.record.id == source))
            found.append((hit.record.id, hit.score, evidence))
        per_query.append((source, found))
    return rows, per_query


def collect(seed: int, size: int, queries: int) -> dict[str, tuple[list[Row], list]]:  # type: ignore[type-arg]
    out = {}
    for name in LISTS:
        entries, asked = build_list(name, seed, size, queries)
        index = Index(entries, calibration=None)
        out[name] = _rows_for(name, index, asked)
    return out


def rates(
    per_query: Sequence[tuple[str | None, list[tuple[str, float, calib.Evidence]]]],
    value: Callable[[float, calib.Evidence], float],
    threshold: float = THRESHOLD,
) -> tuple[float, float, int, int]:
    """False-alert rate among new people, recall among listed people, and their counts."""
    new = [found for source, found in per_query if source is None]
    listed = [(source, found) for source, found in per_query if source is not None]
    alerts = sum(1 for found in new if any(value(s, e) >= threshold for _, s, e in found))
    recalled = sum(
        1
        for source, found in listed
        if any(i == source and value(s, e) >= threshold for i, s, e in found)
    )
    return (
        alerts / len(new) if new else 0.0,
        recalled / len(listed) if listed else 1.0,
        len(new),
        len(listed),
    )


def fit_rows(rows: Sequence[Row]) -> calib.Calibration:
    return calib.fit(
        [calib.features(r.raw, r.evidence) for r in rows],
        [r.same for r in rows],
        anchor=THRESHOLD,
    )


def report(
    collected: dict[str, tuple[list[Row], list]],  # type: ignore[type-arg]
    model: calib.Calibration,
    out: Callable[[str], None] = print,
) -> dict[str, tuple[float, float, float, float]]:
    out(
        f"{'list':18} {'new':>5} {'listed':>6} | {'false alerts raw':>16} {'calibrated':>10}"
        f" | {'recall raw':>10} {'calibrated':>10}"
    )
    figures = {}
    for name, (_, per_query) in collected.items():
        fa_raw, rec_raw, n_new, n_listed = rates(per_query, lambda s, e: s)
        fa_cal, rec_cal, _, _ = rates(per_query, lambda s, e: model.apply(s, e)[0])
        figures[name] = (fa_raw, fa_cal, rec_raw, rec_cal)
        out(
            f"{name:18} {n_new:5d} {n_listed:6d} | {fa_raw:16.3f} {fa_cal:10.3f}"
            f" | {rec_raw:10.3f} {rec_cal:10.3f}"
        )
    raw_rates = [f[0] for f in figures.values()]
    cal_rates = [f[1] for f in figures.values()]
    out(
        f"spread of false-alert rates (max - min): raw {max(raw_rates) - min(raw_rates):.3f},"
        f" calibrated {max(cal_rates) - min(cal_rates):.3f}"
    )
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--fit", action="store_true", help="refit and write calibration.json")
    parser.add_argument("--size", type=int, default=5000, help="names per list")
    parser.add_argument("--queries", type=int, default=2000, help="queries per list")
    parser.add_argument("--out", type=Path, default=calib.PARAMETERS)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if args.fit:
        training = collect(SEED, args.size, args.queries)
        rows = [row for rows, _ in training.values() for row in rows]
        model = fit_rows(rows)
        positives = sum(r.same for r in rows)
        args.out.write_text(
            json.dumps(
                {
                    **model.as_dict(),
                    "fitted_on": (
                        f"{len(rows)} labelled hits ({positives} same person) with a raw score"
                        f" of at least {FLOOR}, from {len(LISTS)} generated lists"
                        f" ({', '.join(LISTS)}) of {args.size} fictional names and"
                        f" {args.queries} queries each, seed {SEED}"
                    ),
                    "command": "python -m bench.screening.calibrate --fit"
                    + (f" --size {args.size}" if args.size != 5000 else "")
                    + (f" --queries {args.queries}" if args.queries != 2000 else ""),
                },
                indent=2,
            )
            + "\n",
            encoding="utf-8",
        )
        calib.load.cache_clear()
        print(f"fitted on {len(rows)} rows ({positives} same person): {model.as_dict()}")
    model = calib.load(args.out)
    testing = collect(SEED + 1, args.size, args.queries)
    print(
        f"calibration check on seed {SEED + 1} (not the fitting seed), threshold {THRESHOLD}:"
        f" {model.as_dict()}"
    )
    report(testing, model)
    print(f"({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
