"""Labelled pairs for the quality benchmark, generated from per-culture name parts.

Every slice applies one *spelling transform* T to a generated person p and labels
(p, T(p)) as a match; its hard negatives are (p, T(q)) where q is a near-miss person: a
sibling (other given name), the gender-marked form (Jovan/Jovana), a cousin (other family
name), a different maternal surname, or a look-alike name from the same list. The
namesake slice keeps the name and changes only the birth date. Birth dates are present
on both sides for half the pairs of the other slices (a different person gets an
independent date), because watchlists usually carry them.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace

from rapidfuzz.distance import Levenshtein

from bench.screening import names as n
from bench.screening import world as w
from readmit.screening.matching import PartialDate, Record, normalise

SLICES = (
    "transliteration", "cyrillic", "albanian_serbian", "spanish_double_surnames",
    "haitian_creole", "typos", "reordering", "missing_parts", "namesakes_birth_date",
)  # fmt: skip
# Added after the nine slices: US records that write particles and hyphenated
# parts together (DELACRUZ, Saintfleur). Only people whose name has one are drawn. The
# benchmark reports extra slices apart: they take no part in tuning the thresholds, so
# adding one cannot move the figures of the nine.
EXTRA_SLICES = (
    "written_together",
    # Second round (issue #11), generated after the first ten from the same stream.
    "arabic_script",
    "east_slavic",
    "arabic_latin_variants",
    "compounds",
    "translated_names",
)
ALL_SLICES = SLICES + EXTRA_SLICES

HAITIAN_GIVEN_CR = dict(n.HAITIAN_GIVEN)
HAITIAN_FAMILY_CR = dict(n.HAITIAN_FAMILY)


@dataclass(frozen=True)
class Person:
    """A generated person: name parts by role, culture, sex and full birth date."""

    culture: str
    sex: str
    given: tuple[str, ...]
    family: tuple[str, ...]
    birth: PartialDate

    @property
    def name(self) -> str:
        return " ".join(self.given + self.family)


@dataclass(frozen=True)
class LabelledPair:
    slice: str
    left: Record
    right: Record
    same: bool


ARABIC_LATIN = dict(w.ARABIC_MALE + w.ARABIC_FEMALE + w.ARABIC_FAMILY)
_RUSSIAN_FEMALE_FAMILY = tuple(w.russian_feminine(c, lat) for c, lat in w.RUSSIAN_FAMILY)
BGN_LATIN = dict(
    w.RUSSIAN_MALE + w.RUSSIAN_FEMALE + w.RUSSIAN_FAMILY + _RUSSIAN_FEMALE_FAMILY
    + w.UKRAINIAN_MALE + w.UKRAINIAN_FEMALE + w.UKRAINIAN_FAMILY
)  # fmt: skip
_SECOND_ROUND_LISTS = {
    ("arabic", "m"): (w.ARABIC_MALE, w.ARABIC_FAMILY),
    ("arabic", "f"): (w.ARABIC_FEMALE, w.ARABIC_FAMILY),
    ("russian", "m"): (w.RUSSIAN_MALE, w.RUSSIAN_FAMILY),
    ("russian", "f"): (w.RUSSIAN_FEMALE, _RUSSIAN_FEMALE_FAMILY),
    ("ukrainian", "m"): (w.UKRAINIAN_MALE, w.UKRAINIAN_FAMILY),
    ("ukrainian", "f"): (w.UKRAINIAN_FEMALE, w.UKRAINIAN_FAMILY),
}


def _lists(culture: str, sex: str) -> tuple[list[str], list[str]]:
    """Given-name and family-name lists of a culture."""
    if (culture, sex) in _SECOND_ROUND_LISTS:
        given_pairs, family_pairs = _SECOND_ROUND_LISTS[culture, sex]
        return [g for g, _ in given_pairs], [f for f, _ in family_pairs]
    if culture == "serbian":
        given = n.SERBIAN_MALE if sex == "m" else n.SERBIAN_FEMALE
        return list(given), list(n.SERBIAN_FAMILY)
    if culture == "albanian":
        given = n.ALBANIAN_MALE if sex == "m" else n.ALBANIAN_FEMALE
        return list(given), list(n.ALBANIAN_FAMILY)
    if culture == "spanish":
        given = n.SPANISH_MALE if sex == "m" else n.SPANISH_FEMALE
        return list(given), list(n.SPANISH_FAMILY)
    if culture == "haitian":
        return [fr for fr, _ in n.HAITIAN_GIVEN], [fr for fr, _ in n.HAITIAN_FAMILY]
    given = n.GENERIC_MALE if sex == "m" else n.GENERIC_FEMALE
    return list(given), list(n.GENERIC_FAMILY)


def random_date(rng: random.Random) -> PartialDate:
    return PartialDate(rng.randint(1950, 2008), rng.randint(1, 12), rng.randint(1, 28))


def make_person(rng: random.Random, culture: str, *, min_tokens: int = 2) -> Person:
    """A fictional person; Spanish people get two given names half the time, two surnames."""
    sex = rng.choice("mf")
    given_list, family_list = _lists(culture, sex)
    n_family = 2 if culture == "spanish" else 1
    while True:
        n_given = 1
        if culture in {"spanish", "generic"} and rng.random() < 0.5:
            n_given = 2
        if culture in {"serbian", "haitian"} and rng.random() < 0.15:
            n_given = 2  # a father's name in the middle; Jean Claude
        if culture == "arabic" and rng.random() < 0.5:
            n_given = 2  # the father's name (nasab), written without bin
        given = tuple(rng.sample(given_list, n_given))
        family = tuple(rng.sample(family_list, n_family))
        person = Person(culture, sex, given, family, random_date(rng))
        if len(person.name.split()) >= min_tokens:
            return person


CULTURES = ("serbian", "albanian", "spanish", "haitian", "generic")


# -- near-miss people (hard negatives) ---------------------------------------------------
def gender_form(person: Person) -> Person | None:
    """The same name parts with the other gender's given-name form, if the list has it."""
    male, female = _lists(person.culture, "m")[0], _lists(person.culture, "f")[0]
    mapping: dict[str, str] = {}
    for m in male:
        for f in female:
            if f in {m + "a", m[:-1] + "a"}:
                mapping[m] = f
                mapping[f] = m
    for i, part in enumerate(person.given):
        if part in mapping:
            given = (*person.given[:i], mapping[part], *person.given[i + 1 :])
            return replace(person, given=given, sex="f" if person.sex == "m" else "m")
    return None


def sibling(rng: random.Random, person: Person) -> Person:
    given_list, _ = _lists(person.culture, person.sex)
    first = rng.choice([g for g in given_list if g not in person.given])
    return replace(person, given=(first, *person.given[1:]), birth=random_date(rng))


def cousin(rng: random.Random, person: Person) -> Person:
    _, family_list = _lists(person.culture, person.sex)
    first = rng.choice([f for f in family_list if f not in person.family])
    return replace(person, family=(first, *person.family[1:]), birth=random_date(rng))


def other_maternal(rng: random.Random, person: Person) -> Person:
    if len(person.family) < 2:
        return cousin(rng, person)
    _, family_list = _lists(person.culture, person.sex)
    last = rng.choice([f for f in family_list if f not in person.family])
    return replace(person, family=(person.family[0], last), birth=random_date(rng))


def look_alike(rng: random.Random, person: Person) -> Person:
    """Swap one part for the closest *different* name in the same list (Marko -> Mirko)."""
    given_list, family_list = _lists(person.culture, person.sex)
    use_given = rng.random() < 0.5
    parts = person.given if use_given else person.family
    pool = given_list if use_given else family_list
    target = parts[0]
    others = [p for p in pool if p != target and p not in parts]
    closest = min(others, key=lambda p: (Levenshtein.distance(p, target), p))
    new = (closest, *parts[1:])
    result = replace(person, given=new) if use_given else replace(person, family=new)
    return replace(result, birth=random_date(rng))


def hard_negative(rng: random.Random, person: Person) -> Person:
    """One near-miss person, preferring the confusions that fool string similarity."""
    options: list[Callable[[], Person | None]] = [
        lambda: gender_form(person),
        lambda: sibling(rng, person),
        lambda: cousin(rng, person),
        lambda: look_alike(rng, person),
    ]
    if len(person.family) >= 2:
        options.append(lambda: other_maternal(rng, person))
    rng.shuffle(options)
    for option in options:
        found = option()
        if found is not None:
            return found
    return sibling(rng, person)


# -- spelling transforms (one per slice) -------------------------------------------------
Transform = Callable[[random.Random, Person], str]


def t_transliteration(rng: random.Random, p: Person) -> str:
    if rng.random() < 0.5:
        return n.passport_translit(p.name, rng)
    return n.strip_diacritics_naive(p.name)


def t_cyrillic(rng: random.Random, p: Person) -> str:
    return n.to_cyrillic(p.name)


def t_albanian_serbian(rng: random.Random, p: Person) -> str:
    serbian = n.albanian_to_serbian(p.name)
    return n.to_cyrillic(serbian) if rng.random() < 0.3 else serbian


def t_spanish(rng: random.Random, p: Person) -> str:
    given, family = list(p.given), list(p.family)
    choice = rng.randrange(5)
    if choice == 0:
        family = family[:1]  # paternal surname only
    elif choice == 1:
        family = ["-".join(f.replace(" ", "-") for f in family)]
    elif choice == 2:
        return n.strip_diacritics_naive(" ".join(family).upper() + ", " + " ".join(given))
    elif choice == 3:
        family = [family[0], "y", family[1]]
    else:
        given = given[:1]
    return (
        n.strip_diacritics_naive(" ".join(given + family))
        if rng.random() < 0.5
        else " ".join(given + family)
    )


def t_haitian(rng: random.Random, p: Person) -> str:
    given = [HAITIAN_GIVEN_CR.get(g, g) for g in p.given]
    family = [HAITIAN_FAMILY_CR.get(f, f) for f in p.family]
    name = " ".join(given + family)
    return name.upper() if rng.random() < 0.2 else name


_KEYBOARD = "qwertyuiopasdfghjklzxcvbnm"
_NEIGHBOURS = {
    "q": "wa", "w": "qeas", "e": "wrsd", "r": "etdf", "t": "ryfg", "y": "tugh",
    "u": "yihj", "i": "uojk", "o": "ipkl", "p": "ol", "a": "qwsz", "s": "awedxz",
    "d": "serfcx", "f": "drtgvc", "g": "ftyhbv", "h": "gyujnb", "j": "huikmn",
    "k": "jiolm", "l": "kop", "z": "asx", "x": "zsdc", "c": "xdfv", "v": "cfgb",
    "b": "vghn", "n": "bhjm", "m": "njk",
}  # fmt: skip
_PARTICLES = frozenset({"de", "del", "la", "las", "los", "y", "da", "di", "van", "von", "le"})


def typo(rng: random.Random, word: str) -> str:
    """One keyboard slip (the old model, still used for watchlist spellings).

    Substitution by any key, deletion, insertion or transposition, never at the first or
    last letter, and only in words of four letters or more (shorter ones come back
    unchanged).
    """
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    letter = rng.choice(_KEYBOARD)
    if kind == 0:
        return word[:i] + letter + word[i + 1 :]
    if kind == 1:
        return word[:i] + word[i + 1 :]
    if kind == 2:
        return word[:i] + letter + word[i:]
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]


def t_one_slip(rng: random.Random, p: Person) -> str:
    """At most one slip in one part (``typo``); the watchlist generator uses this."""
    parts = p.name.split()
    i = rng.randrange(len(parts))
    parts[i] = typo(rng, parts[i])
    return " ".join(parts)


def _near_key(rng: random.Random, letter: str) -> str:
    base = strip_marks(letter)
    return rng.choice(_NEIGHBOURS.get(base, _KEYBOARD))


def slip(rng: random.Random, word: str) -> str:
    """One keyboard slip anywhere in ``word``, keeping its capitalisation.

    Kinds, equally likely: a neighbouring key instead of the letter, a letter left out, a
    neighbouring key or the same letter typed twice, two neighbours swapped. The result
    always differs from ``word``.
    """
    lower = word.lower()
    while True:
        kind = rng.randrange(4)
        if kind == 3 and len(lower) >= 2:
            i = rng.randrange(1, len(lower))
            out = lower[: i - 1] + lower[i] + lower[i - 1] + lower[i + 1 :]
        else:
            i = rng.randrange(len(lower))
            if kind == 0:
                out = lower[:i] + _near_key(rng, lower[i]) + lower[i + 1 :]
            elif kind == 1 and len(lower) > 3:
                out = lower[:i] + lower[i + 1 :]
            else:
                extra = lower[i] if rng.random() < 0.5 else _near_key(rng, lower[i])
                out = lower[:i] + extra + lower[i:]
        if out != lower:
            break
    if word.isupper():
        return out.upper()
    if word[:1].isupper():
        return out[:1].upper() + out[1:]
    return out


def strip_marks(text: str) -> str:
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )


def t_typos(rng: random.Random, p: Person) -> str:
    """One slip (80 %) or two (20 %), each in a random part of three letters or more.

    Two slips may land in the same part; if the second undoes the first, the name is
    typed again. Particles (de, la, y) are left alone.
    """
    original = p.name.split()
    eligible = [
        i for i, part in enumerate(original) if len(part) >= 3 and part.lower() not in _PARTICLES
    ]
    slips = 1 if rng.random() < 0.8 else 2
    while True:
        parts = list(original)
        for _ in range(slips):
            i = rng.choice(eligible or range(len(parts)))
            parts[i] = slip(rng, parts[i])
        if parts != original:
            return " ".join(parts)


def t_reordering(rng: random.Random, p: Person) -> str:
    family = " ".join(p.family)
    given = " ".join(p.given)
    if rng.random() < 0.5:
        return f"{family.upper()} {given}"
    return f"{family}, {given}"


def t_missing(rng: random.Random, p: Person) -> str:
    given, family = list(p.given), list(p.family)
    options = []
    if len(given) > 1:
        options.append("middle")
    if len(family) > 1:
        options.append("second_family")
    options.append("initial")
    choice = rng.choice(options)
    if choice == "middle":
        given = given[:1]
    elif choice == "second_family":
        family = family[:1]
    else:
        given = [given[0][0] + ".", *given[1:]]
    return " ".join(given + family)


def _has_compound(name: str) -> bool:
    words = name.split()
    return "-" in name or any(w.lower() in _PARTICLES for w in words[:-1])


def t_written_together(rng: random.Random, p: Person) -> str:
    """As a system without spaces in surnames writes it: de la Cruz -> DELACRUZ."""
    out: list[str] = []
    prefix = ""
    for word in p.name.split():
        word = word.replace("-", "")
        if word.lower() in _PARTICLES:
            prefix += word
            continue
        out.append((prefix + word).capitalize() if prefix else word)
        prefix = ""
    if prefix:
        out.append(prefix)
    name = " ".join(out)
    return n.strip_diacritics_naive(name).upper() if rng.random() < 0.5 else name


def _arabic_latin(rng: random.Random, p: Person) -> list[str]:
    return [rng.choice(ARABIC_LATIN[part]) for part in p.given + p.family]


def t_arabic_script(rng: random.Random, p: Person) -> str:
    """Arabic script on the left, a Latin listing (one usual spelling per part) here."""
    return " ".join(_arabic_latin(rng, p))


def left_latin(rng: random.Random, p: Person) -> str:
    """The left side of the Latin-only Arabic slices: one usual spelling per part."""
    return " ".join(_arabic_latin(rng, p))


def t_arabic_latin_variants(rng: random.Random, p: Person) -> str:
    """Another usual Latin spelling of each part (Mohamed/Muhammad, Suhayl/Suheil)."""
    return " ".join(_arabic_latin(rng, p))


_TITLES = ("Haji", "Sheikh", "Mullah")


def _is_compound(part: str) -> bool:
    return " " in part or part.startswith("ال")


def t_compounds(rng: random.Random, p: Person) -> str:
    """Compounds joined or split another way (Abdul Hakim / Abdulhakim / Abd al-Hakim,
    al-Baghdadi / Baghdadi), with a title (30 %) or a birth-year note (20 %)."""
    parts = [rng.choice(ARABIC_LATIN[part]) for part in p.given + p.family]
    name = " ".join(parts)
    if rng.random() < 0.3:
        name = f"{rng.choice(_TITLES)} {name}"
    if rng.random() < 0.2:
        name = f"{name} (born {p.birth.year})"
    return name


def t_east_slavic(rng: random.Random, p: Person) -> str:
    """Russian or Ukrainian Cyrillic on the left, the BGN/PCGN Latin listing here."""
    given = [BGN_LATIN[g] for g in p.given]
    family = [BGN_LATIN[f] for f in p.family]
    if rng.random() < 0.3:
        return f"{' '.join(family).upper()}, {' '.join(given)}"
    return " ".join(given + family)


_TRANSLATION = {surname: english for surname, _, english in w.TRANSLATABLE_SURNAMES}


def t_translated(rng: random.Random, p: Person) -> str:
    """The surname machine-translated (Marco Rubio -> Marco Blond)."""
    family = [_TRANSLATION.get(f, f) for f in p.family]
    return " ".join([*p.given, *family])


def _with_translatable_surname(rng: random.Random, p: Person) -> Person:
    options = [s for s, culture, _ in w.TRANSLATABLE_SURNAMES if culture == p.culture]
    return replace(p, family=(rng.choice(options), *p.family[1:]))


def t_namesake(rng: random.Random, p: Person) -> str:
    return n.strip_diacritics_naive(p.name) if rng.random() < 0.3 else p.name


SLICE_SETUP: dict[str, tuple[tuple[str, ...], Transform]] = {
    "transliteration": (("serbian",), t_transliteration),
    "cyrillic": (("serbian",), t_cyrillic),
    "albanian_serbian": (("albanian",), t_albanian_serbian),
    "spanish_double_surnames": (("spanish",), t_spanish),
    "haitian_creole": (("haitian",), t_haitian),
    "typos": (CULTURES, t_typos),
    "reordering": (CULTURES, t_reordering),
    "missing_parts": (("spanish", "serbian", "haitian", "generic"), t_missing),
    "namesakes_birth_date": (CULTURES, t_namesake),
    "written_together": (("spanish", "haitian"), t_written_together),
    "arabic_script": (("arabic",), t_arabic_script),
    "east_slavic": (("russian", "ukrainian"), t_east_slavic),
    "arabic_latin_variants": (("arabic",), t_arabic_latin_variants),
    "compounds": (("arabic",), t_compounds),
    "translated_names": (("spanish", "haitian", "serbian", "albanian"), t_translated),
}
# Slices whose left side is not the person's own spelling (Arabic in Latin script).
SLICE_LEFT: dict[str, Transform] = {
    "arabic_latin_variants": left_latin,
    "compounds": left_latin,
}
# Slices that change the drawn person (a surname that is also a word).
SLICE_PERSON: dict[str, Callable[[random.Random, Person], Person]] = {
    "translated_names": _with_translatable_surname,
}
# Slices that only draw people whose name the transform can change.
SLICE_NEEDS: dict[str, Callable[[Person], bool]] = {
    "written_together": lambda p: _has_compound(p.name),
    "compounds": lambda p: any(_is_compound(part) for part in p.given + p.family),
}


# -- birth dates -------------------------------------------------------------------------
def _observed(rng: random.Random, date: PartialDate) -> PartialDate:
    """How a list records a true date: usually exact, sometimes year only or swapped."""
    roll = rng.random()
    if roll < 0.15:
        return PartialDate(date.year)
    if roll < 0.22 and date.day is not None and date.day <= 12:
        return PartialDate(date.year, date.day, date.month)
    return date


def _dates(
    rng: random.Random, left: Person, right: Person, slice_name: str, same: bool
) -> tuple[PartialDate | None, PartialDate | None]:
    if slice_name == "namesakes_birth_date":
        if same:
            return left.birth, _observed(rng, left.birth)
        other = random_date(rng)
        while other.year == left.birth.year and rng.random() < 0.7:
            other = random_date(rng)
        return left.birth, other
    if rng.random() < 0.5:
        return None, None
    return left.birth, (_observed(rng, right.birth) if same else right.birth)


def _collapses(person: Person, name: str, left_name: str | None = None) -> bool:
    """True if every part of ``name`` is also a part of ``person``'s name.

    Then the transform erased what made the near-miss a different person (dropping the
    only differing surname, or an initial shared by both given names) and the pair is
    not a negative any more.
    """
    mine = normalise(left_name or person.name)
    return all(
        any(
            t.folded == m.folded
            or t.skeleton == m.skeleton
            or (t.is_initial and m.folded.startswith(t.folded))
            for m in mine
        )
        for t in normalise(name)
    )


def _negative(
    rng: random.Random, person: Person, transform: Transform, left_name: str | None = None
) -> tuple[Person, str]:
    for _ in range(50):
        other = hard_negative(rng, person)
        name = transform(rng, other)
        if not _collapses(person, name, left_name):
            return other, name
    raise RuntimeError(f"no hard negative survives the transform for {person.name}")


def build_pairs(
    seed: int, per_slice: int, slices: tuple[str, ...] = ALL_SLICES
) -> list[LabelledPair]:
    """``per_slice`` positives and as many hard negatives for every slice, reproducibly.

    The slices are generated in order from one random stream, so the first ones come out
    the same whatever follows them.
    """
    rng = random.Random(seed)
    pairs: list[LabelledPair] = []
    for slice_name in slices:
        cultures, transform = SLICE_SETUP[slice_name]
        for k in range(2 * per_slice):
            same = k % 2 == 0
            min_tokens = 3 if slice_name == "missing_parts" else 2
            needs = SLICE_NEEDS.get(slice_name)
            person = make_person(rng, rng.choice(cultures), min_tokens=min_tokens)
            while needs is not None and not needs(person):
                person = make_person(rng, rng.choice(cultures), min_tokens=min_tokens)
            if slice_name in SLICE_PERSON:
                person = SLICE_PERSON[slice_name](rng, person)
            left_name = SLICE_LEFT[slice_name](rng, person) if slice_name in SLICE_LEFT else None
            if slice_name == "namesakes_birth_date":
                other = replace(person, birth=random_date(rng))
                right_name = transform(rng, other)
            elif same:
                other, right_name = person, transform(rng, person)
            else:
                other, right_name = _negative(rng, person, transform, left_name)
            left_date, right_date = _dates(rng, person, other, slice_name, same)
            left = Record(f"{slice_name}-{k}-L", left_name or person.name, birth_date=left_date)
            right = Record(f"{slice_name}-{k}-R", right_name, birth_date=right_date)
            pairs.append(LabelledPair(slice_name, left, right, same))
    return pairs
