"""Country reference data: pycountry's ISO 3166-1 list plus the codes it does not carry."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

import pycountry


class CountryRow(NamedTuple):
    code: str
    alpha3: str
    name: str
    user_assigned: bool


# Kosovo uses the user-assigned XK / XKX, as the EU and ICAO do; the others are ICAO 9303.
EXTRA_CODES: tuple[CountryRow, ...] = (
    CountryRow("XK", "XKX", "Kosovo", True),
    CountryRow("XXA", "XXA", "Stateless person", True),
    CountryRow("XXB", "XXB", "Refugee (1951 Convention)", True),
    CountryRow("XXC", "XXC", "Refugee (other)", True),
    CountryRow("XXX", "XXX", "Unspecified nationality", True),
)


def all_countries() -> Iterator[CountryRow]:
    for country in pycountry.countries:
        name = getattr(country, "common_name", None) or country.name
        yield CountryRow(country.alpha_2, country.alpha_3, name, False)
    yield from EXTRA_CODES


def normalise_code(value: str) -> str:
    """Accept alpha-2 or alpha-3 in any case; answer the stored code or raise ``LookupError``."""
    code = value.strip().upper()
    for row in EXTRA_CODES:
        if code in (row.code, row.alpha3):
            return row.code
    country = pycountry.countries.get(alpha_2=code) if len(code) == 2 else None
    if country is None and len(code) == 3:
        country = pycountry.countries.get(alpha_3=code)
    if country is None:
        raise LookupError(f"unknown country code {value!r}")
    return str(country.alpha_2)
