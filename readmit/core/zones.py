"""Time zones of organisations and users. Pure Python (zoneinfo), no Django.

Everything is stored in UTC. A zone is an IANA name (``America/New_York``); it decides only
how a time typed on a page is read and how a stored time is shown. An organisation's zone
defaults from its country where the country has one zone (or one we name for the demo); a
user may override it.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from functools import cache
from pathlib import Path

UTC_NAME = "UTC"

# Countries with several zones need a choice; these are the capitals of the demo's states.
# Kosovo (XK, a user-assigned code) is in no zone table: it keeps Belgrade's rules.
COUNTRY_ZONES = {
    "US": "America/New_York",
    "XK": "Europe/Belgrade",
    "ME": "Europe/Podgorica",
    "AL": "Europe/Tirane",
    "IT": "Europe/Rome",
    "RS": "Europe/Belgrade",
}


class ZoneError(ValueError):
    """A zone name or a local time that cannot be used; the message says why. A local time
    the clocks skip or repeat says which (``kind``) with its values apart (``params``), so a
    page can say it in the reader's language."""

    def __init__(self, message: str, *, kind: str = "", params: dict[str, str] | None = None):
        super().__init__(message)
        self.kind = kind
        self.params = dict(params or {})


def zone(name: str) -> zoneinfo.ZoneInfo:
    """The zone named ``name``; ``ZoneError`` if it is not an IANA zone name."""
    name = (name or "").strip()
    if not name or name != name.strip("/") or ".." in name:
        raise ZoneError(f"{name!r} is not a time zone name (e.g. Europe/Rome)")
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ZoneError(f"{name!r} is not a known IANA time zone (e.g. Europe/Rome)") from None


@cache
def _single_zone_countries() -> dict[str, str]:
    """Country code -> zone, for countries with exactly one zone in the system's zone.tab."""
    for root in zoneinfo.TZPATH:
        table = Path(root) / "zone.tab"
        if table.is_file():
            zones: dict[str, list[str]] = {}
            for line in table.read_text(encoding="utf-8").splitlines():
                if line and not line.startswith("#"):
                    code, _, name, *_ = line.split("\t")
                    zones.setdefault(code, []).append(name)
            return {code: names[0] for code, names in zones.items() if len(names) == 1}
    return {}


def country_zone(country_code: str) -> str:
    """The default zone of an organisation in this country; UTC where it is ambiguous."""
    code = country_code.upper()
    return COUNTRY_ZONES.get(code) or _single_zone_countries().get(code) or UTC_NAME


def to_utc(local: dt.datetime, tz: zoneinfo.ZoneInfo) -> dt.datetime:
    """A wall-clock time in ``tz`` as a UTC instant.

    A time the clocks skip (spring forward) or show twice (fall back) is refused: reading
    it either way could move a transfer by an hour without anyone noticing.
    """
    if local.tzinfo is not None:
        return local.astimezone(dt.UTC)
    first, second = local.replace(tzinfo=tz, fold=0), local.replace(tzinfo=tz, fold=1)
    if first.utcoffset() != second.utcoffset():
        back = first.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None)
        if back != local:
            raise ZoneError(
                f"{local:%Y-%m-%d %H:%M} does not exist in {tz.key} (clocks change)",
                kind="skipped",
                params={"time": f"{local:%Y-%m-%d %H:%M}", "zone": tz.key},
            )
        raise ZoneError(
            f"{local:%Y-%m-%d %H:%M} happens twice in {tz.key} (clocks go back); "
            "choose a time outside that hour",
            kind="repeated",
            params={"time": f"{local:%Y-%m-%d %H:%M}", "zone": tz.key},
        )
    return first.astimezone(dt.UTC)


def wall_clock(moment: dt.datetime, tz: zoneinfo.ZoneInfo) -> str:
    """``2026-12-03 09:00 America/New_York``: a stored instant as read in ``tz``."""
    return f"{moment.astimezone(tz):%Y-%m-%d %H:%M} {tz.key}"
