"""Records to screen and the evidence besides the name: partial birth dates, documents."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from readmit.core.countries import normalise_code
from readmit.core.documents import normalise_document
from readmit.screening.matching.normalise import PARTICLES, normalise
from readmit.screening.matching.scripts import TITLES, second_cyrillic_reading, unread_scripts

_DATE_RE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
DATE_FORMATS_HINT = "YYYY, YYYY-MM or YYYY-MM-DD"


@dataclass(frozen=True, slots=True, order=True)
class PartialDate:
    """A birth date known to the year, the month, or the day, as lists often record it."""

    year: int
    month: int | None = None
    day: int | None = None

    def __str__(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month is not None:
            parts.append(f"{self.month:02d}")
        if self.day is not None:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)


def parse_partial_date(text: str) -> PartialDate:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; raise ``ValueError`` otherwise.

    The calendar is checked (``1990-02-30`` is rejected): a wrong date in a watchlist is a
    data error the operator must see, not a value to guess around.
    """
    match = _DATE_RE.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"{text!r} is not a date ({DATE_FORMATS_HINT})")
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    try:
        date(year, month or 1, day or 1)
    except ValueError:
        raise ValueError(f"{text!r} is not a date ({DATE_FORMATS_HINT})") from None
    return PartialDate(year, month, day)


class DateEvidence(enum.Enum):
    """How two birth dates relate; each outcome moves the score differently."""

    UNKNOWN = "unknown"
    EXACT = "exact"
    COMPATIBLE = "compatible"
    SWAPPED = "swapped"
    CONFLICT = "conflict"


def compare_dates(a: PartialDate | None, b: PartialDate | None) -> DateEvidence:
    """Exact, compatible (agree where both are known), day/month swapped, or conflicting."""
    if a is None or b is None:
        return DateEvidence.UNKNOWN
    if a.year != b.year:
        return DateEvidence.CONFLICT
    if a.month is None or b.month is None:
        return DateEvidence.COMPATIBLE
    if a.day is None or b.day is None:
        return DateEvidence.COMPATIBLE if a.month == b.month else DateEvidence.CONFLICT
    if a.month == b.month and a.day == b.day:
        return DateEvidence.EXACT
    if a.month == b.day and a.day == b.month:
        return DateEvidence.SWAPPED
    return DateEvidence.CONFLICT


# Codes seen in machine-readable zones that are not ISO 3166-1 alpha-3: Germany's "D"
# (ICAO 9303) and Kosovo's "RKS" (its passports; ISO-style lists use XK / XKX).
_MRZ_CODES = {"D": "DE", "RKS": "XK"}


def normalise_nationality(code: str | None) -> str | None:
    """One code per country: ``SRB``, ``srb`` and ``RS`` all become ``RS``; blank is unknown.

    Alpha-2 and alpha-3 codes (ISO 3166-1, plus Kosovo and the ICAO codes for stateless
    people and refugees) become the alpha-2 form, so lists that use different standards
    still compare. A code nobody knows is kept as written (upper case): it can still
    equal the same unknown code on the other side, and it is not this function's place
    to reject a list.
    """
    if not code or not code.strip():
        return None
    return _canonical_country(code.strip().upper())


@lru_cache(maxsize=1024)
def _canonical_country(code: str) -> str:
    if code in _MRZ_CODES:
        return _MRZ_CODES[code]
    try:
        return normalise_code(code)
    except LookupError:
        return code


# "y" and "e" join two surnames (García y Márquez); nobody writes them onto the next one.
_GLUED_PARTICLES = PARTICLES - {"y", "e"} - TITLES
_HYPHENS = ("-", "\u2010", "\u2011")


def written_together(name: str) -> str | None:
    """``name`` as systems that drop spaces and hyphens write it; ``None`` if that is ``name``.

    Particles go onto the next part and hyphenated parts are joined: ``María de la Cruz``
    becomes ``María delaCruz`` (US records: DELACRUZ), ``Frantz Saint-Fleur`` becomes
    ``Frantz SaintFleur``, ``Omar Al-Hassan`` becomes ``Omar AlHassan``.
    """
    words = name.split()
    lowered = [w.lower() for w in words]
    if not any(h in name for h in _HYPHENS) and _GLUED_PARTICLES.isdisjoint(lowered):
        return None
    out: list[str] = []
    prefix = ""
    for word, low in zip(words, lowered, strict=True):
        for hyphen in _HYPHENS:
            word = word.replace(hyphen, "")
        if low in _GLUED_PARTICLES:
            prefix += word
            continue
        out.append(prefix + word)
        prefix = ""
    if prefix:
        out.append(prefix)
    together = " ".join(out)
    return together if together and together != " ".join(words) else None


@dataclass(frozen=True, slots=True)
class Record:
    """A person on a list or a watchlist, with whatever evidence the list carries.

    ``name`` is the full name as written; ``given_names`` / ``family_name`` are optional
    hints from lists that split them (they let the family name weigh more).
    """

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    given_names: str | None = None
    family_name: str | None = None
    birth_date: PartialDate | None = None
    nationality: str | None = None
    document_number: str | None = None
    _doc: str | None = field(default=None, init=False, repr=False, compare=False)
    _names: tuple[str, ...] = field(default=(), init=False, repr=False, compare=False)
    _written: dict[str, str] | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_doc", normalise_document(self.document_number))
        object.__setattr__(self, "nationality", normalise_nationality(self.nationality))
        spellings = (self.name, *self.aliases)
        written: dict[str, str] = {}
        for spelling in spellings:
            together = written_together(spelling)
            if together is not None and together not in spellings:
                written.setdefault(together, spelling)
            second = second_cyrillic_reading(spelling)
            if second is not None and second not in spellings:
                written.setdefault(second, spelling)
        object.__setattr__(self, "_names", spellings + tuple(written))
        object.__setattr__(self, "_written", written or None)

    @property
    def names(self) -> tuple[str, ...]:
        """Every spelling that may match: the name, its aliases, then each of them written
        together (see :func:`written_together`) where that differs."""
        return self._names

    def written(self, spelling: str) -> str:
        """The name or alias as the list wrote it, for one of :attr:`names`."""
        return self._written.get(spelling, spelling) if self._written else spelling

    def unscreenable_reason(self) -> str | None:
        """Why none of the record's names can be screened, or ``None`` if one can.

        A name is read only if every letter is in a script the matcher reads and at least
        one identifying part is left. A record none of whose names can be read is *not
        screenable*: it must be reported, never counted as clean.
        """
        reasons: list[str] = []
        for spelling in (self.name, *self.aliases):
            unread = unread_scripts(spelling)
            if not unread and normalise(spelling):
                return None
            reasons.append(
                f"script not read: {', '.join(unread)}" if unread else "no name part left"
            )
        return "; ".join(dict.fromkeys(reasons)) or "no name"

    @property
    def document_key(self) -> str | None:
        """Normalised document number, or ``None``."""
        return self._doc
