"""Machine-readable zones (ICAO Doc 9303) parsed and verified, in plain Python (no Django).

Three layouts are read (ICAO Doc 9303, 8th edition):

* **TD1** -- 3 lines of 30 characters: identity cards and official travel documents
  (Part 5). The document number may be longer than its 9 places: the check-digit place
  then holds ``<`` and the number continues in the optional data, followed by its check
  digit and a ``<`` (Part 5, 4.2.2, note j).
* **TD2** -- 2 lines of 36 characters (Part 6), with the same long-number rule.
* **TD3** -- 2 lines of 44 characters: passports (Part 4).

Every check digit is verified with the 7-3-1 weighting of Part 3, 4.9 (``0``-``9`` count
as themselves, ``A``-``Z`` as 10-35, the filler ``<`` as 0): the document number, the
birth date, the expiry date, the TD3 personal number, and the composite. A wrong line
length, a character outside ``A``-``Z``, ``0``-``9`` and ``<``, a malformed date or code,
or a check digit that does not match raises :class:`MRZError`, whose message starts with
the field, e.g. ``expiry date: check digit 3 does not match 7`` (3 written, 7 computed).

Names are kept as the zone writes them (already transliterated by the issuing state):
``<`` fillers become spaces, the primary identifier ends at the first ``<<``; nothing is
translated, re-ordered or re-transliterated.

Two-digit years: a birth date takes the latest century that does not put it after
``today``; an expiry date takes the century that puts it nearest to ``today`` (documents
are valid for years, not decades, and expired ones still count as evidence).

Country codes are the ICAO ones written in the zone (``issuing_state``, ``nationality``)
plus the project's normalised form (``issuing_country``, ``nationality_country``):
ISO 3166-1 alpha-2, Kosovo ``XK`` (``XKX``/``RKS``), Germany's ``D`` as ``DE``, and the
ICAO codes that are no state kept as written (``XXA`` stateless, ``XXB``/``XXC``
refugees, ``XXX`` unspecified, ``UTO`` the specimen state Utopia, and the codes of
organisations such as ``EUE`` or ``UNO``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date
from enum import StrEnum

from readmit.core.countries import normalise_code
from readmit.screening.matching.records import normalise_nationality

__all__ = [
    "MRZ",
    "Format",
    "MRZError",
    "check_digit",
    "country_from_mrz",
    "parse_mrz",
    "split_lines",
]

FILLER = "<"
_WEIGHTS = (7, 3, 1)
_ALLOWED = re.compile(r"[A-Z0-9<]*")

# ICAO Doc 9303 Part 3, 5: codes that name no state, or a state ISO 3166-1 does not list
# in this form. They are kept as written; the British nationality categories are British.
ICAO_KEPT_CODES: frozenset[str] = frozenset(
    {
        "XXA",  # stateless person (1954 Convention)
        "XXB",  # refugee (1951 Convention)
        "XXC",  # refugee (other)
        "XXX",  # person of unspecified nationality
        "UTO",  # Utopia, the specimen state of Doc 9303
        "EUE",  # European Union
        "UNO",  # United Nations Organization or its officials
        "UNA",  # specialized agency of the United Nations
        "UNK",  # resident of Kosovo, document issued by UNMIK
        "XBA",  # African Development Bank
        "XIM",  # African Export-Import Bank
        "XCC",  # Caribbean Community
        "XCE",  # Council of Europe
        "XCO",  # Common Market for Eastern and Southern Africa
        "XDC",  # Southern African Development Community
        "XEC",  # Economic Community of West African States
        "XES",  # Organisation of Eastern Caribbean States
        "XMP",  # Parliamentary Assembly of the Mediterranean
        "XOM",  # Sovereign Military Order of Malta
        "XPO",  # International Criminal Police Organization (Interpol)
    }
)
_BRITISH_CATEGORIES: frozenset[str] = frozenset({"GBD", "GBN", "GBO", "GBP", "GBS"})


class Format(StrEnum):
    TD1 = "TD1"
    TD2 = "TD2"
    TD3 = "TD3"


# (number of lines, characters per line)
_SHAPES: dict[Format, tuple[int, int]] = {
    Format.TD1: (3, 30),
    Format.TD2: (2, 36),
    Format.TD3: (2, 44),
}

_DOCUMENT_TYPES = {
    "P": "passport",
    "I": "identity card",
    "A": "official travel document",
    "C": "official travel document",
}
_CODES_PER_FORMAT: dict[Format, frozenset[str]] = {
    Format.TD1: frozenset("IAC"),
    Format.TD2: frozenset("IAC"),
    Format.TD3: frozenset("P"),
}
_SEXES = {"M": "M", "F": "F", "X": "X", FILLER: "X"}


class MRZError(ValueError):
    """A machine-readable zone that is not valid; ``field`` names the part at fault."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")


@dataclass(frozen=True, slots=True)
class MRZ:
    """The fields of a verified machine-readable zone (all check digits matched)."""

    format: Format
    document_code: str  # as written without fillers: "P", "ID", "I", "AC"...
    document_type: str  # "passport", "identity card", "official travel document"
    issuing_state: str  # as written without fillers: "UTO", "D", "SRB", "RKS"
    issuing_country: str  # normalised: "UTO", "DE", "RS", "XK"
    primary_identifier: str  # surname(s) as in the zone, fillers as spaces
    secondary_identifier: str  # given names as in the zone, "" if none
    document_number: str  # complete, also when it overflows into the optional data (TD1/TD2)
    nationality: str
    nationality_country: str
    birth_date: date
    sex: str  # "F", "M" or "X" (unspecified)
    expiry_date: date
    optional_data: str  # TD3 personal number, or TD1/TD2 optional data; trailing fillers removed
    optional_data_2: str  # TD1 line 2 optional data; "" for TD2 and TD3

    def as_dict(self) -> dict[str, str]:
        """The fields as strings (dates in ISO 8601), e.g. for JSON."""
        return {
            key: value.isoformat() if isinstance(value, date) else str(value)
            for key, value in asdict(self).items()
        }


def check_digit(data: str) -> int:
    """The ICAO 9303 check digit of ``data`` (weights 7, 3, 1 repeated; result modulo 10)."""
    total = 0
    for position, char in enumerate(data):
        if char.isdigit():
            value = int(char)
        elif "A" <= char <= "Z":
            value = ord(char) - ord("A") + 10
        elif char == FILLER:
            value = 0
        else:
            raise ValueError(f"{char!r} is not an MRZ character")
        total += value * _WEIGHTS[position % 3]
    return total % 10


def split_lines(text: str | Sequence[str]) -> list[str]:
    """The zone's lines: from one string (split on line breaks) or a sequence of lines.

    Blank lines and white space around each line are dropped; nothing else is changed.
    """
    raw = text.splitlines() if isinstance(text, str) else list(text)
    return [line.strip() for line in raw if line.strip()]


def country_from_mrz(code: str, *, field: str = "country") -> str:
    """The project's code for an ICAO country code: ``SRB`` -> ``RS``, ``D<<`` -> ``DE``.

    Codes in :data:`ICAO_KEPT_CODES` are kept as written; an unknown code is an error.
    """
    written = code.rstrip(FILLER)
    if not written or not written.isalpha():
        raise MRZError(field, f"{code!r} is not a country code")
    if written in ICAO_KEPT_CODES:
        return written
    if written in _BRITISH_CATEGORIES:
        return "GB"
    normalised = normalise_nationality(written) or written
    try:
        return normalise_code(normalised)
    except LookupError:
        raise MRZError(field, f"unknown country code {written!r}") from None


def parse_mrz(text: str | Sequence[str], *, today: date) -> MRZ:
    """Parse and verify a TD1, TD2 or TD3 zone; ``today`` resolves two-digit years."""
    lines = split_lines(text)
    shape = (len(lines), len(lines[0]) if lines else 0)
    formats = {value: key for key, value in _SHAPES.items()}
    zone_format = formats.get(shape)
    if zone_format is None:
        raise MRZError("zone", _shape_problem(lines))
    width = shape[1]
    for number, line in enumerate(lines, start=1):
        if len(line) != width:
            raise MRZError(
                f"line {number}", f"has {len(line)} characters, expected {width} ({zone_format})"
            )
    if zone_format is Format.TD1:
        return _parse_td1(lines, today)
    return _parse_two_lines(zone_format, lines, today)


def _shape_problem(lines: list[str]) -> str:
    if not lines:
        return "no lines given"
    lengths = ", ".join(str(len(line)) for line in lines)
    return (
        f"{len(lines)} line(s) of {lengths} characters; expected 3 lines of 30 (TD1), "
        "2 of 36 (TD2) or 2 of 44 (TD3)"
    )


class _Zone:
    """Slices of the zone, each read under the name of its field."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines

    def take(self, field: str, line: int, start: int, end: int, allowed: str = "A-Z0-9<") -> str:
        value = self.lines[line][start:end]
        bad = re.search(f"[^{allowed}]", value)
        if bad is not None:
            position = start + bad.start() + 1
            what = (
                "not an MRZ character"
                if not _ALLOWED.fullmatch(bad.group())
                else "not allowed in this field"
            )
            raise MRZError(
                field,
                f"character {bad.group()!r} at line {line + 1}, position {position} is {what}",
            )
        return value


def _verify(field: str, data: str, written: str) -> None:
    if not written.isdigit():
        raise MRZError(field, f"check digit {written!r} is not a digit")
    computed = check_digit(data)
    if int(written) != computed:
        raise MRZError(field, f"check digit {written} does not match {computed}")


def _document_code(zone: _Zone, zone_format: Format) -> tuple[str, str]:
    code = zone.take("document code", 0, 0, 2, "A-Z<")
    if code[0] not in _CODES_PER_FORMAT[zone_format]:
        expected = " or ".join(sorted(_CODES_PER_FORMAT[zone_format]))
        raise MRZError(
            "document code", f"{code!r} cannot start a {zone_format} zone (expected {expected})"
        )
    return code.rstrip(FILLER), _DOCUMENT_TYPES[code[0]]


def _names(zone: _Zone, line: int, start: int, end: int) -> tuple[str, str]:
    written = zone.take("name", line, start, end, "A-Z<")
    primary, _, secondary = written.partition(FILLER * 2)
    if not primary.strip(FILLER):
        raise MRZError("name", "the primary identifier (surname) is empty")
    return _spaced(primary), _spaced(secondary)


def _spaced(value: str) -> str:
    return " ".join(value.replace(FILLER, " ").split())


def _yymmdd(field: str, value: str) -> tuple[int, int, int]:
    if not value.isdigit():
        raise MRZError(field, f"{value!r} is not a date in the form YYMMDD")
    yy, mm, dd = int(value[:2]), int(value[2:4]), int(value[4:])
    try:
        date(2000, mm, dd)  # 2000 is a leap year: 29 February passes here
    except ValueError:
        raise MRZError(field, f"{value!r} is not a date in the form YYMMDD") from None
    return yy, mm, dd


def _make_date(field: str, value: str, year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:  # 29 February in a year that is not a leap year
        raise MRZError(field, f"{value!r} is not a date in the form YYMMDD") from None


def _birth_date(value: str, today: date) -> date:
    """The latest century that does not put the birth after ``today``."""
    yy, mm, dd = _yymmdd("birth date", value)
    century = today.year // 100 * 100
    for year in (century + yy, century - 100 + yy):
        try:
            candidate = date(year, mm, dd)
        except ValueError:
            continue
        if candidate <= today:
            return candidate
    return _make_date("birth date", value, century - 200 + yy, mm, dd)


def _expiry_date(value: str, today: date) -> date:
    """The century that puts the expiry nearest to ``today``."""
    yy, mm, dd = _yymmdd("expiry date", value)
    century = today.year // 100 * 100
    candidates = []
    for year in (century - 100 + yy, century + yy, century + 100 + yy):
        try:
            candidates.append(date(year, mm, dd))
        except ValueError:
            continue
    if not candidates:
        raise MRZError("expiry date", f"{value!r} is not a date in the form YYMMDD")
    return min(candidates, key=lambda candidate: abs((candidate - today).days))


def _sex(zone: _Zone, line: int, position: int) -> str:
    written = zone.take("sex", line, position, position + 1, "MFX<")
    return _SEXES[written]


def _long_number(number_part: str, written_check: str, optional: str) -> tuple[str, str, str]:
    """Document number, its check digit and the rest of the optional data (TD1/TD2).

    A ``<`` in the check-digit place means the number continues in the optional data up to
    the first ``<``; the last character before it is the check digit.
    """
    if written_check != FILLER:
        return number_part, written_check, optional
    overflow, _, rest = optional.partition(FILLER)
    if len(overflow) < 2:
        raise MRZError(
            "document number",
            "the check digit place holds '<' but the optional data holds no continuation "
            "of the number and its check digit",
        )
    return number_part + overflow[:-1], overflow[-1], rest


def _parse_td1(lines: list[str], today: date) -> MRZ:
    zone = _Zone(lines)
    code, document_type = _document_code(zone, Format.TD1)
    issuing = zone.take("issuing state", 0, 2, 5, "A-Z<")
    number_part = zone.take("document number", 0, 5, 14)
    number_check = zone.take("document number", 0, 14, 15, "0-9<")
    optional_1 = zone.take("optional data", 0, 15, 30)
    birth = zone.take("birth date", 1, 0, 6, "0-9")
    birth_check = zone.take("birth date", 1, 6, 7)
    sex = _sex(zone, 1, 7)
    expiry = zone.take("expiry date", 1, 8, 14, "0-9")
    expiry_check = zone.take("expiry date", 1, 14, 15)
    nationality = zone.take("nationality", 1, 15, 18, "A-Z<")
    optional_2 = zone.take("optional data", 1, 18, 29)
    composite = zone.take("composite", 1, 29, 30)
    primary, secondary = _names(zone, 2, 0, 30)

    number, written_check, rest = _long_number(number_part, number_check, optional_1)
    _verify("document number", number, written_check)
    _verify("birth date", birth, birth_check)
    _verify("expiry date", expiry, expiry_check)
    _verify(
        "composite", lines[0][5:30] + lines[1][0:7] + lines[1][8:15] + lines[1][18:29], composite
    )
    return MRZ(
        format=Format.TD1,
        document_code=code,
        document_type=document_type,
        issuing_state=issuing.rstrip(FILLER),
        issuing_country=country_from_mrz(issuing, field="issuing state"),
        primary_identifier=primary,
        secondary_identifier=secondary,
        document_number=number.rstrip(FILLER),
        nationality=nationality.rstrip(FILLER),
        nationality_country=country_from_mrz(nationality, field="nationality"),
        birth_date=_birth_date(birth, today),
        sex=sex,
        expiry_date=_expiry_date(expiry, today),
        optional_data=rest.rstrip(FILLER),
        optional_data_2=optional_2.rstrip(FILLER),
    )


def _parse_two_lines(zone_format: Format, lines: list[str], today: date) -> MRZ:
    width = len(lines[0])
    zone = _Zone(lines)
    code, document_type = _document_code(zone, zone_format)
    issuing = zone.take("issuing state", 0, 2, 5, "A-Z<")
    primary, secondary = _names(zone, 0, 5, width)
    number_part = zone.take("document number", 1, 0, 9)
    number_check = zone.take("document number", 1, 9, 10, "0-9<")
    nationality = zone.take("nationality", 1, 10, 13, "A-Z<")
    birth = zone.take("birth date", 1, 13, 19, "0-9")
    birth_check = zone.take("birth date", 1, 19, 20)
    sex = _sex(zone, 1, 20)
    expiry = zone.take("expiry date", 1, 21, 27, "0-9")
    expiry_check = zone.take("expiry date", 1, 27, 28)
    composite = zone.take("composite", 1, width - 1, width)

    if zone_format is Format.TD3:
        optional = zone.take("optional data", 1, 28, 42)
        optional_check = zone.take("optional data", 1, 42, 43)
        number, written_check = number_part, number_check
        if number_check == FILLER:
            raise MRZError("document number", "check digit '<' is not a digit")
        # An empty personal number may carry '<' instead of the check digit 0 (Part 4, 4.2.2).
        if not (optional_check == FILLER and not optional.strip(FILLER)):
            _verify("optional data", optional, optional_check)
        rest = optional
    else:
        optional = zone.take("optional data", 1, 28, 35)
        number, written_check, rest = _long_number(number_part, number_check, optional)
    _verify("document number", number, written_check)
    _verify("birth date", birth, birth_check)
    _verify("expiry date", expiry, expiry_check)
    _verify("composite", lines[1][0:10] + lines[1][13:20] + lines[1][21 : width - 1], composite)
    return MRZ(
        format=zone_format,
        document_code=code,
        document_type=document_type,
        issuing_state=issuing.rstrip(FILLER),
        issuing_country=country_from_mrz(issuing, field="issuing state"),
        primary_identifier=primary,
        secondary_identifier=secondary,
        document_number=number.rstrip(FILLER),
        nationality=nationality.rstrip(FILLER),
        nationality_country=country_from_mrz(nationality, field="nationality"),
        birth_date=_birth_date(birth, today),
        sex=sex,
        expiry_date=_expiry_date(expiry, today),
        optional_data=rest.rstrip(FILLER),
        optional_data_2="",
    )
