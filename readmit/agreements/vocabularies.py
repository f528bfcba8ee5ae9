"""Controlled vocabularies for every fact an agreement's rules read (pure Python, no Django).

A rule can only be enforced on a fact both states write the same way. Each vocabulary here
has stable codes, a label, and the source it was taken from; intake refuses a value outside
it (naming the row and the field), and the criteria engine answers ``unknown`` for a value it
does not know, never ``pass``.

- Offence categories: the level-1 sections of the UNODC *International Classification of
  Crime for Statistical Purposes* (ICCS), version 1.0, March 2015
  (https://www.unodc.org/unodc/en/data-and-analysis/statistics/iccs.html). Codes are the
  two-digit section numbers, written as text ("01" ... "11").
- Vulnerabilities: the vulnerable groups of Article 21 of the recast Reception Conditions
  Directive 2013/33/EU (Article 24 of Directive (EU) 2024/1346), one code per group.
- Excluded groups: the switches of an agreement's ``exclusions`` and the vulnerabilities each
  one reads.
- Sex: F, M, X (other / unspecified) and U (not known), as ICAO Doc 9303 machine-readable
  travel documents write it (F, M, X) plus "not known"; ``cases.models.Sex`` stores these.
- Document types: the values of ``cases.models.DocumentType`` (a test keeps them equal).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

ICCS_SOURCE = (
    "UNODC, International Classification of Crime for Statistical Purposes (ICCS), "
    "version 1.0 (2015), level-1 sections"
)

OFFENCE_CATEGORIES: Mapping[str, str] = MappingProxyType(
    {
        "01": "Acts leading to death or intending to cause death",
        "02": "Acts causing harm or intending to cause harm to the person",
        "03": "Injurious acts of a sexual nature",
        "04": "Acts against property involving violence or threat against a person",
        "05": "Acts against property only",
        "06": "Acts involving controlled psychoactive substances or other drugs",
        "07": "Acts involving fraud, deception or corruption",
        "08": "Acts against public order, authority and provisions of the State",
        "09": "Acts against public safety and state security",
        "10": "Acts against the natural environment",
        "11": "Other criminal acts not elsewhere classified",
    }
)

# The words agreements used before the vocabulary, and the ICCS sections each one meant.
# Stored terms that still carry them are read as these codes (and written back as codes at
# the next change); no new agreement needs them. Terrorism and organised crime are divisions
# of section 09; trafficking in persons is a division of section 02.
LEGACY_CATEGORY_WORDS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "violent": ("01", "02", "04"),
        "violence": ("01", "02", "04"),
        "homicide": ("01",),
        "sexual": ("03",),
        "robbery": ("04",),
        "property": ("05",),
        "theft": ("05",),
        "drug": ("06",),
        "drugs": ("06",),
        "fraud": ("07",),
        "public_order": ("08",),
        "terrorism": ("09",),
        "organised_crime": ("09",),
        "traffic": ("09",),
        "trafficking": ("02",),
        "environment": ("10",),
        "other": ("11",),
    }
)

VULNERABILITY_SOURCE = (
    "Directive 2013/33/EU, Article 21 (Directive (EU) 2024/1346, Article 24): vulnerable persons"
)

VULNERABILITIES: Mapping[str, str] = MappingProxyType(
    {
        "minor": "Minor (under 18)",
        "unaccompanied_minor": "Unaccompanied minor",
        "disability": "Person with a disability",
        "elderly": "Elderly person",
        "pregnant": "Pregnant woman",
        "single_parent": "Single parent with minor children",
        "trafficking_victim": "Victim of human trafficking",
        "medical": "Person with a serious illness",
        "mental_health": "Person with a mental disorder",
        "torture_survivor": (
            "Survivor of torture, rape or other serious psychological, physical or sexual violence"
        ),
    }
)

# Each switch of ``terms.Exclusions`` and the vulnerabilities it excludes; ``vulnerable``
# excludes every vulnerability that has no switch of its own. ``minors`` also reads the birth
# date; ``families_together`` excludes nobody (members move together).
EXCLUDED_GROUPS: Mapping[str, str] = MappingProxyType(
    {
        "minors": "Minors (under 18, from the birth date)",
        "unaccompanied_minors": "Unaccompanied minors",
        "pregnant": "Pregnant women",
        "vulnerable": "Vulnerable people (any other vulnerability)",
        "families_together": "Families are moved together, not separated",
    }
)

SEXES: Mapping[str, str] = MappingProxyType(
    {"F": "Female", "M": "Male", "X": "Other / unspecified", "U": "Unknown"}
)

DOCUMENT_TYPES: Mapping[str, str] = MappingProxyType(
    {
        "passport": "Passport",
        "id_card": "Identity card",
        "emergency_travel_document": "Emergency travel document",
        "eu_travel_document": "EU travel document for return",
        "birth_certificate": "Birth certificate",
        "driving_licence": "Driving licence",
        "other": "Other document",
    }
)


def offence_category(value: object) -> str | None:
    """The ICCS section code ``value`` names, or None if it names none.

    Only the code itself counts ("01", or "1"); a word, a label or a misspelling is not a
    code, so a rule never guesses what a state meant by "violent crime".
    """
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text.isdigit() and len(text) <= 2:
        text = text.zfill(2)
    return text if text in OFFENCE_CATEGORIES else None


def category_codes(values: Iterable[str]) -> tuple[list[str], list[str]]:
    """An agreement's category list as ICCS codes (legacy words mapped), and the values that
    are neither a code nor a legacy word."""
    codes: list[str] = []
    unknown: list[str] = []
    for value in values:
        code = offence_category(value)
        mapped = (code,) if code else LEGACY_CATEGORY_WORDS.get(value.strip().lower(), ())
        if not mapped:
            unknown.append(value)
        codes.extend(c for c in mapped if c not in codes)
    return sorted(codes), unknown


def category_label(code: str) -> str:
    label = OFFENCE_CATEGORIES.get(code)
    return f"ICCS {code} ({label.lower()})" if label else f"'{code}'"


def allowed(vocabulary: Mapping[str, str]) -> str:
    return ", ".join(vocabulary)
