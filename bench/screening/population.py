"""Large fictional watchlists and query lists with a realistic spread of names.

Fixed name lists alone would give every full name a hundred namesakes in a million
records. Real surname frequencies follow a long tail, so family names here are drawn
Zipf-like from the real part lists *plus* thousands of synthetic surnames per culture
built from syllables and the culture's usual endings (Serbian -ović/-ić, Albanian -aj/-i,
Spanish -ez/-ero, French -ier/-eau). All of them are fictional.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass

from bench.screening import dataset as ds
from bench.screening import names as n
from readmit.screening.matching import PartialDate, Record

_SYLLABLES = {
    "serbian": ("bra", "vu", "dra", "mi", "lo", "ra", "sto", "jan", "ko", "sa", "ni", "pe",
                "to", "zi", "de", "go", "lu", "ma", "ri", "ve", "ša", "ču", "đo", "že"),
    "albanian": ("gjo", "ba", "lle", "sha", "ke", "xha", "ze", "qe", "do", "ra", "hy", "mu",
                 "be", "kra", "ha", "dri", "fe", "lu", "ni", "tha"),
    "spanish": ("bar", "ca", "lo", "ver", "mon", "te", "sal", "da", "ri", "go", "ar", "be",
                "cas", "ti", "pa", "dil", "mo", "ro", "qui", "za"),
    "haitian": ("bel", "la", "mon", "val", "ro", "de", "fon", "ti", "ber", "lu", "ma", "cel",
                "vil", "gar", "jo", "no", "pa", "ri"),
    "generic": ("ash", "ford", "well", "brook", "ham", "ley", "mor", "ton", "wood", "stan",
                "bur", "kins", "hal", "field", "nor", "west"),
}  # fmt: skip
_ENDINGS = {
    "serbian": ("ović", "ević", "ić", "in", "ski"),
    "albanian": ("aj", "i", "aku", "ri", "iu", "ja"),
    "spanish": ("ez", "ero", "illo", "ano", "eda", "aga", "es"),
    "haitian": ("ier", "ine", "eau", "ard", "on", "elle", "is"),
    "generic": ("son", "ton", "ley", "man", "er", ""),
}  # fmt: skip
_REAL_FAMILY = {
    "serbian": n.SERBIAN_FAMILY, "albanian": n.ALBANIAN_FAMILY,
    "spanish": [f for f in n.SPANISH_FAMILY if " " not in f],
    "haitian": [fr for fr, _ in n.HAITIAN_FAMILY], "generic": n.GENERIC_FAMILY,
}  # fmt: skip


def synthetic_surnames(culture: str, count: int, rng: random.Random) -> list[str]:
    """``count`` distinct made-up surnames that look like the culture's."""
    syllables, endings = _SYLLABLES[culture], _ENDINGS[culture]
    found: dict[str, None] = {}
    while len(found) < count:
        parts = rng.choices(syllables, k=rng.choice((1, 2, 2, 3)))
        name = "".join(parts) + rng.choice(endings)
        found[name.capitalize()] = None
    return list(found)


@dataclass
class Surnames:
    """A Zipf-like surname distribution: real names at the head, synthetic tail."""

    names: list[str]
    cumulative: list[float]

    @classmethod
    def build(cls, culture: str, rng: random.Random, tail: int) -> Surnames:
        names = list(
            dict.fromkeys([*_REAL_FAMILY[culture], *synthetic_surnames(culture, tail, rng)])
        )
        weights = [1.0 / (rank + 10) for rank in range(len(names))]
        return cls(names, list(itertools.accumulate(weights)))

    def draw(self, rng: random.Random) -> str:
        point = rng.random() * self.cumulative[-1]
        return self.names[bisect.bisect_left(self.cumulative, point)]


class Generator:
    """Fictional people across cultures, rendered in the spellings lists use."""

    def __init__(self, seed: int, tail: int = 8000) -> None:
        self.rng = random.Random(seed)
        self.surnames = {c: Surnames.build(c, self.rng, tail) for c in ds.CULTURES}

    def person(self) -> ds.Person:
        rng = self.rng
        culture = rng.choice(ds.CULTURES)
        base = ds.make_person(rng, culture)
        family = tuple(self.surnames[culture].draw(rng) for _ in base.family)
        if len(set(family)) < len(family):
            family = family[:1]
        return ds.Person(culture, base.sex, base.given, family, base.birth)

    def spelling(self, person: ds.Person) -> str:
        """The name as some authority writes it: script, transliteration, typo, order."""
        rng = self.rng
        roll = rng.random()
        if person.culture == "serbian" and roll < 0.25:
            return n.to_cyrillic(person.name)
        if person.culture == "albanian" and roll < 0.2:
            return n.albanian_to_serbian(person.name)
        if person.culture == "haitian" and roll < 0.3:
            return ds.t_haitian(rng, person)
        if roll < 0.4:
            return n.strip_diacritics_naive(person.name)
        if roll < 0.5:
            return ds.t_one_slip(rng, person)
        if roll < 0.6:
            return ds.t_reordering(rng, person)
        return person.name


def _birth(rng: random.Random, date: PartialDate) -> PartialDate | None:
    roll = rng.random()
    if roll < 0.3:
        return None
    if roll < 0.4:
        return PartialDate(date.year)
    return date


def watchlist(seed: int, size: int) -> list[Record]:
    """``size`` watchlist records: 30% with an alias, 70% with a birth date."""
    gen = Generator(seed)
    rng = gen.rng
    records = []
    for i in range(size):
        person = gen.person()
        aliases = (gen.spelling(person),) if rng.random() < 0.3 else ()
        records.append(
            Record(
                id=f"W{i}",
                name=gen.spelling(person),
                aliases=aliases,
                birth_date=_birth(rng, person.birth),
                nationality=rng.choice(("RS", "ME", "XK", "AL", "CU", "VE", "NI", "HT", None)),
                document_number=f"D{rng.randrange(10**8):08d}" if rng.random() < 0.1 else None,
            )
        )
    return records


def queries(
    seed: int, count: int, against: Sequence[Record], share_known: float = 0.2
) -> list[Record]:
    """Query records: ``share_known`` are respellings of watchlist names, the rest new."""
    gen = Generator(seed + 7)
    rng = gen.rng
    out = []
    for i in range(count):
        if against and rng.random() < share_known:
            target = rng.choice(against)
            person = ds.Person(
                "generic",
                "m",
                tuple(target.name.split()[:-1]) or ("X",),
                (target.name.split()[-1],),
                PartialDate(1970, 1, 1),
            )
            name = ds.t_one_slip(rng, person) if rng.random() < 0.5 else target.name
            out.append(Record(f"Q{i}", name, birth_date=target.birth_date))
        else:
            person = gen.person()
            out.append(Record(f"Q{i}", gen.spelling(person), birth_date=_birth(rng, person.birth)))
    return out
