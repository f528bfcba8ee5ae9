"""The demo's Kosovo public-order watchlist, generated as a CSV file (pure data, no Django).

ALL ENTRIES ARE FICTIONAL. Kosovo's Ministry of Internal Affairs owns the list; the Kosovo
relocation agreement screens the US proposed list against it. Most entries are people of
the region with no link to that list: combinations drawn from pools of common given and
family names (avoiding the family names of well-known public figures), some written in
Cyrillic with a Latin alias, with random document numbers in plausible shapes.

Four entries are other spellings of people on the US proposed list, as a police file would
write them, with matching or compatible birth dates: what screening is for. Each says how
the Kosovo reviewer decides (:attr:`Variant.decision`): two are the same person (confirmed;
the case is then declined), one is a different person (dismissed), and one is left in the
review queue (pending: the list gives only a year of birth).

Birth dates of those four are taken from the proposed list itself (:func:`watchlist_csv`
gets it), so they stay live whatever the year; the others are relative to ``today``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections.abc import Sequence
from dataclasses import dataclass

from readmit.demo.people import SEED, DemoPerson

WATCHLIST_SLUG = "xk-public-order"
WATCHLIST_NAME = "Kosovo public-order watchlist (fictional)"
WATCHLIST_FILENAME = "xk-public-order-watchlist.csv"
WATCHLIST_DESCRIPTION = (
    "Fictional demo list of the Ministry of Internal Affairs: people of concern for public "
    "order and security in Kosovo, including Interpol diffusions shared with Kosovo Police. "
    "Every entry is invented."
)
UNRELATED_ENTRIES = 40
COLUMNS = ("id", "name", "aliases", "birth_date", "nationality", "document_number", "listed_for")

CONFIRM = "confirmed"
DISMISS = "dismissed"
PENDING = "pending"


@dataclass(frozen=True)
class Variant:
    """A listing that is another spelling of someone on the US proposed list."""

    external_id: str
    target: tuple[str, str]  # (family_name, given_names) as on the proposed list
    name: str
    aliases: tuple[str, ...]
    birth: str  # "exact", "year-month" or "year": how much of the target's date the list has
    nationality: str
    document: bool  # the list carries the target's passport number
    listed_for: str
    decision: str  # CONFIRM, DISMISS or PENDING
    reason: str = ""  # the reviewer's reason (confirmed and dismissed)
    note: str = ""


VARIANTS: tuple[Variant, ...] = (
    Variant(
        "XK-PO-0007",
        ("Acosta Núñez", "Rafael"),
        "Rafael Acosta Nunez",
        (),
        "exact",
        "CU",
        True,
        "Interpol diffusion shared with Kosovo Police: armed robbery ring (fictional)",
        CONFIRM,
        "Same person: name, date of birth and Cuban passport number L882014 all match the "
        "Interpol diffusion (fictional).",
        note="Spanish name without accents",
    ),
    Variant(
        "XK-PO-0019",
        ("Guzmán Carrasco", "Miguel Ángel"),
        "Migel Anhel Gusman Karasko",
        ("Miguel Guzman",),
        "exact",
        "CU",
        False,
        "Kosovo Police intelligence: drug trafficking network, Pristina (fictional)",
        CONFIRM,
        "Same person: the police file writes the name as it is pronounced; date of birth "
        "and nationality match, and the file's photograph matches the US record (fictional).",
        note="phonetic respelling, as a Kosovo police file would write it",
    ),
    Variant(
        "XK-PO-0026",
        ("Sentilis", "Wòdlin"),
        "Rodeline Saintilus",
        (),
        "year-month",
        "HT",
        False,
        "Kosovo Police: document fraud, born in Jérémie (fictional)",
        DISMISS,
        "Different person: the listed Rodeline Saintilus was born in Jérémie and is in "
        "custody in Kosovo; the case's person was born in Gonaïves and has lived in the "
        "United States throughout (fictional).",
        note="French spelling of a Creole name; a namesake",
    ),
    Variant(
        "XK-PO-0033",
        ("Joseph", "Marie-Carmel"),
        "Mari Kamèl Jozèf",
        (),
        "year",
        "HT",
        False,
        "Interpol diffusion shared with Kosovo Police: human smuggling (fictional)",
        PENDING,
        note="Haitian Creole respelling; year of birth only on both sides: awaiting review",
    ),
)

# Name pools (common names of the region; no combination is meant to be a real person).
_ALBANIAN_MALE = (
    "Arben",
    "Besnik",
    "Driton",
    "Fatmir",
    "Gëzim",
    "Ilir",
    "Labinot",
    "Mentor",
    "Valon",
    "Visar",
    "Blerim",
    "Agron",
    "Kushtrim",
    "Shpëtim",
)
_ALBANIAN_FEMALE = ("Arta", "Blerta", "Donika", "Fjolla", "Lirije", "Mimoza", "Teuta", "Valbona")
_ALBANIAN_SURNAMES = (
    "Gashi",
    "Morina",
    "Bytyqi",
    "Shala",
    "Zeqiri",
    "Hasani",
    "Kryeziu",
    "Sylejmani",
    "Rexhepi",
    "Bajrami",
    "Dervishi",
    "Halimi",
    "Maloku",
    "Avdiu",
    "Ymeri",
    "Hoti",
    "Qerimi",
    "Ajeti",
)
# Serbian names in Cyrillic (as the file writes them) and their Latin form (alias).
_SERBIAN_MALE = (
    ("Драган", "Dragan"),
    ("Ненад", "Nenad"),
    ("Милош", "Miloš"),
    ("Зоран", "Zoran"),
    ("Дејан", "Dejan"),
    ("Горан", "Goran"),
)
_SERBIAN_FEMALE = (("Ивана", "Ivana"), ("Јелена", "Jelena"), ("Снежана", "Snežana"))
_SERBIAN_SURNAMES = (
    ("Јовановић", "Jovanović"),
    ("Марковић", "Marković"),
    ("Стојановић", "Stojanović"),
    ("Илић", "Ilić"),
    ("Павловић", "Pavlović"),
    ("Ђорђевић", "Đorđević"),
    ("Станковић", "Stanković"),
    ("Костић", "Kostić"),
    ("Ристић", "Ristić"),
    ("Лазић", "Lazić"),
)
_BOSNIAN = (("Amir", "Senad", "Edin", "Emina"), ("Hodžić", "Mujić", "Begović", "Salihović"))
_TURKISH = (("Mehmet", "Murat", "Emre", "Ayşe"), ("Yılmaz", "Kaya", "Demir", "Şahin"))
_REASONS = (
    "Kosovo Police: organised crime, smuggling of goods (fictional)",
    "Kosovo Police: illegal possession of weapons (fictional)",
    "Kosovo Police: violent extremism, under investigation (fictional)",
    "Interpol diffusion shared with Kosovo Police: fraud (fictional)",
    "Kosovo Police: human smuggling across the northern border (fictional)",
    "Kosovo Police: drug trafficking (fictional)",
    "Court of Pristina: wanted on an arrest warrant (fictional)",
)


@dataclass(frozen=True)
class _Row:
    name: str
    aliases: tuple[str, ...]
    birth_date: str
    nationality: str
    document_number: str
    listed_for: str


def _birth_date(rng: random.Random, today: dt.date) -> str:
    year = today.year - rng.randint(22, 62)
    precision = rng.random()
    if precision < 0.2:
        return f"{year:04d}"
    month = rng.randint(1, 12)
    if precision < 0.35:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{rng.randint(1, 28):02d}"


def _document(rng: random.Random, country: str) -> str:
    if rng.random() < 0.4:
        return ""
    digits = "".join(rng.choice("0123456789") for _ in range(7))
    return f"{country}{digits}"


def _unrelated(rng: random.Random, today: dt.date) -> _Row:
    kind = rng.choices(("albanian", "serbian", "bosnian", "turkish"), weights=(6, 3, 1, 1))[0]
    aliases: tuple[str, ...] = ()
    if kind == "albanian":
        female = rng.random() < 0.2
        given = rng.choice(_ALBANIAN_FEMALE if female else _ALBANIAN_MALE)
        family = rng.choice(_ALBANIAN_SURNAMES)
        name = f"{given} {family}"
        country = rng.choice(("XK", "XK", "XK", "AL", "MK"))
        if rng.random() < 0.25:  # a nickname or a shortened form the police also use
            aliases = (f"{given[0]}. {family}",)
    elif kind == "serbian":
        female = rng.random() < 0.25
        given, given_latin = rng.choice(_SERBIAN_FEMALE if female else _SERBIAN_MALE)
        family, family_latin = rng.choice(_SERBIAN_SURNAMES)
        name = f"{given} {family}"
        aliases = (f"{given_latin} {family_latin}",)
        country = rng.choice(("RS", "RS", "XK", "ME"))
    elif kind == "bosnian":
        given_pool, family_pool = _BOSNIAN
        name = f"{rng.choice(given_pool)} {rng.choice(family_pool)}"
        country = "BA"
    else:
        given_pool, family_pool = _TURKISH
        name = f"{rng.choice(given_pool)} {rng.choice(family_pool)}"
        country = "TR"
    return _Row(
        name,
        aliases,
        _birth_date(rng, today),
        country,
        _document(rng, country),
        rng.choice(_REASONS),
    )


def _variant_row(variant: Variant, target: DemoPerson) -> _Row:
    year, month, day = target.birth
    assert year is not None, variant.external_id
    parts = {
        "exact": (year, month, day),
        "year-month": (year, month, None),
        "year": (year, None, None),
    }[variant.birth]
    birth = "-".join(f"{p:02d}" if n else f"{p:04d}" for n, p in enumerate(parts) if p)
    document = ""
    if variant.document:
        document = next(d.number for d in target.documents if d.type == "passport")
    return _Row(
        variant.name, variant.aliases, birth, variant.nationality, document, variant.listed_for
    )


def _target(variant: Variant, proposed: Sequence[DemoPerson]) -> DemoPerson:
    family, given = variant.target
    found = [p for p in proposed if (p.family_name, p.given_names) == (family, given)]
    if len(found) != 1:
        raise LookupError(
            f"{variant.external_id}: {given} {family} is not on the proposed "
            f"list once (found {len(found)})"
        )
    return found[0]


def variant_targets(proposed: Sequence[DemoPerson]) -> dict[str, DemoPerson]:
    """Entry id → the person of the proposed list the entry is another spelling of."""
    return {v.external_id: _target(v, proposed) for v in VARIANTS}


def watchlist_csv(today: dt.date, proposed: Sequence[DemoPerson]) -> bytes:
    """The list as a CSV file (UTF-8): :data:`UNRELATED_ENTRIES` + the :data:`VARIANTS`."""
    rng = random.Random(SEED + 1)  # its own stream: the people's draws do not move
    targets = variant_targets(proposed)
    variants = {v.external_id: _variant_row(v, targets[v.external_id]) for v in VARIANTS}
    total = UNRELATED_ENTRIES + len(VARIANTS)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for n in range(1, total + 1):
        external_id = f"XK-PO-{n:04d}"
        row = variants.get(external_id) or _unrelated(rng, today)
        writer.writerow(
            (
                external_id,
                row.name,
                ";".join(row.aliases),
                row.birth_date,
                row.nationality,
                row.document_number,
                row.listed_for,
            )
        )
    return buffer.getvalue().encode("utf-8")
