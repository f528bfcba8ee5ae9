"""The demo's fictional people, as pure data (no Django): who they are and what happens to them.

ALL PEOPLE HERE ARE FICTIONAL. Names are combinations drawn from pools of common given names
and family names of each country; document numbers are random strings in plausible shapes
(not validated formats). No public official named in the seed article is a person record, and
the pools avoid the family names of well-known public figures.

Everything is deterministic: each builder takes ``today`` (so ages, conviction dates and
deadlines stay live) and a seeded ``random.Random``. ``story`` says which path the loader
takes the person's case along; ``note`` says why the person is in the demo (for screening).
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Any

SEED = 20260615
RELOCATION_LIST_SIZE = 120
RELOCATION_NATIONALITIES = ("CU", "HT", "NI", "VE")


@dataclass(frozen=True)
class Doc:
    type: str
    number: str
    country: str
    is_copy: bool = False
    flagged_false: bool = False


@dataclass(frozen=True)
class DemoPerson:
    family_name: str
    given_names: str
    nationalities: tuple[str, ...]
    sex: str
    birth: tuple[int | None, int | None, int | None]
    external_id: str = ""
    family_name_latin: str = ""
    given_names_latin: str = ""
    place_of_birth: str = ""
    languages: tuple[str, ...] = ()
    documents: tuple[Doc, ...] = ()
    convictions: tuple[dict[str, Any], ...] = field(default=(), hash=False)
    pending_criminal_case: bool | None = False
    vulnerabilities: tuple[str, ...] = ()
    family_group: str = ""
    story: str = "proposed"
    reason: str = ""
    note: str = ""

    @property
    def display(self) -> str:
        return f"{self.given_names} {self.family_name}".strip()


def strip_accents(text: str) -> str:
    """What many databases do to a name: 'Hernández' → 'Hernandez', 'Pyè' → 'Pye'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# --- Name pools (common names; no combination is meant to be a real person) --------------

_ES_MALE = (
    "José Luis",
    "Juan Carlos",
    "Luis Ángel",
    "Jesús Alberto",
    "Ramón",
    "Héctor",
    "Ángel Gabriel",
    "Andrés",
    "Miguel Ángel",
    "Pedro Pablo",
    "Julio César",
    "Rafael",
)
_ES_FEMALE = (
    "María de los Ángeles",
    "María José",
    "Ana Belén",
    "Rosa María",
    "Daniela",
    "Carmen Elena",
    "Lucía",
    "Isabel Cristina",
    "Mariela",
    "Patricia",
    "Sofía",
)
_ES_BY_COUNTRY = {
    "CU": (
        ("Yoandri", "Osmany", "Dayron", "Yunior", "Reinier", "Yasmani"),
        ("Yusleidy", "Yanelis", "Yaima", "Odalys", "Yamilé", "Dayana"),
    ),
    "VE": (
        ("Darwin José", "Wilmer", "Yonaiker", "Jhonny", "Luis Eduardo", "Jesús Manuel"),
        ("Oriana", "Génesis", "Yusmary", "Andreína", "Mariangel", "Yorgelis"),
    ),
    "NI": (
        ("Bayardo", "Norlan", "Yader", "Juan Ramón", "Marvin", "Elvin"),
        ("Xiomara", "Lesbia", "Fátima", "Marling", "Jahoska", "Martha Lorena"),
    ),
}
_ES_SURNAMES = (
    "Pérez",
    "Gómez",
    "Hernández",
    "Rodríguez",
    "González",
    "Martínez",
    "López",
    "Sánchez",
    "Ramírez",
    "Díaz",
    "Castillo",
    "Rivas",
    "Mejía",
    "Cruz",
    "Salazar",
    "Ortiz",
    "Núñez",
    "Peña",
    "Guzmán",
    "Acosta",
    "Fuentes",
    "Montenegro",
    "Suárez",
    "Báez",
    "Zúñiga",
    "Ibarra",
    "Espinoza",
    "Quintero",
    "Carrasco",
    "Betancourt",
    "de la Cruz",
    "del Valle",
    "de León",
    "de los Santos",
    "de la Rosa",
)
_HT_MALE = (
    "Jean-Robert",
    "Wilner",
    "Frantz",
    "Dieuseul",
    "Mackenson",
    "Fritznel",
    "Rodrigue",
    "Jean-Pierre",
    "Wisly",
    "Jocelyn",
    "Emmanuel",
    "Stanley",
)
_HT_FEMALE = (
    "Marie-Carmel",
    "Marie-Lourdes",
    "Roseline",
    "Guerline",
    "Nadège",
    "Kettly",
    "Widlène",
    "Mirlande",
    "Fabiola",
    "Rose-Merline",
    "Nathalie",
    "Dieunie",
)
# The same names as Haitian Creole spells them: records come in both forms.
_HT_MALE_KREYOL = ("Jan Wobè", "Wilnè", "Frans", "Djesèl", "Makenson", "Fritznèl")
_HT_FEMALE_KREYOL = ("Mari Kamèl", "Mari Lout", "Wozlin", "Gèlin", "Wòdlin", "Ketli")
_HT_SURNAMES = (
    "Pierre",
    "Joseph",
    "Jean-Louis",
    "Saint-Fleur",
    "Désir",
    "Dorvil",
    "Célestin",
    "Louis-Jeune",
    "Exantus",
    "Étienne",
    "Augustin",
    "Fleurimond",
    "Noël",
    "Alexis",
    "Baptiste",
    "Charles",
    "Dorméus",
    "Saint-Louis",
    "Jean-Charles",
    "Valcourt",
)
_HT_SURNAMES_KREYOL = ("Pyè", "Jozèf", "Sentilis", "Dezi", "Selesten", "Etyèn", "Sen Lwi")
_PLACES = {
    "CU": ("La Habana", "Santiago de Cuba", "Holguín", "Camagüey", "Matanzas", "Cienfuegos"),
    "HT": ("Port-au-Prince", "Cap-Haïtien", "Gonaïves", "Les Cayes", "Jacmel", "Saint-Marc"),
    "NI": ("Managua", "León", "Masaya", "Matagalpa", "Chinandega", "Estelí"),
    "VE": ("Caracas", "Maracaibo", "Valencia", "Barquisimeto", "Mérida", "Maturín"),
}
_LANGUAGES = {"CU": ("es",), "VE": ("es",), "NI": ("es",), "HT": ("ht", "fr")}
# (ICCS section, offence): minor offences outside the Kosovo criterion's sections.
_MINOR_OFFENCES = (
    ("06", "Possession of a controlled substance"),
    ("05", "Petty theft"),
    ("05", "Shoplifting"),
    ("07", "Use of a fraudulent identity document"),
    ("07", "Check fraud"),
    ("08", "Driving without a licence"),
    ("08", "Driving with a suspended licence"),
)


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def passport_number(rng: random.Random, country: str) -> str:
    """A random passport number in a plausible shape for the country (not a real format)."""
    shapes = {
        "CU": lambda: rng.choice("BIKL") + _digits(rng, 6),
        "HT": lambda: rng.choice(("PP", "RD")) + _digits(rng, 7),
        "NI": lambda: "C" + _digits(rng, 8),
        "VE": lambda: "1" + _digits(rng, 8),
        "HN": lambda: "E" + _digits(rng, 7),
        "GT": lambda: _digits(rng, 9),
        "CO": lambda: "AS" + _digits(rng, 6),
        "MX": lambda: "G" + _digits(rng, 8),
    }
    return shapes.get(country, lambda: _digits(rng, 9))()


def _birth(
    rng: random.Random, today: dt.date, age: int
) -> tuple[int | None, int | None, int | None]:
    """A birth date for someone ``age`` today; some records carry the year (and month) only."""
    born = today - dt.timedelta(days=age * 365 + rng.randint(20, 340))
    roll = rng.random()
    if roll < 0.12:
        return (born.year, None, None)
    if roll < 0.20:
        return (born.year, born.month, None)
    return (born.year, born.month, born.day)


def _documents(
    rng: random.Random, country: str, birth: tuple[int | None, int | None, int | None]
) -> tuple[Doc, ...]:
    if rng.random() < 0.08:
        return ()  # no document at all: identity rests on the sender's records
    docs = [Doc("passport", passport_number(rng, country), country)]
    if country == "VE" and rng.random() < 0.4:
        docs.append(Doc("id_card", "V" + _digits(rng, 8), "VE", is_copy=True))
    year, month, day = birth
    if (
        country == "CU"
        and day is not None
        and month is not None
        and year is not None
        and rng.random() < 0.4
    ):
        # A Cuban identity card number starts with the holder's birth date (YYMMDD).
        docs.append(Doc("id_card", f"{year % 100:02d}{month:02d}{day:02d}{_digits(rng, 5)}", "CU"))
    return tuple(docs)


def _generated_person(rng: random.Random, today: dt.date) -> DemoPerson:
    """An adult of the four listed nationalities with at most a minor conviction."""
    country = rng.choice(RELOCATION_NATIONALITIES)
    sex = rng.choice("MF")
    if country == "HT":
        kreyol = rng.random() < 0.25
        if kreyol:
            given = rng.choice(_HT_MALE_KREYOL if sex == "M" else _HT_FEMALE_KREYOL)
            family = rng.choice(_HT_SURNAMES_KREYOL + _HT_SURNAMES)
        else:
            given = rng.choice(_HT_MALE if sex == "M" else _HT_FEMALE)
            family = rng.choice(_HT_SURNAMES)
    else:
        male, female = _ES_BY_COUNTRY[country]
        pool = (male + _ES_MALE) if sex == "M" else (female + _ES_FEMALE)
        given = rng.choice(pool)
        first, second = rng.sample(_ES_SURNAMES, 2)
        family = f"{first} y {second}" if rng.random() < 0.08 else f"{first} {second}"
    if rng.random() < 0.25:  # as a US database would store it
        given, family = strip_accents(given), strip_accents(family)
    birth = _birth(rng, today, rng.randint(19, 60))
    convictions: tuple[dict[str, Any], ...] = ()
    if rng.random() < 0.12:
        category, offence = rng.choice(_MINOR_OFFENCES)
        when = today - dt.timedelta(days=rng.randint(200, 9 * 365))
        convictions = (
            {"offence": offence, "category": category, "date": when.isoformat(), "country": "US"},
        )
    return DemoPerson(
        family_name=family,
        given_names=given,
        nationalities=(country,),
        sex=sex,
        birth=birth,
        place_of_birth=rng.choice(_PLACES[country]),
        languages=_LANGUAGES[country],
        documents=_documents(rng, country, birth),
        convictions=convictions,
        pending_criminal_case=None if rng.random() < 0.04 else False,
    )


def _conviction(today: dt.date, years_ago: int, category: str, offence: str) -> dict[str, Any]:
    when = today.replace(month=3, day=10) - dt.timedelta(days=365 * years_ago)
    return {"offence": offence, "category": category, "date": when.isoformat(), "country": "US"}


def _notable_relocation_people(today: dt.date) -> list[DemoPerson]:
    """The people who make the list interesting: failures, duplicates, families."""
    y = today.year
    p = DemoPerson
    return [
        # Near-duplicates for screening: same person, same birth date, same passport.
        p(
            "Hernández de la Cruz",
            "José Luis",
            ("CU",),
            "M",
            (y - 37, 3, 14),
            place_of_birth="Holguín",
            languages=("es",),
            documents=(Doc("passport", "K573120", "CU"),),
            note="near-duplicate A of 'Jose L. Hernandez Cruz'",
        ),
        p(
            "Hernandez Cruz",
            "Jose L.",
            ("CU",),
            "M",
            (y - 37, 3, 14),
            place_of_birth="Holguin",
            languages=("es",),
            documents=(Doc("passport", "K573120", "CU"),),
            note="near-duplicate B: accents dropped, initial, particle dropped",
        ),
        p(
            "Pierre",
            "Jean-Baptiste",
            ("HT",),
            "M",
            (y - 46, 11, 2),
            place_of_birth="Cap-Haïtien",
            languages=("ht", "fr"),
            documents=(Doc("passport", "PP4471093", "HT"),),
            note="near-duplicate A of 'Jan Batis Pyè' (French form)",
        ),
        p(
            "Pyè",
            "Jan Batis",
            ("HT",),
            "M",
            (y - 46, 11, 2),
            place_of_birth="Okap",
            languages=("ht",),
            documents=(Doc("passport", "PP4471093", "HT"),),
            note="near-duplicate B: the Creole spelling of the same name",
        ),
        p(
            "Pérez y Gómez",
            "María de los Ángeles",
            ("VE",),
            "F",
            (y - 33, 7, 5),
            place_of_birth="Maracaibo",
            languages=("es",),
            documents=(Doc("passport", "134872591", "VE"),),
            note="near-duplicate A of 'Maria Angeles Perez Gomez'",
        ),
        p(
            "Perez Gomez",
            "Maria Angeles",
            ("VE",),
            "F",
            (y - 33, 7, 5),
            place_of_birth="Maracaibo",
            languages=("es",),
            documents=(Doc("passport", "134872591", "VE"),),
            note="near-duplicate B: accents, particles and 'y' dropped",
        ),
        # Names from the design notes, ordinary candidates.
        p(
            "Joseph",
            "Marie-Carmel",
            ("HT",),
            "F",
            (y - 41, None, None),
            place_of_birth="Jacmel",
            languages=("ht", "fr"),
            documents=(Doc("passport", "RD2098114", "HT"),),
            note="year of birth only",
        ),
        p(
            "Sentilis",
            "Wòdlin",
            ("HT",),
            "F",
            (y - 29, 4, None),
            place_of_birth="Gonaïves",
            languages=("ht",),
            documents=(Doc("passport", "PP7302216", "HT"),),
            note="Creole spelling; year-month",
        ),
        # A couple: both selected together (families move together).
        p(
            "Saint-Fleur",
            "Wilner",
            ("HT",),
            "M",
            (y - 38, 1, 21),
            place_of_birth="Les Cayes",
            languages=("ht", "fr"),
            documents=(Doc("passport", "PP5518302", "HT"),),
            family_group="FAM-2026-001",
            story="selected",
            note="family with his wife",
        ),
        p(
            "Saint-Fleur",
            "Roseline",
            ("HT",),
            "F",
            (y - 35, 9, 8),
            place_of_birth="Les Cayes",
            languages=("ht", "fr"),
            documents=(Doc("passport", "PP5518303", "HT"),),
            family_group="FAM-2026-001",
            story="selected",
            note="family with her husband",
        ),
        # A mother and her minor son: minors excluded, so both are declined together.
        p(
            "Ramírez Ortiz",
            "Lesbia",
            ("NI",),
            "F",
            (y - 36, 2, 17),
            place_of_birth="León",
            languages=("es",),
            documents=(Doc("passport", "C04418230", "NI"),),
            family_group="FAM-2026-002",
            story="declined",
            reason="Family moves together and her son is a minor, who is excluded under the "
            "agreement.",
            note="adult in a family with a minor",
        ),
        p(
            "Ramírez Ortiz",
            "Yader",
            ("NI",),
            "M",
            (y - 14, 6, 30),
            place_of_birth="León",
            languages=("es",),
            documents=(Doc("passport", "C04418231", "NI"),),
            vulnerabilities=("minor",),
            family_group="FAM-2026-002",
            story="declined",
            reason="Minor (14 years old): excluded under the agreement.",
            note="minor",
        ),
        # Two adult brothers, still on the list.
        p(
            "Quintero Báez",
            "Luis Eduardo",
            ("VE",),
            "M",
            (y - 27, 10, 3),
            place_of_birth="Valencia",
            languages=("es",),
            documents=(Doc("passport", "118830274", "VE"),),
            family_group="FAM-2026-003",
            note="family of two adult brothers",
        ),
        p(
            "Quintero Báez",
            "Jesús Manuel",
            ("VE",),
            "M",
            (y - 24, 12, 19),
            place_of_birth="Valencia",
            languages=("es",),
            documents=(Doc("passport", "118830275", "VE"),),
            family_group="FAM-2026-003",
            note="family of two adult brothers",
        ),
        # Criteria failures.
        p(
            "Castillo Rivas",
            "Yoandri",
            ("CU",),
            "M",
            (y - 31, 5, 2),
            place_of_birth="Matanzas",
            languages=("es",),
            documents=(Doc("passport", "B318804", "CU"),),
            convictions=(_conviction(today, 3, "02", "Aggravated assault"),),
            story="declined",
            reason="Conviction for aggravated assault (ICCS 02) within the last 10 years.",
            note="fails no_conviction_within_years",
        ),
        p(
            "Mejía Salazar",
            "Darwin José",
            ("VE",),
            "M",
            (y - 34, 8, 11),
            place_of_birth="Maturín",
            languages=("es",),
            documents=(Doc("passport", "109927361", "VE"),),
            pending_criminal_case=True,
            story="declined",
            reason="A criminal case is pending against him.",
            note="fails no_pending_criminal_case",
        ),
        p(
            "Dorvil",
            "Guerline",
            ("HT",),
            "F",
            (y - 26, 3, 29),
            place_of_birth="Saint-Marc",
            languages=("ht", "fr"),
            documents=(Doc("passport", "PP6650127", "HT"),),
            vulnerabilities=("pregnant",),
            story="declined",
            reason="Pregnant: excluded under the agreement.",
            note="excluded group",
        ),
        p(
            "Acosta Núñez",
            "Rafael",
            ("CU",),
            "M",
            (y - 52, 12, 1),
            place_of_birth="Cienfuegos",
            languages=("es",),
            documents=(Doc("passport", "L882014", "CU"),),
            convictions=(_conviction(today, 14, "04", "Robbery with violence"),),
            note="robbery with violence (ICCS 04) older than 10 years: passes",
        ),
        p(
            "Fuentes Peña",
            "Martha Lorena",
            ("NI",),
            "F",
            (y - 68, None, None),
            place_of_birth="Masaya",
            languages=("es",),
            documents=(Doc("passport", "C01120934", "NI"),),
            note="fails age_between (over 65)",
        ),
        p(
            "Exantus",
            "Fritznel",
            ("HT",),
            "M",
            (y - 16, 9, 14),
            place_of_birth="Port-au-Prince",
            languages=("ht",),
            vulnerabilities=("unaccompanied_minor",),
            note="unaccompanied minor, no document",
        ),
        p(
            "Zúñiga Espinoza",
            "Marvin",
            ("NI",),
            "M",
            (y - 30, 1, 5),
            place_of_birth="Estelí",
            languages=("es",),
            documents=(Doc("passport", "C07731845", "NI"),),
            pending_criminal_case=None,
            vulnerabilities=("medical",),
            note="vulnerable (medical); pending case not known",
        ),
        p(
            "Guzmán Carrasco",
            "Miguel Ángel",
            ("CU",),
            "M",
            (y - 44, 7, 23),
            place_of_birth="La Habana",
            languages=("es",),
            documents=(Doc("passport", "I204417", "CU"),),
            convictions=(_conviction(today, 2, "06", "Possession with intent to distribute"),),
            note="recent drug conviction: not a listed category",
        ),
        # Nationalities outside the agreement's set.
        p(
            "Flores Aguilar",
            "Kevin Josué",
            ("HN",),
            "M",
            (y - 28, 4, 9),
            place_of_birth="San Pedro Sula",
            languages=("es",),
            documents=(Doc("passport", "E1937720", "HN"),),
            note="fails nationality_in (HN)",
        ),
        p(
            "Xol Caal",
            "Santiago",
            ("GT",),
            "M",
            (y - 32, None, None),
            place_of_birth="Cobán",
            languages=("es", "kek"),
            documents=(Doc("passport", "284930175", "GT"),),
            note="fails nationality_in (GT)",
        ),
        p(
            "Restrepo Gallego",
            "Andrés Felipe",
            ("CO",),
            "M",
            (y - 39, 2, 28),
            place_of_birth="Medellín",
            languages=("es",),
            documents=(Doc("passport", "AS482093", "CO"),),
            note="fails nationality_in (CO)",
        ),
        p(
            "Domínguez Treviño",
            "Karla Yesenia",
            ("MX",),
            "F",
            (y - 25, 11, 11),
            place_of_birth="Monterrey",
            languages=("es",),
            documents=(Doc("passport", "G30917342", "MX"),),
            note="fails nationality_in (MX)",
        ),
    ]


def relocation_people(today: dt.date, rng: random.Random) -> list[DemoPerson]:
    """The USA's proposed list for Kosovo: 120 people, external ids DHS-<year>-0001 ...

    Stories: 12 recommended; 8 selected (the couple, 2 more, 1 under a legal hold,
    2 transfer scheduled, 1 in reception); 5 declined with reasons; 2 withdrawn; the rest
    proposed. Four proposed people are spelled again on the demo's Kosovo watchlist
    (:mod:`readmit.demo.watchlist`); the loader declines the two whose match is confirmed.
    """
    notable = _notable_relocation_people(today)
    generated = [_generated_person(rng, today) for _ in range(RELOCATION_LIST_SIZE - len(notable))]
    clean = [
        i
        for i, person in enumerate(generated)
        if not person.convictions and person.pending_criminal_case is False
    ]
    stories = (
        ["recommended"] * 12
        + ["selected"] * 2
        + ["legal_hold"]
        + ["transfer_scheduled"] * 2
        + ["in_reception"]
        + ["withdrawn"] * 2
    )
    withdraw_reasons = iter(
        (
            "Stay of removal granted by an immigration judge; withdrawn from the list.",
            "Left the United States voluntarily for the country of origin.",
        )
    )
    for index, story in zip(clean, stories, strict=False):
        reason = next(withdraw_reasons) if story == "withdrawn" else ""
        generated[index] = _replace(generated[index], story=story, reason=reason)
    people = notable + generated
    rng.shuffle(people)
    return [
        _replace(person, external_id=f"DHS-{today.year}-{n:04d}")
        for n, person in enumerate(people, start=1)
    ]


def _replace(person: DemoPerson, **changes: Any) -> DemoPerson:
    return replace(person, **changes)


# --- USA → Montenegro readmission ------------------------------------------------------


def readmission_people(today: dt.date) -> list[DemoPerson]:
    """Fifteen Montenegrin nationals: Cyrillic and Latin, with diacritics and without.

    Stories are readmission states; ``overdue`` and ``due_soon`` are submitted applications
    whose receipt the loader backdates (see ``load._backdate_application``).
    """
    y = today.year
    p = DemoPerson
    me = ("ME",)
    return [
        p(
            "Петровић",
            "Јован",
            me,
            "M",
            (y - 39, 4, 12),
            family_name_latin="Petrović",
            given_names_latin="Jovan",
            place_of_birth="Podgorica",
            languages=("sr", "cnr"),
            documents=(Doc("passport", "P02783451", "ME"),),
            story="accepted",
        ),
        p(
            "Вујовић",
            "Милица",
            me,
            "F",
            (y - 34, 9, 3),
            family_name_latin="Vujović",
            given_names_latin="Milica",
            place_of_birth="Nikšić",
            languages=("cnr",),
            documents=(Doc("id_card", "401928374", "ME"),),
            story="submitted",
        ),
        p(
            "Радуловић",
            "Никола",
            me,
            "M",
            (y - 46, None, None),
            family_name_latin="Radulović",
            given_names_latin="Nikola",
            place_of_birth="Bar",
            languages=("cnr",),
            documents=(Doc("passport", "P01190288", "ME", is_copy=True),),
            story="interview_requested",
            note="passport copy only: prima facie evidence",
        ),
        p(
            "Поповић",
            "Стефан",
            me,
            "M",
            (y - 30, 1, 27),
            family_name_latin="Popović",
            given_names_latin="Stefan",
            place_of_birth="Cetinje",
            languages=("cnr",),
            documents=(Doc("passport", "P03318820", "ME"),),
            story="travel_document_issued",
        ),
        p(
            "Бошковић",
            "Јелена",
            me,
            "F",
            (y - 37, 6, None),
            family_name_latin="Bošković",
            given_names_latin="Jelena",
            place_of_birth="Herceg Novi",
            languages=("cnr",),
            documents=(Doc("id_card", "402277119", "ME"),),
            story="acknowledged_by_mission",
        ),
        p(
            "Мартиновић",
            "Драган",
            me,
            "M",
            (y - 53, 11, 19),
            family_name_latin="Martinović",
            given_names_latin="Dragan",
            place_of_birth="Berane",
            languages=("cnr",),
            documents=(Doc("passport", "P00927316", "ME"),),
            story="transferred",
        ),
        p(
            "Лазовић",
            "Весна",
            me,
            "F",
            (y - 42, 2, 8),
            family_name_latin="Lazović",
            given_names_latin="Vesna",
            place_of_birth="Pljevlja",
            languages=("cnr",),
            documents=(Doc("passport", "P02250943", "ME", is_copy=True),),
            story="overdue",
            note="reply deadline overdue (receipt backdated)",
        ),
        p(
            "Muratović",
            "Amer",
            me,
            "M",
            (y - 35, 5, 30),
            place_of_birth="Rožaje",
            languages=("cnr", "bs"),
            documents=(Doc("passport", "P03471125", "ME"),),
            story="transfer_scheduled",
            note="Latin only, with diacritics",
        ),
        p(
            "Hadžić",
            "Lejla",
            me,
            "F",
            (y - 28, 12, 1),
            place_of_birth="Plav",
            languages=("cnr", "bs"),
            documents=(Doc("id_card", "403318276", "ME"),),
            story="extended",
            reason="Identity card number being verified with the civil registry in Plav.",
            note="Latin only, with diacritics",
        ),
        p(
            "Kajevic",
            "Edin",
            me,
            "M",
            (y - 40, 8, 22),
            place_of_birth="Bijelo Polje",
            languages=("cnr", "bs"),
            documents=(Doc("birth_certificate", "BP-1985-2217", "ME", is_copy=True),),
            story="due_soon",
            note="diacritics dropped (Kajević); reply due soon",
        ),
        p(
            "Becirovic",
            "Aida",
            me,
            "F",
            (y - 32, 3, 17),
            place_of_birth="Rožaje",
            languages=("cnr", "bs"),
            documents=(Doc("id_card", "401776530", "ME"),),
            story="accepted",
            note="diacritics dropped (Bećirović)",
        ),
        p(
            "Dedaj",
            "Gjergj",
            me,
            "M",
            (y - 44, 10, 5),
            place_of_birth="Tuzi",
            languages=("sq", "cnr"),
            documents=(Doc("passport", "P02608837", "ME"),),
            story="acknowledged",
            note="Albanian name of a Montenegrin national",
        ),
        p(
            "Јокановић",
            "Мирко",
            me,
            "M",
            (y - 56, None, None),
            family_name_latin="Jokanović",
            given_names_latin="Mirko",
            place_of_birth="Kolašin",
            languages=("cnr",),
            documents=(Doc("passport", "P00118342", "ME", flagged_false=True),),
            story="rejected",
            reason="The only evidence, passport P00118342, was found to be false; no other "
            "evidence of Montenegrin nationality was provided.",
            note="document flagged false",
        ),
        p(
            "Перовић",
            "Ана",
            me,
            "F",
            (y - 26, 7, 14),
            family_name_latin="Perović",
            given_names_latin="Ana",
            place_of_birth="Kotor",
            languages=("cnr",),
            documents=(Doc("id_card", "404120987", "ME"),),
            story="submitted",
        ),
        p(
            "Sabotic",
            "Senad",
            me,
            "M",
            (y - 38, 2, 25),
            place_of_birth="Bijelo Polje",
            languages=("cnr", "bs"),
            documents=(Doc("driving_licence", "BP0092731", "ME", is_copy=True),),
            story="submitted",
            note="diacritics dropped (Šabotić); prima facie evidence only",
        ),
    ]


# --- Italy → Albania reception -----------------------------------------------------------


def reception_people(today: dt.date) -> list[DemoPerson]:
    """Twenty adults rescued at sea (Bangladesh, Egypt, Tunisia, Côte d'Ivoire)."""
    y = today.year
    p = DemoPerson
    return [
        p(
            "Islam",
            "Md. Rafiqul",
            ("BD",),
            "M",
            (y - 27, 1, 1),
            place_of_birth="Sylhet",
            languages=("bn",),
            story="in_reception:Gjadër",
            note="1 January birth date, as often recorded when unknown",
        ),
        p(
            "রহমান",
            "মিজানুর",
            ("BD",),
            "M",
            (y - 31, None, None),
            family_name_latin="Rahman",
            given_names_latin="Mizanur",
            place_of_birth="Dhaka",
            languages=("bn",),
            story="in_reception:Gjadër",
            note="Bengali script",
        ),
        p(
            "Hossain",
            "Rubel",
            ("BD",),
            "M",
            (y - 24, 5, 10),
            place_of_birth="Comilla",
            languages=("bn",),
            documents=(Doc("passport", "EB0917342", "BD"),),
            story="transfer_scheduled",
        ),
        p(
            "Alam Bhuiyan",
            "Jahangir",
            ("BD",),
            "M",
            (y - 35, 8, 2),
            place_of_birth="Noakhali",
            languages=("bn",),
            story="proposed",
        ),
        p(
            "Sheikh",
            "Abdul Karim",
            ("BD",),
            "M",
            (y - 29, None, None),
            place_of_birth="Madaripur",
            languages=("bn",),
            story="departed",
        ),
        p(
            "عبد العزيز",
            "أحمد محمد",
            ("EG",),
            "M",
            (y - 26, 3, 15),
            family_name_latin="Abdelaziz",
            given_names_latin="Ahmed Mohamed",
            place_of_birth="Kafr el-Sheikh",
            languages=("ar",),
            documents=(Doc("passport", "A21837465", "EG"),),
            story="in_reception:Gjadër",
            note="Arabic script",
        ),
        p(
            "Elsayed",
            "Mahmoud Saeed",
            ("EG",),
            "M",
            (y - 22, 11, 9),
            place_of_birth="Asyut",
            languages=("ar",),
            story="transfer_scheduled",
        ),
        p(
            "Hassan",
            "Mostafa Ibrahim",
            ("EG",),
            "M",
            (y - 33, 6, 21),
            place_of_birth="Sohag",
            languages=("ar",),
            story="legal_hold:Gjadër",
            reason="Court of Rome did not validate detention; transfer back to Italy pending.",
        ),
        p(
            "Mansour",
            "Karim Adel",
            ("EG",),
            "M",
            (y - 17, 4, None),
            place_of_birth="Alexandria",
            languages=("ar",),
            vulnerabilities=("minor",),
            story="declined",
            reason="Age assessment: minor (17). Minors are excluded.",
        ),
        p(
            "Fathy",
            "Omar Tarek",
            ("EG",),
            "M",
            (y - 30, 9, 30),
            place_of_birth="Minya",
            languages=("ar",),
            story="proposed",
        ),
        p(
            "بن صالح",
            "محمد أمين",
            ("TN",),
            "M",
            (y - 28, 2, 4),
            family_name_latin="Ben Salah",
            given_names_latin="Mohamed Amine",
            place_of_birth="Sfax",
            languages=("ar", "fr"),
            documents=(Doc("id_card", "08817263", "TN", is_copy=True),),
            story="in_reception:Shëngjin",
            note="Arabic script",
        ),
        p(
            "Trabelsi",
            "Yassine",
            ("TN",),
            "M",
            (y - 25, 12, 12),
            place_of_birth="Sousse",
            languages=("ar", "fr"),
            story="departed",
        ),
        p(
            "Jlassi",
            "Aymen",
            ("TN",),
            "M",
            (y - 23, 7, 7),
            place_of_birth="Kairouan",
            languages=("ar",),
            story="transfer_scheduled",
        ),
        p(
            "Gharbi",
            "Bilel",
            ("TN",),
            "M",
            (y - 34, None, None),
            place_of_birth="Gabès",
            languages=("ar", "fr"),
            story="withdrawn",
            reason="Asylum application to be examined on Italian territory.",
        ),
        p(
            "Ben Ammar",
            "Wassim",
            ("TN",),
            "M",
            (y - 27, 10, 18),
            place_of_birth="Bizerte",
            languages=("ar", "fr"),
            story="proposed",
        ),
        p(
            "Kouadio",
            "Yao Serge",
            ("CI",),
            "M",
            (y - 29, 3, 3),
            place_of_birth="Bouaké",
            languages=("fr",),
            story="in_reception:Gjadër",
        ),
        p(
            "Koné",
            "Mamadou",
            ("CI",),
            "M",
            (y - 31, 1, 19),
            place_of_birth="Korhogo",
            languages=("fr", "dyu"),
            story="declined",
            reason="Vulnerable: survivor of torture (medical report on arrival in Italy).",
        ),
        p(
            "Coulibaly",
            "Drissa",
            ("CI",),
            "M",
            (y - 26, 8, 14),
            place_of_birth="Daloa",
            languages=("fr",),
            story="transfer_scheduled",
        ),
        p(
            "N'Guessan",
            "Yao Jean-Marc",
            ("CI",),
            "M",
            (y - 36, 5, None),
            place_of_birth="Yamoussoukro",
            languages=("fr",),
            story="proposed",
        ),
        p(
            "Kouassi",
            "Koffi Arnaud",
            ("CI",),
            "M",
            (y - 24, 12, 25),
            place_of_birth="Abidjan",
            languages=("fr",),
            story="proposed",
        ),
    ]
